# SPDX-License-Identifier: BSD-3-Clause
# The host library's layers, read from its objects: the boot mechanics and
# the accelerator choice never call the runner's policy (host/README.md,
# "Dependencies").

# The functions an object defines, one a line.
defined_in() { # object
	nm --defined-only "$1" | awk '$2 == "T" { print $3 }'
}

test_mechanics_and_accel_do_not_call_the_runner() {
	local lib="$ROOT/build/host" o
	for o in runner qemu qemu_classify accel accel_guest; do
		[ -s "$lib/$o.o" ] || fail "no $lib/$o.o (build bin/unitune first)"
	done
	defined_in "$lib/runner.o" >runner.syms
	[ -s runner.syms ] || fail "runner.o defines no function"
	for o in qemu qemu_classify accel accel_guest; do
		nm -u "$lib/$o.o" | awk '{ print $2 }' >"$o.undef"
		[ -s "$o.undef" ] || fail "$o.o calls nothing outside itself?"
		if grep -Fxf runner.syms "$o.undef" >"$o.calls"; then
			fail "$o.o calls the runner: $(tr '\n' ' ' <"$o.calls")"
		fi
	done
	# The mechanics do not choose the accelerator either...
	defined_in "$lib/accel.o" >accel.syms
	cat qemu.undef qemu_classify.undef >mech.undef
	if grep -Fxf accel.syms mech.undef >mech.calls; then
		fail "the mechanics call accel.c: $(tr '\n' ' ' <mech.calls)"
	fi
	# ...and the calibration boots through them.
	expect_grep '^qemu_boot$' accel.undef
	nm -u "$lib/runner.o" | awk '{ print $2 }' >runner.undef
	expect_grep '^qemu_boot$' runner.undef
	expect_grep '^accel_resolve$' runner.undef
}
