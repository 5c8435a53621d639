/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strategy-replay: how many evaluations each search strategy needs to
 * reach the best point, replayed against a fully known ground truth
 * without building or running anything.
 *
 *   strategy-replay --synthetic [--seeds S] [--jobs J]
 *   strategy-replay --db PATH --experiment NAME --space FILE
 *                   [--unikernel DIR] [--seeds S] [--jobs J]
 *
 * --synthetic replays built-in landscapes. --db takes a finished grid
 * experiment from the results store: a variant's point is its requested
 * config parsed against the space file the sweep used, its value the mean
 * of the space's first objective over its repetitions (negated when
 * maximized); a variant not done is a failure, and so is a grid point
 * with no variant (counted as missing). Points come from the store's
 * points table, so every point that resolved to a shared variant gets
 * that variant's value.
 *
 * Each strategy runs once per seed (grid and greedy once: they take
 * none), proposing up to J points at a time and telling the oldest
 * first; an evaluation is one tell. Reported per landscape and strategy:
 * how many runs told a best point at all, and the median, mean and
 * maximum evaluations until they did, as a table and as one
 * "key=value ..." line each.
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
#include "space.h"
#include "store.h"
#include "strategy.h"
#include "strbuf.h"

/* Largest ground truth held in memory (one double and a flag a point). */
#define MAX_POINTS ((uint64_t)1 << 26)

struct truth {
	char name[64];
	size_t n;		/* options */
	size_t *k;		/* values per option */
	uint64_t size;
	double *val;		/* per grid index: score to minimize */
	unsigned char *failed;
	uint64_t missing;	/* points with no result (failures) */
	double best;		/* lowest score; INFINITY when all failed */
};

static const enum space_strategy kinds[] = {
	SPACE_GRID, SPACE_RANDOM, SPACE_GREEDY, SPACE_TPE,
};

static uint64_t encode(const struct truth *t, const size_t *idx)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < t->n; i++)
		c = c * t->k[i] + idx[i];
	return c;
}

static void truth_free(struct truth *t)
{
	free(t->k);
	free(t->val);
	free(t->failed);
	memset(t, 0, sizeof(*t));
}

/* Size the tables for value counts k[0..n-1]; every point starts failed. */
static int truth_init(struct truth *t, const char *name, const size_t *k,
		      size_t n)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->n = n;
	t->size = 1;
	for (i = 0; i < n; i++) {
		if (t->size > MAX_POINTS / k[i]) {
			fprintf(stderr, "strategy-replay: %s: more than %llu "
				"points\n", name,
				(unsigned long long)MAX_POINTS);
			return -EOVERFLOW;
		}
		t->size *= k[i];
	}
	t->k = malloc(n * sizeof(*t->k));
	t->val = calloc(t->size, sizeof(*t->val));
	t->failed = malloc(t->size);
	if (!t->k || !t->val || !t->failed) {
		truth_free(t);
		return -ENOMEM;
	}
	memcpy(t->k, k, n * sizeof(*k));
	memset(t->failed, 1, t->size);
	return 0;
}

static void truth_best(struct truth *t)
{
	uint64_t c;

	t->best = INFINITY;
	for (c = 0; c < t->size; c++)
		if (!t->failed[c] && t->val[c] < t->best)
			t->best = t->val[c];
}

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

/* 8 x 8 x 8, a sum of per-option costs. */
static double land_separable(const size_t *x)
{
	return sq((double)x[0] - 5) + 2 * sq((double)x[1] - 2) +
	       0.5 * sq((double)x[2] - 6);
}

/* 6 x 6 x 4 x 2: options 0 and 1 interact, and the bool option 3 flips
 * which end of option 2 is best. */
static double land_coupled(const size_t *x)
{
	double a = (double)x[0], b = (double)x[1], c = (double)x[2];

	return sq(a - 3) + sq(b - 1) + 1.5 * sq(a - b - 1) +
	       (x[3] ? sq(c - 3) : sq(c) + 1);
}

