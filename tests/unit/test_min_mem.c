/* SPDX-License-Identifier: BSD-3-Clause */
/* The min_mem search (host/min_mem.c) against plain bisection, with a
 * stub oracle in place of booting an image. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "min_mem.h"

/* An image that runs from threshold KiB up (in steps of granule KiB, as
 * QEMU rounds guest RAM), and fails below. */
struct stub {
	uint64_t threshold;
	uint64_t granule;	/* 1: none */
	unsigned calls;
	int fail_at_call;	/* return -EIO at this call (1-based); 0: never */
};

static int stub_runs(void *ctx, uint64_t mem_kib, bool *runs)
{
	struct stub *s = ctx;
	uint64_t ram = (mem_kib + s->granule - 1) / s->granule * s->granule;

	s->calls++;
	if (s->fail_at_call && (int)s->calls == s->fail_at_call)
		return -EIO;
	*runs = ram >= s->threshold;
	return 0;
}

static struct min_mem_query query(struct stub *s, uint64_t lo, uint64_t hi,
				  uint64_t guess)
{
	struct min_mem_query q = { .lo_kib = lo, .hi_kib = hi,
				   .resolution_kib = 4, .guess_kib = guess,
				   .step_kib = 8, .runs = stub_runs, .ctx = s };
	return q;
}

/* The answer of plain bisection for this stub. */
static uint64_t bisected(struct stub s, uint64_t lo, uint64_t hi,
			 unsigned *probes)
{
	struct min_mem_query q = query(&s, lo, hi, 0);
	struct min_mem_answer a;

	s.calls = 0;
	assert_int_equal(min_mem_bisect(&q, &a), 0);
	assert_int_equal(a.probes, s.calls);
	if (probes)
		*probes = a.probes;
	return a.kib;
}

/* The least size that runs, as the guest's prediction would give it. */
static uint64_t exact_guess(const struct stub *s)
{
	return (s->threshold - 1) / s->granule * s->granule + 1;
}

static void test_bisect_reference(void **state)
{
	struct stub s = { .threshold = 3304, .granule = 8 };
	unsigned probes;

	(void)state;
	/* The figures a real buddy variant gave: 13 boots, 3297 KiB. */
	assert_int_equal(bisected(s, 1272, 32768, &probes), 3297);
	assert_int_equal(probes, 13);
}

/* Right guess: two runs, the same answer as bisection, whatever the
 * threshold's place in bisection's grid. */
static void test_right_guess_two_probes(void **state)
{
	(void)state;
	for (uint64_t t = 1300; t < 1800; t += 7) {
		for (uint64_t g = 1; g <= 8; g *= 8) {
			struct stub s = { .threshold = t, .granule = g };
			struct min_mem_query q = query(&s, 1272, 32768,
						       exact_guess(&s));
			struct min_mem_answer a;

			assert_int_equal(min_mem_search(&q, &a), 0);
			assert_int_equal(a.kib, bisected(s, 1272, 32768, NULL));
			assert_true(a.guess_held);
			assert_true(a.probes <= 2);
			assert_int_equal(a.probes, s.calls);
		}
	}
}

/* Wrong guesses, low and high, near and far, and guesses outside the
 * bracket: the search falls back and still gives bisection's answer. */
static void test_wrong_guess_falls_back(void **state)
{
	static const int64_t offsets[] = { -3000, -200, -70, -9, -5, -1,
					   1, 4, 9, 64, 500, 40000 };
	unsigned plain;

	(void)state;
	for (uint64_t t = 1277; t < 33000; t = t * 3 / 2 + 1) {
		for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]);
		     i++) {
			struct stub s = { .threshold = t, .granule = 8 };
			int64_t g = (int64_t)exact_guess(&s) + offsets[i];
			struct min_mem_query q = query(&s, 1272, 32768,
						       g > 0 ? (uint64_t)g : 0);
			uint64_t want = bisected(s, 1272, 32768, &plain);
			struct min_mem_answer a;

			q.step_kib = i % 2 ? 8 : 0; /* 0: the resolution */
			assert_int_equal(min_mem_search(&q, &a), 0);
			assert_int_equal(a.kib, want);
			assert_int_equal(a.probes, s.calls);
			/* Two checks and six gallop steps at most more than
			 * bisection alone (min_mem.h). */
			assert_true(a.probes <= plain + 8);
		}
	}
}

