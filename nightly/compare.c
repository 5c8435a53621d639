/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The confirmation's question, in the manner of Chromium's Pinpoint
 * (detect.h, detect_compare): are the parent's and the suspect's
 * repetitions, measured alternately, the same, different, or not yet
 * known? The p is the smaller of Mann-Whitney U's and two-sample
 * Kolmogorov-Smirnov's, as Pinpoint takes it (one test sees a shift,
 * the other a change of shape).
 *
 * SAME needs a threshold per sample count, as Pinpoint has: with few
 * samples even a real change gives a large p, so "p is large" only
 * means "same" once enough samples make a real change likely to show.
 * The table below is our own, modelled on that idea and not copied:
 * for n samples a side it holds the 90th percentile of the two-sided
 * Mann-Whitney p of n standard normal samples against n shifted by one
 * standard deviation (2000 simulated pairs per n, seed 13; printed by
 * `build/nightly/nightly-replay --same-table`), made non-increasing.
 * So a real one-sigma change is called SAME by p one time in ten per
 * look; with nothing changed p is uniform and SAME comes quickly. A
 * first version used the median instead of the 90th percentile and
 * dismissed real changes too often in the replay (docs/nightly-detector.md).
 */
#include <math.h>
#include <stddef.h>

#include "detect.h"
#include "two_sample.h"

static const double same_threshold[] = {
	/* n = 0 .. 3 a side: a p never says "same" */
	1.0, 1.0, 1.0, 1.0,
	/* n = 4 .. 30 */
	0.89, 0.84, 0.70, 0.62, 0.57, 0.44, 0.39, 0.33, 0.29, 0.26,
	0.21, 0.19, 0.16, 0.15, 0.098, 0.091, 0.086, 0.067, 0.059, 0.059,
	0.049, 0.038, 0.038, 0.029, 0.029, 0.019, 0.015,
};

#define N_SAME (sizeof(same_threshold) / sizeof(same_threshold[0]))

/* The "same" threshold for n samples on the smaller side; past the
 * table, its last entry. */
static double same_p(size_t n)
{
	return same_threshold[n < N_SAME ? n : N_SAME - 1];
}

static bool all_finite(const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return false;
	return true;
}

enum detect_compare_result detect_compare(const double *a, size_t na,
					  const double *b, size_t nb,
					  double p_value, double min_effect,
					  double *p_out)
{
	double p = NAN, pk, rel;
	enum detect_compare_result r = DETECT_UNKNOWN;

	if (na == 0 || nb == 0 || !all_finite(a, na) || !all_finite(b, nb))
		goto out;
	p = detect_mann_whitney_p(a, na, b, nb);
	pk = detect_ks_p(a, na, b, nb);
	if (pk < p)
		p = pk;
	rel = fabs(detect_rel(detect_median(a, na), detect_median(b, nb)));
	if (p <= p_value && rel >= min_effect)
		r = DETECT_DIFFERENT;
	else if (p > same_p(na < nb ? na : nb))
		r = DETECT_SAME;
	else if (na >= 4 && nb >= 4 && rel < min_effect / 2)
		r = DETECT_SAME;
out:
	if (p_out)
		*p_out = p;
	return r;
}
