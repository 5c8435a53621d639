# SPDX-License-Identifier: BSD-3-Clause
# Descriptors and readiness (lib/ukfd) through musl's own wrappers: the
# fdprobe app in both schedulers and in deterministic mode, the options
# that leave calls out (ENOSYS, named at exit), and an image without them.

# Every probe line of fdprobe is ok; the file is its console output.
check_fdprobe_output() { # file
	expect_no_grep '^fdprobe: .*FAIL' "$1"
	[ "$(grep -c '^fdprobe: [a-z0-9_]*: ok$' "$1")" -ge 29 ] ||
		fail "expected at least 29 probes ok, got $(grep -c ': ok$' "$1")"
	expect_grep '^fdprobe: written through fd 10$' "$1"
	expect_grep '^fdprobe: epoll_wait_layout: ok$' "$1"
	expect_grep '^fdprobe: epoll_et_once: ok$' "$1"
	expect_grep '^fdprobe: eventfd_semaphore: ok$' "$1"
	expect_grep '^fdprobe: poll_timeout: ok$' "$1"
	expect_grep '^fdprobe: select_timeout: ok$' "$1"
	# The default table: 1024 descriptors, 0-2 taken by the console.
	expect_grep '^fdprobe: 1021 descriptors until EMFILE$' "$1"
	expect_no_grep 'syscalls not implemented' "$1"
}

test_fdprobe_run_to_completion() {
	img=$(test_image fdprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img")" "failed probes"
	check_fdprobe_output out
}

# Timeouts measured on the instruction-counting clock.
test_fdprobe_deterministic() {
	img=$(test_image fdprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --deterministic "$img")" "failed probes"
	check_fdprobe_output out
}

test_fdprobe_cooperative_scheduler() {
	"$UNITUNE" build --app fdprobe -o coop --set CONFIG_UKSCHED_COOP=y >build.log 2>&1 ||
		{ cat build.log; fail "build"; }
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg coop/fdprobe.elf)" "failed probes"
	check_fdprobe_output out
}

# Left out by their options, the calls are ENOSYS, counted by name at exit.
test_fd_calls_left_out_are_enosys_by_name() {
	"$UNITUNE" build --app fdprobe -o off --set CONFIG_UKFD_POLL=n \
		--set CONFIG_UKFD_EPOLL=n --set CONFIG_UKFD_EVENTFD=n >build.log 2>&1 ||
		{ cat build.log; fail "build"; }
	status=$(run_status "$UNITUNE" run --accel tcg off/fdprobe.elf)
	[ "$status" -gt 0 ] || fail "fdprobe passed without poll, epoll and eventfd"
	expect_grep '^fdprobe: eventfd_create: FAIL .*errno 38' out
	expect_grep '^fdprobe: epoll_create1: FAIL .*errno 38' out
	# The descriptor table itself stays.
	expect_grep '^fdprobe: dup2_stdout: ok$' out
	expect_grep '^fdprobe: emfile: ok$' out
	for name in poll eventfd eventfd2 epoll_create1; do
		grep '^\[uk\] syscalls not implemented: ' out | grep -qE "(: |, )$name \([0-9]+\)" ||
			fail "$name missing from the ENOSYS report"
	done
}

# hello enables none of the options: none of their code is in the image.
test_hello_carries_no_readiness_calls() {
	img=$(test_image hello)
	nm "$img" >syms
	expect_grep ' uk_fd_alloc$' syms
	for sym in uk_epoll_ctl uk_poll_fds uk_select uk_eventfd uk_sys_epoll_wait; do
		expect_no_grep " $sym\$" syms
	done
}
