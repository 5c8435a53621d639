# SPDX-License-Identifier: BSD-3-Clause
# Helpers for tests/system/*.sh. Every check prints what it expected and
# what it saw, so a failing log explains itself.

UNITUNE="$ROOT/bin/unitune"
TEST_IMAGES="$ROOT/build/test/images"

# Path of APP's image, built once per test run with its defconfig; with
# a VARIANT name and build options (--set ...), in images/APP-VARIANT.
test_image() { # app [variant option...]
	local app=$1 dir="$TEST_IMAGES/$1${2:+-$2}"
	shift $(($# > 1 ? 2 : 1))
	if [ ! -f "$dir/.built" ]; then
		mkdir -p "$TEST_IMAGES"
		"$UNITUNE" build --app "$app" -o "$dir" "$@" >"$dir.log" 2>&1 || {
			cat "$dir.log" >&2
			return 1
		}
		touch "$dir/.built"
	fi
	echo "$dir/$app.elf"
}

# The four network modes every network test runs in (issue 11): lwIP's
# integration, rtc (run to completion: no scheduler, CONFIG_LWIP_RTC) or
# threaded (the cooperative scheduler and lwIP's tcpip thread,
# CONFIG_LWIP_THREADED), times the device's wake-up, irq (interrupts,
# CONFIG_UKNETDEV_IRQ) or poll (CONFIG_UKNETDEV_POLL).
NET_MODES="rtc_irq rtc_poll threaded_irq threaded_poll"

# Path of APP's image in network MODE (one of NET_MODES), in
# images/APP-MODE; with a SUFFIX and more build options, another image
# (images/APP-MODE-SUFFIX). Fails unless the resolved .config is in MODE.
net_mode_image() { # app mode [suffix option...]
	local app=$1 integ=${2%_*} wake=${2#*_} sched lwip img sym
	case "$2" in
	rtc_irq | rtc_poll) sched=NONE lwip=RTC ;;
	threaded_irq | threaded_poll) sched=COOP lwip=THREADED ;;
	*) fail "network mode '$2' is not one of: $NET_MODES"; return 1 ;;
	esac
	wake=$(echo "$wake" | tr a-z A-Z)
	img=$(test_image "$app" "$2${3:+-$3}" --set "CONFIG_UKSCHED_$sched=y" \
		--set "CONFIG_LWIP_$lwip=y" --set "CONFIG_UKNETDEV_$wake=y" "${@:4}") || {
		fail "the $app image in mode $2${3:+ ($3)} did not build"
		return 1
	}
	for sym in "UKSCHED_$sched" "LWIP_$lwip" "UKNETDEV_$wake"; do
		grep -q "^CONFIG_$sym=y\$" "$(dirname "$img")/.config" || {
			fail "$img: CONFIG_$sym is not set: not in mode $2 (${integ}, $wake)"
			return 1
		}
	done
	echo "$img"
}

# run_case NAME COMMAND...: one case of a test that runs many (against
# one booted server, say), counted by tests/run.sh as a test of its own,
# TEST/NAME. COMMAND runs in a subshell with set -e, in folder NAME, its
# output in NAME.log; a "[case] NAME: ok" or "[case] NAME: FAIL LOG" line
# tells run.sh. It returns 0 either way, so that the test goes on to its
# next case (a caller under set -e could not run the case with set -e in
# effect otherwise: bash ignores it in a tested command); the failures
# are counted in RUN_CASE_FAILED, which run_cases_passed checks at the
# end. With a filter naming the test and a case (tests/run.sh
# TEST/CASE), only the cases whose name contains CASE run.
RUN_CASE_FAILED=0
run_case() { # name command...
	local name=$1 rc errexit=
	shift
	[[ $name == *"${UNITUNE_TEST_CASE_FILTER:-}"* ]] || return 0
	mkdir -p "$name"
	[[ $- == *e* ]] && errexit=1
	set +e
	(cd "$name" && set -e && "$@") >"$name.log" 2>&1
	rc=$?
	[ -z "$errexit" ] || set -e
	if [ "$rc" = 0 ]; then
		echo "[case] $name: ok"
	else
		echo "[case] $name: FAIL $PWD/$name.log"
		RUN_CASE_FAILED=$((RUN_CASE_FAILED + 1))
	fi
	return 0
}

