/* SPDX-License-Identifier: BSD-3-Clause */
/* Command-line counts (host/count.c): boundaries and malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "count.h"

static void test_counts(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1x", "0x10", "65", "99999999999999999999999",
	};
	unsigned long v = 7;
	size_t i;

	(void)state;
	assert_int_equal(count_parse("0", 64, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(count_parse("64", 64, &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(count_parse("007", 64, &v), 0);
	assert_int_equal(v, 7);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(count_parse(bad[i], 64, &v), -EINVAL);
	assert_int_equal(count_parse(NULL, 64, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
