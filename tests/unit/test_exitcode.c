/* SPDX-License-Identifier: BSD-3-Clause */
/* The isa-debug-exit mapping (abi.h) and the `unitune run` statuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <unitune/abi.h>

#include "exitcode.h"
#include "outcome.h"

static void test_decode_special_codes(void **state)
{
	int st = -7;

	(void)state;
	assert_int_equal(exitcode_decode(0, &st), EXITCODE_RESET);
	assert_int_equal(exitcode_decode(1, &st), EXITCODE_QEMU_ERROR);
	assert_int_equal(st, -7); /* untouched unless EXITCODE_APP */
	assert_int_equal(exitcode_decode(0xfd, &st), EXITCODE_APP_WIDE);
	assert_int_equal(exitcode_decode(0xff, &st), EXITCODE_CRASH);
	assert_int_equal(st, -7);
}

static void test_decode_direct_statuses(void **state)
{
	int s, st;

	(void)state;
	/* V = status + 1, code = V << 1 | 1 */
	assert_int_equal(exitcode_decode(3, &st), EXITCODE_APP);
	assert_int_equal(st, 0);
	assert_int_equal(exitcode_decode(5, &st), EXITCODE_APP);
	assert_int_equal(st, 1);
	assert_int_equal(exitcode_decode(251, &st), EXITCODE_APP);
	assert_int_equal(st, UNITUNE_EXIT_STATUS_MAX_DIRECT);
	for (s = 0; s <= UNITUNE_EXIT_STATUS_MAX_DIRECT; s++) {
		int code = exitcode_qemu_code(exitcode_port_value(s));

		assert_int_equal(exitcode_decode(code, &st), EXITCODE_APP);
		assert_int_equal(st, s);
	}
}

static void test_decode_rejects_impossible_codes(void **state)
{
	int c, st = -1;

	(void)state;
	/* Even codes above 1 never come from QEMU. */
	for (c = 2; c <= 254; c += 2)
		assert_int_equal(exitcode_decode(c, &st), EXITCODE_INVALID);
	assert_int_equal(exitcode_decode(-1, &st), EXITCODE_INVALID);
	assert_int_equal(exitcode_decode(256, &st), EXITCODE_INVALID);
	assert_int_equal(exitcode_decode(257, &st), EXITCODE_INVALID);
	assert_int_equal(st, -1);
	/* NULL status pointer is allowed. */
	assert_int_equal(exitcode_decode(9, NULL), EXITCODE_APP);
}

static void test_port_value(void **state)
{
	(void)state;
	assert_int_equal(exitcode_port_value(0), 1);
	assert_int_equal(exitcode_port_value(124), 125);
	assert_int_equal(exitcode_port_value(125), UNITUNE_EXIT_WIDE);
	assert_int_equal(exitcode_port_value(255), UNITUNE_EXIT_WIDE);
	assert_int_equal(exitcode_port_value(-1), -1);
	assert_int_equal(exitcode_port_value(256), -1);
	/* The guest never writes 0 (it would read as a QEMU failure). */
	assert_int_not_equal(exitcode_port_value(0), 0);
	assert_int_equal(exitcode_qemu_code(UNITUNE_EXIT_CRASH), 255);
	assert_int_equal(exitcode_qemu_code(UNITUNE_EXIT_WIDE), 253);
}

static void test_outcome_exit_status(void **state)
{
	(void)state;
	assert_int_equal(outcome_exit_status(RUNNER_EXITED, 0), 0);
	assert_int_equal(outcome_exit_status(RUNNER_EXITED, 42), 42);
	assert_int_equal(outcome_exit_status(RUNNER_EXITED, 255), 255);
	/* A crash exits with its own status; one the ABI does not define
	 * (an old image printed none) is a kernel panic. */
	assert_int_equal(outcome_exit_status(RUNNER_CRASHED, 139), 139);
	assert_int_equal(outcome_exit_status(RUNNER_CRASHED, 202), 202);
	assert_int_equal(outcome_exit_status(RUNNER_CRASHED, -1), 200);
	assert_int_equal(outcome_exit_status(RUNNER_CRASHED, 0), 200);
	assert_int_equal(outcome_exit_status(RUNNER_TIMEOUT, 0), 124);
	assert_int_equal(outcome_exit_status(RUNNER_QEMU_FAILED, 0), 125);
	assert_int_equal(outcome_exit_status(RUNNER_IMAGE_BAD, 0), 126);
	assert_int_equal(outcome_exit_status(RUNNER_NO_QEMU, 0), 127);
	assert_string_equal(outcome_name(RUNNER_TIMEOUT), "timeout");
	assert_string_equal(outcome_name(RUNNER_CRASHED), "crashed");
	assert_string_equal(outcome_name((enum runner_outcome)99), "unknown");
}

/* The documented statuses, each distinct, and nothing else. */
static void test_crash_statuses(void **state)
{
	static const int kinds[] = {
		UNITUNE_CRASH_SIGILL,	 UNITUNE_CRASH_SIGTRAP,
		UNITUNE_CRASH_SIGABRT,	 UNITUNE_CRASH_SIGBUS,
		UNITUNE_CRASH_SIGFPE,	 UNITUNE_CRASH_OOM,
		UNITUNE_CRASH_SIGSEGV,	 UNITUNE_CRASH_PANIC,
		UNITUNE_CRASH_STACK_SMASH, UNITUNE_CRASH_RESET,
	};
	size_t i, j;

	(void)state;
	assert_int_equal(UNITUNE_CRASH_SIGSEGV, 128 + 11);
	assert_int_equal(UNITUNE_CRASH_SIGFPE, 128 + 8);
	assert_int_equal(UNITUNE_CRASH_SIGILL, 128 + 4);
	assert_int_equal(UNITUNE_CRASH_SIGABRT, 128 + 6);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		assert_true(exitcode_crash_status_valid(kinds[i]));
		assert_int_equal(exitcode_crash_status(kinds[i]), kinds[i]);
		for (j = 0; j < i; j++)
			assert_int_not_equal(kinds[i], kinds[j]);
	}
	/* Any signal 1..64 as 128 + N. */
	assert_true(exitcode_crash_status_valid(129));
	assert_true(exitcode_crash_status_valid(192));
	assert_false(exitcode_crash_status_valid(128));
	assert_false(exitcode_crash_status_valid(193));
	assert_false(exitcode_crash_status_valid(0));
	assert_false(exitcode_crash_status_valid(124));
	assert_false(exitcode_crash_status_valid(255));
	assert_int_equal(exitcode_crash_status(-1), UNITUNE_CRASH_PANIC);
	assert_int_equal(exitcode_crash_status(42), UNITUNE_CRASH_PANIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_special_codes),
		cmocka_unit_test(test_decode_direct_statuses),
		cmocka_unit_test(test_decode_rejects_impossible_codes),
		cmocka_unit_test(test_port_value),
		cmocka_unit_test(test_outcome_exit_status),
		cmocka_unit_test(test_crash_statuses),
	};

	return cmocka_run_group_tests_name("exitcode", tests, NULL, NULL);
}