/* 5 x 5 x 5 x 5, NK-like: each option's cost depends on its own value
 * and the next option's, through fixed random tables. */
static double land_rugged(const size_t *x)
{
	double f = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		f += noise(i, x[i], x[(i + 1) % 4]);
	return f;
}

/* 3 x 8 x 8 like an allocator x stack size x depth space where small
 * stacks crash and one allocator fails to build with deep settings; the
 * best point borders the failures. */
static double land_failing(const size_t *x)
{
	if (x[1] < 2 || (x[0] == 2 && x[2] > 4))
		return NAN;
	return (x[0] == 2 ? 0 : 3 + (double)x[0]) + sq((double)x[1] - 2) +
	       sq((double)x[2] - 4) + 0.1 * noise(x[0], x[1], x[2]);
}

struct landscape {
	const char *name;
	size_t n;
	size_t k[4];
	double (*f)(const size_t *x);
};

static const struct landscape landscapes[] = {
	{ "separable", 3, { 8, 8, 8 }, land_separable },
	{ "coupled", 4, { 6, 6, 4, 2 }, land_coupled },
	{ "rugged", 4, { 5, 5, 5, 5 }, land_rugged },
	{ "failing", 3, { 3, 8, 8 }, land_failing },
};

static int truth_synthetic(struct truth *t, const struct landscape *l)
{
	size_t x[4] = { 0 }, i;
	uint64_t c;
	int r = truth_init(t, l->name, l->k, l->n);

	if (r)
		return r;
	/* Grid order: count up, the last option fastest. */
	for (c = 0; c < t->size; c++) {
		double v = l->f(x);

		t->failed[c] = isnan(v);
		t->val[c] = isnan(v) ? 0 : v;
		for (i = l->n; i-- > 0 && ++x[i] == l->k[i];)
			x[i] = 0;
	}
	truth_best(t);
	return 0;
}

/* --- a finished experiment from the store --- */

struct db_variant {
	int64_t id;
	enum store_status status;
	bool ok;		/* done, with a value of the objective */
	double val;
};

struct db_walk {
	const struct space *space;
	struct truth *t;
	size_t *idx;
	struct db_variant *v;
	size_t n, cap;
	int bad;		/* requested configs not in the space */
};

