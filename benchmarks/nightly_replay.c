/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nightly-replay: how sensitive the nightly regression detector
 * (nightly/detect.h) is, and how often it cries wolf, on synthetic
 * histories with fixed seeds, without building or running anything.
 *
 *   nightly-replay [--trials N] [--seed S] [--reps R] [--confirm-max M]
 *   nightly-replay --same-table
 *
 * Every history has 20 commits. "Nightly" means the detector is run
 * after each commit on the history so far (from the second commit on),
 * as a night would, and a commit is an alarm when any night lists a
 * change there. Three experiments:
 *
 *   deterministic  one value per commit (instructions, lower is better),
 *                  unchanged commits exactly equal; a step of 0.05% ..
 *                  1% injected at commit 15: caught at that commit or
 *                  not, and the alarms over 20 unchanged commits.
 *   wall, null     R repetitions per commit (default 5) of a metric with
 *                  lognormal noise of CV 1%, 3%, 6% (6% is httpd's
 *                  measured run-to-run spread of requests/s), nothing
 *                  changed: the share of N trials with any alarm (either
 *                  method, either direction) and alarms per commit.
 *   wall, power    the same with a drop of the metric (higher is better)
 *                  at commit 15: the share of trials where that commit
 *                  is flagged as a regression, and the share of all
 *                  alarms that are false (elsewhere), for steps from
 *                  0.5% to 30%; the smallest step caught in 80% of the
 *                  trials.
 * Each wall figure is also given after confirmation: every alarm's
 * commit and the commit before it are measured again, alternately, one
 * fresh sample each per round (from 5 a side), with detect_compare
 * asked after each round until it says DIFFERENT (confirmed) or SAME
 * (dismissed), or M samples a side (default 30: unconfirmed, not
 * reported). Only confirmed alarms count there.
 *
 * Samples are drawn from one splitmix64 stream per (seed, experiment,
 * trial), so the figures depend on the code and the seed only.
 * --same-table prints how detect_compare's "same" thresholds were made.
 * Exit status: 0, 1 (out of memory or a detector error), 2 (usage).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "rng.h"
#include "stats.h"

#define COMMITS 20
#define STEP_AT 14		/* commit 15 of 20, 0-based */
#define MAX_REPS 64
#define MAX_CONFIRM 256

struct opts {
	unsigned trials;
	uint64_t seed;
	size_t reps;
	size_t confirm_start, confirm_max;
};

/* One history: COMMITS points of reps samples. */
struct hist {
	double v[COMMITS][MAX_REPS];
	struct detect_point pts[COMMITS];
	double level[COMMITS];	/* the true median of each commit */
};

