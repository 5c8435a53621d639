# SPDX-License-Identifier: BSD-3-Clause
# musl's pthreads on clone and futex (lib/uksched, UKSCHED_THREADS):
# threadprobe's checks with the cooperative scheduler, and without threads
# (run to completion), where pthread_create fails with EAGAIN and the
# timed waits still time out.

THREADPROBE_COOP_CHECKS="sem_timedwait_times_out cond_timedwait_times_out
futex_wait_changed_value_eagain futex_wait_times_out futex_wake_nobody
first_create create_join_value errno_per_thread gettid_main_is_pid
mutex_contention cond_signal_wakes_one cond_broadcast_wakes_all
thread_specific_data detached_threads many_threads_in_turn"

test_threadprobe_cooperative() {
	img=$(test_image threadprobe)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --timeout 120 "$img")" "failed checks"
	for c in $THREADPROBE_COOP_CHECKS; do
		expect_grep "^threadprobe: $c: ok$" out
	done
	expect_grep '^threadprobe: 15 passed, 0 failed$' out
	# Nothing it needs is missing.
	expect_no_grep 'syscalls not implemented' out
}

test_threadprobe_main_exits_first() {
	img=$(test_image threadprobe)
	# The last thread to end ends the guest, with musl's exit(0).
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --timeout 60 "$img" -- main-exits)" "status"
	expect_grep '^threadprobe: main_exited: ok$' out
}

test_threadprobe_without_threads_is_eagain() {
	img=$(test_image threadprobe none --set CONFIG_UKSCHED_NONE=y)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --timeout 120 "$img")" "failed checks"
	expect_grep '^threadprobe: no threads \(pthread_create: EAGAIN\)$' out
	for c in sem_timedwait_times_out cond_timedwait_times_out \
		futex_wait_changed_value_eagain futex_wait_times_out futex_wake_nobody; do
		expect_grep "^threadprobe: $c: ok$" out
	done
	expect_grep '^threadprobe: 5 passed, 0 failed$' out
	expect_no_grep 'syscalls not implemented' out
}
