# SPDX-License-Identifier: BSD-3-Clause
# Booting images through `unitune run`: output, exit statuses, crashes,
# hangs, determinism and bad inputs.

test_hello_prints_and_exits_zero() {
	img=$(test_image hello)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img")" "exit status"
	expect_grep '^Hello from Unitune!$' out
	expect_grep '^argv\[0\] = "hello"$' out
	expect_grep '^\[uk\] boot: cycles=[0-9]+ ' out
	[ ! -s err ] || fail "stderr should be empty: $(cat err)"
}

test_app_arguments_arrive_unchanged() {
	img=$(test_image hello)
	"$UNITUNE" run --accel tcg "$img" -- 0 "two words" 'q"uote' 'back\slash' "" >out
	expect_grep '^argv\[1\] = "0"$' out
	expect_grep '^argv\[2\] = "two words"$' out
	expect_grep '^argv\[3\] = "q"uote"$' out
	expect_grep '^argv\[4\] = "back\\slash"$' out
	expect_grep '^argv\[5\] = ""$' out
}

# The guest's command-line limits (include/unitune/abi.h): up to each
# one everything arrives whole, one past it is refused before booting.
test_guest_argument_limits() {
	img=$(test_image hello)
	# 63 arguments after argv[0] arrive, 64 are refused.
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img" -- 0 $(seq 2 63))" "63 arguments"
	expect_grep '^argv\[63\] = "63"$' out
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg "$img" -- 0 $(seq 2 64))" "64 arguments"
	expect_grep 'too many application arguments: 64; the guest takes at most 63 \(UNITUNE_ARGC_MAX is 64.*argv\[64\] .64.' err
	# 32 variables, then one more.
	envs=()
	for i in $(seq 32); do envs+=(-e "V$i=$i"); done
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "${envs[@]}" "$img")" "32 variables"
	expect_grep '^env: V32=32$' out
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg "${envs[@]}" -e LAST=1 "$img")" "33 variables"
	expect_grep 'at most 32 \(UNITUNE_ENVC_MAX\); the first one over is .LAST=1.' err
	# The longest argument that fits arrives whole; one byte more is refused.
	# What the guest gets: /proc/self/fd/3 (QEMU's -kernel, whatever the
	# image's path) ' -- ' '0 ' ARG, and its NUL, in 4096.
	kernel=/proc/self/fd/3
	n=$((4096 - ${#kernel} - 1 - 4 - 2 - 1))
	long=$(head -c "$n" /dev/zero | tr '\0' x)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img" -- 0 "$long")" "longest argument"
	expect_grep "^argv\[2\] = \"$long\"\$" out
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg "$img" -- 0 "${long}x")" "one byte more"
	expect_grep "would be 4097 bytes, above the guest's limit of 4096 \(UNITUNE_CMDLINE_MAX.*argv\[2\], $((n + 1)) bytes" err
	expect_no_grep 'boot:' out
}

# A kernel word that is neither uk.PARAM nor NAME=VALUE would become
# argv[1] without a word.
test_bare_kernel_word_is_refused() {
	img=$(test_image hello)
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg -k foo "$img")" "-k foo"
	expect_grep "^unitune run: kernel option 'foo' is not uk.PARAM=VALUE: expected NAME=VALUE" err
	expect_no_grep 'argv\[1\]' out
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg -k 'A="x' "$img")" "unterminated quote"
	expect_grep 'unterminated quote' err
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg -k 'uk.loglevel=info A="x y"' "$img")" "good kernel words"
	expect_grep '^env: A=x y$' out
}

test_exit_status_passes_through() {
	img=$(test_image hello)
	# 124 is the last status the exit port carries directly, 125 the first
	# that goes through the console; 255 is the largest.
	for s in 1 3 42 124 125 200 255; do
		expect_eq "$s" "$(run_status "$UNITUNE" run --accel tcg "$img" -- "$s")" "status $s"
		[ ! -s err ] || fail "stderr for status $s: $(cat err)"
	done
}

