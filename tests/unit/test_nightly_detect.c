/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The regression detector (nightly/detect.h): the distributions and
 * tests against reference values (computed with SciPy 1.10: stats.t,
 * special.betainc, stats.ttest_ind(equal_var=False),
 * stats.mannwhitneyu, stats.ks_2samp, special.kolmogorov; the exact
 * tie-conditional Mann-Whitney p by enumerating every split in Python),
 * E-divisive on synthetic series with known change points and on pure
 * noise (fixed seeds), the exact rule of deterministic series at its
 * threshold, failed points, too little history, the direction of a
 * change, and the Pinpoint-style compare.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "edivisive.h"
#include "rng.h"
#include "two_sample.h"

#define MAXP 160
#define MAXR 8

/* A synthetic series: MAXP points of up to MAXR samples. */
struct synth {
	double v[MAXP][MAXR];
	struct detect_point pts[MAXP];
	size_t n;
};

static double gauss(uint64_t *st)
{
	double u1 = rng_unit(st), u2 = rng_unit(st);

	return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

/* n points of reps samples: level[i] with lognormal noise of CV cv. */
static void synth_fill(struct synth *s, size_t n, size_t reps,
		       const double *level, double cv, uint64_t seed)
{
	double sigma = sqrt(log(1 + cv * cv));
	size_t i, j;

	s->n = n;
	for (i = 0; i < n; i++) {
		for (j = 0; j < reps; j++)
			s->v[i][j] = level[i] * exp(sigma * gauss(&seed));
		s->pts[i] = (struct detect_point){ .samples = s->v[i],
						   .n = reps };
	}
}

/* base until index `at`, base * (1 + step) from it. */
static void step_levels(double *level, size_t n, double base, size_t at,
			double step)
{
	size_t i;

	for (i = 0; i < n; i++)
		level[i] = i < at ? base : base * (1 + step);
}

static void near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol * fabs(want) + 1e-300))
		fail_msg("got %.15g, want %.15g (rel tol %g)", got, want, tol);
}

static void test_student_t_and_incbeta(void **state)
{
	(void)state;
	near(detect_student_t_p(2.0, 5), 0.101939478829858, 1e-10);
	near(detect_student_t_p(-1.0, 1), 0.5, 1e-10);
	near(detect_student_t_p(3.5, 10.3), 0.00547832745981645, 1e-9);
	near(detect_student_t_p(0.5, 30), 0.620723004885127, 1e-10);
	near(detect_student_t_p(10, 4), 0.000562003622715991, 1e-9);
	near(detect_student_t_p(2.5, 2.7), 0.0970794144429347, 1e-9);
	assert_true(detect_student_t_p(0, 7) == 1.0);
	assert_true(detect_student_t_p(INFINITY, 7) == 0.0);
	near(detect_incbeta(2, 3, 0.4), 0.5248, 1e-12);
	near(detect_incbeta(0.5, 0.5, 0.1), 0.204832764699134, 1e-10);
	near(detect_incbeta(10, 0.5, 0.9), 0.15164090963471, 1e-10);
	near(detect_incbeta(5.5, 0.5, 0.99), 0.745149907990548, 1e-10);
	assert_true(isnan(detect_incbeta(0, 1, 0.5)));
	assert_true(isnan(detect_incbeta(1, 1, 1.5)));
}

