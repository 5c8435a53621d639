# SPDX-License-Identifier: BSD-3-Clause
# Help and verb handling of the unitune front end.

test_help_lists_verbs_and_options() {
	"$UNITUNE" --help >out
	expect_grep 'build' out
	expect_grep 'run' out
	"$UNITUNE" build --help >out
	for opt in --app --config --set -o; do expect_grep "$opt" out; done
	expect_grep 'unitune build --app hello' out # an example
	"$UNITUNE" run --help >out
	for opt in --mem --accel --deterministic --timeout; do expect_grep "$opt" out; done
	expect_grep '124' out # documented exit statuses
	expect_grep '139' out
}

test_unknown_verb() {
	expect_eq 2 "$(run_status "$UNITUNE" frobnicate)" "exit status"
	expect_grep 'frobnicate' err
}

# A PATH of its own: links to the tools doctor checks, but for those named.
doctor_path() { # tool-to-leave-out...
	local t
	mkdir -p path
	for t in make gcc kconfig-conf qemu-system-x86_64 gnuplot ccache clang wrk; do
		case " $* " in *" $t "*) continue ;; esac
		ln -sf "$(command -v "$t")" "path/$t" || fail "no $t on this host"
	done
	echo "$PWD/path"
}

test_doctor_reports_each_piece_and_what_a_missing_one_disables() {
	export XDG_CACHE_HOME=$PWD/cache
	expect_eq 0 "$(run_status "$UNITUNE" doctor)" "everything here"
	for piece in QEMU accelerator musl make 'C compiler' kconfig-frontends gnuplot ccache clang wrk; do
		expect_grep "^$piece +(ok|found|KVM|TCG) " out
	done
	expect_grep '^accelerator +(KVM|TCG) +.*(calibration|KVM|TCG)' out
	expect_grep '^doctor: build and run have what they need$' out

	# Without kconfig-conf, build cannot work: status 1, and why.
	expect_eq 1 "$(PATH=$(doctor_path kconfig-conf) run_status "$UNITUNE" doctor)" "no kconfig-conf"
	expect_grep '^kconfig-frontends +MISSING +kconfig-conf not in PATH$' out
	expect_grep '^ +without it: build, tune .*\(Debian package kconfig-frontends\)$' out
	rm -rf path

	# Without gnuplot, only the plots go: still status 0.
	expect_eq 0 "$(PATH=$(doctor_path gnuplot) run_status "$UNITUNE" doctor)" "no gnuplot"
	expect_grep '^gnuplot +missing +gnuplot not in PATH$' out
	expect_grep '^ +without it: report --timeline, the plots of the experiment report' out
	rm -rf path

	# Without wrk, only unitune bench http goes: still status 0.
	expect_eq 0 "$(PATH=$(doctor_path wrk) run_status "$UNITUNE" doctor)" "no wrk"
	expect_grep '^wrk +missing +wrk not in PATH$' out
	expect_grep "^ +without it: bench http \\(wrk loads the guest's HTTP server\\) \\(Debian package wrk\\)$" out
	rm -rf path

	# Without QEMU nothing boots, and there is nothing to calibrate.
	expect_eq 1 "$(PATH=$(doctor_path qemu-system-x86_64) run_status "$UNITUNE" doctor)" "no QEMU"
	expect_grep '^QEMU +MISSING ' out
	expect_grep '^accelerator +none +not calibrated: no QEMU$' out
	expect_eq 2 "$(run_status "$UNITUNE" doctor extra)" "usage"
}

