/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Search strategies (tuner/strategy.c) against synthetic functions:
 * grid order, random without replacement and its seeding, greedy's
 * convergence, batching (-EAGAIN) and failures, tpe reaching a unique
 * optimum, and what every strategy shares (tells of unproposed points,
 * bad indices, a one-point space).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "strategy.h"

#define MAXOPT 4

static const enum space_strategy kinds[] = {
	SPACE_GRID, SPACE_RANDOM, SPACE_GREEDY, SPACE_TPE,
};

/* Grid index of idx, the last option fastest. */
static uint64_t code_of(const size_t *k, size_t n, const size_t *idx)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		assert_true(idx[i] < k[i]);
		c = c * k[i] + idx[i];
	}
	return c;
}

static struct strategy *new_ok(enum space_strategy kind, const size_t *k,
			       size_t n, uint64_t seed)
{
	struct strategy *s = NULL;

	assert_int_equal(strategy_new(kind, k, n, seed, &s), 0);
	assert_non_null(s);
	return s;
}

/* A separable cost with its unique minimum 0 at target. */
static const size_t target[MAXOPT] = { 5, 2, 7, 1 };

static double sep_cost(const size_t *idx, size_t n)
{
	double c = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = (double)idx[i] - (double)target[i];

		c += d * d * (double)(i + 1);
	}
	return c;
}

/* Sums of squares plus an interaction between the first two options:
 * still a unique minimum 0 at target. */
static double coupled_cost(const size_t *idx, size_t n)
{
	double a = (double)idx[0] - (double)target[0];
	double b = (double)idx[1] - (double)target[1];

	return sep_cost(idx, n) + (a - b) * (a - b) * 2;
}

struct run {
	uint64_t *seq;		/* grid index of each proposal */
	size_t n_seq;
	size_t reached;		/* evaluations until the cost 0 was told */
};

/*
 * Propose and tell one point at a time until next() returns 0 or max
 * points were told. Asserts no point is proposed twice.
 */
static void run_seq(enum space_strategy kind, const size_t *k, size_t n,
		    uint64_t seed, double (*f)(const size_t *, size_t),
		    size_t max, struct run *out)
{
	struct strategy *s = new_ok(kind, k, n, seed);
	uint64_t size = 1;
	size_t idx[MAXOPT], i;
	bool *seen;
	int r;

	for (i = 0; i < n; i++)
		size *= k[i];
	seen = calloc(size, sizeof(*seen));
	out->seq = calloc(size + 1, sizeof(*out->seq));
	assert_non_null(seen);
	assert_non_null(out->seq);
	out->n_seq = 0;
	out->reached = 0;
	while (out->n_seq < max && (r = strategy_next(s, idx)) == 1) {
		uint64_t c = code_of(k, n, idx);
		double v = f(idx, n);

		assert_false(seen[c]);
		seen[c] = true;
		out->seq[out->n_seq++] = c;
		assert_int_equal(strategy_tell(s, idx, v, false), 0);
		if (v == 0 && !out->reached)
			out->reached = out->n_seq;
	}
	if (out->n_seq < max)
		assert_int_equal(r, 0);
	free(seen);
	strategy_free(s);
}

static void test_grid_order(void **state)
{
	static const size_t k[] = { 3, 2, 4 };
	struct strategy *s = new_ok(SPACE_GRID, k, 3, 0);
	size_t idx[3], a, b, c;

	(void)state;
	for (a = 0; a < 3; a++)
		for (b = 0; b < 2; b++)
			for (c = 0; c < 4; c++) {
				assert_int_equal(strategy_next(s, idx), 1);
				assert_int_equal(idx[0], a);
				assert_int_equal(idx[1], b);
				assert_int_equal(idx[2], c);
			}
	assert_int_equal(strategy_next(s, idx), 0);
	assert_int_equal(strategy_next(s, idx), 0);
	strategy_free(s);
}

static void test_random(void **state)
{
	static const size_t k[] = { 4, 3, 5 };
	struct run a, b, c;
	size_t i, in_order = 0;

	(void)state;
	/* run_seq asserts no repeats and 0 after the whole space. */
	run_seq(SPACE_RANDOM, k, 3, 7, sep_cost, 1000, &a);
	run_seq(SPACE_RANDOM, k, 3, 7, sep_cost, 1000, &b);
	run_seq(SPACE_RANDOM, k, 3, 8, sep_cost, 1000, &c);
	assert_int_equal(a.n_seq, 60);
	assert_int_equal(c.n_seq, 60);
	assert_memory_equal(a.seq, b.seq, 60 * sizeof(*a.seq));
	assert_memory_not_equal(a.seq, c.seq, 60 * sizeof(*a.seq));
	for (i = 0; i < 60; i++)
		in_order += a.seq[i] == i;
	assert_true(in_order < 10);
	free(a.seq);
	free(b.seq);
	free(c.seq);
}

