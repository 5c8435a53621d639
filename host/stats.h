/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The figures of repeated wall-clock measurements, in one place: the
 * median, the range, a bootstrap 95% interval of the median and the
 * run-to-run spread. Deterministic: the bootstrap draws from a fixed-seed
 * generator over the samples sorted first, so the same samples (in any
 * order) always give the same interval.
 *
 *	double reqs[5] = { ... };
 *	struct stats_summary s;
 *	if (stats_summarize(reqs, 5, &s) == 0)
 *		... s.median, s.ci_low, s.ci_high, s.spread ...
 */
#ifndef UNITUNE_STATS_H
#define UNITUNE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Resamples of the bootstrap and its seed: fixed, so a table can be
 * reproduced from the stored samples. */
#define STATS_BOOTSTRAP_RESAMPLES 2000
#define STATS_BOOTSTRAP_SEED 0x756e6974756e65ULL /* "unitune" */
/* A figure whose spread is above this fraction is marked unstable. */
#define STATS_UNSTABLE_SPREAD 0.05

struct stats_summary {
	size_t n;
	double median, min, max, mean;
	double stddev;	/* sample (n - 1); 0 for one sample */
	/* The bootstrap 95% percentile interval of the median (2.5th and
	 * 97.5th percentiles of the resampled medians); with one sample,
	 * the sample itself. */
	double ci_low, ci_high;
	/* (max - min) / |median|: how far apart the repetitions landed.
	 * 0 when every sample is equal; NAN when the median is 0 and the
	 * samples differ (no relative spread exists). */
	double spread;
	bool unstable;	/* spread > STATS_UNSTABLE_SPREAD (NAN: false) */
};

/*
 * The p-quantile (0 <= p <= 1) of sorted x[0..n-1], n > 0,
 * interpolating linearly between ranks (the median of an even count is
 * the mean of the middle two).
 */
double stats_quantile_sorted(const double *x, size_t n, double p);

/* Sort x[0..n-1] in place, ascending (NANs are not expected). */
void stats_sort(double *x, size_t n);

/*
 * Summarize x[0..n-1] (left unchanged) into *out. 0, -EINVAL (n is 0 or
 * a sample is not finite) or -ENOMEM.
 */
int stats_summarize(const double *x, size_t n, struct stats_summary *out);

/*
 * A ratio of two sides measured in rounds (side a, then side b, once per
 * round, as `bench http --baseline linux` alternates them): the ratio of
 * the medians, median(a) / median(b), and its bootstrap 95% interval
 * from resampling whole rounds, so that a round's a and b are drawn
 * together and drift that moved both cancels in the ratio. The seed is
 * fixed: the same pairs give the same interval.
 */
struct stats_ratio {
	size_t n;		/* rounds */
	double ratio;		/* median(a) / median(b) */
	double ci_low, ci_high;	/* with one round, the ratio itself */
};

/*
 * The paired ratio of a[0..n-1] over b[0..n-1] (a[i] and b[i] from round
 * i; both left unchanged). 0, -EINVAL (n is 0, a sample is not finite)
 * or -EDOM (a median of b, or of a resample's b, is 0: no ratio), or
 * -ENOMEM.
 */
int stats_paired_ratio(const double *a, const double *b, size_t n,
		       struct stats_ratio *out);

#endif
