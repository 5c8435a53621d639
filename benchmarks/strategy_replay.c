/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strategy-replay: how many evaluations each search strategy needs to
 * reach the best point, replayed against a fully known landscape without
 * building or running anything (tuner/replay.h).
 *
 *   strategy-replay --synthetic [--seeds S] [--jobs J]
 *   strategy-replay --db PATH --experiment NAME --space FILE
 *                   [--unikernel DIR] [--seeds S] [--jobs J]
 *
 * --synthetic replays the landscapes defined below. --db takes a finished
 * grid experiment from the results store (replay_land_from_store(): a
 * failed variant, and a grid point with no variant, is a failure to the
 * strategy and never the best).
 *
 * Random and tpe run once per seed 1..S, grid and greedy once (they take
 * no seed), proposing up to J points at a time and telling the oldest
 * first; an evaluation is one tell. Reported per landscape and strategy,
 * over every run (a run that never reached the best counting as
 * points + 1): the quartiles and mean of the evaluations to the best
 * point, the worst run, and how many runs reached it within a quarter of
 * the points, as a table and as one "key=value ..." line each.
 *
 * Exit status: 0, 1 (a replay or the store failed), 2 (usage).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "kconfig.h"
#include "replay.h"
#include "space.h"
#include "store.h"
#include "strategy.h"
#include "strbuf.h"

static const enum space_strategy kinds[] = {
	SPACE_GRID, SPACE_RANDOM, SPACE_GREEDY, SPACE_TPE,
};

/* --- synthetic landscapes --- */

/* A fixed pseudo-random value in [0, 1) from three small numbers. */
static double noise(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = 1469598103934665603ULL;

	h = (h ^ a) * 1099511628211ULL;
	h = (h ^ b) * 1099511628211ULL;
	h = (h ^ c) * 1099511628211ULL;
	h ^= h >> 29;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (double)(h >> 11) * 0x1.0p-53;
}

static double sq(double x)
{
	return x * x;
}

/* Each returns the score of x, or NAN for a failed point. */

/* 8 x 8 x 8 ints, a sum of per-option costs. */
static double land_separable(const size_t *x)
{
	return sq((double)x[0] - 5) + 2 * sq((double)x[1] - 2) +
	       0.5 * sq((double)x[2] - 6);
}

/* 6 x 6 x 4 ints and a bool: options 0 and 1 interact, and the bool
 * flips which end of option 2 is best. */
static double land_coupled(const size_t *x)
{
	double a = (double)x[0], b = (double)x[1], c = (double)x[2];

	return sq(a - 3) + sq(b - 1) + 1.5 * sq(a - b - 1) +
	       (x[3] ? sq(c - 3) : sq(c) + 1);
}

/* 5 x 4 x 3 ints, 60 points: a diagonal valley (options 0 and 1 only pay
 * off together) with its one minimum at (3, 2, 1). */
static double land_valley(const size_t *x)
{
	double a = (double)x[0], b = (double)x[1], c = (double)x[2];

	return 3 * sq(a - b - 1) + sq(b - 2) + 0.5 * sq(a - 3) + sq(c - 1);
}

/* A choice of 3 x 6 x 6 x 4 ints, 432 points: the choice moves the best
 * value of option 1, whose error multiplies with option 2's, and option
 * 1 sets which end of option 3 is best. One minimum: (1, 4, 3, 3). */
static double land_product(const size_t *x)
{
	static const double base[] = { 0.5, 0, 1 };
	static const double target[] = { 1, 4, 2 };
	double a = (double)x[1], b = (double)x[2], c = (double)x[3];

	return base[x[0]] + sq(a - target[x[0]]) * (1 + sq(b - 3) / 2) +
	       sq(b - 3) + sq(c - (a > 2 ? 3 : 1));
}

/* 5 x 5 x 5 x 5 ints, NK-like: each option's cost depends on its own
 * value and the next option's through fixed random tables. No structure a
 * model can use: a control, where tpe should do about as well as random. */
static double land_rugged(const size_t *x)
{
	double f = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		f += noise(i, x[i], x[(i + 1) % 4]);
	return f;
}

/* A choice of 3 x 8 x 8 ints, like an allocator x stack size x depth space
 * where small stacks crash and one allocator fails to build with deep
 * settings; the best point borders the failures. */
static double land_failing(const size_t *x)
{
	if (x[1] < 2 || (x[0] == 2 && x[2] > 4))
		return NAN;
	return (x[0] == 2 ? 0 : 3 + (double)x[0]) + sq((double)x[1] - 2) +
	       sq((double)x[2] - 4) + 0.1 * noise(x[0], x[1], x[2]);
}

/* 6 x 6 x 6 ints, 216 points, about half of them failing: where options
 * 0 and 1 are both high (too much memory), and wherever option 2 is 0.
 * The minimum (3, 2, 4) sits at the failing region's edge. */
static double land_cliff(const size_t *x)
{
	double a = (double)x[0], b = (double)x[1], c = (double)x[2];

	if (a + b > 5 || x[2] == 0)
		return NAN;
	return -(a * b) + 0.3 * sq(a - b - 1) + 0.5 * sq(c - 4);
}

