/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Racing noisy variants: which ones the measurements cannot tell apart,
 * and which one deserves more repetitions next. Pure functions over
 * each variant's figures for the first objective (its median and the
 * bootstrap 95% interval of that median, host/stats.h), shared by the
 * sweep (tuner/sweep_race.c), the analysis (ties, the Pareto front
 * within the noise) and the racing benchmark (benchmarks/race_replay.c),
 * so the benchmark measures the decisions the sweep takes.
 *
 * The rule (docs/space-file.md, "Racing"): every variant first gets the
 * space's minimum repetitions. The best is the one with the best median.
 * Contenders are the variants whose interval overlaps the best's; while
 * there is one, the best and its contenders are the race, and the one of
 * them with the fewest repetitions (the better median first) is raised
 * to twice its count, at most the maximum. A variant outside every
 * interval of the best gets nothing more. The race ends when no
 * variant's interval overlaps the best's (a clear winner) or every
 * runner is at the maximum (a tie, which `best` then reports).
 */
#ifndef UNITUNE_RACE_H
#define UNITUNE_RACE_H

#include <stdbool.h>
#include <stddef.h>

/* One runner: its first objective over the repetitions so far. */
struct race_entry {
	double median;
	double lo, hi;	/* the 95% interval of the median */
	unsigned n;	/* repetitions; an entry with 0 is not in the race */
};

/*
 * Do the intervals [a_lo, a_hi] and [b_lo, b_hi] overlap (share at least
 * a point)? Then the measurements do not say which is better.
 */
bool race_overlap(double a_lo, double a_hi, double b_lo, double b_hi);

/* Is median a better than median b for the goal (strictly)? */
bool race_better(double a, double b, bool maximize);

/*
 * The index of the entry with the best median (the lowest index among
 * equals), skipping entries with n == 0; n_entries when there is none.
 */
size_t race_best(const struct race_entry *e, size_t n_entries, bool maximize);

/*
 * The next top-up of the race over e[0..n_entries): 1 with *pick the
 * entry to measure more and *target the repetitions it should then have
 * (more than its n, at most max_reps); 0 when the race is over.
 */
int race_next(const struct race_entry *e, size_t n_entries, bool maximize,
	      unsigned max_reps, size_t *pick, unsigned *target);

#endif
