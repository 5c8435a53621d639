/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tuner/analysis.c over the synthetic experiment of tuner_synth.h, every
 * expected number worked out by hand from the table there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "analysis.h"
#include "tuner_synth.h"

#define EPS 1e-9

static struct analysis_table *load(struct synth *s)
{
	struct analysis_table *t = NULL;
	int r = analysis_load(s->st, s->exp, s->space, &t);

	if (r)
		fail_msg("analysis_load: %d %s", r, store_errmsg(s->st));
	return t;
}

/* The variants at t->v[idx[0..n)] (a ranking, the front) are want. */
static void assert_ids(const struct analysis_table *t, const size_t *idx,
		       size_t n, const int64_t *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t->v[idx[i]].id != want[i])
			fail_msg("position %zu: v%lld, want v%lld", i,
				 (long long)t->v[idx[i]].id,
				 (long long)want[i]);
}

/* v's options as resolved: allocator, stack, banner. */
static void assert_resolved(const struct analysis_variant *v,
			    const char *const want[3])
{
	size_t i;

	for (i = 0; i < 3; i++)
		assert_string_equal(v->resolved_vals[i], want[i]);
}

static void test_stats(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	const struct analysis_stat *st;
	int boot, size, alloc;

	assert_int_equal(t->n, SYNTH_N);
	assert_int_equal(t->n_metrics, 3);
	/* Objectives first, in order; then what runs recorded. */
	assert_string_equal(t->metrics[0], "boot_cycles");
	assert_string_equal(t->metrics[1], "image_size");
	assert_string_equal(t->metrics[2], "alloc.small.cycles_per_op");
	boot = analysis_metric_index(t, "boot_cycles");
	size = analysis_metric_index(t, "image_size");
	alloc = analysis_metric_index(t, "alloc.small.cycles_per_op");
	assert_int_equal(boot, 0);
	assert_int_equal(size, 1);
	assert_int_equal(alloc, 2);
	assert_int_equal(analysis_metric_index(t, "min_mem"), -1);
	assert_string_equal(t->units[boot], "cycles");
	assert_string_equal(t->units[size], "bytes");

	/* Variant 1: 100, 110: mean 105, sample stddev sqrt(50). */
	st = &t->v[0].stats[boot];
	assert_int_equal(st->n, 2);
	assert_float_equal(st->mean, 105, EPS);
	assert_float_equal(st->min, 100, EPS);
	assert_float_equal(st->max, 110, EPS);
	assert_float_equal(st->stddev, sqrt(50), EPS);
	assert_int_equal(t->v[0].stats[alloc].n, 1);
	assert_float_equal(t->v[0].stats[alloc].mean, 7, EPS);
	/* Variant 4: 80, 84, 88: mean 84, stddev 4. */
	st = &t->v[3].stats[boot];
	assert_int_equal(st->n, 3);
	assert_float_equal(st->mean, 84, EPS);
	assert_float_equal(st->stddev, 4, EPS);
	/* One repetition: no spread. */
	assert_float_equal(t->v[1].stats[boot].stddev, 0, EPS);
	/* Failures measured nothing. */
	assert_int_equal(t->v[4].stats[boot].n, 0);
	assert_int_equal(t->v[5].stats[size].n, 0);
	assert_int_equal(t->v[4].status, STORE_CRASHED);
	assert_string_equal(t->v[4].log_tail, "panic: oops\n---\nbooting\n");
	assert_null(t->v[0].log_tail);
	analysis_free(t);
}

static void test_rank_and_best(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	const struct analysis_variant *best;

	/* Done variants by boot_cycles: 84 (4), 90 (2), 105 (1), 120 (3). */
	assert_int_equal(t->n_ranked, 4);
	assert_ids(t, t->rank, 4, (const int64_t[]){ 4, 2, 1, 3 });
	best = analysis_best(t);
	assert_non_null(best);
	assert_int_equal(best->id, 4);
	assert_string_equal(best->hash, "hash4");
	assert_float_equal(analysis_objective(t, best, 0)->mean, 84, EPS);
	assert_float_equal(analysis_objective(t, best, 1)->mean, 1300, EPS);
	/* (84 + 90 + 105 + 120) / 4 */
	assert_float_equal(t->overall_mean, 99.75, EPS);
	analysis_free(t);
}

static void test_rank_maximize(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t;

	/* The same data, boot_cycles maximized: 120 (3) is best. */
	s->space->objectives[0].goal = SPACE_MAXIMIZE;
	t = load(s);
	s->space->objectives[0].goal = SPACE_MINIMIZE;
	assert_int_equal(t->n_ranked, 4);
	assert_int_equal(analysis_best(t)->id, 3);
	assert_int_equal(t->v[t->rank[3]].id, 4);
	analysis_free(t);
}