/* The same seed gives this sequence on every machine. */
static void test_random_fixed(void **state)
{
	static const size_t k[] = { 1000 };
	static const uint64_t want[] = { 413, 182, 552, 26, 338 };
	struct run a;

	(void)state;
	run_seq(SPACE_RANDOM, k, 1, 42, sep_cost, 5, &a);
	assert_int_equal(a.n_seq, 5);
	assert_memory_equal(a.seq, want, sizeof(want));
	free(a.seq);
}

static void test_greedy_separable(void **state)
{
	static const size_t k[] = { 8, 8, 8 };
	struct run a;

	(void)state;
	run_seq(SPACE_GREEDY, k, 3, 0, sep_cost, 1000, &a);
	/* Start, a pass of 3 x 7 neighbours, a second pass that finds
	 * option 2's line already known: 1 + 21 + 14. */
	assert_int_equal(a.n_seq, 36);
	assert_true(a.reached > 0 && a.reached <= 22);
	assert_int_equal(a.seq[0], 0);
	free(a.seq);
}

/* Propose until -EAGAIN, tell the batch last first, repeat. */
static void test_greedy_batched(void **state)
{
	static const size_t k[] = { 8, 8, 8 };
	struct strategy *s = new_ok(SPACE_GREEDY, k, 3, 0);
	size_t batch[16][3], n_batch, total = 0, batches = 0, idx[3];
	bool seen[512] = { false }, reached = false;
	int r;

	(void)state;
	for (;;) {
		n_batch = 0;
		while ((r = strategy_next(s, idx)) == 1) {
			assert_true(n_batch < 16);
			assert_false(seen[code_of(k, 3, idx)]);
			seen[code_of(k, 3, idx)] = true;
			memcpy(batch[n_batch++], idx, sizeof(idx));
		}
		if (r == 0) {
			assert_int_equal(n_batch, 0);
			break;
		}
		assert_int_equal(r, -EAGAIN);
		/* -EAGAIN comes only with points outstanding, and again
		 * until they are told. */
		assert_true(n_batch > 0);
		assert_int_equal(strategy_next(s, idx), -EAGAIN);
		/* The start alone, then one option's 7 other values. */
		assert_int_equal(n_batch, batches ? 7 : 1);
		while (n_batch--) {
			double v = sep_cost(batch[n_batch], 3);

			reached = reached || v == 0;
			assert_int_equal(strategy_tell(s, batch[n_batch], v,
						       false), 0);
			total++;
		}
		batches++;
	}
	assert_true(reached);
	assert_int_equal(total, 36);
	assert_int_equal(strategy_next(s, idx), 0);
	strategy_free(s);
}

/* Option 0 at its best value (5) fails to build: greedy settles on 4 (as
 * good as 6, found first) and never proposes a failed point again. */
static void test_greedy_failed(void **state)
{
	static const size_t k[] = { 8, 8, 8 };
	struct strategy *s = new_ok(SPACE_GREEDY, k, 3, 0);
	size_t idx[3], n = 0;
	bool seen[512] = { false };
	double best = 1e300;
	size_t best_idx[3] = { 0 };

	(void)state;
	/* The start point fails too: anything that works beats it. */
	while (strategy_next(s, idx) == 1) {
		bool failed = idx[0] == 5 || code_of(k, 3, idx) == 0;
		double v = sep_cost(idx, 3);

		assert_false(seen[code_of(k, 3, idx)]);
		seen[code_of(k, 3, idx)] = true;
		assert_int_equal(strategy_tell(s, idx, v, failed), 0);
		if (!failed && v < best) {
			best = v;
			memcpy(best_idx, idx, sizeof(idx));
		}
		n++;
	}
	assert_true(n < 512);
	assert_int_equal(best_idx[0], 4);
	assert_int_equal(best_idx[1], 2);
	assert_int_equal(best_idx[2], 7);
	strategy_free(s);
}