static const double A[] = { 10.1, 9.8, 10.4, 10.0, 9.9 };
static const double B[] = { 10.9, 11.2, 10.7, 11.0, 11.4, 10.8 };
static const double C[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const double D[] = { 2.5, 3.1, 9, 10, 11 };

static void test_welch(void **state)
{
	const double k1[] = { 3, 3, 3 }, k2[] = { 4, 4, 4 };

	(void)state;
	near(detect_welch_t_p(A, 5, B, 6), 0.000116942539081424, 1e-8);
	near(detect_welch_t_p(C, 8, D, 5), 0.237309335782279, 1e-9);
	/* Too few samples, or no variance at all. */
	assert_true(detect_welch_t_p(A, 1, B, 6) == 1.0);
	assert_true(detect_welch_t_p(k1, 3, k1, 3) == 1.0);
	assert_true(detect_welch_t_p(k1, 3, k2, 3) == 0.0);
}

static const double X[] = {
	101.0, 102.5, 101.0, 96.1, 102.7, 101.3, 98.4, 101.7, 101.1, 100.9,
	100.1, 101.6, 97.8, 99.5, 98.6, 101.8, 100.1, 99.1, 97.7, 99.2,
	100.0, 99.2, 103.9, 103.0, 91.9,
};
static const double Y[] = {
	97.3, 102.5, 101.7, 103.6, 103.7, 109.4, 99.7, 101.9, 109.1, 104.9,
	105.0, 101.5, 98.1, 103.5, 103.3, 99.3, 101.0, 102.8, 100.2, 102.7,
	103.3, 103.1, 101.5, 104.8, 105.7, 104.0, 100.5, 105.2, 101.5, 105.6,
};

static void test_mann_whitney(void **state)
{
	const double e[] = { 1, 2, 2, 3, 3, 3 }, f[] = { 3, 4, 4, 5, 2 };
	const double g[] = { 5, 5, 5, 6 }, h[] = { 6, 6, 7, 7, 7 };
	const double k[] = { 7, 7, 7 };

	(void)state;
	/* Exact, no ties (SciPy method='exact'). */
	near(detect_mann_whitney_p(A, 5, B, 6), 0.00432900432900433, 1e-12);
	near(detect_mann_whitney_p(B, 6, A, 5), 0.00432900432900433, 1e-12);
	near(detect_mann_whitney_p(C, 8, D, 5), 0.222222222222222, 1e-12);
	/* Exact with ties: every split of the pooled mid-ranks counted. */
	near(detect_mann_whitney_p(e, 6, f, 5), 0.112554112554113, 1e-12);
	near(detect_mann_whitney_p(g, 4, h, 5), 0.0476190476190476, 1e-12);
	/* 25 x 30 > DETECT_MWU_EXACT_MAX_PRODUCT: normal, tie-corrected,
	 * continuity-corrected (SciPy method='asymptotic'). */
	near(detect_mann_whitney_p(X, 25, Y, 30), 0.00018658054134952, 1e-8);
	assert_true(detect_mann_whitney_p(A, 0, B, 6) == 1.0);
	assert_true(detect_mann_whitney_p(k, 3, k, 3) == 1.0);
}

static void test_kolmogorov_smirnov(void **state)
{
	(void)state;
	near(detect_ks_d(X, 25, Y, 30), 0.486666666666667, 1e-12);
	assert_true(detect_ks_d(A, 5, B, 6) == 1.0);
	near(detect_ks_d(C, 8, D, 5), 0.6, 1e-12);
	/* Kolmogorov's limit with Stephens' correction at
	 * en = 25 * 30 / 55. */
	near(detect_ks_p(X, 25, Y, 30), 0.00183465808361036, 1e-8);
	near(detect_kolmogorov_q(0.3), 0.999990694198665, 1e-12);
	near(detect_kolmogorov_q(0.8), 0.544142411574198, 1e-10);
	near(detect_kolmogorov_q(1.0), 0.269999671677355, 1e-10);
	near(detect_kolmogorov_q(1.36), 0.0494858767553779, 1e-10);
	near(detect_kolmogorov_q(2.0), 0.000670925255779695, 1e-10);
	assert_true(detect_kolmogorov_q(0) == 1.0);
	assert_true(detect_ks_p(A, 5, B, 0) == 1.0);
}

static void test_edivisive_divergence(void **state)
{
	const double z[] = { 0, 0, 1, 1 }, flat[] = { 5, 5, 5, 5, 5 };

	(void)state;
	/* Between-side distances 4 x 1, none within: Q = 4/4 * 2 = 2. */
	near(edivisive_q(z, 4, 2), 2, 1e-15);
	assert_true(edivisive_q(z, 4, 1) == 0);	/* one sample left */
	assert_true(edivisive_q(flat, 5, 2) == 0);
}

static void params(struct detect_params *p, enum detect_kind k,
		   enum detect_better b)
{
	detect_params_default(p, k, b);
}

static void test_single_step(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;

	(void)state;
	step_levels(level, 30, 1000, 20, 0.10);
	synth_fill(&s, 30, 5, level, 0.01, 42);
	params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_CHANGED);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].at, 20);
	assert_int_equal(r.changes[0].before_at, 19);
	assert_int_equal(r.changes[0].method, DETECT_EDIVISIVE);
	assert_int_equal(r.changes[0].direction, DETECT_REGRESSION);
	near(r.changes[0].rel, 0.10, 0.05);
	assert_true(r.changes[0].p <= DETECT_DEFAULT_P_VALUE);
	detect_result_free(&r);

	/* The same rise on a higher-is-better metric is an improvement. */
	params(&p, DETECT_WALL, DETECT_HIGHER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].direction, DETECT_IMPROVEMENT);
	detect_result_free(&r);
}

