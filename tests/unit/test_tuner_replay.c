/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tuner/replay.c: a landscape read from a store holding failed variants
 * (tuner_synth.h's experiment) and strategies replayed over it, every
 * expected figure worked out by hand; then the statistics over seeds on
 * a landscape built in memory.
 *
 * The synth grid (alloc x stack x banner, grid index = 4a + 2s + b):
 *   code point    variant          value
 *   0    0 0 0    1 done           105 (median of 100, 110)
 *   1    0 0 1    5 crashed        failed (a boot_cycles run of 1 too)
 *   2    0 1 0    2 done           90
 *   3    0 1 1    none             failed, missing
 *   4    1 0 0    3 done           120
 *   5    1 0 1    6 build_failed   failed
 *   6    1 1 0    4 (shared)       84
 *   7    1 1 1    4 done           84 (median of 80, 84, 88)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "replay.h"
#include "strategy.h"
#include "tuner_synth.h"

/* Record a point of the synth space as resolved to variant vid. */
static void add_point(struct synth *s, const size_t *idx, int64_t vid)
{
	struct strbuf req = STRBUF_INIT;

	assert_int_equal(space_point_format(s->space, idx, &req), 0);
	assert_int_equal(store_point_add(s->st, s->exp, req.buf, vid), 1);
	strbuf_release(&req);
}

/*
 * The sweep's points table for synth: each variant's own point, and
 * (1, 1, 0) folded into variant 4. The crashed variant 5 also got a
 * boot_cycles row (a run that printed its figure and then crashed),
 * lower than every success: it must still be a failure.
 */
static void load(struct synth *s, struct replay_land *l)
{
	static const size_t shared[3] = { 1, 1, 0 };
	char why[UNITUNE_WHY_MAX] = "";
	unsigned foreign = 1;
	size_t i;

	for (i = 0; i < SYNTH_N; i++)
		add_point(s, synth_variants[i].idx, (int64_t)i + 1);
	add_point(s, shared, 4);
	assert_int_equal(store_run_add(s->st, 5, "boot_cycles", 1, "cycles",
				       0, STORE_DETERMINISTIC, "tcg"), 0);
	assert_int_equal(replay_land_from_store(l, s->st, SYNTH_NAME,
						s->space, &foreign, why,
						sizeof(why)),
			 0);
	assert_int_equal(foreign, 0);
}

static void test_from_store(void **state)
{
	static const unsigned char failed[8] = { 0, 1, 0, 1, 0, 1, 0, 0 };
	static const double val[8] = { 105, 0, 90, 0, 120, 0, 84, 84 };
	struct replay_land l;
	uint64_t c;

	load(*state, &l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.size, 8);
	/* The stack is an int: ordered; the choice and the bool are not. */
	assert_false(l.ordered[0]);
	assert_true(l.ordered[1]);
	assert_false(l.ordered[2]);
	for (c = 0; c < 8; c++) {
		assert_int_equal(l.failed[c], failed[c]);
		assert_true(fabs(l.val[c] - val[c]) < 1e-9);
	}
	assert_int_equal(l.missing, 1);
	assert_true(fabs(l.best - 84) < 1e-9);
	assert_int_equal(l.n_best, 2);
	replay_land_free(&l);
}

static void test_unknown_experiment(void **state)
{
	struct synth *s = *state;
	char why[UNITUNE_WHY_MAX] = "";
	struct replay_land l;
	unsigned foreign;

	assert_int_equal(replay_land_from_store(&l, s->st, "nosuch", s->space,
						&foreign, why, sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "nosuch: no such experiment"));
}

/*
 * Grid tells codes 0..7 in order: the best (84) first at code 6, the 7th
 * evaluation; the failed codes 1, 3 and 5 before it do not count.
 * Greedy from (0,0,0): option 0 tries code 4 (120), option 1 code 2 (90,
 * taken), option 2 code 3 (failed: told so, so not taken); the second
 * pass's option 0 tries code 6 (84): the 5th evaluation. Had the failure
 * at code 3 been told as a score, greedy would have moved there.
 */
static void test_replay_failures(void **state)
{
	struct replay_land l;
	struct replay_stats st;
	uint64_t reached, total;

	load(*state, &l);
	assert_int_equal(replay_run(&l, SPACE_GRID, 0, 1, &reached, &total),
			 0);
	assert_int_equal(reached, 7);
	assert_int_equal(total, 7);
	assert_int_equal(replay_run(&l, SPACE_GREEDY, 0, 1, &reached, &total),
			 0);
	assert_int_equal(reached, 5);

	/* Grid runs once whatever the seeds; the budget is 8 / 4 = 2. */
	assert_int_equal(replay_stats(&l, SPACE_GRID, 20, 1, &st), 0);
	assert_int_equal(st.runs, 1);
	assert_int_equal(st.reached, 1);
	assert_int_equal(st.budget, 2);
	assert_int_equal(st.in_budget, 0);
	assert_true(st.median == 7 && st.q1 == 7 && st.q3 == 7);

	/* Random and tpe tell every point at worst: each run gets there. */
	assert_int_equal(replay_stats(&l, SPACE_RANDOM, 20, 1, &st), 0);
	assert_int_equal(st.runs, 20);
	assert_int_equal(st.reached, 20);
	/* 8 points, 2 of them best: the 7th evaluation at the latest */
	assert_true(st.max <= 7);
	assert_int_equal(replay_stats(&l, SPACE_TPE, 20, 2, &st), 0);
	assert_int_equal(st.reached, 20);
	assert_true(st.max <= 7);
	replay_land_free(&l);
}

/* A 2-dimensional landscape k[0] x k[1] in l, built in memory: the score
 * of each point (code), failed[code] telling a failure. */
static void land_2d(struct replay_land *l, const char *name, const size_t *k,
		    const double *v, const bool *failed)
{
	char why[UNITUNE_WHY_MAX] = "";
	uint64_t c;

	if (replay_land_init(l, name, k, NULL, 2, why, sizeof(why)))
		fail_msg("replay_land_init: %s", why);
	for (c = 0; c < k[0] * k[1]; c++)
		replay_land_set(l, c, v[c], failed[c]);
	replay_land_finish(l);
}

/* A landscape of 4 x 4 over failures and ties built in memory: the best
 * shared by two points, a failed point whose score would be lower. */
static void test_land_in_memory(void **state)
{
	static const size_t k[2] = { 4, 4 };
	/* 10 + code, but 1 at 9 and 13; 3 failed (its -5 is not a
	 * score), 4 unmeasured (NaN counts as failed). */
	static const double v[16] = { 10, 11, 12, -5,  NAN, 15, 16, 17,
				      18, 1,  20, 21, 22, 1,   24, 25 };
	static const bool failed[16] = { [3] = true };
	char why[UNITUNE_WHY_MAX] = "";
	struct replay_land l;
	struct replay_stats st;
	uint64_t reached, total;

	(void)state;
	land_2d(&l, "mem", k, v, failed);
	assert_true(l.best == 1);
	assert_int_equal(l.n_best, 2);
	assert_int_equal(l.failed[3], 1);
	assert_int_equal(l.failed[4], 1);
	assert_int_equal(replay_run(&l, SPACE_GRID, 0, 4, &reached, &total),
			 0);
	assert_int_equal(reached, 10);
	assert_int_equal(replay_stats(&l, SPACE_RANDOM, 9, 1, &st), 0);
	assert_int_equal(st.runs, 9);
	assert_true(st.q1 <= st.median && st.median <= st.q3 &&
		    st.q3 <= (double)st.max && st.max <= 15);
	assert_int_equal(st.budget, 4);
	replay_land_free(&l);

	/* Too many points: refused with a message. */
	{
		static const size_t big[3] = { 4096, 4096, 8 };

		assert_int_equal(replay_land_init(&l, "big", big, NULL, 3,
						  why, sizeof(why)),
				 -EOVERFLOW);
		assert_non_null(strstr(why, "big: more than"));
	}
}

/*
 * 3 x 3, code 3a + b, greedy from (0,0):
 *      b=0     1     2
 *  a=0  10     9    12
 *  a=1  fail  15     5
 *  a=2  20    15     1 (best)
 * Told as a failure, (1,0) is not taken: greedy moves to (0,1), finds
 * nothing better around it and stops after 7 evaluations without the
 * best. Had the failure been told as a score (its stored 0), greedy
 * would have moved there and on through (1,2) to the best.
 */
static void test_failure_told(void **state)
{
	static const size_t k[2] = { 3, 3 };
	static const double v[9] = { 10, 9, 12, 0, 15, 5, 20, 15, 1 };
	static const bool failed[9] = { [3] = true };
	struct replay_land l;
	uint64_t reached, total;

	(void)state;
	land_2d(&l, "told", k, v, failed);
	assert_int_equal(replay_run(&l, SPACE_GREEDY, 0, 1, &reached, &total),
			 0);
	assert_int_equal(reached, 0);
	assert_int_equal(total, 7);
	replay_land_free(&l);
}

/* P(X > x) = (8 - x)(7 - x) / 56 for 2 best points of 8: 0.75, 0.54,
 * then 0.36 at x = 3. One point of 60: 30. Every point best: 1. */
static void test_random_median(void **state)
{
	(void)state;
	assert_int_equal(replay_random_median(8, 2), 3);
	assert_int_equal(replay_random_median(60, 1), 30);
	assert_int_equal(replay_random_median(61, 1), 31);
	assert_int_equal(replay_random_median(5, 5), 1);
	assert_int_equal(replay_random_median(5, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_from_store, synth_setup,
						synth_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_experiment,
						synth_setup, synth_teardown),
		cmocka_unit_test_setup_teardown(test_replay_failures,
						synth_setup, synth_teardown),
		cmocka_unit_test(test_land_in_memory),
		cmocka_unit_test(test_failure_told),
		cmocka_unit_test(test_random_median),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