test_null_dereference_crashes_with_backtrace() {
	img=$(test_image crash)
	# A page fault is what Linux reports as SIGSEGV: 128 + 11.
	expect_eq 139 "$(run_status "$UNITUNE" run --accel tcg "$img" -- null)" "exit status"
	expect_grep '^unitune run: .*crash.*page fault at 0x0 \(read, not present\) in crash_null_deref' err
	expect_eq 1 "$(wc -l <err)" "stderr lines"
	expect_grep '^\[uk\] registers:' out
	expect_grep '^  #0 0x[0-9a-f]+ crash_null_deref' out
	expect_grep '^  #1 0x[0-9a-f]+ main\+0x' out
	expect_grep '^  #2 0x[0-9a-f]+ enter_main\+0x' out
	# The host adds file:line from the image's DWARF: the faulting read,
	# and the call in main.
	src="$ROOT/unikernel/apps/crash/main.c"
	fault_line=$(grep -n 'return \*p;' "$src" | cut -d: -f1)
	call_line=$(grep -n 'return crash_null_deref(' "$src" | cut -d: -f1)
	expect_grep "^  #0 0x[0-9a-f]+ crash_null_deref[^ ]* at .*/apps/crash/main\.c:$fault_line\$" out
	expect_grep "^  #1 0x[0-9a-f]+ main\+0x[0-9a-f]+ at .*/apps/crash/main\.c:$call_line\$" out
}

# Each kind of crash exits with its own status (include/unitune/abi.h):
# 128 + the signal Linux would send, or a status of its own.
test_each_crash_kind_exits_its_status() {
	img=$(test_image crash)
	for m in divide:136:'divide error .* in crash_divide' \
		 ill:132:'invalid opcode .* in crash_ill' \
		 abort:134:'killed by signal 6 \(SIGABRT\)' \
		 smash:201:'stack smashing detected' \
		 doublefree:200:'.*double free'; do
		mode=${m%%:*} rest=${m#*:}
		expect_eq "${rest%%:*}" "$(run_status "$UNITUNE" run --accel tcg "$img" -- "$mode")" "$mode status"
		expect_grep "^unitune run: crashed: ${rest#*:}" err
		expect_grep "^\[uk\] crash status ${rest%%:*}\$" out
	done
}

test_abort_backtrace_reaches_main() {
	img=$(test_image crash)
	expect_eq 134 "$(run_status "$UNITUNE" run --accel tcg "$img" -- abort)" "status"
	# Through musl, which has no frame pointers: raise, abort, then the
	# application's main and the start-up that called it.
	expect_grep '^  #[0-9] 0x[0-9a-f]+ uk_sys_tkill\+0x' out
	expect_grep '^  #[0-9] 0x[0-9a-f]+ raise\+0x' out
	expect_grep '^  #[0-9] 0x[0-9a-f]+ abort\+0x' out
	expect_grep '^  #[0-9] 0x[0-9a-f]+ main(\.cold)?\+0x' out
	expect_grep '^  #[0-9] 0x[0-9a-f]+ enter_main\+0x' out
}

test_stack_smash_backtrace_ends_cleanly() {
	img=$(test_image crash)
	expect_eq 201 "$(run_status "$UNITUNE" run --accel tcg "$img" -- smash)" "status"
	expect_grep '^  #[0-9] 0x[0-9a-f]+ crash_smash' out
	# The overwritten frame record is named, not printed as a frame.
	expect_grep '^  \.\.\. \(stack corrupt above: 0x4141414141414141 is not a frame\)$' out
	expect_no_grep '^  #[0-9]+ 0x4141' out
	expect_no_grep '^  #[0-9]+ 0x[0-9a-f]+ \?$' out
}

test_unknown_crash_mode_is_a_usage_error() {
	img=$(test_image crash)
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg "$img" -- nul)" "status"
	expect_grep "^crash: unknown mode 'nul' \(modes: null divide abort smash ill doublefree\)$" out
	expect_no_grep 'crash' err
	expect_no_grep '^\[uk\] crash' out
}

test_spinning_guest_times_out() {
	img=$(test_image spin)
	expect_eq 124 "$(run_status "$UNITUNE" run --accel tcg --timeout 1.5 "$img")" "exit status"
	expect_grep '^unitune run: .*tim' err
	expect_grep '^spin: looping forever' out
}

