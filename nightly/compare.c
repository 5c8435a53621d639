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
 * The table below is our own, modelled on that idea and not copied: for
 * n samples a side it holds the median two-sided Mann-Whitney p (exact
 * up to 20 a side, normal above) of n against n normal samples whose
 * means differ by one standard deviation, from 4000 simulated pairs per
 * n (SciPy 1.10, NumPy default_rng(13); script in
 * docs/nightly-detector.md), rounded to two digits and made
 * non-increasing (small samples' exact p is coarse). A p above it is
 * larger than half of what a one-sigma shift would give: we call it
 * the same.
 */
#include <math.h>
#include <stddef.h>

#include "detect.h"
#include "two_sample.h"

static const double same_threshold[] = {
	1.0,	/* 0 samples a side: never same by p */
	1.0,	/* 1: a single pair can show nothing */
	0.33, 0.33, 0.33, 0.22, 0.13, 0.097, 0.083, 0.063, 0.043,
	0.034, 0.024, 0.019, 0.016, 0.013, 0.011, 0.0076, 0.0058, 0.0046,
	0.0035, 0.0035, 0.0030, 0.0023, 0.0018, 0.0015, 0.0012, 0.0010,
	0.00071, 0.00062, 0.00050,
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
