/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * race-replay: what racing (repetitions: {min, max}) saves against a
 * fixed number of repetitions, on simulated noisy landscapes, without
 * building or running anything.
 *
 *   race-replay [--seeds S] [--min N] [--max M]
 *
 * A landscape is a list of variants with a true value each (requests/s,
 * maximized); a measurement is that value with seeded noise, a pure
 * function of (seed, variant, repetition), so every method sees the same
 * samples for the same repetitions. Three methods measure every variant:
 *   fixed N   every variant N times (the minimum)
 *   fixed M   every variant M times (the maximum)
 *   race      every variant N times, then the sweep's race: tuner/race.h
 *             picks the next top-up from the variants' medians and
 *             bootstrap 95% intervals (host/stats.h), the same code and
 *             figures `unitune tune` uses, until it says the race is over
 * and then name the best median. Reported per landscape and method over
 * seeds 1..S: the repetitions spent (mean), how often the named variant
 * is the true best, how often it is within 1% of it, and how often the
 * best's interval still overlaps another's (the tie `unitune best`
 * reports), as a table and as one "key=value ..." line each.
 *
 * Exit status: 0, 1 (out of memory), 2 (usage).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "race.h"
#include "rng.h"
#include "stats.h"

#define MAX_VARIANTS 64
#define MAX_REPS 64

/* How a run strays from the true value. */
enum noise {
	NOISE_GAUSS,	/* x (1 + 3% z) */
	NOISE_STALLS,	/* x (1 + 2% z), and 1 run in 10 loses 40% */
};

struct land {
	const char *name;
	const char *what;
	enum noise noise;
	size_t n;
	double val[MAX_VARIANTS];
};

/* A fixed value in [0, 1) from two small numbers. */
static double unit2(uint64_t a, uint64_t b)
{
	return (double)(rng_mix64(rng_mix64(a) ^ b) >> 11) * 0x1.0p-53;
}

