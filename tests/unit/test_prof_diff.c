/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune diff on synthetic profiles: self and total (inclusive)
 * changes, the halves of a profile, and the noise estimate that tells a
 * real change from one a wall-clock trace could show by chance.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "profile.h"

/*
 * A profile of main;f and main;g samples in the order given by a
 * pattern: for each (count, block) pair, count repetitions of block,
 * where each 'f' or 'g' in block is one sample and 'h' one main;g;h
 * sample. Sample order is kept (for profile_halves()).
 */
struct run {
	unsigned count;
	const char *block;
};

static struct profile *ordered(const struct run *runs, size_t nruns)
{
	const struct prof_frame f[] = { { "main", NULL, 0, NULL },
					{ "f", NULL, 0, NULL } };
	const struct prof_frame g[] = { { "main", NULL, 0, NULL },
					{ "g", NULL, 0, NULL },
					{ "h", NULL, 0, NULL } };
	struct profile *p = profile_new();
	size_t r;
	unsigned i;
	const char *c;

	assert_non_null(p);
	profile_keep_order(p);
	for (r = 0; r < nruns; r++)
		for (i = 0; i < runs[r].count; i++)
			for (c = runs[r].block; *c; c++)
				assert_int_equal(profile_add(p,
					*c == 'f' ? f : g,
					*c == 'h' ? 3 : 2, 1), 0);
	assert_int_equal(profile_finish(p), 0);
	return p;
}

static const struct diff_row *row(const struct diff_row *rows, size_t n,
				  const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].name, name))
			return &rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

static char *print(const struct diff_row *rows, size_t n, size_t limit,
		   bool exact)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	diff_print(f, rows, n, limit, 0.1, 10, 10, exact);
	fclose(f);
	return out;
}

/* A: main;f x6, main;g x4. B: main;f x3, main;g x5, main;g;h x2. */
static void test_self_and_total_changes(void **state)
{
	static const struct run ra[] = { { 6, "f" }, { 4, "g" } };
	static const struct run rb[] = { { 3, "f" }, { 5, "g" }, { 2, "h" } };
	struct profile *a = ordered(ra, 2), *b = ordered(rb, 3);
	struct diff_input ia = { a, NULL }, ib = { b, NULL };
	const struct diff_row *r;
	struct diff_row *rows;
	size_t n;
	char *out;

	(void)state;
	assert_int_equal(diff_profiles(&ia, &ib, &rows, &n), 0);
	assert_int_equal(n, 4);
	/* f and g change by 30 points (g in total only), h by 20; main
	 * stays at 100% total and 0% self. */
	assert_string_equal(rows[0].name, "f");
	assert_string_equal(rows[1].name, "g");
	assert_string_equal(rows[2].name, "h");
	assert_string_equal(rows[3].name, "main");
	r = row(rows, n, "f");
	assert_true(fabs(r->delta + 30) < 1e-9 && fabs(r->tdelta + 30) < 1e-9);
	r = row(rows, n, "g");
	assert_true(fabs(r->share_a - 40) < 1e-9 && fabs(r->share_b - 50) < 1e-9);
	assert_true(fabs(r->tshare_a - 40) < 1e-9 &&
		    fabs(r->tshare_b - 70) < 1e-9);
	assert_true(fabs(r->delta - 10) < 1e-9 && fabs(r->tdelta - 30) < 1e-9);
	r = row(rows, n, "main");
	assert_true(r->total_a == 10 && r->total_b == 10 && r->delta == 0 &&
		    r->tdelta == 0);
	/* No halves: exact, no noise. */
	for (size_t i = 0; i < n; i++)
		assert_true(rows[i].noise == 0 && rows[i].tnoise == 0 &&
			    !rows[i].within_noise);
	out = print(rows, n, 2, true);
	assert_non_null(strstr(out, "every change is exact"));
	assert_non_null(strstr(out,
		"  60.00%   30.00%   -30.00    60.00%   30.00%   -30.00  f\n"));
	assert_non_null(strstr(out,
		"  40.00%   50.00%   +10.00    40.00%   70.00%   +30.00  g\n"));
	assert_null(strstr(out, "  h\n"));
	assert_non_null(strstr(out, "past --limit"));
	assert_null(strstr(out, "\u00b1"));
	free(out);
	free(rows);
	profile_free(a);
	profile_free(b);
}

static void test_halves(void **state)
{
	/* 5000 samples at f 20%, then 5000 at f 60%. */
	static const struct run r[] = { { 1000, "fgggg" }, { 1000, "fffgg" } };
	struct profile *p = ordered(r, 2);
	struct prof_halves h;
	size_t f = 0, main = 0, i;

	(void)state;
	for (i = 0; i < profile_nfuncs(p); i++) {
		if (!strcmp(profile_func(p, i)->name, "f"))
			f = i;
		if (!strcmp(profile_func(p, i)->name, "main"))
			main = i;
	}
	assert_int_equal(profile_halves(p, &h), 0);
	assert_true(h.samples[0] == 5000 && h.samples[1] == 5000);
	assert_true(h.self[0][f] == 1000 && h.self[1][f] == 3000);
	assert_true(h.total[0][main] == 5000 && h.total[1][main] == 5000);
	assert_true(h.self[0][main] == 0);
	profile_halves_free(&h);
	profile_free(p);
	/* Without the order there are no halves. */
	p = profile_new();
	assert_int_equal(profile_finish(p), 0);
	assert_int_equal(profile_halves(p, &h), -EINVAL);
	profile_halves_free(&h);
	profile_free(p);
}