static void test_two_steps(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++)
		level[i] = i < 10 ? 1000 : i < 25 ? 1080 : 920;
	synth_fill(&s, 40, 5, level, 0.02, 7);
	params(&p, DETECT_WALL, DETECT_HIGHER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 2);
	assert_int_equal(r.changes[0].at, 10);
	assert_int_equal(r.changes[0].direction, DETECT_IMPROVEMENT);
	assert_int_equal(r.changes[1].at, 25);
	assert_int_equal(r.changes[1].direction, DETECT_REGRESSION);
	near(r.changes[1].rel, 920.0 / 1080 - 1, 0.2);
	detect_result_free(&r);
}

/* Longer than E-divisive's window (50 points): the windows slide, an
 * old change does not hide a new one, and both are found once. */
static void test_long_series_windows(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;
	size_t i;

	(void)state;
	for (i = 0; i < 150; i++)
		level[i] = i < 30 ? 100 : i < 120 ? 130 : 115;
	synth_fill(&s, 150, 5, level, 0.02, 21);
	params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 2);
	assert_int_equal(r.changes[0].at, 30);
	assert_int_equal(r.changes[0].direction, DETECT_REGRESSION);
	assert_int_equal(r.changes[1].at, 120);
	assert_int_equal(r.changes[1].direction, DETECT_IMPROVEMENT);
	near(r.changes[1].rel, 115.0 / 130 - 1, 0.2);
	detect_result_free(&r);
}

/* A step on the newest point alone: found, at that point, once. */
static void test_step_at_newest(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;

	(void)state;
	step_levels(level, 20, 5000, 19, -0.08);
	synth_fill(&s, 20, 5, level, 0.01, 3);
	params(&p, DETECT_WALL, DETECT_HIGHER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_CHANGED);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].at, 19);
	assert_int_equal(r.changes[0].before_at, 18);
	assert_int_equal(r.changes[0].direction, DETECT_REGRESSION);
	detect_result_free(&r);

	/* Old history so noisy that E-divisive's t-test over it is not
	 * significant, then quiet: the newest point against the quiet
	 * window before it still shows the step. */
	{
		static struct synth n2;
		size_t i, j;
		uint64_t seed = 5;

		step_levels(level, 40, 5000, 39, -0.05);
		synth_fill(&n2, 40, 5, level, 0.005, 8);
		for (i = 0; i < 29; i++)
			for (j = 0; j < 5; j++)
				n2.v[i][j] = 5000 * (1 + 0.4 * gauss(&seed));
		assert_int_equal(detect_series(n2.pts, n2.n, &p, &r), 0);
		assert_int_equal(r.n_changes, 1);
		assert_int_equal(r.changes[0].at, 39);
		assert_int_equal(r.changes[0].method, DETECT_TWO_SAMPLE);
		assert_int_equal(r.changes[0].direction, DETECT_REGRESSION);
		assert_true(r.changes[0].p <= DETECT_DEFAULT_P_VALUE);
		detect_result_free(&r);
	}
}

/* Unchanged noisy series give no change, seed after seed, in both
 * detection methods (CV 3%, 20 commits of 5). */
static void test_pure_noise(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;
	uint64_t seed;

	(void)state;
	step_levels(level, 20, 20000, 20, 0);
	params(&p, DETECT_WALL, DETECT_HIGHER_IS_BETTER);
	for (seed = 1; seed <= 20; seed++) {
		synth_fill(&s, 20, 5, level, 0.03, seed);
		assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
		if (r.n_changes)
			fail_msg("seed %llu: change at %zu",
				 (unsigned long long)seed, r.changes[0].at);
		assert_int_equal(r.verdict, DETECT_NO_CHANGE);
		detect_result_free(&r);
	}
}

/* A step of 1% with 0.1% noise is real but below min_effect (2%). */
static void test_min_effect(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;

	(void)state;
	step_levels(level, 20, 1000, 10, 0.01);
	synth_fill(&s, 20, 5, level, 0.001, 5);
	params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 0);
	detect_result_free(&r);
	p.min_effect = 0.005;
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].at, 10);
	detect_result_free(&r);
}

/* No variance anywhere: no change; a step between two constant levels
 * is a change with p 0. */
static void test_constant_wall(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;

	(void)state;
	step_levels(level, 12, 300, 12, 0);
	synth_fill(&s, 12, 4, level, 0, 1);
	params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_NO_CHANGE);
	detect_result_free(&r);
	step_levels(level, 12, 300, 6, 0.5);
	synth_fill(&s, 12, 4, level, 0, 1);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].at, 6);
	assert_true(r.changes[0].p == 0);
	detect_result_free(&r);
}

