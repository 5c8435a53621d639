#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tests/run.sh [FILTER]   run every test, or those whose name contains FILTER
#                          (TEST/CASE: the cases of TEST whose name contains CASE)
#
# Three kinds, one summary: the host unit tests (cmocka, under ASan and
# UBSan), the guest tests (compiled into the selftest image, reported by the
# guest as "[uktest]" lines), and system tests (tests/system/test_*.sh:
# every shell function named test_* runs in its own subshell with set -e;
# one that runs cases with run_case, tests/lib.sh, also counts each case).
# A test that cannot run here says why and exits 77 (skip in tests/lib.sh;
# cmocka's skip() for unit tests): it is counted as skipped, never as
# passed. The last line is "N passed, N failed, N skipped".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
cd "$ROOT" || exit 1
FILTER=${1:-}
# Where the system tests and the logs are: overridden only by run.sh's own
# test (test_cli.sh), which runs it on a folder of sample tests.
SYSTEM_DIR=${UNITUNE_TEST_SYSTEM_DIR:-$ROOT/tests/system}
WORKDIR=${UNITUNE_TEST_WORKDIR:-$ROOT/build/test}
LOGDIR=$WORKDIR/logs
rm -rf "$LOGDIR"
# Images are rebuilt (incrementally) once per run, never reused stale.
[ -n "${UNITUNE_TEST_SYSTEM_DIR:-}" ] || rm -f "$ROOT"/build/test/images/*/.built
mkdir -p "$LOGDIR"

passed=0
failed=0
skipped=0
failures=()

# The status a test exits with to say it could not run here (automake's).
SKIP_STATUS=77

record() { # name rc [logfile]
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "ok   $1"
	elif [ "$2" = "$SKIP_STATUS" ]; then
		skipped=$((skipped + 1))
		echo "skip $1${3:+: $(grep -m1 '^skip: ' "$3" 2>/dev/null | cut -c7-)}"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "FAIL $1"
		[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/     | /' "$3" | tail -n 25
	fi
}

selected() { [ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]; }

# --- host unit tests -------------------------------------------------------
if selected unit; then
	log=$LOGDIR/unit.log
	make --no-print-directory unit-test >"$log" 2>&1
	rc=$?
	# cmocka's totals: "[  PASSED  ] 9 test(s)." (the per-test lines
	# that name a test have no number).
	cmocka_total() { # label
		grep -ho "^\\[  $1 *\\] [0-9][0-9]* test" "$log" |
			awk '{s += $(NF - 1)} END {print s + 0}'
	}
	n_pass=$(cmocka_total PASSED)
	n_fail=$(cmocka_total FAILED)
	n_skip=$(cmocka_total SKIPPED)
	echo "unit: $n_pass passed, $n_fail failed, $n_skip skipped (cmocka, ASan+UBSan; log $log)"
	passed=$((passed + n_pass))
	failed=$((failed + n_fail))
	skipped=$((skipped + n_skip))
	# A build or sanitizer failure counts even when cmocka printed no FAILED.
	if [ "$rc" != 0 ] && [ "$n_fail" = 0 ]; then
		record "unit-test build or sanitizer run" "$rc" "$log"
	fi
fi

# --- fuzz targets ----------------------------------------------------------
# Every libFuzzer target is built (so none can rot) and replays its seeds
# once: each seed file is one test. libFuzzer prints "Executed FILE" after
# each input it ran through; a crash stops it, and the inputs it never
# reached fail too.
if selected fuzz; then
	log=$LOGDIR/fuzz-build.log
	make --no-print-directory fuzz-build >"$log" 2>&1
	record "fuzz: every target builds" $? "$log"
	while read -r target seeds; do
		[ -x "build/fuzz/$target" ] || continue
		log=$LOGDIR/fuzz-$target.log
		# shellcheck disable=SC2086
		"build/fuzz/$target" $seeds >"$log" 2>&1
		for seed in $seeds; do
			grep -q "^Executed $seed in [0-9]* ms$" "$log"
			record "fuzz/$target/$seed" $? "$log"
		done
		[ -n "$seeds" ] || record "fuzz/$target: has seeds" 1 "$log"
	done < <(make --no-print-directory -s fuzz-seeds)
fi

# --- system and guest tests ------------------------------------------------
# shellcheck source=tests/lib.sh
. "$ROOT/tests/lib.sh"

for file in "$SYSTEM_DIR"/test_*.sh; do
	# shellcheck disable=SC1090
	. "$file"
	for fn in $(grep -o '^test_[a-z0-9_]*' "$file"); do
		name="$(basename "$file" .sh)/${fn#test_}"
		# A filter TEST/CASE runs TEST with only the cases (run_case,
		# tests/lib.sh) whose name contains CASE.
		UNITUNE_TEST_CASE_FILTER=
		if [[ -n $FILTER && $FILTER == "$name/"* ]]; then
			UNITUNE_TEST_CASE_FILTER=${FILTER#"$name/"}
		else
			selected "$name" || continue
		fi
		export UNITUNE_TEST_CASE_FILTER
		log=$LOGDIR/${name//\//.}.log
		T=$(mktemp -d "$WORKDIR/tmp.XXXXXX")
		started=$SECONDS
		(cd "$T" && set -e && "$fn") >"$log" 2>&1
		rc=$?
		# Where the suite's time goes (it must stay under 30 minutes).
		echo "$((SECONDS - started)) $name" >>"$LOGDIR/durations"
		# Each case it ran counts as a test: "[case] NAME: ok" or
		# "[case] NAME: FAIL LOG" (run_case); then the test itself.
		while IFS= read -r line; do
			line=${line#\[case\] }
			case "$line" in
			*": ok") record "$name/${line%: ok}" 0 ;;
			*": FAIL "*) record "$name/${line%%: FAIL *}" 1 "${line#*: FAIL }" ;;
			esac
		done < <(grep '^\[case\] [A-Za-z0-9_.-]*: ' "$log")
		record "$name" "$rc" "$log"
		# A failed test's folder stays, to look into.
		[ "$rc" = 0 ] || [ "$rc" = "$SKIP_STATUS" ] && rm -rf "$T"
		unset -f "$fn"
	done
done

# Guest tests count one by one: the selftest image reports each case. It
# runs twice: with its defconfig (cooperative scheduler) and with the
# run-to-completion scheduler, whose sleep path differs.
run_guest_tests() { # label image-dir [--set ...]
	local label=$1 dir=$2 log=$LOGDIR/guest-$1.log
	shift 2
	if ! "$UNITUNE" build --app selftest -o "$dir" "$@" >"$log.build" 2>&1; then
		record "$label: selftest image builds" 1 "$log.build"
		return
	fi
	local started=$SECONDS
	"$UNITUNE" run --accel tcg --timeout 300 "$dir/selftest.elf" >"$log" 2>&1
	local rc=$? line name
	echo "$((SECONDS - started)) $label" >>"$LOGDIR/durations"
	while IFS= read -r line; do
		name=${line#\[uktest\] }
		case "$line" in
		*": ok") record "$label/${name%: ok}" 0 ;;
		*": FAIL "*) record "$label/${name%%: FAIL *}" 1 ;;
		esac
	done < <(grep '^\[uktest\] [a-z0-9_]*\.[a-z0-9_]*: ' "$log")
	grep -q '^\[uktest\] summary: [0-9]* passed, 0 failed' "$log" && [ "$rc" = 0 ]
	record "$label: selftest summary and exit status" $? "$log"
}
if selected guest; then
	run_guest_tests guest "$TEST_IMAGES/selftest"
	run_guest_tests guest-none "$TEST_IMAGES/selftest-none" --set CONFIG_UKSCHED_NONE=y
fi

if [ "${#failures[@]}" -gt 0 ]; then
	echo
	echo "failed:"
	printf '  %s\n' "${failures[@]}"
	echo "logs: $LOGDIR"
fi
echo
[ -f "$LOGDIR/durations" ] &&
	echo "slowest (seconds): $(sort -rn "$LOGDIR/durations" | head -n 5 | tr '\n' ' ')"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