static int on_variant(void *ctx, const struct store_variant *v)
{
	struct db_walk *w = ctx;
	struct db_variant *nv;

	if (space_point_parse(w->space, v->requested, w->idx)) {
		w->bad++;
		return 0;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		nv = realloc(w->v, w->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		w->v = nv;
	}
	w->v[w->n].id = v->id;
	w->v[w->n].status = v->status;
	w->n++;
	return 0;
}

/* Several points can resolve to one variant: each gets its value. */
struct point_walk {
	struct db_walk *w;
	unsigned char *has;
};

static int on_point(void *ctx, const struct store_point *p)
{
	struct point_walk *pw = ctx;
	struct db_walk *w = pw->w;
	uint64_t c;
	size_t i;

	if (space_point_parse(w->space, p->requested, w->idx))
		return 0;
	c = encode(w->t, w->idx);
	for (i = 0; i < w->n; i++) {
		if (w->v[i].id != p->variant_id)
			continue;
		pw->has[c] = 1;
		if (w->v[i].ok) {
			w->t->failed[c] = 0;
			w->t->val[c] = w->v[i].val;
		}
	}
	return 0;
}

static int truth_db(struct truth *t, const char *db, const char *exp,
		    const char *space_path, const char *unikernel)
{
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = NULL;
	struct space *sp = NULL;
	struct store *st = NULL;
	struct db_walk w = { 0 };
	unsigned char *has;
	size_t *k = NULL, i;
	int64_t exp_id;
	uint64_t c;
	int r;

	r = kconfig_load(unikernel, BUILD_KCONFIG_ROOT, NULL, &kc, &err);
	if (r) {
		fprintf(stderr, "strategy-replay: %s/Config.uk: %s\n",
			unikernel, err.buf ? err.buf : strerror(-r));
		goto out;
	}
	r = space_load(space_path, kc, &sp, &err);
	if (r) {
		fprintf(stderr, "strategy-replay: %s\n",
			err.buf ? err.buf : strerror(-r));
		goto out;
	}
	k = malloc(sp->n_options * sizeof(*k));
	w.idx = malloc(sp->n_options * sizeof(*w.idx));
	if (!k || !w.idx) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < sp->n_options; i++)
		k[i] = sp->options[i].n_values;
	r = truth_init(t, exp, k, sp->n_options);
	if (r)
		goto out;
	r = store_open_readonly(db, &st);
	if (!r)
		r = store_experiment_find(st, exp, &exp_id);
	w.space = sp;
	w.t = t;
	if (!r)
		r = store_variants_by_status(st, exp_id, STORE_STATUS_ANY,
					     on_variant, &w);
	for (i = 0; !r && i < w.n; i++) {
		double mean;
		unsigned n;

		if (w.v[i].status != STORE_DONE)
			continue;
		r = store_metric_mean(st, w.v[i].id, sp->objectives[0].metric,
				      &mean, &n);
		if (r || !n)
			continue;
		w.v[i].ok = true;
		w.v[i].val = mean;
		if (sp->objectives[0].goal == SPACE_MAXIMIZE)
			w.v[i].val = -w.v[i].val;
	}
	if (r) {
		fprintf(stderr, "strategy-replay: %s: %s\n", db,
			r == -ENOENT ? "no such experiment" : store_errmsg(st));
		goto out;
	}
	/* Points with no variant stay failed; count them. */
	has = calloc(t->size, 1);
	if (!has) {
		r = -ENOMEM;
		goto out;
	}
	{
		struct point_walk pw = { &w, has };

		r = store_points(st, exp_id, on_point, &pw);
	}
	for (c = 0; !r && c < t->size; c++)
		t->missing += !has[c];
	free(has);
	if (r) {
		fprintf(stderr, "strategy-replay: %s: %s\n", db,
			store_errmsg(st));
		goto out;
	}
	truth_best(t);
	if (w.bad)
		fprintf(stderr, "strategy-replay: %d variants do not match "
			"the space, left out\n", w.bad);
out:
	if (r)
		truth_free(t);
	store_close(st);
	free(w.v);
	free(w.idx);
	free(k);
	space_free(sp);
	kconfig_free(kc);
	strbuf_release(&err);
	return r;
}

/* --- the replay --- */

/*
 * One run: the evaluations until a best point was told (0: never) and in
 * all (*total). -errno when the strategy fails.
 */