/* One sample per point, deterministic values. */
static void det_series(struct synth *s, const double *v, size_t n)
{
	size_t i;

	s->n = n;
	for (i = 0; i < n; i++) {
		s->v[i][0] = v[i];
		s->pts[i] = (struct detect_point){ .samples = s->v[i], .n = 1 };
	}
}

static void test_deterministic_threshold(void **state)
{
	static struct synth s;
	const double below[] = { 1000000, 1000000, 1000999, 1000999 };
	const double above[] = { 1000000, 1000000, 1001001, 1001001 };
	const double same[] = { 4096, 4096, 4096, 4096, 4096 };
	struct detect_params p;
	struct detect_result r;

	(void)state;
	params(&p, DETECT_DETERMINISTIC, DETECT_LOWER_IS_BETTER);
	det_series(&s, below, 4);	/* +0.0999% */
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_NO_CHANGE);
	detect_result_free(&r);

	det_series(&s, above, 4);	/* +0.1001% */
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_CHANGED);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].at, 2);
	assert_int_equal(r.changes[0].before_at, 1);
	assert_int_equal(r.changes[0].method, DETECT_EXACT);
	assert_int_equal(r.changes[0].direction, DETECT_REGRESSION);
	assert_true(r.changes[0].before == 1000000);
	assert_true(r.changes[0].after == 1001001);
	near(r.changes[0].rel, 0.001001, 1e-9);
	assert_true(r.changes[0].p == 0);
	detect_result_free(&r);

	/* Falling (-0.2%) is an improvement when lower is better... */
	det_series(&s, (const double[]){ 1002000, 1000000 }, 2);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.changes[0].direction, DETECT_IMPROVEMENT);
	detect_result_free(&r);
	/* ...and a regression when higher is. */
	params(&p, DETECT_DETERMINISTIC, DETECT_HIGHER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.changes[0].direction, DETECT_REGRESSION);
	detect_result_free(&r);

	det_series(&s, same, 5);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_NO_CHANGE);
	detect_result_free(&r);

	/* A threshold of 0.05% catches the 0.0999% step. */
	p.threshold = 0.0005;
	det_series(&s, below, 4);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 1);
	detect_result_free(&r);
}

/* A failed point is skipped: it neither starts nor ends a step, and its
 * samples (even NAN) are never read. */
static void test_failed_points_skipped(void **state)
{
	static struct synth s;
	const double v[] = { 100, NAN, 100, 100, 0, 110 };
	struct detect_params p;
	struct detect_result r;

	(void)state;
	det_series(&s, v, 6);
	s.pts[1].failed = true;
	s.pts[4].failed = true;
	params(&p, DETECT_DETERMINISTIC, DETECT_LOWER_IS_BETTER);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.n_changes, 1);
	assert_int_equal(r.changes[0].at, 5);
	assert_int_equal(r.changes[0].before_at, 3);
	detect_result_free(&r);

	/* Wall: a step with failed points around it. */
	{
		static struct synth w;
		double level[MAXP];

		step_levels(level, 24, 800, 14, 0.2);
		synth_fill(&w, 24, 5, level, 0.01, 11);
		w.pts[13].failed = true;
		w.pts[14].failed = true;
		w.v[14][0] = INFINITY;	/* not read */
		w.pts[3].failed = true;
		params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
		assert_int_equal(detect_series(w.pts, w.n, &p, &r), 0);
		assert_int_equal(r.n_changes, 1);
		assert_int_equal(r.changes[0].at, 15);
		assert_int_equal(r.changes[0].before_at, 12);
		detect_result_free(&r);
	}
}

static void test_too_little_history(void **state)
{
	static struct synth s;
	double level[MAXP];
	struct detect_params p;
	struct detect_result r;

	(void)state;
	params(&p, DETECT_DETERMINISTIC, DETECT_LOWER_IS_BETTER);
	assert_int_equal(detect_series(NULL, 0, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_TOO_LITTLE_HISTORY);
	detect_result_free(&r);
	det_series(&s, (const double[]){ 5, 9 }, 2);
	s.pts[0].failed = true;
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_TOO_LITTLE_HISTORY);
	assert_int_equal(r.n_changes, 0);
	detect_result_free(&r);

	/* Wall: two good points of 5 before the newest are enough
	 * (defaults: 2 points, 6 samples); one is not, nor are two of
	 * 2 samples. */
	step_levels(level, 3, 100, 2, 0.5);
	params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
	synth_fill(&s, 3, 5, level, 0.01, 1);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_not_equal(r.verdict, DETECT_TOO_LITTLE_HISTORY);
	detect_result_free(&r);
	s.pts[0].failed = true;
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_TOO_LITTLE_HISTORY);
	assert_int_equal(r.n_changes, 0);
	detect_result_free(&r);
	synth_fill(&s, 3, 2, level, 0.01, 1);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), 0);
	assert_int_equal(r.verdict, DETECT_TOO_LITTLE_HISTORY);
	detect_result_free(&r);
}

