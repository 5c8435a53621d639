# SPDX-License-Identifier: BSD-3-Clause
# posixprobe (unikernel/apps/posixprobe): the calls programs make at
# start-up, run in the guest and natively (the same source built with
# musl-gcc), and the exit report of unimplemented calls, which must name
# every one.

# Checks whose result may differ between the guest and Linux, one per
# line: "name reason". None so far: every difference is a failure.
KNOWN_DIFFERENCES=""

# "name PASS|FAIL" per check, sorted, from a run's output.
probe_results() { # file
	sed -n 's/^posixprobe: \([a-z0-9_]*\): \(PASS\|FAIL\).*/\1 \2/p' "$1" | sort
}

musl_cc() {
	for cc in musl-gcc x86_64-linux-musl-gcc; do
		command -v "$cc" >/dev/null && { echo "$cc"; return; }
	done
}

test_posixprobe_guest_and_native_agree() {
	cc=$(musl_cc)
	[ -n "$cc" ] || skip "no musl-gcc (scripts/deps.sh installs musl-dev)"
	img=$(test_image posixprobe)
	# Named posixprobe natively too: PR_GET_NAME reads the command name.
	mkdir -p native
	"$cc" -static -O2 -Wall -Wextra -Werror -o native/posixprobe \
		"$ROOT/unikernel/apps/posixprobe/main.c"
	native/posixprobe >native.out || true
	"$UNITUNE" run --accel tcg "$img" >guest.out 2>guest.err || true
	probe_results native.out >native.res
	probe_results guest.out >guest.res
	echo "posixprobe: guest $(grep -c ' PASS$' guest.res) passed of $(wc -l <guest.res)," \
		"native $(grep -c ' PASS$' native.res) passed of $(wc -l <native.res)"
	[ "$(wc -l <guest.res)" -ge 30 ] || fail "too few guest checks: $(wc -l <guest.res)"
	# The same checks on both sides (a crash would cut the guest's list).
	expect_eq "$(cut -d' ' -f1 native.res)" "$(cut -d' ' -f1 guest.res)" "check names"
	diff native.res guest.res | sed -n 's/^[<>] \([a-z0-9_]*\) .*/\1/p' | sort -u >differ
	while read -r name; do
		printf '%s\n' "$KNOWN_DIFFERENCES" | grep -q "^$name " ||
			fail "$name: native $(grep "^$name " native.res | cut -d' ' -f2)," \
				"guest $(grep "^$name " guest.res | cut -d' ' -f2)"
	done <differ
	# The guest's values are the image's: RLIMIT_NOFILE is the
	# descriptor table (CONFIG_UKFD_MAX's default), the stack limit the
	# main stack (CONFIG_UKBOOT_STACK_KB's default).
	expect_grep '^posixprobe: info open_max=1024$' guest.out
	expect_grep '^posixprobe: info stack_limit=65536$' guest.out
	# None of these calls is left unimplemented.
	expect_no_grep '^\[uk\] syscalls not implemented' guest.out
}

# Many unimplemented calls at once: the exit report spreads over several
# lines and names every one, with its count.
test_enosys_report_names_every_call() {
	img=$(test_image posixprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img" -- enosys)" "calls not ENOSYS"
	sed -n 's/^posixprobe: enosys-call //p' out >called
	[ "$(wc -l <called)" -ge 40 ] || fail "too few calls: $(wc -l <called)"
	grep '^\[uk\] syscalls not implemented: ' out | sed 's/^[^:]*: //' | tr ',' '\n' |
		sed 's/^ *//' >reported
	[ "$(grep -c '^\[uk\] syscalls not implemented: ' out)" -gt 1 ] ||
		fail "the report is one line"
	while read -r name; do
		grep -qx "$name (1)" reported || fail "$name missing from the exit report"
	done <called
	expect_eq "$(wc -l <called)" "$(wc -l <reported)" "names reported"
}
