/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A multivariate Parzen estimator over a discrete space, the density
 * model of the tpe strategy (tuner/strategy.c): a mixture of a uniform
 * prior and one product kernel per observed point, so options that
 * interact are modelled jointly rather than each on its own.
 *
 * An ordered option (an int's value list) gets a Gaussian kernel over
 * value indices, discretised to the index grid and truncated to it, so
 * a point also lends weight to its neighbouring values; an unordered
 * option (a choice, a bool) a categorical kernel that puts most of its
 * weight on the observed value. Bandwidths follow Scott's rule on the
 * index range, as Optuna's multivariate TPE does, with a floor so a
 * neighbour keeps a fair share.
 *
 * Pure: no I/O, no global state; sampling takes its uniform numbers from
 * the caller, so the caller's seeded generator makes it deterministic.
 */
#ifndef UNITUNE_PARZEN_H
#define UNITUNE_PARZEN_H

#include <stdbool.h>
#include <stddef.h>

struct parzen {
	size_t n;		/* options */
	const size_t *k;	/* value count per option */
	const bool *ordered;	/* NULL: every option unordered */
	double prior_weight;	/* of the uniform component, > 0 */
	double *sigma;		/* per option, in index units (ordered) */
	size_t *obs;		/* n_obs points of n indices each */
	size_t n_obs, cap_obs;
};

/* An empty estimator over options with k[i] values each (the arrays must
 * outlive it). */
void parzen_init(struct parzen *pe, const size_t *k, const bool *ordered,
		 size_t n, double prior_weight);
void parzen_release(struct parzen *pe);

/* Forget the observations (keeps the memory). */
void parzen_clear(struct parzen *pe);

/* Add one observed point. 0 or -ENOMEM. */
int parzen_add(struct parzen *pe, const size_t *x);

/* Set the bandwidths for the observations added so far; call it after
 * the last parzen_add() and before sampling or evaluating. */
void parzen_fit(struct parzen *pe);

/* How many uniform numbers parzen_sample() takes: n + 1. */
size_t parzen_draws(const struct parzen *pe);

/* A point drawn from the mixture into x, from parzen_draws() uniform
 * numbers in [0, 1). */
void parzen_sample(const struct parzen *pe, const double *u, size_t *x);

/* The log of the mixture's probability of point x (finite: the prior
 * gives every point some weight). */
double parzen_log_pdf(const struct parzen *pe, const size_t *x);

#endif /* UNITUNE_PARZEN_H */