# tests/run.sh itself: a pass, a failure and a skip are each counted, and
# the last line says so.
test_runner_counts_passes_failures_and_skips() {
	mkdir sample
	# Indented here (<<- strips the tabs) so that run.sh, which finds
	# tests as lines starting with test_, does not take them for ours.
	cat >sample/test_sample.sh <<-'SH'
		test_sample_passes() { true; }
		test_sample_fails() { false; }
		test_sample_skips() { skip "no such tool here"; }
		sample_fails_midway() { echo "before"; false; echo "after"; }
		test_sample_cases() {
			run_case one true
			run_case two sample_fails_midway
			run_cases_passed
		}
	SH
	UNITUNE_TEST_SYSTEM_DIR=$PWD/sample UNITUNE_TEST_WORKDIR=$PWD/work \
		"$ROOT/tests/run.sh" sample_ >out 2>&1 && fail "a failed test must fail the run"
	expect_grep '^ok   test_sample/sample_passes$' out
	expect_grep '^FAIL test_sample/sample_fails$' out
	expect_grep '^skip test_sample/sample_skips: no such tool here$' out
	# Each case counts (run_case, tests/lib.sh), then the test; a case
	# runs under set -e and shows its own log.
	expect_grep '^ok   test_sample/sample_cases/one$' out
	expect_grep '^FAIL test_sample/sample_cases/two$' out
	expect_grep '^     \| before$' out
	expect_no_grep 'after' out
	expect_grep '^FAIL test_sample/sample_cases$' out
	expect_eq "2 passed, 3 failed, 1 skipped" "$(tail -n 1 out)" "summary"
	# TEST/CASE runs that case alone.
	UNITUNE_TEST_SYSTEM_DIR=$PWD/sample UNITUNE_TEST_WORKDIR=$PWD/work \
		"$ROOT/tests/run.sh" test_sample/sample_cases/one >out 2>&1 ||
		fail "case one alone: $(cat out)"
	expect_no_grep 'two' out
	expect_eq "2 passed, 0 failed, 0 skipped" "$(tail -n 1 out)" "summary of one case"
}

# What every verb shares (host/run_args.c): -h as --help, one --jobs
# check, and, for the verbs that boot, how QEMU's own words and the
# outcome are told.
test_verbs_share_help_jobs_and_qemu_report() {
	local v img
	for v in build run record report diff tune; do
		expect_eq 0 "$(run_status "$UNITUNE" "$v" -h)" "$v -h"
		mv out h.out
		"$UNITUNE" "$v" --help >help.out || fail "$v --help"
		# report's --help adds the experiment report's after the trace
		# report's; -h, parsed by the trace report, is its part.
		[ "$v" != report ] || head -c "$(wc -c <h.out)" help.out >help.out.1
		[ "$v" != report ] || mv help.out.1 help.out
		cmp -s h.out help.out || fail "$v -h is not $v --help"
		expect_grep "^Usage: unitune $v " h.out
	done
	expect_eq 2 "$(run_status "$UNITUNE" build --jobs 0 --app hello)" "build --jobs 0"
	expect_grep "^unitune build: --jobs '0' is not a number from 1 to 4096$" err
	expect_eq 2 "$(run_status "$UNITUNE" tune --jobs 65 x.yaml)" "tune --jobs 65"
	expect_grep "^unitune tune: --jobs '65' is not a number from 1 to 64$" err
	img=$(test_image hello)
	printf '#!/bin/sh\necho "qemu: no such board" >&2\nexit 1\n' >qemu-says
	chmod +x qemu-says
	for v in run "record -o t.uttr"; do
		# $v unquoted: record's -o FILE rides along.
		expect_eq 125 "$(run_status "$UNITUNE" $v -v --accel tcg \
			--qemu ./qemu-says "$img")" "$v -v with a failing QEMU"
		expect_grep "^unitune ${v%% *}: qemu said:$" err
		expect_grep '^qemu: no such board$' err
		expect_grep "^unitune ${v%% *}: qemu failed: " err
		# Without -v, the outcome alone.
		expect_eq 125 "$(run_status "$UNITUNE" $v --accel tcg \
			--qemu ./qemu-says "$img")" "$v with a failing QEMU"
		expect_no_grep 'qemu said' err
		expect_grep "^unitune ${v%% *}: qemu failed: " err
	done
}
