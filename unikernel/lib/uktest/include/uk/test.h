/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest test framework. A library's tests are compiled in when its
 * CONFIG_<LIB>_TEST is set; each UK_TESTCASE registers itself in an ELF
 * section, and all of them run at boot, before main(), when CONFIG_UKTEST
 * is set. Results go to the console in the "[uktest]" lines of abi.h.
 *
 *   UK_TESTCASE(alloc, alignment)
 *   {
 *           UK_EXPECT(p != NULL);
 *           UK_EXPECT_EQ((uintptr_t)p % 64, 0);
 *   }
 */
#ifndef UK_TEST_H
#define UK_TEST_H

#include <stdint.h>
#include <uk/compiler.h>

struct uktest_ctx {
	unsigned checks;
	unsigned failures;
	/* The first failure, which is the one reported. */
	const char *file;
	int line;
	char message[160];
};

struct uktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct uktest_ctx *ctx);
};

#define UK_TESTCASE(suite, name)                                               \
	static void uktest_fn_##suite##_##name(struct uktest_ctx *uk_test_ctx); \
	static const struct uktest_case uktest_case_##suite##_##name            \
		__table_entry(".uk_testcases." #suite) = {                     \
			#suite, #name, uktest_fn_##suite##_##name              \
		};                                                             \
	static void uktest_fn_##suite##_##name(                                \
		struct uktest_ctx *uk_test_ctx __attribute__((unused)))

/* Record a check; returns cond so a test can stop on failure. */
int uktest_check(struct uktest_ctx *ctx, int cond, const char *file, int line,
		 const char *fmt, ...) __printf_like(5, 6);

#define UK_EXPECT(cond)                                                        \
	uktest_check(uk_test_ctx, !!(cond), __FILE__, __LINE__, "%s", #cond)

#define UK_EXPECT_EQ(a, b)                                                     \
	({                                                                     \
		long long uk__a = (long long)(a), uk__b = (long long)(b);      \
		uktest_check(uk_test_ctx, uk__a == uk__b, __FILE__, __LINE__,  \
			     "%s == %s (%lld != %lld)", #a, #b, uk__a, uk__b); \
	})

/* Stop the test case at the first failed assertion. */
#define UK_ASSERT_TRUE(cond)                                                   \
	do {                                                                   \
		if (!UK_EXPECT(cond))                                          \
			return;                                                \
	} while (0)

/* Run one case into ctx (which it clears); returns ctx->failures. */
unsigned uktest_run_case(const struct uktest_case *c, struct uktest_ctx *ctx);

#if CONFIG_UKTEST
/* Run every registered case and print the results; returns failures. */
unsigned uktest_run_all(void);
/* Failed cases in the last uktest_run_all(). */
unsigned uktest_failed_cases(void);
#else
static inline unsigned uktest_run_all(void) { return 0; }
static inline unsigned uktest_failed_cases(void) { return 0; }
#endif

#endif
