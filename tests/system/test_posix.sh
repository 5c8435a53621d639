# SPDX-License-Identifier: BSD-3-Clause
# Unmodified POSIX C on musl: the syscall shim, the allocators behind
# malloc, the in-guest benchmarks and their result lines.

test_hello_printf_argv_env_status() {
	img=$(test_image hello)
	expect_eq 5 "$(run_status "$UNITUNE" run --accel tcg -e HOME=/root -e 'MOTTO=two words' "$img" -- 5 x)" "status"
	expect_grep '^Hello from Unitune!$' out
	expect_grep '^argv\[1\] = "5"$' out
	expect_grep '^argv\[2\] = "x"$' out
	expect_grep '^env: HOME=/root$' out
	expect_grep '^env: MOTTO=two words$' out
	expect_eq 2 "$(run_status "$UNITUNE" run -e 9=x "$img")" "bad --env"
	expect_grep "'9=x'" err
}

test_libc_needs_are_met_and_enosys_is_named() {
	img=$(test_image sysprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img")" "failed probes"
	expect_no_grep '^probe: .*FAIL' out
	[ "$(grep -c '^probe: .*: ok$' out)" -ge 16 ] || fail "expected at least 16 probes ok: $(grep -c ': ok$' out)"
	expect_grep '^probe: enosys: ok$' out
	expect_grep '^probe: tls_template: ok$' out
	# An over-aligned .tbss after a small .tdata (the block holds the
	# padding between them).
	expect_grep '^probe: tls_align: ok$' out
	expect_grep '^probe: tls_align_apart: ok$' out
	expect_grep '^probe: munmap_part: ok$' out
	expect_grep '^probe: umask: ok$' out
	expect_grep '^probe: times: ok$' out
	expect_grep '^\[uk\] syscalls not implemented: pipe \(1\)$' out
}

test_syscall_trace_option() {
	"$UNITUNE" build --app hello -o tr --set CONFIG_UKSYSCALL_TRACE=y >/dev/null 2>&1
	"$UNITUNE" run --accel tcg tr/hello.elf >out
	expect_grep '^\[uk\] syscall arch_prctl\(0x1002, ' out
	expect_grep '^\[uk\] syscall writev\(0x1, ' out
	expect_grep '^\[uk\] syscall exit_group\(0x0, ' out
}

test_app_with_its_own_malloc_links_and_uses_it() {
	img=$(test_image ownmalloc)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img")" "failed checks"
	expect_grep '^ownmalloc: strdup_uses_app_malloc: ok$' out
	expect_grep '^ownmalloc: getline_uses_app_realloc: ok$' out
	expect_grep '^ownmalloc: [1-9][0-9]* mallocs, [1-9][0-9]* frees' out
}

# One result line per pattern, all four patterns, the documented fields.
check_result_lines() { # bench file
	for p in "${@:3}"; do
		expect_grep "^result: bench=$1 pattern=$p ops=[0-9]+ cycles=[0-9]+ cycles_per_op=[0-9]+\.[0-9]{2} peak_heap=[0-9]+$" "$2"
	done
}

test_allocators_run_allocbench_and_differ() {
	for a in REGION BUDDY TLSF; do
		"$UNITUNE" build --app allocbench -o "ab-$a" --set "CONFIG_UKALLOC_$a=y" >/dev/null 2>&1
		expect_eq 0 "$(run_status "$UNITUNE" run --deterministic --mem 256M --timeout 120 "ab-$a/allocbench.elf")" "allocbench on $a"
		check_result_lines alloc out small mixed larson realloc
		sed -n 's/^result: bench=alloc pattern=small .*cycles_per_op=\([0-9.]*\) .*/\1/p' out >"small-$a"
	done
	# The allocators are different code: the same pattern must cost
	# differently on each (deterministic cycles, so no noise).
	[ "$(sort -u small-REGION small-BUDDY small-TLSF | wc -l)" = 3 ] ||
		fail "small-object cost identical across allocators: $(cat small-REGION small-BUDDY small-TLSF)"
	# The region allocator never frees: with little memory it runs dry,
	# and says so per pattern instead of crashing.
	expect_eq 3 "$(run_status "$UNITUNE" run --deterministic --mem 32M --timeout 120 ab-REGION/allocbench.elf)" "region in 32M"
	expect_grep '^result: bench=alloc pattern=mixed failed=out_of_memory ops=[0-9]+$' out
}

test_libcbench_result_lines() {
	img=$(test_image libcbench)
	expect_eq 0 "$(run_status "$UNITUNE" run --deterministic --timeout 120 "$img")" "status"
	check_result_lines libc out qsort snprintf strtod string
}

test_out_of_memory_is_null_and_enomem() {
	# sysprobe asks for 64 TiB: NULL with ENOMEM, and the guest lives on.
	img=$(test_image sysprobe)
	"$UNITUNE" run --accel tcg "$img" >out || true
	expect_grep '^probe: malloc_enomem: ok$' out
}

test_syscallbench_result_lines() {
	img=$(test_image syscallbench)
	expect_eq 0 "$(run_status "$UNITUNE" run --deterministic "$img")" "status"
	check_result_lines syscall out function_call syscall_raw syscall_libc
	# A syscall round trip must cost more than a plain call, and the
	# deterministic counts must repeat.
	call=$(sed -n 's/.*pattern=function_call .*cycles=\([0-9]*\) .*/\1/p' out)
	sys=$(sed -n 's/.*pattern=syscall_raw .*cycles=\([0-9]*\) .*/\1/p' out)
	[ "$sys" -gt "$call" ] || fail "syscall ($sys) not dearer than a call ($call)"
	"$UNITUNE" run --deterministic "$img" >again
	diff <(grep ^result out) <(grep ^result again) || fail "deterministic results differ"
}