/* Two wall-clock profiles; fills rows for them with their halves. */
static void diff_wall(const struct profile *a, const struct profile *b,
		      struct prof_halves h[2], struct diff_row **rows,
		      size_t *n)
{
	struct diff_input ia = { a, &h[0] }, ib = { b, &h[1] };

	assert_int_equal(profile_halves(a, &h[0]), 0);
	assert_int_equal(profile_halves(b, &h[1]), 0);
	assert_int_equal(diff_profiles(&ia, &ib, rows, n), 0);
}

static double binomial_noise(double pa, double na, double pb, double nb)
{
	return 200.0 * sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb);
}

static void test_real_change_and_change_within_noise(void **state)
{
	/* f at 50% (steady), 70% (steady), 51% (steady); 1000 samples each. */
	static const struct run ra[] = { { 500, "fg" } };
	static const struct run rb[] = { { 100, "fffffffggg" } };
	struct run rc[20];
	struct profile *a, *b, *c;
	struct prof_halves h[2];
	const struct diff_row *r;
	struct diff_row *rows;
	size_t n, i;
	char *out;

	(void)state;
	for (i = 0; i < 20; i += 2) {	/* 10 x (51 f, 49 g) */
		rc[i] = (struct run){ 51, "f" };
		rc[i + 1] = (struct run){ 49, "g" };
	}
	a = ordered(ra, 1);
	b = ordered(rb, 1);
	c = ordered(rc, 20);
	assert_int_equal(profile_samples(c), 1000);
	/* 20 points with a noise of about 4.3: real. */
	diff_wall(a, b, h, &rows, &n);
	r = row(rows, n, "f");
	assert_true(fabs(r->delta - 20) < 1e-9);
	assert_true(fabs(r->noise - binomial_noise(.5, 1000, .7, 1000)) < 1e-9);
	assert_false(r->within_noise);
	assert_false(rows[0].within_noise);
	out = print(rows, n, 0, false);
	assert_non_null(strstr(out, "+20.00\u00b14.29"));
	assert_non_null(strstr(out, "  f\n"));
	assert_null(strstr(out, "~ f\n"));
	free(out);
	free(rows);
	profile_halves_free(&h[0]);
	profile_halves_free(&h[1]);
	/* 1 point with a noise of about 4.5: within noise, marked. */
	diff_wall(a, c, h, &rows, &n);
	r = row(rows, n, "f");
	assert_true(fabs(r->delta - 1) < 1e-9);
	assert_true(fabs(r->noise - binomial_noise(.5, 1000, .51, 1000)) <
		    1e-9);
	assert_true(r->within_noise);
	out = print(rows, n, 0, false);
	assert_non_null(strstr(out, "~ f\n"));
	assert_non_null(strstr(out, "within noise (~)"));
	free(out);
	free(rows);
	profile_halves_free(&h[0]);
	profile_halves_free(&h[1]);
	profile_free(a);
	profile_free(b);
	profile_free(c);
}

static void test_drift_within_a_trace_widens_the_noise(void **state)
{
	/* A: f at 20% for the first half, 60% for the second (40% in all);
	 * B: f at 45% throughout. 10000 samples each: the binomial noise
	 * (about 1.4 points) would call the 5-point change real, but A's
	 * own halves differ by 40 points. */
	static const struct run ra[] = { { 1000, "fgggg" }, { 1000, "fffgg" } };
	static const struct run rb[] = { { 500, "fffffffffggggggggggg" } };
	struct profile *a = ordered(ra, 2), *b = ordered(rb, 1);
	struct diff_input ia = { a, NULL }, ib = { b, NULL };
	struct prof_halves h[2];
	const struct diff_row *r;
	struct diff_row *rows;
	size_t n;

	(void)state;
	diff_wall(a, b, h, &rows, &n);
	r = row(rows, n, "f");
	assert_true(fabs(r->delta - 5) < 1e-9);
	assert_true(binomial_noise(.4, 1e4, .45, 1e4) < 5);
	assert_true(fabs(r->noise - 2 * sqrt(20.0 * 20.0 +
					     pow(binomial_noise(0, 1, .45, 1e4) / 2, 2)))
		    < 1e-9);
	assert_true(r->within_noise);
	free(rows);
	profile_halves_free(&h[0]);
	profile_halves_free(&h[1]);
	/* The same data from deterministic traces: exact, and real. */
	assert_int_equal(diff_profiles(&ia, &ib, &rows, &n), 0);
	r = row(rows, n, "f");
	assert_true(r->noise == 0 && !r->within_noise);
	free(rows);
	profile_free(a);
	profile_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_and_total_changes),
		cmocka_unit_test(test_halves),
		cmocka_unit_test(test_real_change_and_change_within_noise),
		cmocka_unit_test(test_drift_within_a_trace_widens_the_noise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