#define MAX_OPT 4

struct landscape {
	const char *name;
	size_t n;
	size_t k[MAX_OPT];
	bool ordered[MAX_OPT];	/* ints; a false option is a choice/bool */
	double (*f)(const size_t *x);
};

static const struct landscape landscapes[] = {
	{ "separable", 3, { 8, 8, 8 }, { 1, 1, 1 }, land_separable },
	{ "coupled", 4, { 6, 6, 4, 2 }, { 1, 1, 1, 0 }, land_coupled },
	{ "valley", 3, { 5, 4, 3 }, { 1, 1, 1 }, land_valley },
	{ "product", 4, { 3, 6, 6, 4 }, { 0, 1, 1, 1 }, land_product },
	{ "failing", 3, { 3, 8, 8 }, { 0, 1, 1 }, land_failing },
	{ "cliff", 3, { 6, 6, 6 }, { 1, 1, 1 }, land_cliff },
	{ "rugged", 4, { 5, 5, 5, 5 }, { 1, 1, 1, 1 }, land_rugged },
};

static int land_synthetic(struct replay_land *l, const struct landscape *d,
			  char *why, size_t why_len)
{
	size_t x[MAX_OPT] = { 0 }, i;
	uint64_t c;
	int r = replay_land_init(l, d->name, d->k, d->ordered, d->n, why,
				 why_len);

	if (r)
		return r;
	/* Grid order: count up, the last option fastest. */
	for (c = 0; c < l->size; c++) {
		replay_land_set(l, c, d->f(x), false);
		for (i = d->n; i-- > 0 && ++x[i] == d->k[i];)
			x[i] = 0;
	}
	replay_land_finish(l);
	return 0;
}

static uint64_t count_failed(const struct replay_land *l)
{
	uint64_t c, n = 0;

	for (c = 0; c < l->size; c++)
		n += l->failed[c];
	return n;
}

/* --- a finished experiment from the store --- */

static int land_db(struct replay_land *l, const char *db, const char *exp,
		   const char *space_path, const char *unikernel)
{
	struct strbuf err = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct kconfig *kc = NULL;
	struct space *sp = NULL;
	struct store *st = NULL;
	unsigned foreign = 0;
	int r;

	r = kconfig_load(unikernel, BUILD_KCONFIG_ROOT, NULL, &kc, &err);
	if (r) {
		fprintf(stderr, "strategy-replay: %s/Config.uk: %s\n",
			unikernel, err.buf ? err.buf : strerror(-r));
		goto out;
	}
	r = space_load(space_path, kc, &sp, why, sizeof(why));
	if (r) {
		fprintf(stderr, "strategy-replay: %s\n", why);
		goto out;
	}
	r = store_open_readonly(db, &st);
	if (r) {
		/* store_errmsg() names the file. */
		if (st)
			fprintf(stderr, "strategy-replay: %s\n",
				store_errmsg(st));
		else
			fprintf(stderr, "strategy-replay: %s: %s\n", db,
				strerror(-r));
		goto out;
	}
	r = replay_land_from_store(l, st, exp, sp, &foreign, why, sizeof(why));
	if (r)
		fprintf(stderr, "strategy-replay: %s: %s\n", db,
			why[0] ? why : strerror(-r));
	else if (foreign)
		fprintf(stderr, "strategy-replay: %u variants do not match "
			"the space, left out\n", foreign);
out:
	store_close(st);
	space_free(sp);
	kconfig_free(kc);
	strbuf_release(&err);
	return r;
}

/* --- the report --- */

/* A figure, or "-" when no run reached the best (it exceeds the size). */
static void figure(char *buf, size_t len, double v, uint64_t size)
{
	if (isnan(v) || v > (double)size)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%g", v);
}

/* tpe's median against random's, measured and exact: the goal is half. */
static void summary(const struct replay_land *l, double tpe, double random)
{
	printf("%-10s tpe median %g = %.2f x random's %g (random's exact "
	       "median %llu); half or less: %s\n", l->name, tpe, tpe / random,
	       random,
	       (unsigned long long)replay_random_median(l->size, l->n_best),
	       tpe * 2 <= random ? "yes" : "no");
}

/* A table row per strategy on stdout, a key=value line each in lines. */
static int report(const struct replay_land *l, unsigned seeds, size_t jobs,
		  struct strbuf *lines)
{
	char q1[24], med[24], q3[24], mean[24], max[24];
	struct replay_stats st;
	double random_median = NAN, tpe_median = NAN;
	size_t s;
	int r;

