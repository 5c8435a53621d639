/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two-sample tests of the regression detector (detect.h, two_sample.h):
 * Mann-Whitney U, Welch's t and Kolmogorov-Smirnov, and the
 * distributions under them. No statistics library is linked: each
 * distribution is written from its textbook definition and the unit
 * tests (tests/unit/test_nightly_detect.c) pin it to reference values
 * computed with SciPy.
 *
 * Mann-Whitney U ranks both samples together, ties sharing their mean
 * rank. Small samples (na * nb <= DETECT_MWU_EXACT_MAX_PRODUCT) get the
 * exact permutation distribution of the rank sum given those mid-ranks,
 * so ties are exact too; larger ones the normal approximation with the
 * tie-corrected variance and a continuity correction. Every p is
 * two-sided.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "stats.h"
#include "two_sample.h"

/* A sorted copy of x[0..n-1]; NULL when out of memory or n is 0. */
static double *sorted_copy(const double *x, size_t n)
{
	double *c;

	if (n == 0)
		return NULL;
	c = malloc(n * sizeof(*c));
	if (!c)
		return NULL;
	memcpy(c, x, n * sizeof(*c));
	stats_sort(c, n);
	return c;
}

double detect_median(const double *x, size_t n)
{
	double *c = sorted_copy(x, n);
	double m;

	if (!c)
		return NAN;
	m = stats_quantile_sorted(c, n, 0.5);
	free(c);
	return m;
}

double detect_rel(double before, double after)
{
	if (before == 0)
		return after == 0 ? 0 : copysign(INFINITY, after);
	return after / before - 1;
}

/*
 * The continued fraction of I_x(a, b) (DLMF 8.17.22):
 *   I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) / (1 + d1 / (1 + d2 / ...)),
 *   d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)),
 *   d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
 * returning 1 / (1 + d1 / (1 + ...)), the denominator evaluated by the
 * modified Lentz method. It converges fast for x < (a + 1) / (a + b + 2).
 */
static double incbeta_cf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-16;
	double f = 1, c = 1, d = 0;
	int i;

	for (i = 1; i <= 1000; i++) {
		int m = i / 2;
		double num, cd;

		if (i % 2 == 0)
			num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		else
			num = -(a + m) * (a + b + m) * x /
			      ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + num * d;
		if (fabs(d) < tiny)
			d = tiny;
		d = 1 / d;
		c = 1 + num / c;
		if (fabs(c) < tiny)
			c = tiny;
		cd = c * d;
		f *= cd;
		if (fabs(1 - cd) < eps)
			break;
	}
	return 1 / f;
}

double detect_incbeta(double a, double b, double x)
{
	double lfront;

	if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
		 b * log1p(-x);
	/* Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) on the side where
	 * the fraction converges. */
	if (x < (a + 1) / (a + b + 2))
		return exp(lfront) * incbeta_cf(a, b, x) / a;
	return 1 - exp(lfront) * incbeta_cf(b, a, 1 - x) / b;
}