static double gauss(uint64_t key)
{
	double u1 = unit2(key, 1), u2 = unit2(key, 2);

	return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

/* Repetition rep of variant i under seed. */
static double sample(const struct land *l, uint64_t seed, size_t i,
		     unsigned rep)
{
	uint64_t key = rng_mix64(seed * 0x10001 + i) ^ ((uint64_t)rep << 40);
	double v = l->val[i];

	if (l->noise == NOISE_STALLS)
		return v * (1 + 0.02 * gauss(key)) *
		       (unit2(key, 3) < 0.1 ? 0.6 : 1);
	return v * (1 + 0.03 * gauss(key));
}

/* --- the landscapes ------------------------------------------------------ */

static void land_clear(struct land *l)
{
	size_t i;

	*l = (struct land){ "clear", "best 10% ahead of the rest",
			    NOISE_GAUSS, 32, { 0 } };
	l->val[0] = 5500;
	for (i = 1; i < l->n; i++)
		l->val[i] = 3000 + 2000 * unit2(11, i);
}

static void land_close(struct land *l)
{
	size_t i;

	*l = (struct land){ "close", "2nd 2% and 3rd 4% behind, rest 10-40%",
			    NOISE_GAUSS, 32, { 0 } };
	l->val[0] = 5000;
	l->val[1] = 4900;
	l->val[2] = 4800;
	for (i = 3; i < l->n; i++)
		l->val[i] = 3000 + 1500 * unit2(12, i);
}

/* One option matters (four levels 10% apart), the others barely: eight
 * variants within 0.5% at the top. */
static void land_plateau(struct land *l)
{
	size_t i;

	*l = (struct land){ "plateau", "8 variants within 0.5% at the top",
			    NOISE_GAUSS, 32, { 0 } };
	for (i = 0; i < l->n; i++)
		l->val[i] = 5000 * (1 - 0.1 * (double)(i / 8)) *
			    (1 - 0.005 * (double)(i % 8) / 7);
}

static void land_stalls(struct land *l)
{
	land_close(l);
	l->name = "stalls";
	l->what = "close, 1 run in 10 stalls (-40%)";
	l->noise = NOISE_STALLS;
}

/* No true best: the worst case, everything ties. */
static void land_flat(struct land *l)
{
	size_t i;

	*l = (struct land){ "flat", "16 equal variants", NOISE_GAUSS, 16,
			    { 0 } };
	for (i = 0; i < l->n; i++)
		l->val[i] = 5000;
}

static void (*const lands[])(struct land *) = {
	land_clear, land_close, land_plateau, land_stalls, land_flat,
};

/* --- one measurement of a landscape --------------------------------------- */

struct outcome {
	unsigned long reps;
	bool best;	/* named the true best */
	bool near;	/* named one within 1% of it */
	bool tie;	/* the best's interval overlaps another's */
};

struct run {
	const struct land *l;
	uint64_t seed;
	unsigned n[MAX_VARIANTS];
	struct race_entry e[MAX_VARIANTS];
};

/* Bring variant i to reps repetitions and summarize it. */
static int measure(struct run *r, size_t i, unsigned reps)
{
	double x[MAX_REPS];
	struct stats_summary s;
	unsigned k;
	int err;

	for (k = 0; k < reps; k++)
		x[k] = sample(r->l, r->seed, i, k);
	err = stats_summarize(x, reps, &s);
	if (err)
		return err;
	r->n[i] = reps;
	r->e[i] = (struct race_entry){ .median = s.median, .lo = s.ci_low,
				       .hi = s.ci_high, .n = reps };
	return 0;
}

static void judge(const struct run *r, struct outcome *o)
{
	const struct land *l = r->l;
	size_t i, b = race_best(r->e, l->n, true);
	double top = 0;

	for (i = 0; i < l->n; i++) {
		top = fmax(top, l->val[i]);
		o->reps += r->n[i];
		o->tie |= i != b && race_overlap(r->e[i].lo, r->e[i].hi,
						 r->e[b].lo, r->e[b].hi);
	}
	o->best = l->val[b] == top;
	o->near = l->val[b] >= 0.99 * top;
}

/* race: 0 = fixed reps for all; else the race up to max_reps. */
static int one(const struct land *l, uint64_t seed, unsigned reps,
	       unsigned max_reps, struct outcome *o)
{
	struct run r = { .l = l, .seed = seed };
	unsigned target;
	size_t i, pick;
	int err = 0;

	for (i = 0; !err && i < l->n; i++)
		err = measure(&r, i, reps);
	while (!err && max_reps &&
	       race_next(r.e, l->n, true, max_reps, &pick, &target))
		err = measure(&r, pick, target);
	if (!err) {
		memset(o, 0, sizeof(*o));
		judge(&r, o);
	}
	return err;
}

/* --- the report ----------------------------------------------------------- */

struct method {
	char name[32];
	unsigned reps, max_reps;
};

struct tally {
	unsigned runs, best, near, ties;
	double reps;
};

static int tally(const struct land *l, const struct method *m,
		 unsigned seeds, struct tally *t)
{
	struct outcome o;
	uint64_t seed;
	int err;

	memset(t, 0, sizeof(*t));
	for (seed = 1; seed <= seeds; seed++) {
		err = one(l, seed, m->reps, m->max_reps, &o);
		if (err)
			return err;
		t->runs++;
		t->reps += (double)o.reps;
		t->best += o.best;
		t->near += o.near;
		t->ties += o.tie;
	}
	t->reps /= t->runs;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: race-replay [--seeds S] [--min N] [--max M]\n"
		   "  defaults: 20 seeds, repetitions {min: 2, max: 10}\n");
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seeds", required_argument, NULL, 's' },
		{ "min", required_argument, NULL, 'n' },
		{ "max", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	enum { N_LANDS = sizeof(lands) / sizeof(lands[0]) };
	unsigned seeds = 20, min = 2, max = 10;
	struct method m[3];
	struct tally t[N_LANDS][3];
	struct land l;
	size_t i, k;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if ((c == 's' && parse_uint(optarg, 1, 100000, &seeds)) ||
		    (c == 'n' && parse_uint(optarg, 2, MAX_REPS, &min)) ||
		    (c == 'm' && parse_uint(optarg, 2, MAX_REPS, &max)) ||
		    c == '?') {
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || max <= min) {
		usage(stderr);
		return 2;
	}
	m[0] = (struct method){ "", max, 0 };
	m[1] = (struct method){ "", min, 0 };
	m[2] = (struct method){ "", min, max };
	snprintf(m[0].name, sizeof(m[0].name), "fixed %u", max);
	snprintf(m[1].name, sizeof(m[1].name), "fixed %u", min);
	snprintf(m[2].name, sizeof(m[2].name), "race %u..%u", min, max);
	printf("%-8s %-38s %-11s %8s %7s %6s %6s %6s\n", "land", "what",
	       "method", "reps", "saving", "best", "<=1%", "tie");
	for (i = 0; i < N_LANDS; i++) {
		lands[i](&l);
		for (k = 0; k < 3; k++) {
			const struct tally *x = &t[i][k];

			if (tally(&l, &m[k], seeds, &t[i][k])) {
				fprintf(stderr, "race-replay: out of memory\n");
				return 1;
			}
			printf("%-8s %-38s %-11s %8.1f %6.0f%% %3u/%-2u %3u/%-2u "
			       "%3u/%-2u\n", k ? "" : l.name, k ? "" : l.what,
			       m[k].name, x->reps,
			       100 * (1 - x->reps / t[i][0].reps), x->best,
			       x->runs, x->near, x->runs, x->ties, x->runs);
		}
	}
	printf("\n");
	for (i = 0; i < N_LANDS; i++) {
		lands[i](&l);
		for (k = 0; k < 3; k++)
			printf("land=%s method=\"%s\" variants=%zu seeds=%u "
			       "reps_mean=%.1f best=%u near=%u tie=%u\n",
			       l.name, m[k].name, l.n, t[i][k].runs,
			       t[i][k].reps, t[i][k].best, t[i][k].near,
			       t[i][k].ties);
	}
	return 0;
}