/* A guess one granule off still costs fewer runs than bisection; one far
 * off is reported as not held. */
static void test_near_guess_cost(void **state)
{
	struct stub s = { .threshold = 3080, .granule = 8 };
	struct min_mem_query q = query(&s, 1272, 32768, exact_guess(&s) - 8);
	struct min_mem_answer a;
	unsigned plain;

	(void)state;
	assert_int_equal(min_mem_search(&q, &a), 0);
	assert_int_equal(a.kib, bisected(s, 1272, 32768, &plain));
	assert_true(a.probes < plain / 2);

	s.calls = 0;
	q = query(&s, 1272, 32768, exact_guess(&s) - 600);
	assert_int_equal(min_mem_search(&q, &a), 0);
	assert_false(a.guess_held);
	assert_int_equal(a.kib, bisected(s, 1272, 32768, NULL));
}

/* No guess (an old image, a crash before exit): plain bisection, run for
 * run. */
static void test_no_guess_is_bisection(void **state)
{
	struct stub s = { .threshold = 5000, .granule = 8 };
	struct min_mem_query q = query(&s, 1272, 32768, 0);
	struct min_mem_answer a;
	unsigned plain;

	(void)state;
	assert_int_equal(min_mem_search(&q, &a), 0);
	assert_int_equal(a.kib, bisected(s, 1272, 32768, &plain));
	assert_int_equal(a.probes, plain);
	assert_false(a.guess_held);
	/* A guess at or below lo is no guess either. */
	s.calls = 0;
	q = query(&s, 1272, 32768, 1272);
	assert_int_equal(min_mem_search(&q, &a), 0);
	assert_int_equal(a.probes, plain);
}

/* An image that needs all it was given, and a bracket already narrow. */
static void test_edges(void **state)
{
	struct stub s = { .threshold = 32768, .granule = 8 };
	struct min_mem_query q = query(&s, 1272, 32768, 32761);
	struct min_mem_answer a;

	(void)state;
	assert_int_equal(min_mem_search(&q, &a), 0);
	assert_int_equal(a.kib, bisected(s, 1272, 32768, NULL));
	assert_true(a.guess_held);

	s = (struct stub){ .threshold = 1, .granule = 1 };
	q = query(&s, 1000, 1003, 1001);
	assert_int_equal(min_mem_search(&q, &a), 0);
	assert_int_equal(a.kib, 1003);
	assert_int_equal(a.probes, 0);
}

static void test_errors(void **state)
{
	struct stub s = { .threshold = 3000, .granule = 8, .fail_at_call = 2 };
	struct min_mem_query q = query(&s, 1272, 32768, 2993);
	struct min_mem_answer a;

	(void)state;
	/* The oracle's error stops the search and is returned. */
	assert_int_equal(min_mem_search(&q, &a), -EIO);
	assert_int_equal(a.probes, 2);
	s.calls = 0;
	assert_int_equal(min_mem_bisect(&q, &a), -EIO);

	q = query(&s, 100, 100, 0);
	assert_int_equal(min_mem_search(&q, &a), -EINVAL);
	q = query(&s, 100, 200, 0);
	q.resolution_kib = 0;
	assert_int_equal(min_mem_search(&q, &a), -EINVAL);
	q = query(&s, 100, 200, 0);
	q.runs = NULL;
	assert_int_equal(min_mem_bisect(&q, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bisect_reference),
		cmocka_unit_test(test_right_guess_two_probes),
		cmocka_unit_test(test_wrong_guess_falls_back),
		cmocka_unit_test(test_near_guess_cost),
		cmocka_unit_test(test_no_guess_is_bisection),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
