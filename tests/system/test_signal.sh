# SPDX-License-Identifier: BSD-3-Clause
# Signals (lib/uksignal) through musl's own wrappers, in the sigprobe app:
# its checks pass in the guest, and a signal whose default action
# terminates ends the guest with the status Linux gives a process killed
# by it (128 + N), which `unitune run` reports as such.

test_sigprobe_checks_pass() {
	img=$(test_image sigprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --timeout 120 "$img")" "failed checks"
	expect_grep '^sigprobe: 0 failed$' out
	for c in sigaction_round_trip handler_gets_signo_and_siginfo \
		 mask_blocks_then_delivers resethand_runs_once nodefer_nests \
		 ignored_sigpipe_is_epipe siglongjmp_leaves_handler altstack_is_used \
		 alarm_interrupts_pause setitimer_periodic_count timer_create_signals \
		 nanosleep_is_interrupted sigsuspend_swaps_mask; do
		expect_grep "^ok $c\$" out
	done
	expect_no_grep '^\[uk\] crash' out
}

test_default_sigterm_ends_with_143() {
	img=$(test_image sigprobe)
	expect_eq 143 "$(run_status "$UNITUNE" run --accel tcg --timeout 60 "$img" -- term)" "status"
	expect_grep '^\[uk\] crash status 143$' out
	expect_grep '^unitune run: crashed: killed by signal 15 \(SIGTERM\)$' err
	expect_no_grep 'still alive' out
}

test_unhandled_sigpipe_ends_with_141() {
	img=$(test_image sigprobe)
	expect_eq 141 "$(run_status "$UNITUNE" run --accel tcg --timeout 60 "$img" -- pipe)" "status"
	expect_grep '^\[uk\] crash status 141$' out
	expect_grep '^unitune run: crashed: killed by signal 13 \(SIGPIPE\)$' err
	expect_no_grep 'still alive' out
}
