/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A multivariate Parzen estimator over a discrete space (tuner/parzen.h).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parzen.h"

/* Scott's rule factor on the index range (Optuna's multivariate TPE uses
 * the same), and the smallest bandwidth in index units: at 0.5 an
 * observed value keeps about 0.68 of a kernel's mass and each direct
 * neighbour 0.16. Wider floors (0.75, 1, 1.5) were measured with
 * benchmarks/strategies.sh and reached the best later on most of the
 * structured landscapes. */
#define SIGMA_SCALE 0.2
#define SIGMA_MIN 0.5

void parzen_init(struct parzen *pe, const size_t *k, const bool *ordered,
		 size_t n, double prior_weight)
{
	memset(pe, 0, sizeof(*pe));
	pe->n = n;
	pe->k = k;
	pe->ordered = ordered;
	pe->prior_weight = prior_weight;
}

void parzen_release(struct parzen *pe)
{
	free(pe->sigma);
	free(pe->obs);
	memset(pe, 0, sizeof(*pe));
}

void parzen_clear(struct parzen *pe)
{
	pe->n_obs = 0;
}

int parzen_add(struct parzen *pe, const size_t *x)
{
	if (!pe->sigma) {
		pe->sigma = calloc(pe->n, sizeof(*pe->sigma));
		if (!pe->sigma)
			return -ENOMEM;
	}
	if (pe->n_obs == pe->cap_obs) {
		size_t cap = pe->cap_obs ? 2 * pe->cap_obs : 32;
		size_t *obs;

		if (cap > SIZE_MAX / sizeof(*obs) / pe->n)
			return -ENOMEM;
		obs = realloc(pe->obs, cap * pe->n * sizeof(*obs));
		if (!obs)
			return -ENOMEM;
		pe->obs = obs;
		pe->cap_obs = cap;
	}
	memcpy(pe->obs + pe->n_obs * pe->n, x, pe->n * sizeof(*x));
	pe->n_obs++;
	return 0;
}

static bool is_ordered(const struct parzen *pe, size_t i)
{
	return pe->ordered && pe->ordered[i] && pe->k[i] > 1;
}

void parzen_fit(struct parzen *pe)
{
	double m = pe->n_obs ? (double)pe->n_obs : 1;
	double scott = SIGMA_SCALE * pow(m, -1.0 / ((double)pe->n + 4));
	size_t i;

	if (!pe->sigma)
		return;		/* no observation: only the prior */
	for (i = 0; i < pe->n; i++) {
		double range = (double)pe->k[i] - 1;
		double s = scott * range;

		pe->sigma[i] = s < SIGMA_MIN ? SIGMA_MIN : s > range ? range : s;
	}
}

size_t parzen_draws(const struct parzen *pe)
{
	return pe->n + 1;
}

/* P(a < Z < b) for a standard normal Z, a <= b, accurate in both tails. */
static double normal_mass(double a, double b)
{
	if (a >= 0)
		return 0.5 * (erfc(a * M_SQRT1_2) - erfc(b * M_SQRT1_2));
	if (b <= 0)
		return 0.5 * (erfc(-b * M_SQRT1_2) - erfc(-a * M_SQRT1_2));
	return 1 - 0.5 * erfc(-a * M_SQRT1_2) - 0.5 * erfc(b * M_SQRT1_2);
}

/* The mass of indices 0..v (inclusive) under a Gaussian centred on
 * index c, unnormalised: v = k - 1 gives the truncation's total. */
static double ordered_cdf(double c, double sigma, size_t v)
{
	return normal_mass((-0.5 - c) / sigma, ((double)v + 0.5 - c) / sigma);
}

static double ordered_log_kernel(double c, double sigma, size_t k, size_t v)
{
	double z = ordered_cdf(c, sigma, k - 1);
	double m = normal_mass(((double)v - 0.5 - c) / sigma,
			       ((double)v + 0.5 - c) / sigma);

	return log(m) - log(z);
}

/* Unordered: the observed value keeps weight 1 and every value gets an
 * even share of the prior weight, as Optuna's categorical kernel. */
static double categorical_log_kernel(const struct parzen *pe, size_t k,
				     size_t c, size_t v)
{
	double w = pe->prior_weight;

	return log(((v == c ? 1 : 0) + w / (double)k) / (1 + w));
}

static size_t clamp_index(double x, size_t k)
{
	size_t v = x <= 0 ? 0 : (size_t)x;

	return v < k ? v : k - 1;
}

/* Index drawn from the truncated, discretised Gaussian on c: the
 * smallest v whose cumulative mass exceeds u of the total. */
static size_t ordered_sample(double c, double sigma, size_t k, double u)
{
	double target = u * ordered_cdf(c, sigma, k - 1);
	size_t lo = 0, hi = k - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ordered_cdf(c, sigma, mid) > target)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void parzen_sample(const struct parzen *pe, const double *u, size_t *x)
{
	double w = pe->prior_weight;
	double t = u[0] * (w + (double)pe->n_obs);
	const size_t *c;
	size_t i;

	if (t < w || !pe->n_obs) {
		for (i = 0; i < pe->n; i++)
			x[i] = clamp_index(u[i + 1] * (double)pe->k[i],
					   pe->k[i]);
		return;
	}
	c = pe->obs + clamp_index(t - w, pe->n_obs) * pe->n;
	for (i = 0; i < pe->n; i++) {
		if (is_ordered(pe, i)) {
			x[i] = ordered_sample((double)c[i], pe->sigma[i],
					      pe->k[i], u[i + 1]);
			continue;
		}
		t = u[i + 1] * (1 + w);
		x[i] = t < 1 ? c[i]
			     : clamp_index((t - 1) / w * (double)pe->k[i],
					   pe->k[i]);
	}
}

/* log(exp(a) + exp(b)), either may be -inf. */
static double log_add(double a, double b)
{
	double hi = a > b ? a : b, lo = a > b ? b : a;

	if (isinf(lo))
		return hi;
	return hi + log1p(exp(lo - hi));
}

double parzen_log_pdf(const struct parzen *pe, const size_t *x)
{
	double sum, lp;
	size_t i, j;

	/* The prior: weight w, uniform over the grid. */
	sum = log(pe->prior_weight);
	for (i = 0; i < pe->n; i++)
		sum -= log((double)pe->k[i]);
	for (j = 0; j < pe->n_obs; j++) {
		const size_t *c = pe->obs + j * pe->n;

		lp = 0;
		for (i = 0; i < pe->n && !isinf(lp); i++)
			lp += is_ordered(pe, i)
				? ordered_log_kernel((double)c[i],
						     pe->sigma[i], pe->k[i],
						     x[i])
				: categorical_log_kernel(pe, pe->k[i], c[i],
							 x[i]);
		sum = log_add(sum, lp);
	}
	return sum - log(pe->prior_weight + (double)pe->n_obs);
}