static double gauss(uint64_t *st)
{
	double u1 = rng_unit(st), u2 = rng_unit(st);

	return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

/* A sample of a metric whose true median is level, lognormal with
 * coefficient of variation cv. */
static double draw(uint64_t *st, double level, double cv)
{
	return level * exp(sqrt(log(1 + cv * cv)) * gauss(st));
}

static void hist_fill(struct hist *h, size_t reps, double cv, double step,
		      uint64_t *st)
{
	size_t i, j;

	for (i = 0; i < COMMITS; i++) {
		h->level[i] = i < STEP_AT ? 1.0 : 1.0 + step;
		for (j = 0; j < reps; j++)
			h->v[i][j] = cv > 0 ? draw(st, h->level[i], cv) :
					      h->level[i];
		h->pts[i] = (struct detect_point){ .samples = h->v[i],
						   .n = reps };
	}
}

/* The alarms of the nights: flagged[i] and its direction, the earlier
 * commit it was measured against, for every commit any night listed. */
struct alarms {
	bool flagged[COMMITS];
	bool regression[COMMITS];
	size_t before_at[COMMITS];
};

static int nightly(const struct hist *h, const struct detect_params *p,
		   struct alarms *al)
{
	struct detect_result r;
	size_t night, i;
	int rc;

	memset(al, 0, sizeof(*al));
	for (night = 2; night <= COMMITS; night++) {
		rc = detect_series(h->pts, night, p, &r);
		if (rc < 0)
			return rc;
		for (i = 0; i < r.n_changes; i++) {
			const struct detect_change *c = &r.changes[i];

			if (al->flagged[c->at])
				continue;
			al->flagged[c->at] = true;
			al->regression[c->at] =
				c->direction == DETECT_REGRESSION;
			al->before_at[c->at] = c->before_at;
		}
		detect_result_free(&r);
	}
	return 0;
}

/*
 * Re-measure a suspect against its parent as the confirmation would:
 * fresh samples, alternately, compare after each round from
 * o->confirm_start a side on. *used gets the samples per side.
 */
static enum detect_compare_result confirm(const struct opts *o,
					  const struct detect_params *p,
					  double parent, double suspect,
					  double cv, uint64_t *st,
					  size_t *used)
{
	double a[MAX_CONFIRM], b[MAX_CONFIRM];
	enum detect_compare_result r = DETECT_UNKNOWN;
	size_t n;

	for (n = 1; n <= o->confirm_max; n++) {
		a[n - 1] = draw(st, parent, cv);
		b[n - 1] = draw(st, suspect, cv);
		if (n < o->confirm_start)
			continue;
		r = detect_compare(a, n, b, n, p->p_value, p->min_effect, NULL);
		if (r != DETECT_UNKNOWN)
			break;
	}
	*used = n > o->confirm_max ? o->confirm_max : n;
	return r;
}

static uint64_t stream(const struct opts *o, unsigned exp, unsigned trial)
{
	return rng_mix64(o->seed ^ rng_mix64(((uint64_t)exp << 32) | trial));
}

static int deterministic(void)
{
	static const double steps[] = { 0.0005, 0.001, 0.002, 0.005, 0.01 };
	struct detect_params p;
	struct alarms al;
	struct hist *h = calloc(1, sizeof(*h));
	size_t s, i, smallest = 0;
	unsigned false_flat = 0;
	bool found = false;
	int rc = -ENOMEM;

	if (!h)
		return rc;
	detect_params_default(&p, DETECT_DETERMINISTIC, DETECT_LOWER_IS_BETTER);
	/* The unchanged history: 20 equal values. */
	hist_fill(h, 1, 0, 0, NULL);
	rc = nightly(h, &p, &al);
	if (rc < 0)
		goto out;
	for (i = 0; i < COMMITS; i++)
		false_flat += al.flagged[i];
	printf("deterministic (exact rule, threshold %.2g%%): 20 commits, "
	       "one value each, unchanged = equal\n", p.threshold * 100);
	printf("  %-8s %-24s %s\n", "step", "caught at commit 15",
	       "false alarms (other commits)");
	for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		unsigned others = 0;

		hist_fill(h, 1, 0, steps[s], NULL);
		rc = nightly(h, &p, &al);
		if (rc < 0)
			goto out;
		for (i = 0; i < COMMITS; i++)
			others += al.flagged[i] && i != STEP_AT;
		printf("  %5.2f%%   %-24s %u\n", steps[s] * 100,
		       al.flagged[STEP_AT] && al.regression[STEP_AT] ? "yes" :
								      "no",
		       others);
		if (!found && al.flagged[STEP_AT] && others == 0) {
			found = true;
			smallest = s;
		}
	}
	printf("  false alarms over 20 unchanged commits: %u\n", false_flat);
	if (found)
		printf("  smallest step caught with 0 false alarms: %.2f%%\n",
		       steps[smallest] * 100);
	printf("det_false_alarms=%u det_smallest_step=%.4f\n\n", false_flat,
	       found ? steps[smallest] : NAN);
	rc = 0;
out:
	free(h);
	return rc;
}

/* One wall experiment's counts over the trials. */
struct tally {
	unsigned trials_alarmed, alarms, trials_caught, false_alarms;
	unsigned c_trials_alarmed, c_alarms, c_trials_caught, c_false_alarms;
	unsigned long confirm_samples, confirms;
};

