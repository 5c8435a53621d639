/* SPDX-License-Identifier: BSD-3-Clause */
/* The framework checked by itself: failing cases run privately through
 * uktest_run_case, so the real run only sees whether they were caught. */
#include <uk/test.h>

extern const struct uktest_case _uktest_start[], _uktest_end[];

static int reached_after_assert;

static void case_two_failures(struct uktest_ctx *uk_test_ctx)
{
	UK_EXPECT(1 + 1 == 3);
	UK_EXPECT_EQ(6 * 7, 41);
	UK_EXPECT(1);
}

static void case_assert_stops(struct uktest_ctx *uk_test_ctx)
{
	UK_ASSERT_TRUE(0);
	reached_after_assert = 1;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

UK_TESTCASE(uktest, passing_checks_count)
{
	struct uktest_ctx inner;
	struct uktest_case c = { "inner", "pass", case_two_failures };

	UK_EXPECT_EQ(uktest_run_case(&c, &inner), 2);
	UK_EXPECT_EQ(inner.checks, 3);
}

UK_TESTCASE(uktest, first_failure_is_reported)
{
	struct uktest_ctx inner;
	struct uktest_case c = { "inner", "fail", case_two_failures };

	uktest_run_case(&c, &inner);
	UK_EXPECT(streq(inner.message, "1 + 1 == 3"));
	UK_EXPECT(streq(inner.file, __FILE__));
	UK_EXPECT(inner.line > 0);
}

static void case_eq_only(struct uktest_ctx *uk_test_ctx)
{
	UK_EXPECT_EQ(6 * 7, 41);
}

UK_TESTCASE(uktest, eq_message_shows_values)
{
	struct uktest_ctx inner;
	struct uktest_case c = { "inner", "eq", case_eq_only };

	uktest_run_case(&c, &inner);
	UK_EXPECT(streq(inner.message, "6 * 7 == 41 (42 != 41)"));
}

UK_TESTCASE(uktest, assert_stops_the_case)
{
	struct uktest_ctx inner;
	struct uktest_case c = { "inner", "assert", case_assert_stops };

	reached_after_assert = 0;
	UK_EXPECT_EQ(uktest_run_case(&c, &inner), 1);
	UK_EXPECT_EQ(reached_after_assert, 0);
}

UK_TESTCASE(uktest, cases_are_registered)
{
	int found = 0;

	for (const struct uktest_case *c = _uktest_start; c < _uktest_end; c++)
		if (streq(c->suite, "uktest") && streq(c->name, "cases_are_registered"))
			found++;
	UK_EXPECT_EQ(found, 1);
}
