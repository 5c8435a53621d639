/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tuner/race.c: interval overlap, the best by median, and the race's
 * decisions (who gets more repetitions, how many, when it ends), each
 * on entries whose answer is worked out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "race.h"

#define E(m, l, h, k) { .median = (m), .lo = (l), .hi = (h), .n = (k) }

static void test_overlap(void **state)
{
	(void)state;
	assert_true(race_overlap(1, 3, 2, 4));
	assert_true(race_overlap(2, 4, 1, 3));
	assert_true(race_overlap(1, 4, 2, 3)); /* one inside the other */
	assert_true(race_overlap(1, 2, 2, 3)); /* touching counts */
	assert_true(race_overlap(5, 5, 5, 5)); /* equal exact values */
	assert_false(race_overlap(1, 2, 2.5, 3));
	assert_false(race_overlap(2.5, 3, 1, 2));
	assert_true(race_better(1, 2, false));
	assert_false(race_better(2, 2, false));
	assert_true(race_better(2, 1, true));
}

static void test_best(void **state)
{
	const struct race_entry e[] = {
		E(5, 4, 6, 2), E(3, 2, 4, 2), E(1, 0, 2, 0), E(3, 1, 5, 2),
	};

	(void)state;
	/* Entry 2 has no sample: out. 1 and 3 tie on the median: the
	 * lower index. */
	assert_int_equal(race_best(e, 4, false), 1);
	assert_int_equal(race_best(e, 4, true), 0);
	assert_int_equal(race_best(e, 0, false), 0);
	assert_int_equal(race_best(&e[2], 1, false), 1); /* none */
}

/* A clear winner: no interval overlaps the best's, nothing to add. */
static void test_clear_winner_ends_the_race(void **state)
{
	const struct race_entry e[] = {
		E(100, 95, 105, 2), E(120, 110, 130, 2), E(90, 85, 94, 2),
	};
	size_t pick = 99;
	unsigned target = 99;

	(void)state;
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 0);
	assert_int_equal(pick, 99);
	/* Maximized, 120 is best and 100's interval ends below 110. */
	assert_int_equal(race_next(e, 3, true, 8, &pick, &target), 0);
}

/*
 * The best (0) and a contender (2) overlap; 1 is out of reach. The one
 * with the fewest repetitions goes first; among equals the better
 * median (the best). Each is raised to twice its count.
 */
static void test_contenders_get_more(void **state)
{
	struct race_entry e[] = {
		E(100, 96, 104, 2), E(130, 125, 135, 2), E(103, 99, 107, 2),
	};
	size_t pick = 99;
	unsigned target = 0;

	(void)state;
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 1);
	assert_int_equal(pick, 0);
	assert_int_equal(target, 4);
	e[0].n = 4;
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 1);
	assert_int_equal(pick, 2);
	assert_int_equal(target, 4);
	e[2].n = 4;
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 1);
	assert_int_equal(pick, 0);
	assert_int_equal(target, 8);
	/* Never past the maximum: 5 goes to 8, not 10. */
	e[0].n = 5;
	e[2].n = 8;
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 1);
	assert_int_equal(pick, 0);
	assert_int_equal(target, 8);
	/* Entry 1, which never overlapped, was never picked. */
	e[0].n = 8;
	/* Both at the maximum and still overlapping: a tie, the race is
	 * over. */
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 0);
}

/* The intervals shrank apart: the race ends without the maximum. */
static void test_separated_after_a_top_up(void **state)
{
	struct race_entry e[] = {
		E(100, 96, 104, 2), E(103, 99, 107, 2),
	};
	size_t pick;
	unsigned target;

	(void)state;
	assert_int_equal(race_next(e, 2, false, 10, &pick, &target), 1);
	e[0] = (struct race_entry)E(100, 99, 101, 4);
	assert_int_equal(race_next(e, 2, false, 10, &pick, &target), 1);
	assert_int_equal(pick, 1);
	e[1] = (struct race_entry)E(103, 102, 104, 4);
	assert_int_equal(race_next(e, 2, false, 10, &pick, &target), 0);
}

/* A new best after a top-up: the race follows it. */
static void test_the_race_follows_a_new_best(void **state)
{
	struct race_entry e[] = {
		E(100, 95, 105, 4), E(101, 96, 110, 2), E(109, 106, 112, 2),
	};
	size_t pick;
	unsigned target;

	(void)state;
	/* 2 does not overlap 0's [95, 105]. */
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 1);
	assert_int_equal(pick, 1);
	/* 0's next samples were worse: now 1 (median 101) leads, and 2
	 * overlaps 1's [98, 107]. */
	e[0] = (struct race_entry)E(104, 103, 106, 8);
	e[1] = (struct race_entry)E(101, 98, 107, 4);
	assert_int_equal(race_best(e, 3, false), 1);
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 1);
	assert_int_equal(pick, 2);
	assert_int_equal(target, 4);
}

/* Entries without samples (failed, not measured) are never raced. */
static void test_unmeasured_are_out(void **state)
{
	const struct race_entry e[] = {
		E(0, 0, 0, 0), E(100, 90, 110, 2), E(100, 90, 110, 0),
	};
	size_t pick;
	unsigned target;

	(void)state;
	assert_int_equal(race_next(e, 3, false, 8, &pick, &target), 0);
	assert_int_equal(race_next(e, 0, false, 8, &pick, &target), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_best),
		cmocka_unit_test(test_clear_winner_ends_the_race),
		cmocka_unit_test(test_contenders_get_more),
		cmocka_unit_test(test_separated_after_a_top_up),
		cmocka_unit_test(test_the_race_follows_a_new_best),
		cmocka_unit_test(test_unmeasured_are_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
