# SPDX-License-Identifier: BSD-3-Clause
# Files (lib/ukvfs) through musl's own wrappers: the fsprobe app (stdio,
# directories, rename, an unlinked open file, locks, /dev, /etc parsed by
# getpwnam and getaddrinfo), the same app without CONFIG_UKVFS (ENOSYS,
# named at exit), and hello, which carries none of it.

test_fsprobe_passes_every_probe() {
	img=$(test_image fsprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img")" "failed probes"
	expect_no_grep '^fsprobe: .*FAIL' out
	[ "$(grep -c '^fsprobe: [a-z0-9_]*: ok$' out)" -ge 26 ] ||
		fail "expected at least 26 probes ok, got $(grep -c ': ok$' out)"
	expect_grep '^fsprobe: getpwnam_root: ok$' out
	expect_grep '^fsprobe: getaddrinfo_localhost: ok$' out
	expect_grep '^fsprobe: open_unlink_read: ok$' out
	expect_grep '^fsprobe: 0 failures$' out
	expect_no_grep 'syscalls not implemented' out
}

# Under the cooperative scheduler too (files never block, but the
# syscalls then run on per-thread stacks).
test_fsprobe_cooperative_scheduler() {
	"$UNITUNE" build --app fsprobe -o coop --set CONFIG_UKSCHED_COOP=y >build.log 2>&1 ||
		{ cat build.log; fail "build"; }
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg coop/fsprobe.elf)" "failed probes"
	expect_grep '^fsprobe: 0 failures$' out
}

# Without the VFS the path calls stay ENOSYS, counted by name at exit.
test_fs_calls_left_out_are_enosys_by_name() {
	"$UNITUNE" build --app fsprobe -o off --set CONFIG_UKVFS=n >build.log 2>&1 ||
		{ cat build.log; fail "build"; }
	status=$(run_status "$UNITUNE" run --accel tcg off/fsprobe.elf)
	[ "$status" -gt 0 ] || fail "fsprobe passed without the VFS"
	expect_grep '^fsprobe: fopen_create: FAIL .*errno 38' out
	for name in open mkdir; do
		grep '^\[uk\] syscalls not implemented: ' out | grep -qE "(: |, )$name \([0-9]+\)" ||
			fail "$name missing from the ENOSYS report"
	done
}

# hello leaves CONFIG_UKVFS off: none of its code is in the image.
test_hello_carries_no_vfs() {
	img=$(test_image hello)
	nm "$img" >syms
	expect_grep ' uk_fd_alloc$' syms
	for sym in uk_vfs_walk uk_ramfs_new uk_devfs_new uk_sys_openat uk_random_fill uk_umask_get; do
		expect_no_grep " $sym\$" syms
	done
}