static void test_requested_and_resolved(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	const struct analysis_variant *v4 = &t->v[3], *v1 = &t->v[0];

	assert_non_null(v4->idx);
	assert_int_equal(v4->idx[0], 1);
	assert_int_equal(v4->idx[1], 1);
	assert_int_equal(v4->idx[2], 1);
	assert_true(v4->changed);
	assert_false(v4->opt_changed[0]);
	assert_true(v4->opt_changed[1]);
	assert_false(v4->opt_changed[2]);
	assert_resolved(v4, (const char *const[]){ "UKALLOC_TLSF", "128", "n" });
	assert_false(v1->changed);
	assert_resolved(v1, (const char *const[]){ "UKALLOC_REGION", "16", "y" });
	analysis_free(t);
}

/* An effect on the primary objective: its option, and per value of that
 * option (two here) how many variants and their mean. */
static void assert_effect(const struct analysis_effect *e, size_t option,
			  const unsigned n[2], const double mean[2],
			  double effect)
{
	size_t j;

	assert_int_equal(e->option, option);
	for (j = 0; j < 2; j++) {
		assert_int_equal(e->values[j].n, n[j]);
		assert_float_equal(e->values[j].mean, mean[j], EPS);
	}
	assert_float_equal(e->effect, effect, EPS);
}

static void test_effects(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	const struct analysis_effect *e;

	assert_int_equal(t->n_effects, 3);
	/*
	 * Variants count under the value they resolved to: variant 4 asked
	 * for a 64 KiB stack but got 128, which is none of the option's
	 * values, so it is left out of this option's effect.
	 * Stack: 16 -> (105 + 120) / 2 = 112.5, 64 -> 90.
	 */
	e = &t->effects[0];
	assert_effect(e, 1, (const unsigned[]){ 2, 1 },
		      (const double[]){ 112.5, 90 }, 22.5);
	assert_float_equal(e->effect_pct, 100 * 22.5 / 99.75, EPS);
	/* Banner: y -> (105 + 90 + 120) / 3 = 105, n -> 84. */
	assert_effect(&t->effects[1], 2, (const unsigned[]){ 3, 1 },
		      (const double[]){ 105, 84 }, 21);
	/* Allocator: region -> (105 + 90) / 2 = 97.5, TLSF -> 102. */
	e = &t->effects[2];
	assert_effect(e, 0, (const unsigned[]){ 2, 2 },
		      (const double[]){ 97.5, 102 }, 4.5);
	assert_float_equal(e->effect_pct, 100 * 4.5 / 99.75, EPS);
	analysis_free(t);
}

static void test_pareto(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);

	/*
	 * (boot, size): 4 (84, 1300), 2 (90, 1200), 1 (105, 1250),
	 * 3 (120, 900). 2 dominates 1; the others trade one for the other.
	 */
	assert_int_equal(t->n_front, 3);
	assert_ids(t, t->front, 3, (const int64_t[]){ 4, 2, 3 });
	assert_false(t->v[0].pareto);
	assert_true(t->v[1].pareto);
	assert_false(t->v[4].pareto);
	analysis_free(t);
}

static void test_no_success(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t;
	int64_t exp, vid;

	assert_int_equal(store_experiment_create(s->st, "empty", "e.yaml",
						 synth_space_text, &exp),
			 0);
	assert_int_equal(store_variant_upsert(s->st, exp, "h",
					      "CONFIG_UKALLOC_TLSF=y\n",
					      "CONFIG_UKALLOC_TLSF=y\n", &vid,
					      NULL),
			 1);
	assert_int_equal(store_variant_set_status(s->st, vid, STORE_TIMEOUT,
						  NULL),
			 0);
	assert_int_equal(analysis_load(s->st, exp, s->space, &t), 0);
	assert_int_equal(t->n, 1);
	assert_null(t->v[0].idx); /* the requested text lacks two options */
	assert_false(t->v[0].changed);
	assert_int_equal(t->n_ranked, 0);
	assert_null(analysis_best(t));
	assert_true(isnan(t->overall_mean));
	assert_int_equal(t->n_front, 0);
	assert_float_equal(t->effects[0].effect, 0, EPS);
	assert_true(isnan(t->effects[0].effect_pct));
	analysis_free(t);
}

/* Evaluated in the order 3, 1, 5 (crashed), 4, 2, 6 (failed), then an
 * id the table does not have. */
