/* SPDX-License-Identifier: BSD-3-Clause */
/* Repeated measurements' figures (host/stats.c): median and range, the
 * bootstrap interval (deterministic, order-free, inside the range), the
 * spread and the unstable mark; the paired ratio of two sides; and the
 * generator they draw from (host/rng.c). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"
#include "stats.h"

static void test_quantiles_interpolate(void **state)
{
	const double odd[] = { 1, 2, 10 }, even[] = { 1, 2, 3, 10 };

	(void)state;
	assert_true(stats_quantile_sorted(odd, 3, 0.5) == 2);
	assert_true(stats_quantile_sorted(even, 4, 0.5) == 2.5);
	assert_true(stats_quantile_sorted(even, 4, 0) == 1);
	assert_true(stats_quantile_sorted(even, 4, 1) == 10);
	assert_true(stats_quantile_sorted(odd, 1, 0.975) == 1);
}

static void test_summary_of_five(void **state)
{
	const double x[] = { 1000, 1040, 980, 1010, 990 };
	struct stats_summary s;

	(void)state;
	assert_int_equal(stats_summarize(x, 5, &s), 0);
	assert_int_equal(s.n, 5);
	assert_true(s.median == 1000);
	assert_true(s.min == 980 && s.max == 1040);
	assert_true(fabs(s.mean - 1004) < 1e-9);
	/* (16 + 1296 + 576 + 36 + 196) / 4 = 530 */
	assert_true(fabs(s.stddev - sqrt(530)) < 1e-9);
	assert_true(fabs(s.spread - 0.06) < 1e-12);
	assert_true(s.unstable);
	/* The interval of the median lies within the samples' range and
	 * holds the median. */
	assert_true(s.ci_low >= s.min && s.ci_low <= s.median);
	assert_true(s.ci_high <= s.max && s.ci_high >= s.median);
	assert_true(s.ci_low < s.ci_high);
}

/* The same samples in another order give the same interval, and so
 * does a second call: the seed is fixed and the samples sorted first. */
static void test_bootstrap_is_deterministic(void **state)
{
	const double a[] = { 5, 1, 4, 2, 3, 9, 7 };
	const double b[] = { 9, 7, 5, 4, 3, 2, 1 };
	struct stats_summary s1, s2, s3;

	(void)state;
	assert_int_equal(stats_summarize(a, 7, &s1), 0);
	assert_int_equal(stats_summarize(a, 7, &s2), 0);
	assert_int_equal(stats_summarize(b, 7, &s3), 0);
	assert_memory_equal(&s1, &s2, sizeof(s1));
	assert_true(s1.ci_low == s3.ci_low && s1.ci_high == s3.ci_high);
	/* Pinned: a change of seed, resample count or quantile rule shows. */
	assert_true(s1.ci_low == 2 && s1.ci_high == 7);
}

static void test_spread_and_stability(void **state)
{
	const double steady[] = { 100, 102, 101, 104, 103 };
	const double equal[] = { 7, 7, 7 };
	const double zeros[] = { 0, 0, 3 };
	struct stats_summary s;

	(void)state;
	assert_int_equal(stats_summarize(steady, 5, &s), 0);
	assert_true(fabs(s.spread - 4.0 / 102) < 1e-12);
	assert_false(s.unstable);
	assert_int_equal(stats_summarize(equal, 3, &s), 0);
	assert_true(s.spread == 0 && !s.unstable);
	assert_true(s.ci_low == 7 && s.ci_high == 7);
	/* Counts that are mostly 0: no relative spread, never unstable. */
	assert_int_equal(stats_summarize(zeros, 3, &s), 0);
	assert_true(isnan(s.spread));
	assert_false(s.unstable);
}

static void test_one_sample_and_bad_input(void **state)
{
	const double one[] = { 42 }, inf[] = { 1, INFINITY };
	struct stats_summary s;

	(void)state;
	assert_int_equal(stats_summarize(one, 1, &s), 0);
	assert_true(s.median == 42 && s.ci_low == 42 && s.ci_high == 42);
	assert_true(s.spread == 0);
	assert_int_equal(stats_summarize(one, 0, &s), -EINVAL);
	assert_int_equal(stats_summarize(inf, 2, &s), -EINVAL);
}

/* Rounds keep their pairs: a side that is exactly twice the other gives
 * the ratio 2 with no width at all, however much both drift from round
 * to round (an unpaired interval would be wide). */
static void test_paired_ratio_cancels_drift(void **state)
{
	const double b[] = { 1000, 2000, 500, 3000, 1500 };
	double a[5];
	struct stats_ratio r;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		a[i] = 2 * b[i];
	assert_int_equal(stats_paired_ratio(a, b, 5, &r), 0);
	assert_int_equal(r.n, 5);
	assert_true(fabs(r.ratio - 2) < 1e-12);
	assert_true(fabs(r.ci_low - 2) < 1e-12 && fabs(r.ci_high - 2) < 1e-12);
}

/* The ratio of the medians, an interval around it that repeats exactly
 * and lies within the extreme ratios of the samples; one round is its
 * own interval; bad input is refused. */
static void test_paired_ratio_interval_and_bad_input(void **state)
{
	const double a[] = { 9000, 9500, 8800, 9900, 9100 };
	const double b[] = { 4500, 4400, 4700, 4300, 4600 };
	const double zero[] = { 0, 0, 0 }, one[] = { 3 }, nan[] = { 1, NAN };
	struct stats_ratio r, again;

	(void)state;
	assert_int_equal(stats_paired_ratio(a, b, 5, &r), 0);
	assert_true(fabs(r.ratio - 9100.0 / 4500.0) < 1e-12);
	assert_true(r.ci_low <= r.ratio && r.ratio <= r.ci_high);
	assert_true(r.ci_low < r.ci_high);
	assert_true(r.ci_low >= 8800.0 / 4700.0 && r.ci_high <= 9900.0 / 4300.0);
	assert_int_equal(stats_paired_ratio(a, b, 5, &again), 0);
	assert_true(r.ci_low == again.ci_low && r.ci_high == again.ci_high);

	assert_int_equal(stats_paired_ratio(one, one, 1, &r), 0);
	assert_true(r.ratio == 1 && r.ci_low == 1 && r.ci_high == 1);
	assert_int_equal(stats_paired_ratio(a, b, 0, &r), -EINVAL);
	assert_int_equal(stats_paired_ratio(nan, a, 2, &r), -EINVAL);
	assert_int_equal(stats_paired_ratio(a, nan, 2, &r), -EINVAL);
	assert_int_equal(stats_paired_ratio(a, zero, 3, &r), -EDOM);
	assert_true(r.n == 0);
}

static void test_rng_is_splitmix64(void **state)
{
	uint64_t st = 0;
	size_t i;

	(void)state;
	/* splitmix64's published first output for seed 0. */
	assert_true(rng_next(&st) == 0xe220a8397b1dcdafULL);
	st = 1;
	for (i = 0; i < 1000; i++) {
		assert_true(rng_below(&st, 7) < 7);
		double u = rng_unit(&st);
		assert_true(u >= 0 && u < 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantiles_interpolate),
		cmocka_unit_test(test_summary_of_five),
		cmocka_unit_test(test_bootstrap_is_deterministic),
		cmocka_unit_test(test_spread_and_stability),
		cmocka_unit_test(test_one_sample_and_bad_input),
		cmocka_unit_test(test_rng_is_splitmix64),
		cmocka_unit_test(test_paired_ratio_cancels_drift),
		cmocka_unit_test(test_paired_ratio_interval_and_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