double detect_student_t_p(double t, double df)
{
	double p;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	/* P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2). */
	p = detect_incbeta(df / 2, 0.5, df / (df + t * t));
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

static void mean_var(const double *x, size_t n, double *mean, double *var)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	*mean = s / n;
	for (i = 0; i < n; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	*var = n > 1 ? ss / (n - 1) : 0;
}

double detect_welch_t_p(const double *a, size_t na, const double *b,
			size_t nb)
{
	double ma, va, mb, vb, sa, sb, t, df;

	if (na < 2 || nb < 2)
		return 1.0;
	mean_var(a, na, &ma, &va);
	mean_var(b, nb, &mb, &vb);
	sa = va / na;
	sb = vb / nb;
	if (sa + sb == 0)
		return ma == mb ? 1.0 : 0.0;
	t = (ma - mb) / sqrt(sa + sb);
	/* Welch-Satterthwaite; a side without variance contributes no
	 * term, leaving the other side's n - 1. */
	df = (sa + sb) * (sa + sb) /
	     (sa * sa / (na - 1) + sb * sb / (nb - 1));
	return detect_student_t_p(t, df);
}

/* The ranks of a against b: mid-ranks doubled so that they are
 * integers, one entry per sample of the pooled, sorted data. */
struct ranks {
	size_t n;		/* na + nb */
	unsigned long *r2;	/* doubled mid-rank of each pooled sample */
	unsigned long ra2;	/* doubled rank sum of a */
	double ties;		/* sum over tie groups of t^3 - t */
};

static int rank_pooled(const double *sa, size_t na, const double *sb,
		       size_t nb, struct ranks *rk)
{
	size_t i = 0, j = 0, pos = 0;

	rk->n = na + nb;
	rk->ra2 = 0;
	rk->ties = 0;
	rk->r2 = malloc(rk->n * sizeof(*rk->r2));
	if (!rk->r2)
		return -1;
	while (i < na || j < nb) {
		double v = j >= nb || (i < na && sa[i] <= sb[j]) ? sa[i] : sb[j];
		size_t ca = 0, cb = 0, t, k;
		unsigned long mid2;

		while (i < na && sa[i] == v) {
			i++;
			ca++;
		}
		while (j < nb && sb[j] == v) {
			j++;
			cb++;
		}
		t = ca + cb;
		/* Ranks pos+1 .. pos+t share (2 pos + t + 1) / 2. */
		mid2 = 2 * pos + t + 1;
		for (k = 0; k < t; k++)
			rk->r2[pos + k] = mid2;
		rk->ra2 += ca * mid2;
		rk->ties += (double)t * t * t - t;
		pos += t;
	}
	return 0;
}

/*
 * The exact two-sided p of the doubled rank sum ra2 of na samples drawn
 * without replacement from the pooled mid-ranks: count the subsets of
 * each size and sum by dynamic programming, then double the smaller
 * tail. The mid-ranks are symmetric about their mean, so the
 * distribution is too and doubling a tail is the two-sided p. -1 when
 * out of memory.
 */
static double mwu_exact_p(const struct ranks *rk, size_t na)
{
	size_t k = na, cols, e, j, s;
	unsigned long top = 0, ra2 = rk->ra2;
	double *ways, lo = 0, hi = 0, total = 0, p;

	/* Count subsets of the smaller side: the other's sum follows. */
	if (k > rk->n - k) {
		unsigned long all = 0;

		for (e = 0; e < rk->n; e++)
			all += rk->r2[e];
		ra2 = all - ra2;
		k = rk->n - k;
	}
	for (e = rk->n - k; e < rk->n; e++)
		top += rk->r2[e];
	cols = top + 1;
	ways = calloc((k + 1) * cols, sizeof(*ways));
	if (!ways)
		return -1;
	ways[0] = 1;
	for (e = 0; e < rk->n; e++) {
		unsigned long r = rk->r2[e];
		size_t jmax = e + 1 < k ? e + 1 : k;

		for (j = jmax; j >= 1; j--)
			for (s = top; s >= r; s--)
				ways[j * cols + s] += ways[(j - 1) * cols + s - r];
	}
	for (s = 0; s <= top; s++) {
		double w = ways[k * cols + s];

		total += w;
		if (s <= ra2)
			lo += w;
		if (s >= ra2)
			hi += w;
	}
	free(ways);
	p = 2 * (lo < hi ? lo : hi) / total;
	return p > 1 ? 1 : p;
}

/* Normal approximation, tie-corrected, with continuity correction. */
static double mwu_normal_p(const struct ranks *rk, size_t na, size_t nb)
{
	double n = (double)rk->n, u, mu, var, z;

	u = rk->ra2 / 2.0 - (double)na * (na + 1) / 2;
	mu = (double)na * nb / 2;
	var = (double)na * nb / 12 * ((n + 1) - rk->ties / (n * (n - 1)));
	if (!(var > 0))
		return 1.0;
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return fmin(1.0, erfc(z / sqrt(2)));
}

double detect_mann_whitney_p(const double *a, size_t na, const double *b,
			     size_t nb)
{
	double *sa = NULL, *sb = NULL, p = 1.0;
	struct ranks rk = { 0 };

	if (na == 0 || nb == 0)
		return 1.0;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	if (!sa || !sb || rank_pooled(sa, na, sb, nb, &rk) < 0)
		goto out;	/* out of memory: no evidence of a change */
	p = -1;
	if ((double)na * nb <= DETECT_MWU_EXACT_MAX_PRODUCT)
		p = mwu_exact_p(&rk, na);
	if (p < 0)
		p = mwu_normal_p(&rk, na, nb);
out:
	free(rk.r2);
	free(sa);
	free(sb);
	return p;
}

double detect_ks_d(const double *a, size_t na, const double *b, size_t nb)
{
	double *sa, *sb, d = 0;
	size_t i = 0, j = 0;

	if (na == 0 || nb == 0)
		return 0;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	if (!sa || !sb)
		goto out;
	/* Step both empirical CDFs past each distinct value before
	 * comparing them, so ties across the samples do not count. */
	while (i < na && j < nb) {
		double v = sa[i] < sb[j] ? sa[i] : sb[j], gap;

		while (i < na && sa[i] == v)
			i++;
		while (j < nb && sb[j] == v)
			j++;
		gap = fabs((double)i / na - (double)j / nb);
		if (gap > d)
			d = gap;
	}
out:
	free(sa);
	free(sb);
	return d;
}

double detect_kolmogorov_q(double lambda)
{
	double sum = 0;
	int k;

	if (!(lambda > 0))
		return 1;
	if (lambda < 1) {
		/* The theta-function form converges fast for small lambda:
		 * P(K <= l) = sqrt(2 pi) / l sum_k exp(-(2k-1)^2 pi^2 / (8 l^2)). */
		for (k = 1; k <= 20; k++) {
			double e = (2 * k - 1) * M_PI / lambda;

			sum += exp(-e * e / 8);
		}
		return fmax(0, 1 - sqrt(2 * M_PI) / lambda * sum);
	}
	/* P(K > l) = 2 sum_k (-1)^(k-1) exp(-2 k^2 l^2). */
	for (k = 1; k <= 100; k++) {
		double term = exp(-2.0 * k * k * lambda * lambda);

		sum += k % 2 ? term : -term;
		if (term < 1e-18)
			break;
	}
	return fmin(1, fmax(0, 2 * sum));
}

double detect_ks_p(const double *a, size_t na, const double *b, size_t nb)
{
	double en, sq, d;

	if (na == 0 || nb == 0)
		return 1.0;
	d = detect_ks_d(a, na, b, nb);
	en = (double)na * nb / (na + nb);
	sq = sqrt(en);
	/* Stephens' correction of the limit for finite samples. */
	return detect_kolmogorov_q((sq + 0.12 + 0.11 / sq) * d);
}