static void test_best_so_far(void **state)
{
	static const int64_t ids[] = { 5, 3, 1, 4, 2, 6, 99 };
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	double out[7];

	analysis_best_so_far(t, ids, 7, out);
	assert_true(isnan(out[0])); /* nothing succeeded yet */
	assert_true(out[1] == 120 && out[2] == 105 && out[3] == 84 &&
		    out[4] == 84 && out[5] == 84 && out[6] == 84);
	analysis_free(t);
	s->space->objectives[0].goal = SPACE_MAXIMIZE;
	t = load(s);
	analysis_best_so_far(t, ids, 4, out);
	s->space->objectives[0].goal = SPACE_MINIMIZE;
	assert_true(out[1] == 120 && out[2] == 120 && out[3] == 120);
	analysis_free(t);
}

struct seen {
	int64_t variant;
	size_t option, n;
};

static int seen_cb(void *ctx, const struct analysis_variant *v, size_t opt)
{
	struct seen *x = ctx;

	x->variant = v->id;
	x->option = opt;
	x->n++;
	return 0;
}

/* v4's stack (64 -> 128) has no dependency that is off: a surprise,
 * handed to the callback; nothing is dead by dependency. */
static void test_changes(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	struct dead_tally dead = { 0 };
	struct seen x = { 0 };

	assert_int_equal(analysis_changes(t, s->kc, &dead, seen_cb, &x), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.variant, 4);
	assert_int_equal(x.option, 1);
	assert_int_equal(dead.n, 0);
	analysis_free(t);
}

static void test_dead_tally(void **state)
{
	struct dead_tally d = { 0 };
	struct strbuf line = STRBUF_INIT;

	(void)state;
	assert_int_equal(dead_tally_add_lines(&d, "X\tCONFIG_Y=n\n"
						  "Z\tCONFIG_Y=n\n"
						  "X\tCONFIG_Y=n\n"
						  "not a tally line\n"
						  "X\tCONFIG_W=n"),
			 0);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].n, 2);
	assert_int_equal(dead_tally_text(&d.v[0], "variants", &line), 0);
	assert_string_equal(line.buf, "CONFIG_X: not applicable in 2 variants "
				      "because CONFIG_Y=n");
	line.len = 0;
	assert_int_equal(dead_tally_text(&d.v[2], "points", &line), 0);
	assert_string_equal(line.buf, "CONFIG_X: not applicable in 1 point "
				      "because CONFIG_W=n");
	strbuf_release(&line);
	dead_tally_release(&d);
}

static void test_export(void **state)
{
	struct synth *s = *state;
	struct analysis_table *t = load(s);
	struct strbuf out = STRBUF_INIT;

	/* The best variant as resolved: the stack kconfig raised to 128. */
	assert_int_equal(analysis_export(t, analysis_best(t), &out), 0);
	assert_string_equal(out.buf, "CONFIG_UKALLOC_TLSF=y\n"
				     "CONFIG_UKBOOT_STACK_KB=128\n"
				     "# CONFIG_UKBOOT_BANNER is not set\n");
	strbuf_release(&out);
	assert_int_equal(analysis_export(t, &t->v[1], &out), 0);
	assert_string_equal(out.buf, "CONFIG_UKALLOC_REGION=y\n"
				     "CONFIG_UKBOOT_STACK_KB=64\n"
				     "CONFIG_UKBOOT_BANNER=y\n");
	strbuf_release(&out);
	analysis_free(t);
}

static void test_fmt(void **state)
{
	char buf[32];

	(void)state;
	analysis_fmt(84, buf, sizeof(buf));
	assert_string_equal(buf, "84");
	analysis_fmt(112.5, buf, sizeof(buf));
	assert_string_equal(buf, "112.5");
	analysis_fmt(1234.5678, buf, sizeof(buf));
	assert_string_equal(buf, "1234.6");
	analysis_fmt(0.012345, buf, sizeof(buf));
	assert_string_equal(buf, "0.01235");
}

static void test_first_line(void **state)
{
	char buf[32];

	(void)state;
	analysis_first_line("b: failed\n---\nlog\n", buf, sizeof(buf));
	assert_string_equal(buf, "b: failed");
	analysis_first_line("only", buf, sizeof(buf));
	assert_string_equal(buf, "only");
	analysis_first_line(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "");
	analysis_first_line("\n\n", buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stats),
	    cmocka_unit_test(test_rank_and_best),
	    cmocka_unit_test(test_rank_maximize),
	    cmocka_unit_test(test_requested_and_resolved),
	    cmocka_unit_test(test_effects),
	    cmocka_unit_test(test_pareto),
	    cmocka_unit_test(test_no_success),
	    cmocka_unit_test(test_best_so_far),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_dead_tally),
	    cmocka_unit_test(test_export),
	    cmocka_unit_test(test_fmt),
	    cmocka_unit_test(test_first_line),
	};

	return cmocka_run_group_tests(tests, synth_setup, synth_teardown);
}