static void test_invalid_input(void **state)
{
	static struct synth s;
	struct detect_params p;
	struct detect_result r;

	(void)state;
	params(&p, DETECT_WALL, DETECT_LOWER_IS_BETTER);
	det_series(&s, (const double[]){ 1, 2, NAN, 4 }, 4);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), -EINVAL);
	assert_null(r.changes);
	det_series(&s, (const double[]){ 1, 2, -INFINITY, 4 }, 4);
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), -EINVAL);
	det_series(&s, (const double[]){ 1, 2, 3, 4 }, 4);
	p.p_value = 0;
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), -EINVAL);
	params(&p, DETECT_DETERMINISTIC, DETECT_LOWER_IS_BETTER);
	p.threshold = 0;
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), -EINVAL);
	p.threshold = NAN;
	assert_int_equal(detect_series(s.pts, s.n, &p, &r), -EINVAL);
}

static void test_compare(void **state)
{
	double a[30], b[30], pv;
	uint64_t st = 99;
	size_t i;

	(void)state;
	for (i = 0; i < 30; i++) {
		a[i] = 1000 * (1 + 0.01 * gauss(&st));
		b[i] = 1000 * (1 + 0.01 * gauss(&st));
	}
	/* Same distribution, 20 a side: SAME. */
	assert_int_equal(detect_compare(a, 20, b, 20, 0.001, 0.02, &pv),
			 DETECT_SAME);
	assert_true(pv > 0.001 && pv <= 1);
	/* Two a side show nothing yet: UNKNOWN, even 10% apart. */
	for (i = 0; i < 30; i++)
		b[i] *= 1.10;
	assert_int_equal(detect_compare(a, 2, b, 2, 0.001, 0.02, &pv),
			 DETECT_UNKNOWN);
	/* Ten a side, 10% apart with 1% noise: DIFFERENT. */
	assert_int_equal(detect_compare(a, 10, b, 10, 0.001, 0.02, &pv),
			 DETECT_DIFFERENT);
	assert_true(pv <= 0.001);
	/* Significant but smaller than min_effect: not DIFFERENT. */
	assert_true(detect_compare(a, 10, b, 10, 0.001, 0.20, NULL) !=
		    DETECT_DIFFERENT);
	/* Four a side, medians within min_effect / 2: SAME. */
	for (i = 0; i < 30; i++)
		b[i] = a[i] * 1.005;
	assert_int_equal(detect_compare(a, 4, b, 4, 0.001, 0.02, NULL),
			 DETECT_SAME);
	/* Nothing to compare. */
	assert_int_equal(detect_compare(a, 0, b, 4, 0.001, 0.02, &pv),
			 DETECT_UNKNOWN);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(detect_direction_name(DETECT_REGRESSION),
			    "regression");
	assert_string_equal(detect_direction_name(DETECT_IMPROVEMENT),
			    "improvement");
	assert_string_equal(detect_method_name(DETECT_EXACT), "exact");
	assert_string_equal(detect_method_name(DETECT_EDIVISIVE), "e-divisive");
	assert_string_equal(detect_method_name(DETECT_TWO_SAMPLE), "two-sample");
	assert_string_equal(detect_verdict_name(DETECT_NO_CHANGE), "no change");
	assert_string_equal(detect_verdict_name(DETECT_CHANGED), "changed");
	assert_string_equal(detect_verdict_name(DETECT_TOO_LITTLE_HISTORY),
			    "too little history");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_student_t_and_incbeta),
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_kolmogorov_smirnov),
		cmocka_unit_test(test_edivisive_divergence),
		cmocka_unit_test(test_single_step),
		cmocka_unit_test(test_two_steps),
		cmocka_unit_test(test_long_series_windows),
		cmocka_unit_test(test_step_at_newest),
		cmocka_unit_test(test_pure_noise),
		cmocka_unit_test(test_min_effect),
		cmocka_unit_test(test_constant_wall),
		cmocka_unit_test(test_deterministic_threshold),
		cmocka_unit_test(test_failed_points_skipped),
		cmocka_unit_test(test_too_little_history),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