test_deterministic_boot_cycles_repeat() {
	img=$(test_image hello)
	"$UNITUNE" run --deterministic "$img" >a
	"$UNITUNE" run --deterministic "$img" >b
	ca=$(sed -n 's/^\[uk\] boot: cycles=\([0-9]*\) .*/\1/p' a)
	cb=$(sed -n 's/^\[uk\] boot: cycles=\([0-9]*\) .*/\1/p' b)
	[ -n "$ca" ] || fail "no boot line in deterministic run"
	expect_eq "$ca" "$cb" "boot cycles of two deterministic runs"
	# The whole console is identical, TSC values included.
	cmp a b || fail "deterministic consoles differ"
}

# QEMU's multiboot loader puts the -kernel text at the front of the guest's
# command line, which the guest reads before main(): it must never vary.
test_deterministic_figures_ignore_path_cwd_and_environment() {
	img=$(test_image libcbench)
	long=$PWD/$(printf 'd%.0s' $(seq 70))/$(printf 'e%.0s' $(seq 70))/$(printf 'f%.0s' $(seq 40))
	mkdir -p "$long" elsewhere
	cp "$img" s
	cp "$img" "$long/libcbench.elf"
	[ "${#long}" -ge 200 ] || fail "long path has only ${#long} characters"
	"$UNITUNE" run -d s -- 1 >a
	(cd elsewhere && HOME=/nonexistent TMPDIR=$long LANG=C.UTF-8 \
		"$UNITUNE" run -d "$long/libcbench.elf" -- 1) >b
	expect_grep '^\[uk\] boot: cycles=[0-9]+ ' a
	expect_grep '^result: bench=libc pattern=qsort .* cycles=[0-9]+ ' a
	# The whole console is identical: boot cycles, TSC values, results.
	cmp a b || fail "a short and a $((${#long} + 14))-character path give different consoles: $(diff a b)"
}

test_missing_image_is_an_error() {
	expect_eq 126 "$(run_status "$UNITUNE" run --accel tcg ./no-such.elf)" "exit status"
	expect_grep 'no-such.elf' err
	echo "not an image" >junk.elf
	expect_eq 126 "$(run_status "$UNITUNE" run --accel tcg junk.elf)" "exit status for junk"
	expect_grep 'junk.elf' err
}

# What QEMU would fail on (125) or boot wrongly is refused before it
# starts (126), with the reason.
test_unbootable_images_are_refused_before_qemu() {
	img=$(test_image hello)
	head -c 3000 "$img" >cut.elf
	expect_eq 126 "$(run_status "$UNITUNE" run --accel tcg cut.elf)" "truncated image"
	expect_grep '^unitune run: bad image: cut.elf is truncated' err
	expect_eq 126 "$(run_status "$UNITUNE" run --accel tcg /bin/ls)" "a program"
	expect_grep '/bin/ls is not an executable ELF' err
	# The same image marked for AArch64 (e_machine 183 at offset 18).
	cp "$img" arm.elf
	printf '\267\000' | dd of=arm.elf bs=1 seek=18 conv=notrunc 2>/dev/null
	expect_eq 126 "$(run_status "$UNITUNE" run --accel tcg arm.elf)" "another machine"
	expect_grep 'arm.elf is an ELF for another machine .*e_machine 183' err
	expect_no_grep 'Hello' out
}

test_qemu_missing_or_failing() {
	img=$(test_image hello)
	expect_eq 127 "$(run_status env UNITUNE_QEMU=/nonexistent/qemu-system-x86_64 "$UNITUNE" run --accel tcg "$img")" "missing QEMU"
	expect_grep 'deps.sh|apt-get install qemu-system-x86' err
	expect_eq 125 "$(run_status env UNITUNE_QEMU=/bin/false "$UNITUNE" run --accel tcg "$img")" "failing QEMU"
	expect_grep '^unitune run: .*qemu' err
}

test_memory_too_small() {
	img=$(test_image hello)
	# Below the image's own end: refused before QEMU starts.
	expect_eq 126 "$(run_status "$UNITUNE" run --accel tcg --mem 1M "$img")" "tiny --mem"
	expect_grep 'does not fit in 1024 KiB.*raise --mem' err
	# Room for the image but not its stack and heap: the guest says so.
	end_kib=$(( (0x$(nm "$img" | awk '$3 == "_end" { print $1 }') + 1023) / 1024 ))
	# Out of memory is what Linux's OOM killer does: SIGKILL, 128 + 9.
	expect_eq 137 "$(run_status "$UNITUNE" run --accel tcg --mem "$((end_kib + 32))K" "$img")" "small --mem"
	expect_grep 'out of memory: .*give the guest more memory' err
}