/* Run one trial: its alarms, then their confirmation. */
static int wall_trial(const struct opts *o, const struct detect_params *p,
		      double cv, double step, uint64_t st, struct tally *t)
{
	static struct hist h;
	struct alarms al;
	bool any = false, c_any = false;
	size_t i;
	int rc;

	hist_fill(&h, o->reps, cv, step, &st);
	rc = nightly(&h, p, &al);
	if (rc < 0)
		return rc;
	for (i = 0; i < COMMITS; i++) {
		bool hit = step != 0 && i == STEP_AT && al.regression[i];
		enum detect_compare_result r;
		size_t used;

		if (!al.flagged[i])
			continue;
		any = true;
		t->alarms++;
		if (hit)
			t->trials_caught++;
		else
			t->false_alarms++;
		r = confirm(o, p, h.level[al.before_at[i]], h.level[i], cv, &st,
			    &used);
		t->confirm_samples += used;
		t->confirms++;
		if (r != DETECT_DIFFERENT)
			continue;
		c_any = true;
		t->c_alarms++;
		if (hit)
			t->c_trials_caught++;
		else
			t->c_false_alarms++;
	}
	t->trials_alarmed += any;
	t->c_trials_alarmed += c_any;
	return 0;
}

static int wall_run(const struct opts *o, unsigned exp, double cv,
		    double step, struct tally *t)
{
	struct detect_params p;
	unsigned k;
	int rc;

	memset(t, 0, sizeof(*t));
	detect_params_default(&p, DETECT_WALL, DETECT_HIGHER_IS_BETTER);
	for (k = 0; k < o->trials; k++) {
		rc = wall_trial(o, &p, cv, step, stream(o, exp, k), t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const double cvs[] = { 0.01, 0.03, 0.06 };
static const double wsteps[] = { 0.005, 0.01, 0.015, 0.02, 0.03, 0.04,
				 0.05, 0.06, 0.08, 0.10, 0.12, 0.15,
				 0.20, 0.25, 0.30 };
#define N_CVS (sizeof(cvs) / sizeof(cvs[0]))
#define N_WSTEPS (sizeof(wsteps) / sizeof(wsteps[0]))

static double pct(unsigned a, unsigned long b)
{
	return b ? 100.0 * a / b : 0;
}

static int wall_null(const struct opts *o)
{
	struct tally t;
	size_t c;
	int rc;

	printf("wall, nothing changed: %u trials of 20 commits x %zu "
	       "repetitions, lognormal noise\n", o->trials, o->reps);
	printf("  %-4s %-28s %-16s %-28s %s\n", "CV", "trials with an alarm",
	       "alarms/commit", "confirmed: trials with one",
	       "confirm samples/side");
	for (c = 0; c < N_CVS; c++) {
		rc = wall_run(o, 1 + (unsigned)c, cvs[c], 0, &t);
		if (rc < 0)
			return rc;
		printf("  %2.0f%%  %6.2f%% (%4u)%14s %-16.4f %6.2f%% (%4u)%14s "
		       "%.1f\n", cvs[c] * 100, pct(t.trials_alarmed, o->trials),
		       t.trials_alarmed, "",
		       (double)t.alarms / ((double)o->trials * COMMITS),
		       pct(t.c_trials_alarmed, o->trials), t.c_trials_alarmed,
		       "", t.confirms ? (double)t.confirm_samples / t.confirms :
					0.0);
		printf("wall_null cv=%.2f trials=%u alarmed=%u alarms=%u "
		       "confirmed_alarmed=%u confirmed_alarms=%u\n", cvs[c],
		       o->trials, t.trials_alarmed, t.alarms, t.c_trials_alarmed,
		       t.c_alarms);
	}
	printf("\n");
	return 0;
}

static int wall_power(const struct opts *o)
{
	struct tally t;
	size_t c, s;
	int rc;

	printf("wall, a drop at commit 15 of 20 (higher is better), %u "
	       "trials per step\n", o->trials);
	for (c = 0; c < N_CVS; c++) {
		double first = NAN, c_first = NAN;

		printf("  CV %.0f%%: %-6s %-8s %-14s %-10s %s\n", cvs[c] * 100,
		       "step", "caught", "false share", "confirmed",
		       "confirmed false share");
		for (s = 0; s < N_WSTEPS; s++) {
			double pw, cpw;

			rc = wall_run(o, 100 + (unsigned)(c * N_WSTEPS + s),
				      cvs[c], -wsteps[s], &t);
			if (rc < 0)
				return rc;
			pw = pct(t.trials_caught, o->trials);
			cpw = pct(t.c_trials_caught, o->trials);
			printf("          %5.1f%% %6.1f%% %9.1f%%      %6.1f%% "
			       "%9.1f%%\n", wsteps[s] * 100, pw,
			       pct(t.false_alarms, t.alarms), cpw,
			       pct(t.c_false_alarms, t.c_alarms));
			if (isnan(first) && pw >= 80)
				first = wsteps[s];
			if (isnan(c_first) && cpw >= 80)
				c_first = wsteps[s];
		}
		printf("  CV %.0f%%: smallest drop caught in 80%% of trials: "
		       "%.1f%% as a suspect, %.1f%% confirmed\n", cvs[c] * 100,
		       first * 100, c_first * 100);
		printf("wall_power cv=%.2f power80_suspect=%.4f "
		       "power80_confirmed=%.4f\n", cvs[c], first, c_first);
	}
	return 0;
}

/*
 * The "same" thresholds of detect_compare (nightly/compare.c): for n =
 * 2..30 samples a side, the 90th percentile of the two-sided
 * Mann-Whitney p of n standard normal samples against n shifted by one
 * standard deviation, over 2000 simulated pairs (seed 13): a real
 * one-sigma change shows a p above it one time in ten.
 */
static int same_table(void)
{
	enum { SIMS = 2000 };
	double a[30], b[30], *p = malloc(SIMS * sizeof(*p));
	uint64_t st = 13;
	size_t n, k, i;

	if (!p)
		return -ENOMEM;
	for (n = 2; n <= 30; n++) {
		for (k = 0; k < SIMS; k++) {
			for (i = 0; i < n; i++) {
				a[i] = gauss(&st);
				b[i] = 1 + gauss(&st);
			}
			p[k] = detect_mann_whitney_p(a, n, b, n);
		}
		stats_sort(p, SIMS);
		printf("n=%zu p90=%.2g\n", n, stats_quantile_sorted(p, SIMS, 0.9));
	}
	free(p);
	return 0;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--trials N] [--seed S] [--reps R] "
		"[--confirm-max M] | --same-table\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "trials", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "confirm-max", required_argument, NULL, 'm' },
		{ "same-table", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .trials = 1000, .seed = 13, .reps = 5,
			  .confirm_start = 5, .confirm_max = 30 };
	int c;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		char *end;
		unsigned long v;

		if (c == 'T')
			return same_table() < 0 ? 1 : 0;
		if (!optarg)
			return usage(argv[0]);
		v = strtoul(optarg, &end, 10);
		if (*end || end == optarg)
			return usage(argv[0]);
		if (c == 't' && v >= 1 && v <= 1000000)
			o.trials = (unsigned)v;
		else if (c == 's')
			o.seed = v;
		else if (c == 'r' && v >= 1 && v <= MAX_REPS)
			o.reps = v;
		else if (c == 'm' && v >= o.confirm_start && v <= MAX_CONFIRM)
			o.confirm_max = v;
		else
			return usage(argv[0]);
	}
	if (optind != argc)
		return usage(argv[0]);
	printf("nightly-replay: seed %llu; Mozilla Perfherder (t-test, one "
	       "year of alerts): 12.5%% of alert groups false positives, "
	       "6.8%% contained missed regressions\n\n",
	       (unsigned long long)o.seed);
	if (deterministic() < 0 || wall_null(&o) < 0 || wall_power(&o) < 0) {
		fprintf(stderr, "nightly-replay: out of memory or a detector "
			"error\n");
		return 1;
	}
	return 0;
}