static long replay(const struct truth *t, enum space_strategy kind,
		   uint64_t seed, size_t jobs, uint64_t *total)
{
	struct strategy *s = NULL;
	size_t *q = malloc(jobs * t->n * sizeof(*q)), n_out = 0;
	uint64_t evals = 0, reached = 0, c;
	int r = strategy_new(kind, t->k, t->n, seed, &s);

	if (!q)
		r = -ENOMEM;
	while (!r && evals < t->size) {
		while (n_out < jobs &&
		       (r = strategy_next(s, q + n_out * t->n)) == 1)
			n_out++;
		if (r < 0 && r != -EAGAIN)
			break;
		r = 0;
		if (!n_out)
			break;
		c = encode(t, q);
		r = strategy_tell(s, q, t->val[c], t->failed[c]);
		memmove(q, q + t->n, (n_out - 1) * t->n * sizeof(*q));
		n_out--;
		evals++;
		if (!t->failed[c] && t->val[c] == t->best && !reached)
			reached = evals;
	}
	strategy_free(s);
	free(q);
	*total = evals;
	return r ? r : (long)reached;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A table row per strategy on stdout, a key=value line each in lines. */
static int report(const struct truth *t, unsigned seeds, size_t jobs,
		  struct strbuf *lines)
{
	char stats[64], med[16], mean[16], max[16];
	uint64_t *hit = malloc(seeds * sizeof(*hit)), total, sum;
	unsigned i, runs, n_hit;
	size_t s;
	long r;

	if (!hit)
		return -ENOMEM;
	for (s = 0; s < sizeof(kinds) / sizeof(kinds[0]); s++) {
		bool seeded = kinds[s] == SPACE_RANDOM ||
			      kinds[s] == SPACE_TPE;
		double median = 0;

		runs = seeded ? seeds : 1;
		n_hit = 0;
		sum = 0;
		for (i = 0; i < runs; i++) {
			r = replay(t, kinds[s], i + 1, jobs, &total);
			if (r < 0) {
				fprintf(stderr, "strategy-replay: %s: %s\n",
					space_strategy_name(kinds[s]),
					strerror((int)-r));
				free(hit);
				return (int)r;
			}
			if (r) {
				hit[n_hit++] = (uint64_t)r;
				sum += (uint64_t)r;
			}
		}
		qsort(hit, n_hit, sizeof(*hit), cmp_u64);
		if (n_hit)
			median = n_hit % 2 ? (double)hit[n_hit / 2]
				: ((double)hit[n_hit / 2 - 1] +
				   (double)hit[n_hit / 2]) / 2;
		if (n_hit)
			snprintf(stats, sizeof(stats), "%g %.1f %llu", median,
				 (double)sum / n_hit,
				 (unsigned long long)hit[n_hit - 1]);
		else
			snprintf(stats, sizeof(stats), "- - -");
		sscanf(stats, "%15s %15s %15s", med, mean, max);
		printf("%-10s %7llu %4zu  %-8s %4u %7u %7s %7s %5s\n",
		       t->name, (unsigned long long)t->size, jobs,
		       space_strategy_name(kinds[s]), runs, n_hit, med, mean,
		       max);
		if (strbuf_addf(lines, "landscape=%s strategy=%s seeds=%u "
				"reached=%u median=%s mean=%s max=%s grid=%llu "
				"jobs=%zu missing=%llu\n", t->name,
				space_strategy_name(kinds[s]), runs, n_hit,
				med, mean, max, (unsigned long long)t->size,
				jobs, (unsigned long long)t->missing))
			break;
	}
	free(hit);
	return 0;
}

static void header(void)
{
	printf("%-10s %7s %4s  %-8s %4s %7s %7s %7s %5s\n", "landscape",
	       "points", "jobs", "strategy", "runs", "reached", "median",
	       "mean", "max");
}

static void usage(FILE *f)
{
	size_t s;

	fprintf(f,
		"usage: strategy-replay --synthetic [--seeds S] [--jobs J]\n"
		"       strategy-replay --db PATH --experiment NAME --space FILE\n"
		"                       [--unikernel DIR] [--seeds S] [--jobs J]\n"
		"Evaluations each strategy needs to reach the best point of a\n"
		"known landscape (seeds default 20, jobs 1, unikernel ./unikernel).\n");
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
	struct truth t;
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
			r = truth_synthetic(&t, &landscapes[i]);
			if (!r)
				r = report(&t, (unsigned)seeds, jobs, &lines);
			truth_free(&t);
		}
	} else {
		r = truth_db(&t, db, exp, space, unikernel);
		if (!r && t.best == INFINITY) {
			fprintf(stderr, "strategy-replay: %s: no variant "
				"succeeded\n", exp);
			r = -ENOENT;
		}
		if (!r) {
			header();
			r = report(&t, (unsigned)seeds, jobs, &lines);
		}
		truth_free(&t);
	}
	if (lines.len)
		printf("\n%s", lines.buf);
	strbuf_release(&lines);
	return r ? 1 : 0;
}