test_bad_run_options() {
	img=$(test_image hello)
	expect_eq 2 "$(run_status "$UNITUNE" run --mem lots "$img")" "--mem lots"
	expect_grep 'lots' err
	expect_eq 2 "$(run_status "$UNITUNE" run --mem 1T "$img")" "--mem 1T"
	expect_grep "^unitune run: --mem '1T' is above the maximum of 4G \(the guest maps only the low 4 GiB" err
	expect_eq 2 "$(run_status "$UNITUNE" record --mem 5G "$img")" "record --mem 5G"
	expect_grep "^unitune record: --mem '5G' is above the maximum of 4G" err
	expect_eq 2 "$(run_status "$UNITUNE" run --timeout -1 "$img")" "--timeout -1"
	expect_eq 2 "$(run_status "$UNITUNE" run --accel warp "$img")" "--accel warp"
	expect_grep 'warp' err
	expect_eq 2 "$(run_status "$UNITUNE" run --accel kvm --deterministic "$img")" "kvm+deterministic"
	expect_eq 2 "$(run_status "$UNITUNE" run --idle real "$img")" "--idle without --deterministic"
	expect_grep "^unitune run: --idle real needs --deterministic" err
	expect_eq 2 "$(run_status "$UNITUNE" run -d --idle never "$img")" "--idle never"
	expect_grep "^unitune run: --idle 'never' is not skip or real$" err
}

test_accel_auto_runs_and_says_why() {
	img=$(test_image hello)
	expect_eq 0 "$(run_status "$UNITUNE" run -v --accel auto "$img")" "exit status"
	expect_grep 'accel.*(tcg|kvm)' err
}

test_run_json_reports_outcome_boot_and_metrics() {
	img=$(test_image allocbench)
	expect_eq 0 "$(run_status "$UNITUNE" run --deterministic --json "$img")" "exit status"
	# The console goes to stderr, the document alone to stdout.
	expect_grep '^result: bench=alloc pattern=small ' err
	python3 - out err <<'PY' || fail "run --json: $(cat out)"
import json, re, sys
d = json.load(open(sys.argv[1]))
console = open(sys.argv[2]).read()
assert d["outcome"] == "exited" and d["exit_status"] == 0 and d["app_status"] == 0
assert d["reason"] is None and d["clock"] == "deterministic" and d["accel"] == "tcg"
boot = re.search(r"^\[uk\] boot: cycles=(\d+) ", console, re.M)
assert d["boot"]["cycles"] == int(boot.group(1)) > 0, d["boot"]
lines = re.findall(r"^result: bench=alloc pattern=(\w+) (.*)$", console, re.M)
assert [r["pattern"] for r in d["results"]] == [p for p, _ in lines] and lines
units = {"ops": "", "cycles": "cycles", "cycles_per_op": "cycles/op", "peak_heap": "B"}
for r, (pattern, fields) in zip(d["results"], lines):
    assert r["bench"] == "alloc" and r["failed"] is None
    got = {m["metric"]: (m["value"], m["unit"]) for m in r["metrics"]}
    for kv in fields.split():
        k, v = kv.split("=")
        assert got["alloc.%s.%s" % (pattern, k)] == (float(v), units[k]), (k, got)
    assert len(got) == len(fields.split())
PY
	img=$(test_image crash)
	expect_eq 139 "$(run_status "$UNITUNE" run --accel tcg --json "$img" -- null)" "crash status"
	python3 - out <<'PY' || fail "run --json of a crash: $(cat out)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["outcome"] == "crashed" and d["exit_status"] == 139 and d["app_status"] is None
assert "page fault" in d["reason"] and d["clock"] == "wall" and d["results"] == []
PY
	# A usage error prints no document.
	expect_eq 2 "$(run_status "$UNITUNE" run --json --mem 0 "$img")" "usage status"
	[ ! -s out ] || fail "usage error printed on stdout: $(cat out)"
}
