/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Noisy metrics in tuner/analysis.c: medians and bootstrap intervals of
 * wall-clock samples, ties with the best (and none between exact
 * deterministic values), the Pareto front within the noise, the tie's
 * text; and the strategy's score (tuner/score.c), which sees only a
 * race's first repetitions. On experiments added to tuner_synth.h's
 * store, every expected figure worked out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "analysis.h"
#include "score.h"
#include "tuner_synth.h"

#define EPS 1e-9

static struct analysis_table *
load_noisy(struct synth *s, const char *name,
	   const struct synth_noisy_variant *v, size_t n)
{
	struct analysis_table *t = NULL;
	int64_t exp = synth_noisy_experiment(s, name, v, n);

	assert_int_equal(analysis_load(s->st, exp, s->space, &t), 0);
	return t;
}

static void test_wall_stats(void **state)
{
	struct analysis_table *t = load_noisy(*state, "stats", synth_noisy,
					      SYNTH_NOISY_N);
	const struct analysis_stat *b = &t->v[1].stats[0];
	const struct analysis_stat *size = &t->v[1].stats[1];

	assert_true(b->wall);
	assert_int_equal(b->n, 3);
	assert_float_equal(b->median, 102, EPS);
	assert_float_equal(b->mean, 102, EPS);
	assert_float_equal(b->ci_low, 101, EPS);
	assert_float_equal(b->ci_high, 103, EPS);
	assert_float_equal(b->spread, 2.0 / 102, EPS);
	assert_false(b->unstable);
	/* Deterministic: no interval beyond the value itself. */
	assert_false(size->wall);
	assert_float_equal(size->ci_low, 1000, EPS);
	assert_float_equal(size->ci_high, 1000, EPS);
	analysis_free(t);
}

static void test_tie_with_the_best(void **state)
{
	struct analysis_table *t = load_noisy(*state, "tie", synth_noisy,
					      SYNTH_NOISY_N);
	struct strbuf text = STRBUF_INIT;
	int64_t a = t->v[0].id, b = t->v[1].id;
	char want[512];

	assert_int_equal(analysis_best(t)->id, a);
	assert_int_equal(t->n_tied, 1);
	assert_int_equal(t->v[t->tied[0]].id, b);
	assert_true(t->v[1].tied);
	assert_false(t->v[0].tied); /* the best is not tied with itself */
	assert_false(t->v[2].tied);
	assert_int_equal(analysis_tie_text(t, &text), 0);
	snprintf(want, sizeof(want),
		 "tie: the 95%% intervals of v%lld and v%lld on boot_cycles "
		 "overlap: the measurements do not say which is best\n"
		 "  v%-5lld 101 [100, 102] cycles, 3 repetitions (ranked "
		 "first)\n"
		 "  v%-5lld 102 [101, 103] cycles, 3 repetitions\n",
		 (long long)a, (long long)b, (long long)a, (long long)b);
	assert_string_equal(text.buf, want);
	strbuf_release(&text);
	analysis_free(t);
}

/* Three tied: every name in the first line. */
static void test_tie_names_every_variant(void **state)
{
	static const struct synth_noisy_variant three[] = {
		{ { 0, 0, 0 }, { 100, 104 }, 2, STORE_WALL, 0 },
		{ { 0, 1, 0 }, { 101, 105 }, 2, STORE_WALL, 0 },
		{ { 1, 0, 0 }, { 103, 107 }, 2, STORE_WALL, 0 },
	};
	struct analysis_table *t = load_noisy(*state, "three", three, 3);
	struct strbuf text = STRBUF_INIT;
	char want[256];

	assert_int_equal(t->n_tied, 2);
	assert_int_equal(analysis_tie_text(t, &text), 0);
	snprintf(want, sizeof(want), "tie: the 95%% intervals of v%lld, v%lld "
		 "and v%lld on boot_cycles overlap", (long long)t->v[0].id,
		 (long long)t->v[1].id, (long long)t->v[2].id);
	assert_memory_equal(text.buf, want, strlen(want));
	strbuf_release(&text);
	analysis_free(t);
}

/* Deterministic values are exact: equal ones never tie, nothing said. */
static void test_deterministic_never_ties(void **state)
{
	static const struct synth_noisy_variant exact[] = {
		{ { 0, 0, 0 }, { 100, 100 }, 2, STORE_DETERMINISTIC, 0 },
		{ { 0, 1, 0 }, { 100, 100 }, 2, STORE_DETERMINISTIC, 0 },
	};
	struct analysis_table *t = load_noisy(*state, "exact", exact, 2);
	struct strbuf text = STRBUF_INIT;

	assert_int_equal(t->n_tied, 0);
	assert_false(t->v[1].tied);
	assert_false(t->v[0].stats[0].wall);
	assert_int_equal(analysis_tie_text(t, &text), 0);
	assert_int_equal(text.len, 0);
	strbuf_release(&text);
	analysis_free(t);
}

/*
 * Front by the medians: A (101, 1000) and D (131, 900). B (102, 1000)
 * is behind A only within the noise: near the front. C (121, 1100) is
 * beaten by A beyond both intervals, and on the exact size.
 */
static void test_near_front(void **state)
{
	struct analysis_table *t = load_noisy(*state, "front", synth_noisy,
					      SYNTH_NOISY_N);

	assert_int_equal(t->n_front, 2);
	assert_true(t->v[0].pareto);
	assert_true(t->v[3].pareto);
	assert_int_equal(t->n_near_front, 1);
	assert_int_equal(t->v[t->near_front[0]].id, t->v[1].id);
	assert_true(t->v[1].near_front);
	assert_false(t->v[1].pareto);
	assert_false(t->v[2].near_front);
	assert_false(t->v[2].pareto);
	analysis_free(t);
}

/* The strategy is told the median of the first repetitions only: what
 * a race adds later does not change what the search saw. */
static void test_score_sees_the_first_repetitions(void **state)
{
	static const struct synth_noisy_variant raced[] = {
		{ { 0, 0, 0 }, { 10, 20, 90, 95 }, 4, STORE_WALL, 0 },
	};
	struct synth *s = *state;
	int64_t exp = synth_noisy_experiment(s, "raced", raced, 1);
	struct analysis_table *t;
	struct space_bench saved = s->space->bench;
	double score;
	bool failed;

	assert_int_equal(analysis_load(s->st, exp, s->space, &t), 0);
	/* Not racing: every repetition. */
	assert_int_equal(score_variant(s->st, s->space, t->v[0].id, STORE_DONE,
				       &score, &failed),
			 0);
	assert_false(failed);
	assert_float_equal(score, 55, EPS);
	/* repetitions: {min: 2, max: 4} */
	s->space->bench.repetitions = 2;
	s->space->bench.max_repetitions = 4;
	assert_int_equal(score_variant(s->st, s->space, t->v[0].id, STORE_DONE,
				       &score, &failed),
			 0);
	s->space->bench = saved;
	assert_false(failed);
	assert_float_equal(score, 15, EPS);
	/* The analysis ranks by every repetition. */
	assert_float_equal(t->v[0].stats[0].median, 55, EPS);
	analysis_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wall_stats),
	    cmocka_unit_test(test_tie_with_the_best),
	    cmocka_unit_test(test_tie_names_every_variant),
	    cmocka_unit_test(test_deterministic_never_ties),
	    cmocka_unit_test(test_near_front),
	    cmocka_unit_test(test_score_sees_the_first_repetitions),
	};

	return cmocka_run_group_tests(tests, synth_setup, synth_teardown);
}
