/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replaying search strategies (tuner/strategy.h) against a landscape
 * whose every point is known, without building or running anything: how
 * many evaluations each needs to reach the best point. Used by
 * benchmarks/strategy_replay.c (make bench) and the unit tests.
 *
 * A landscape holds, per grid point (mixed radix, last option fastest),
 * a score to minimize or a failure. The strategy sees a failure exactly
 * as the live sweep tells it one (strategy_tell(..., failed = true)), and
 * a failed point never counts as the best.
 */
#ifndef UNITUNE_REPLAY_H
#define UNITUNE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "space.h"
#include "store.h"
#include "strbuf.h"
#include "why.h"

/* Largest landscape held in memory (a double and a flag a point). */
#define REPLAY_MAX_POINTS ((uint64_t)1 << 26)

struct replay_land {
	char name[64];
	size_t n;		/* options */
	size_t *k;		/* values per option */
	bool *ordered;		/* per option, as strategy_new_ordered() */
	uint64_t size;		/* points */
	double *val;		/* per point: score to minimize */
	unsigned char *failed;	/* per point: 1 failed (val is then 0) */
	uint64_t missing;	/* points with no result at all (failed) */
	double best;		/* lowest score; INFINITY when all failed */
	uint64_t n_best;	/* points that reach it */
};

/*
 * Size a landscape over k[0..n-1] values (ordered may be NULL); every
 * point starts failed. 0, -EINVAL (no option, a count of 0), -EOVERFLOW
 * (more than REPLAY_MAX_POINTS points: why says so) or -ENOMEM.
 */
int replay_land_init(struct replay_land *l, const char *name, const size_t *k,
		     const bool *ordered, size_t n, char *why,
		     size_t why_len);
void replay_land_free(struct replay_land *l);

/* The grid index of point idx. */
uint64_t replay_land_code(const struct replay_land *l, const size_t *idx);

/* Set the value of the point at code: a score, or failed (also for NaN). */
void replay_land_set(struct replay_land *l, uint64_t code, double score,
		     bool failed);

/* Compute best and n_best; call after the last replay_land_set(). */
void replay_land_finish(struct replay_land *l);

/*
 * A finished experiment of the store as a landscape over space sp (the
 * space its sweep used). A variant's point is its requested config; its
 * value the median of sp's first objective over its repetitions (negated
 * when maximized), as the sweep scores it (score_variant()). A variant
 * not done, or done without that metric, is a failure; so is a grid
 * point with no variant (counted in missing). Every point of the store's points table gets its
 * variant's value, so points that resolved to a shared variant share it.
 * Variants whose requested config does not parse against sp are left
 * out and counted in *n_foreign. 0, -ENOENT (no such experiment), or
 * another -errno with why saying what failed (host/why.h).
 */
int replay_land_from_store(struct replay_land *l, struct store *st,
			   const char *experiment, const struct space *sp,
			   unsigned *n_foreign, char *why,
			   size_t why_len);

/*
 * One run of a strategy: proposing up to jobs points at a time and
 * telling the oldest first, until a best point is told, every point is
 * told or the strategy stops. *reached the evaluations (tells) until a
 * best point was told (0: never), *total all of them. 0 or the
 * strategy's -errno.
 */
int replay_run(const struct replay_land *l, enum space_strategy kind,
	       uint64_t seed, size_t jobs, uint64_t *reached, uint64_t *total);

/* Evaluations to the best over several runs (seeds 1..runs). */
struct replay_stats {
	unsigned runs;
	unsigned reached;	/* runs that told a best point */
	unsigned in_budget;	/* runs that did within budget evaluations */
	uint64_t budget;	/* a quarter of the points, rounded up */
	/* Over every run, a run that never reached the best counting as
	 * size + 1 evaluations (so a strategy that stops early is not
	 * flattered); NAN when runs is 0. */
	double median, q1, q3, mean;
	uint64_t max;
};

/*
 * Replay kind over runs seeds (1..runs; grid and greedy take no seed and
 * run once whatever runs says). 0 or -errno.
 */
int replay_stats(const struct replay_land *l, enum space_strategy kind,
		 unsigned runs, size_t jobs, struct replay_stats *out);

/*
 * The exact median of the evaluations random search (uniform, without
 * replacement) needs to first reach one of n_best points among size: the
 * smallest x with P(X <= x) >= 1/2. A reference for the measured figure,
 * which varies with the seeds. 0 when n_best is 0.
 */
uint64_t replay_random_median(uint64_t size, uint64_t n_best);

#endif /* UNITUNE_REPLAY_H */
