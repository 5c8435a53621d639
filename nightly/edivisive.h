/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * E-divisive means over a wall metric's good points (edivisive.c), the
 * change-point half of detect_series (detect.c). The series is the
 * points' samples laid end to end; a change can only fall between two
 * points (a commit boundary), never inside one point's repetitions.
 */
#ifndef UNITUNE_NIGHTLY_EDIVISIVE_H
#define UNITUNE_NIGHTLY_EDIVISIVE_H

#include <stddef.h>

struct ed_series {
	const double *z;	/* every sample, point after point */
	const size_t *start;	/* point i holds z[start[i] .. start[i+1]) */
	size_t n;		/* points; start has n + 1 entries */
};

/* One change point: the first point after it, and the figures of the
 * segments either side (each cut to window points from the change). */
struct ed_change {
	size_t at;		/* 1 .. n - 1 */
	double p;		/* Welch t of the two segments */
	double before, after;	/* their medians */
};

/*
 * The change points of s whose segments differ with a Welch p at most
 * p_value and medians at least min_effect apart (relative), in order,
 * into *out (free()) and *count. 0 or -ENOMEM.
 */
int edivisive_changes(const struct ed_series *s, size_t window,
		      double p_value, double min_effect,
		      struct ed_change **out, size_t *count);

/* Matteson and James's divergence Q of the split of z[0..n) before
 * z[k] (alpha = 1), for the tests; 0 when a side has fewer than two
 * samples. */
double edivisive_q(const double *z, size_t n, size_t k);

#endif