static void test_tpe(void **state)
{
	static const size_t k[] = { 8, 8, 8 };
	struct run a, b;
	size_t total = 0;
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 10; seed++) {
		run_seq(SPACE_TPE, k, 3, seed, coupled_cost, 512, &a);
		run_seq(SPACE_TPE, k, 3, seed, coupled_cost, 512, &b);
		assert_int_equal(a.n_seq, 512);
		assert_memory_equal(a.seq, b.seq, 512 * sizeof(*a.seq));
		assert_true(a.reached > 0);
		total += a.reached;
		free(a.seq);
		free(b.seq);
	}
	/* Far better than the 256 points random search needs on average. */
	print_message("tpe: mean %.1f evaluations to the optimum\n",
		      (double)total / 10);
	assert_true(total / 10 < 100);

	/* Seeds differ, and the whole space ends with 0 (run_seq). */
	run_seq(SPACE_TPE, k, 3, 1, coupled_cost, 1000, &a);
	run_seq(SPACE_TPE, k, 3, 2, coupled_cost, 1000, &b);
	assert_int_equal(a.n_seq, 512);
	assert_memory_not_equal(a.seq, b.seq, 512 * sizeof(*a.seq));
	free(a.seq);
	free(b.seq);
}

/*
 * 6 x 6 x 5 ints and a bool (360 points): a diagonal valley in the first
 * two options (they pay off only together), one more int and a bool
 * that shifts every score; one minimum, at (4, 3, 2, 1).
 */
static double valley_cost(const size_t *x)
{
	double a = (double)x[0], b = (double)x[1], c = (double)x[2];

	return 2 * (a - b - 1) * (a - b - 1) + (b - 3) * (b - 3) +
	       (c - 2) * (c - 2) + (x[3] ? 0 : 3);
}

/* On that structured space, over seeds 1..20, tpe's median evaluations
 * to the optimum is at most half of random's, and it reaches the
 * optimum within a quarter of the points in more runs. */
static void test_tpe_beats_random(void **state)
{
	static const size_t k[4] = { 6, 6, 5, 2 };
	static const bool ordered[4] = { true, true, true, false };
	char why[UNITUNE_WHY_MAX] = "";
	struct replay_stats tpe, rnd;
	struct replay_land l;
	size_t x[4];
	uint64_t c;

	(void)state;
	assert_int_equal(replay_land_init(&l, "valley", k, ordered, 4, why,
					  sizeof(why)),
			 0);
	for (c = 0; c < l.size; c++) {
		x[0] = c / 60;
		x[1] = c / 10 % 6;
		x[2] = c / 2 % 5;
		x[3] = c % 2;
		assert_int_equal(replay_land_code(&l, x), c);
		replay_land_set(&l, c, valley_cost(x), false);
	}
	replay_land_finish(&l);
	assert_true(l.best == 0);
	assert_int_equal(l.n_best, 1);
	assert_int_equal(replay_stats(&l, SPACE_TPE, 20, 1, &tpe), 0);
	assert_int_equal(replay_stats(&l, SPACE_RANDOM, 20, 1, &rnd), 0);
	print_message("valley: median to the optimum tpe %g, random %g; "
		      "within %llu: tpe %u, random %u of 20\n", tpe.median,
		      rnd.median, (unsigned long long)tpe.budget,
		      tpe.in_budget, rnd.in_budget);
	assert_int_equal(tpe.reached, 20);
	assert_true(tpe.median * 2 <= rnd.median);
	assert_true(tpe.in_budget > rnd.in_budget);
	replay_land_free(&l);
}

/* tpe proposes with nothing told yet (a batch larger than its start). */
static void test_tpe_batched(void **state)
{
	static const size_t k[] = { 8, 8, 8 };
	struct strategy *s = new_ok(SPACE_TPE, k, 3, 3);
	size_t idx[20][3], i, round;
	bool seen[512] = { false };

	(void)state;
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 20; i++) {
			assert_int_equal(strategy_next(s, idx[i]), 1);
			assert_false(seen[code_of(k, 3, idx[i])]);
			seen[code_of(k, 3, idx[i])] = true;
		}
		for (i = 20; i-- > 0;)
			assert_int_equal(strategy_tell(s, idx[i],
				coupled_cost(idx[i], 3), i % 3 == 0), 0);
	}
	strategy_free(s);
}

/* A point told before it is proposed (a resumed sweep) is never
 * proposed; greedy starts from its result. */
static void test_tell_unproposed(void **state)
{
	static const size_t k[] = { 3, 4 };
	size_t i, idx[2], told[2] = { 0, 0 }, other[2] = { 2, 3 };
	bool seen[12];
	int r;

	(void)state;
	for (i = 0; i < 4; i++) {
		struct strategy *s = new_ok(kinds[i], k, 2, 5);

		memset(seen, 0, sizeof(seen));
		assert_int_equal(strategy_tell(s, told, 5, false), 0);
		assert_int_equal(strategy_tell(s, other, 0, true), 0);
		/* A second tell of the same point replaces the first. */
		assert_int_equal(strategy_tell(s, other, 1, false), 0);
		while ((r = strategy_next(s, idx)) != 0) {
			uint64_t c = code_of(k, 2, idx);

			assert_int_equal(r, 1);
			assert_true(c != 0 && c != 11);
			assert_false(seen[c]);
			seen[c] = true;
			assert_int_equal(strategy_tell(s, idx, 10, false), 0);
		}
		if (kinds[i] != SPACE_GREEDY) {
			size_t n = 0, j;

			for (j = 0; j < 12; j++)
				n += seen[j];
			assert_int_equal(n, 10);
		} else {
			/* Its first proposal is not the start point. */
			assert_false(seen[0]);
		}
		strategy_free(s);
	}
}