# The status of a test made of cases: 0 when none failed.
run_cases_passed() {
	[ "$RUN_CASE_FAILED" = 0 ] || fail "$RUN_CASE_FAILED case(s) failed"
}

fail() {
	echo "check failed: $*" >&2
	return 1
}

expect_eq() { # expected actual what
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

expect_grep() { # pattern file
	grep -qE -- "$1" "$2" || {
		echo "--- $2:" >&2
		tail -n 20 "$2" >&2
		fail "no line matching '$1' in $2"
	}
}

expect_no_grep() { # pattern file
	! grep -qE -- "$1" "$2" || fail "unexpected line matching '$1' in $2"
}

# A port of 127.0.0.1 that was free a moment ago (a server started on it
# may still lose it to another program: retry a few times).
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Wait (up to about 10 s) until URL answers 2xx while PID runs; status 1
# when PID ended or the time ran out.
wait_http_ready() { # url pid
	for _ in $(seq 100); do
		curl -fsS --noproxy '*' -o /dev/null "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# run_status CMD...: run, keep stdout in out, stderr in err, echo status.
run_status() {
	"$@" >out 2>err
	echo $?
}

# A results database DB (default synth.db) holding experiment "deps",
# written with sqlite3 alone (no sweep): a choice of allocator, a TLSF
# parameter that only applies with TLSF, and a stack size. v1 and v2 use
# REGION, so kconfig dropped their TLSF_SL_LOG2 (dead by dependency); v2
# asked for a 64 KiB stack and got 128 (a surprising change); v5 crashed.
#
#   id  backend  sl_log2  stack    status   boot_cycles      image_size
#   1   REGION   2 (-)    16       done     1000             5000
#   2   REGION   2 (-)    64->128  done     900              5100
#   3   TLSF     2        16       done     1190, 1210       6000
#   4   TLSF     4        64       done     800              6500
#   5   TLSF     4        16       crashed  -                -
# One row of synth_experiment's variants: ID, the allocator asked for
# (REGION or TLSF), TLSF_SL_LOG2, the stack asked for and the one
# resolved, the status, and the log tail as SQL (default NULL). Resolved
# as kconfig would: TLSF_SL_LOG2 only under TLSF.
synth_variant() { # id backend sl_log2 stack resolved_stack status [log]
	local req res
	req="CONFIG_UKALLOC_$2=y
CONFIG_UKALLOC_TLSF_SL_LOG2=$3
CONFIG_UKBOOT_STACK_KB=$4
"
	if [ "$2" = REGION ]; then
		res="CONFIG_UKALLOC_REGION=y
# CONFIG_UKALLOC_TLSF is not set
"
	else
		res="# CONFIG_UKALLOC_REGION is not set
CONFIG_UKALLOC_TLSF=y
CONFIG_UKALLOC_TLSF_SL_LOG2=$3
"
	fi
	res="${res}CONFIG_UKBOOT_STACK_KB=$5
"
	printf "(%s, 1, 'h%s', '%s', '%s', '%s', %s)" "$1" "$1" "$req" "$res" "$6" "${7:-NULL}"
}

synth_experiment() { # [db]
	local db=${1:-synth.db} n
	n=$(grep -c '^-- migration:' "$ROOT/tuner/schema.sql")
	{
		cat "$ROOT/tuner/schema.sql"
		cat <<SQL
PRAGMA user_version = $n;
INSERT INTO experiments (id, name, space_path, space_text, status)
VALUES (1, 'deps', 'spaces/deps.yaml', 'name: deps
app: hello
options:
  - symbol: CONFIG_UKALLOC_BACKEND
    type: choice
    values: [CONFIG_UKALLOC_REGION, CONFIG_UKALLOC_TLSF]
  - symbol: CONFIG_UKALLOC_TLSF_SL_LOG2
    type: int
    values: [2, 4]
  - symbol: CONFIG_UKBOOT_STACK_KB
    type: int
    values: [16, 64]
objectives:
  - {metric: boot_cycles, goal: minimize}
  - {metric: image_size, goal: minimize}
', 'done');
INSERT INTO environment (experiment_id, git_commit, host, qemu_version, cpu_model)
VALUES (1, 'abc123', 'testhost', 'QEMU emulator version 7.2.0', 'Test "CPU", 2 GHz');
INSERT INTO variants (id, experiment_id, config_hash, requested, resolved, status, log_tail) VALUES
$(synth_variant 1 REGION 2 16 16 done),
$(synth_variant 2 REGION 2 64 128 done),
$(synth_variant 3 TLSF 2 16 16 done),
$(synth_variant 4 TLSF 4 64 64 done),
$(synth_variant 5 TLSF 4 16 16 crashed "'panic: \"page fault\", at 0x10
---
booting'");
INSERT INTO runs (variant_id, metric, value, unit, repetition, kind, accelerator) VALUES
(1, 'boot_cycles', 1000, 'cycles', 0, 'deterministic', 'tcg'),
(1, 'image_size', 5000, 'bytes', 0, 'deterministic', 'tcg'),
(2, 'boot_cycles', 900, 'cycles', 0, 'deterministic', 'tcg'),
(2, 'image_size', 5100, 'bytes', 0, 'deterministic', 'tcg'),
(3, 'boot_cycles', 1190, 'cycles', 0, 'deterministic', 'tcg'),
(3, 'boot_cycles', 1210, 'cycles', 1, 'deterministic', 'tcg'),
(3, 'image_size', 6000, 'bytes', 0, 'deterministic', 'tcg'),
(4, 'boot_cycles', 800, 'cycles', 0, 'deterministic', 'tcg'),
(4, 'image_size', 6500, 'bytes', 0, 'deterministic', 'tcg');
DELETE FROM points;
INSERT INTO points (experiment_id, requested, variant_id)
	SELECT experiment_id, requested, id FROM variants ORDER BY id;
SQL
	} | sqlite3 "$db"
}

# A database DB (default grid.db) with experiment "grid": 8 options, a
# 512-point grid, one variant per point (ids 1..512), all done, with
# boot_cycles and image_size worked out from the options. Three options
# apply only under another: TLSF_SL_LOG2 (needs TLSF), the trace buffer
# and the allocator's trace points (need UKTRACE); where that is off,
# the resolved config leaves them out, as kconfig does. With "random" as
# second argument, experiment "grid-random" (id 2) holds the same space
# searched by random (seed 7): the same results proposed in another
# order, variants 1001..1512.
synth_grid_experiment() { # [db] [random]
	local db=${1:-grid.db} n
	n=$(grep -c '^-- migration:' "$ROOT/tuner/schema.sql")
	{
		cat "$ROOT/tuner/schema.sql"
		echo "PRAGMA user_version = $n;"
		echo "BEGIN;"
		awk -v random="${2:-}" '
		function space(strategy) {
			return "name: grid\napp: hello\n" strategy "options:\n" \
			"  - {symbol: CONFIG_UKALLOC_BACKEND, type: choice, values: [CONFIG_UKALLOC_REGION, CONFIG_UKALLOC_TLSF]}\n" \
			"  - {symbol: CONFIG_UKALLOC_TLSF_SL_LOG2, type: int, values: [2, 3, 4, 5]}\n" \
			"  - {symbol: CONFIG_UKBOOT_STACK_KB, type: int, values: [16, 64]}\n" \
			"  - {symbol: CONFIG_UKBOOT_BANNER, type: bool}\n" \
			"  - {symbol: CONFIG_UKTRACE, type: bool}\n" \
			"  - {symbol: CONFIG_UKTRACE_BUFFER_KB, type: int, values: [1, 64]}\n" \
			"  - {symbol: CONFIG_UKALLOC_TRACEPOINTS, type: bool}\n" \
			"  - {symbol: CONFIG_UKDEBUG_BACKTRACE_DEPTH, type: int, values: [16, 64]}\n" \
			"objectives:\n  - {metric: boot_cycles, goal: minimize}\n" \
			"  - {metric: image_size, goal: minimize}\n"
		}
		function yn(b, sym) { return b ? "CONFIG_" sym "=y\n" : "# CONFIG_" sym " is not set\n" }
		BEGIN {
			printf "INSERT INTO experiments (id, name, space_path, space_text, status) VALUES (1, %cgrid%c, %cgrid.yaml%c, %c%s%c, %cdone%c);\n", 39, 39, 39, 39, 39, space(""), 39, 39, 39
			if (random)
				printf "INSERT INTO experiments (id, name, space_path, space_text, status) VALUES (2, %cgrid-random%c, %cgrid.yaml%c, %c%s%c, %cdone%c);\n", 39, 39, 39, 39, 39, space("strategy: {name: random, seed: 7}\n"), 39, 39, 39
			id = 0
			for (tlsf = 0; tlsf < 2; tlsf++) for (sl = 2; sl <= 5; sl++)
			for (st = 0; st < 2; st++) for (ban = 0; ban < 2; ban++)
			for (tr = 0; tr < 2; tr++) for (buf = 0; buf < 2; buf++)
			for (tp = 0; tp < 2; tp++) for (ma = 0; ma < 2; ma++) {
				id++
				common = "CONFIG_UKBOOT_STACK_KB=" (st ? 64 : 16) "\n" yn(ban, "UKBOOT_BANNER") yn(tr, "UKTRACE")
				req = "CONFIG_UKALLOC_" (tlsf ? "TLSF" : "REGION") "=y\nCONFIG_UKALLOC_TLSF_SL_LOG2=" sl "\n" common \
				      "CONFIG_UKTRACE_BUFFER_KB=" (buf ? 64 : 1) "\n" yn(tp, "UKALLOC_TRACEPOINTS") "CONFIG_UKDEBUG_BACKTRACE_DEPTH=" (ma ? 64 : 16) "\n"
				res = yn(!tlsf, "UKALLOC_REGION") yn(tlsf, "UKALLOC_TLSF") (tlsf ? "CONFIG_UKALLOC_TLSF_SL_LOG2=" sl "\n" : "") common \
				      (tr ? "CONFIG_UKTRACE_BUFFER_KB=" (buf ? 64 : 1) "\n" yn(tp, "UKALLOC_TRACEPOINTS") : "") "CONFIG_UKDEBUG_BACKTRACE_DEPTH=" (ma ? 64 : 16) "\n"
				boot = 100000 + (tlsf ? 900 * sl : 4000) + 300 * st + 2500 * ban + 5000 * tr + 40 * buf * tr + 700 * tp * tr + 10 * ma
				size = 60000 + (tlsf ? 8000 : 2000) + 1500 * ban + 12000 * tr + 64 * 1024 * buf * tr / 64 + 900 * tp * tr
				for (e = 1; e <= (random ? 2 : 1); e++) {
					vid = (e - 1) * 1000 + id
					printf "INSERT INTO variants (id, experiment_id, config_hash, requested, resolved, status) VALUES (%d, %d, %ch%d%c, %c%s%c, %c%s%c, %cdone%c);\n", vid, e, 39, id, 39, 39, req, 39, 39, res, 39, 39, 39
					printf "INSERT INTO runs (variant_id, metric, value, unit, repetition, kind, accelerator) VALUES (%d, %cboot_cycles%c, %d, %ccycles%c, 0, %cdeterministic%c, %ctcg%c), (%d, %cimage_size%c, %d, %cbytes%c, 0, %cdeterministic%c, %ctcg%c);\n", vid, 39, 39, boot, 39, 39, 39, 39, 39, 39, vid, 39, 39, size, 39, 39, 39, 39, 39, 39
				}
			}
		}'
		echo "DELETE FROM points;"
		echo "INSERT INTO points (experiment_id, requested, variant_id) SELECT experiment_id, requested, id FROM variants WHERE experiment_id = 1 ORDER BY id;"
		echo "INSERT INTO points (experiment_id, requested, variant_id) SELECT experiment_id, requested, id FROM variants WHERE experiment_id = 2 ORDER BY (id * 7919) % 512;"
		echo "COMMIT;"
	} | sqlite3 "$db"
}

# skip REASON: this test cannot run here (a missing tool, say). It ends the
# test with status 77, which tests/run.sh counts as skipped, not passed.
# Never use it for a setup step that should have worked: that is a failure.
skip() {
	echo "skip: $*" >&2
	exit 77
}
