/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tuner/parzen.c, the tpe strategy's density model: a proper distribution
 * over the grid, sampling that follows it, ordered options lending weight
 * to neighbouring values and unordered ones not, and the prior alone
 * before any observation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "parzen.h"

/* 5 ordered x 3 unordered x 4 ordered = 60 points, code 12a + 4b + c. */
static const size_t k3[3] = { 5, 3, 4 };
static const bool ord3[3] = { true, false, true };

static void decode(uint64_t code, size_t *x)
{
	x[0] = code / 12;
	x[1] = code / 4 % 3;
	x[2] = code % 4;
}

static void fill(struct parzen *pe)
{
	static const size_t obs[4][3] = {
		{ 0, 0, 0 }, { 2, 1, 3 }, { 2, 1, 2 }, { 4, 2, 0 },
	};
	size_t i;

	parzen_init(pe, k3, ord3, 3, 1.0);
	for (i = 0; i < 4; i++)
		assert_int_equal(parzen_add(pe, obs[i]), 0);
	parzen_fit(pe);
}

static void test_sums_to_one(void **state)
{
	struct parzen pe;
	double sum = 0;
	size_t x[3];
	uint64_t c;

	(void)state;
	fill(&pe);
	for (c = 0; c < 60; c++) {
		decode(c, x);
		sum += exp(parzen_log_pdf(&pe, x));
	}
	assert_true(fabs(sum - 1) < 1e-9);
	parzen_release(&pe);
}

/* A fixed generator for the test's uniform numbers (no libc rand()). */
static double next_unit(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) * 0x1.0p-53;
}

/* 60000 draws: every point's frequency within 0.005 of its density. */
static void test_sampling_follows_pdf(void **state)
{
	enum { DRAWS = 60000 };
	unsigned *count = calloc(60, sizeof(*count));
	struct parzen pe;
	uint64_t rng = 42, c;
	double u[4];
	size_t x[3], i, j;

	(void)state;
	assert_non_null(count);
	fill(&pe);
	assert_int_equal(parzen_draws(&pe), 4);
	for (i = 0; i < DRAWS; i++) {
		for (j = 0; j < 4; j++)
			u[j] = next_unit(&rng);
		parzen_sample(&pe, u, x);
		assert_true(x[0] < 5 && x[1] < 3 && x[2] < 4);
		count[x[0] * 12 + x[1] * 4 + x[2]]++;
	}
	for (c = 0; c < 60; c++) {
		decode(c, x);
		assert_true(fabs((double)count[c] / DRAWS -
				 exp(parzen_log_pdf(&pe, x))) < 0.005);
	}
	parzen_release(&pe);
	free(count);
}

/* One observation at value 2 of 8: ordered, value 3 is likelier than 6
 * and 1 as likely as 3; unordered, 3 and 6 are alike and below 2. */
static void test_ordered_neighbours(void **state)
{
	static const size_t k[1] = { 8 };
	static const bool yes[1] = { true };
	static const size_t at[1] = { 2 };
	size_t v1[1] = { 1 }, v3[1] = { 3 }, v6[1] = { 6 };
	struct parzen pe;
	int ordered;

	(void)state;
	for (ordered = 0; ordered < 2; ordered++) {
		parzen_init(&pe, k, ordered ? yes : NULL, 1, 1.0);
		assert_int_equal(parzen_add(&pe, at), 0);
		parzen_fit(&pe);
		if (ordered) {
			assert_true(parzen_log_pdf(&pe, v3) >
				    parzen_log_pdf(&pe, v6) + 0.5);
			assert_true(fabs(parzen_log_pdf(&pe, v1) -
					 parzen_log_pdf(&pe, v3)) < 1e-12);
		} else {
			assert_true(fabs(parzen_log_pdf(&pe, v3) -
					 parzen_log_pdf(&pe, v6)) < 1e-12);
		}
		assert_true(parzen_log_pdf(&pe, at) >
			    parzen_log_pdf(&pe, v3));
		parzen_release(&pe);
	}
}

/* No observation: the uniform prior, and draws from it. */
static void test_prior_only(void **state)
{
	struct parzen pe;
	double u[4] = { 0.99, 0.5, 0.0, 0.999 };
	size_t x[3] = { 1, 2, 3 };

	(void)state;
	parzen_init(&pe, k3, ord3, 3, 1.0);
	parzen_fit(&pe);
	assert_true(fabs(parzen_log_pdf(&pe, x) - log(1.0 / 60)) < 1e-12);
	parzen_sample(&pe, u, x);
	assert_int_equal(x[0], 2);
	assert_int_equal(x[1], 0);
	assert_int_equal(x[2], 3);
	parzen_release(&pe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_to_one),
		cmocka_unit_test(test_sampling_follows_pdf),
		cmocka_unit_test(test_ordered_neighbours),
		cmocka_unit_test(test_prior_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