	for (s = 0; s < sizeof(kinds) / sizeof(kinds[0]); s++) {
		r = replay_stats(l, kinds[s], seeds, jobs, &st);
		if (r) {
			fprintf(stderr, "strategy-replay: %s: %s: %s\n",
				l->name, space_strategy_name(kinds[s]),
				strerror(-r));
			return r;
		}
		if (kinds[s] == SPACE_RANDOM)
			random_median = st.median;
		if (kinds[s] == SPACE_TPE)
			tpe_median = st.median;
		figure(q1, sizeof(q1), st.q1, l->size);
		figure(med, sizeof(med), st.median, l->size);
		figure(q3, sizeof(q3), st.q3, l->size);
		figure(mean, sizeof(mean), st.mean, l->size);
		figure(max, sizeof(max), (double)st.max, l->size);
		printf("%-10s %6llu %4llu %4zu  %-7s %4u %7u %5s %6s %5s "
		       "%6s %5s %6llu %6u\n", l->name,
		       (unsigned long long)l->size,
		       (unsigned long long)l->n_best, jobs,
		       space_strategy_name(kinds[s]), st.runs, st.reached, q1,
		       med, q3, mean, max, (unsigned long long)st.budget,
		       st.in_budget);
		if (strbuf_addf(lines, "landscape=%s strategy=%s runs=%u "
				"reached=%u q1=%s median=%s q3=%s mean=%s "
				"max=%s budget=%llu in_budget=%u points=%llu "
				"best_points=%llu failed=%llu missing=%llu "
				"jobs=%zu\n", l->name,
				space_strategy_name(kinds[s]), st.runs,
				st.reached, q1, med, q3, mean, max,
				(unsigned long long)st.budget, st.in_budget,
				(unsigned long long)l->size,
				(unsigned long long)l->n_best,
				(unsigned long long)count_failed(l),
				(unsigned long long)l->missing, jobs))
			return -ENOMEM;
	}
	summary(l, tpe_median, random_median);
	return 0;
}

static void header(void)
{
	printf("%-10s %6s %4s %4s  %-7s %4s %7s %5s %6s %5s %6s %5s %6s %6s\n",
	       "landscape", "points", "best", "jobs", "strategy", "runs",
	       "reached", "q1", "median", "q3", "mean", "max", "budget",
	       "in_bud");
}

static void usage(FILE *f)
{
	size_t s;

	fprintf(f,
		"usage: strategy-replay --synthetic [--seeds S] [--jobs J]\n"
		"       strategy-replay --db PATH --experiment NAME --space FILE\n"
		"                       [--unikernel DIR] [--seeds S] [--jobs J]\n"
		"Evaluations each strategy needs to reach the best point of a\n"
		"known landscape (seeds default 20, jobs 1, unikernel ./unikernel).\n"
		"Columns: points of the grid, best: how many share the best value;\n"
		"runs that reached it; quartiles, mean and worst of the evaluations\n"
		"to it over all runs (one that never did counting as points + 1,\n"
		"'-' when the figure is past the grid); budget: a quarter of the\n"
		"points, in_bud: runs that reached the best within it.\n");
	for (s = 0; s < sizeof(kinds) / sizeof(kinds[0]); s++)
		fprintf(f, "  %-7s %s\n", space_strategy_name(kinds[s]),
			strategy_describe(kinds[s]));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "synthetic", no_argument, NULL, 'y' },
		{ "db", required_argument, NULL, 'd' },
		{ "experiment", required_argument, NULL, 'e' },
		{ "space", required_argument, NULL, 's' },
		{ "unikernel", required_argument, NULL, 'u' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *exp = NULL, *space = NULL;
	const char *unikernel = "unikernel";
	bool synthetic = false;
	unsigned long seeds = 20, jobs = 1;
	struct strbuf lines = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct replay_land l;
	char *end;
	size_t i;
	int c, r = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'y': synthetic = true; break;
		case 'd': db = optarg; break;
		case 'e': exp = optarg; break;
		case 's': space = optarg; break;
		case 'u': unikernel = optarg; break;
		case 'n':
		case 'j':
			errno = 0;
			*(c == 'n' ? &seeds : &jobs) = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg ||
			    (c == 'n' ? seeds : jobs) - 1 >= 10000) {
				fprintf(stderr, "strategy-replay: --%s takes "
					"1..10000\n", c == 'n' ? "seeds" : "jobs");
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || synthetic == !!db || !db != !exp ||
	    !db != !space) {
		usage(stderr);
		return 2;
	}
	if (synthetic) {
		header();
		for (i = 0; !r && i < sizeof(landscapes) /
					 sizeof(landscapes[0]); i++) {
			r = land_synthetic(&l, &landscapes[i], why,
					   sizeof(why));
			if (r)
				fprintf(stderr, "strategy-replay: %s\n",
					why[0] ? why : strerror(-r));
			else
				r = report(&l, (unsigned)seeds, jobs, &lines);
			replay_land_free(&l);
		}
	} else {
		r = land_db(&l, db, exp, space, unikernel);
		if (!r && l.best == INFINITY) {
			fprintf(stderr, "strategy-replay: %s: no variant "
				"succeeded\n", exp);
			r = -ENOENT;
		}
		if (!r) {
			header();
			r = report(&l, (unsigned)seeds, jobs, &lines);
		}
		replay_land_free(&l);
	}
	if (lines.len)
		printf("\n%s", lines.buf);
	strbuf_release(&lines);
	return r ? 1 : 0;
}
