/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The distributions under the detector's tests (two_sample.c), shared by
 * E-divisive (edivisive.c) and the Pinpoint-style compare (compare.c) and
 * exposed to the unit tests, which check them against reference values.
 * The tests themselves (Mann-Whitney U, Welch t, Kolmogorov-Smirnov) are
 * declared in detect.h.
 */
#ifndef UNITUNE_NIGHTLY_TWO_SAMPLE_H
#define UNITUNE_NIGHTLY_TWO_SAMPLE_H

#include <stddef.h>

/* Mann-Whitney U uses its exact (tie-conditional) distribution when
 * na * nb is at most this, the normal approximation above it. */
#define DETECT_MWU_EXACT_MAX_PRODUCT 400

/* The regularized incomplete beta function I_x(a, b), a, b > 0,
 * 0 <= x <= 1 (NAN otherwise). */
double detect_incbeta(double a, double b, double x);

/* P(|T| >= |t|) for Student's t with df > 0 degrees of freedom. */
double detect_student_t_p(double t, double df);

/* The survival function of Kolmogorov's limiting distribution,
 * P(K > lambda) (1 for lambda <= 0). */
double detect_kolmogorov_q(double lambda);

/* The two-sample Kolmogorov-Smirnov statistic D = sup |F_a - F_b|, 0 when
 * a side is empty. */
double detect_ks_d(const double *a, size_t na, const double *b, size_t nb);

/* The median of x[0..n-1] (left unchanged), NAN when n is 0 or out of
 * memory. */
double detect_median(const double *x, size_t n);

/* after / before - 1; 0 when both are 0, +-inf when only before is. */
double detect_rel(double before, double after);

#endif