static void test_bad_index(void **state)
{
	static const size_t k[] = { 3, 4 };
	size_t bad[2] = { 3, 0 }, bad2[2] = { 0, 4 }, idx[2];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		struct strategy *s = new_ok(kinds[i], k, 2, 1);

		assert_int_equal(strategy_tell(s, bad, 1, false), -EINVAL);
		assert_int_equal(strategy_tell(s, bad2, 1, false), -EINVAL);
		assert_int_equal(strategy_tell(s, NULL, 1, false), -EINVAL);
		assert_int_equal(strategy_next(s, NULL), -EINVAL);
		assert_int_equal(strategy_next(s, idx), 1);
		strategy_free(s);
	}
}

static void test_one_point(void **state)
{
	static const size_t k[] = { 1, 1 };
	size_t i, idx[2] = { 9, 9 };

	(void)state;
	for (i = 0; i < 4; i++) {
		struct strategy *s = new_ok(kinds[i], k, 2, 1);

		assert_int_equal(strategy_next(s, idx), 1);
		assert_int_equal(idx[0], 0);
		assert_int_equal(idx[1], 0);
		if (kinds[i] == SPACE_GREEDY)
			assert_int_equal(strategy_next(s, idx), -EAGAIN);
		else
			assert_int_equal(strategy_next(s, idx), 0);
		assert_int_equal(strategy_tell(s, idx, 1, false), 0);
		assert_int_equal(strategy_next(s, idx), 0);
		strategy_free(s);
	}
}

static void test_new_errors(void **state)
{
	static const size_t k[] = { 3, 0 };
	enum { N = 70 };	/* 2^69 * 3 points */
	static size_t seq[200][N];
	struct strategy *s = (struct strategy *)1;
	size_t huge[N], idx[N], i, j, m;
	int r = 0;

	(void)state;
	assert_int_equal(strategy_new(SPACE_GRID, k, 2, 0, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(strategy_new(SPACE_GRID, k, 0, 0, &s), -EINVAL);
	assert_int_equal(strategy_new(SPACE_GRID, NULL, 1, 0, &s), -EINVAL);
	assert_int_equal(strategy_new((enum space_strategy)9, k, 1, 0, &s),
			 -EINVAL);
	assert_int_equal(strategy_new(SPACE_GRID, k, 1, 0, NULL), -EINVAL);
	/* A space past 2^64 points: no grid, but the others work. */
	for (i = 0; i < N; i++)
		huge[i] = i ? 2 : 3;
	assert_int_equal(strategy_new(SPACE_GRID, huge, N, 0, &s),
			 -EOVERFLOW);
	for (i = 1; i < 4; i++) {
		s = new_ok(kinds[i], huge, N, 11);
		for (j = 0; j < 200 && (r = strategy_next(s, idx)) == 1;
		     j++) {
			for (m = 0; m < N; m++)
				assert_true(idx[m] < huge[m]);
			for (m = 0; m < j; m++)
				assert_memory_not_equal(seq[m], idx,
							sizeof(idx));
			memcpy(seq[j], idx, sizeof(idx));
			assert_int_equal(strategy_tell(s, idx, (double)(j % 17),
						       j % 5 == 0), 0);
		}
		/* Greedy may converge first, after a pass at least. */
		if (kinds[i] == SPACE_GREEDY && j < 200)
			assert_true(r == 0 && j >= N + 1);
		else
			assert_int_equal(j, 200);
		strategy_free(s);
	}
}

static void test_describe(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_non_null(strategy_describe(kinds[i]));
		assert_null(strchr(strategy_describe(kinds[i]), '\n'));
	}
	assert_null(strategy_describe((enum space_strategy)9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_order),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_fixed),
		cmocka_unit_test(test_greedy_separable),
		cmocka_unit_test(test_greedy_batched),
		cmocka_unit_test(test_greedy_failed),
		cmocka_unit_test(test_tpe),
		cmocka_unit_test(test_tpe_batched),
		cmocka_unit_test(test_tpe_beats_random),
		cmocka_unit_test(test_tell_unproposed),
		cmocka_unit_test(test_bad_index),
		cmocka_unit_test(test_one_point),
		cmocka_unit_test(test_new_errors),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
