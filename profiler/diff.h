/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compare two profiles: which functions' self share (samples where the
 * function itself ran) and total share (samples with the function
 * anywhere on the stack: it or its callees) changed. Functions are
 * matched by display name (the two images may differ, so addresses
 * cannot be compared). A function present in one profile only has share
 * 0 in the other.
 *
 * Noise. A deterministic trace (--deterministic) repeats exactly, so a
 * side given without halves adds no noise, and between two such traces
 * every change is exact. A wall-clock trace is one draw of a noisy
 * process: its share p of n samples has a standard deviation of at least
 * sqrt(p(1-p)/n) (samples as independent draws), and more when the run
 * drifts; the trace's own two halves (by time) measure that drift, their
 * shares h1, h2 differing by about twice the deviation of p. Each side's
 * deviation is the larger of the two estimates; the noise of a change is
 * two deviations of the difference, 2 * sqrt(sa^2 + sb^2), in
 * percentage points. A change no larger than its noise (self and total
 * both) is "within noise": it may well be chance.
 */
#ifndef UNITUNE_PROF_DIFF_H
#define UNITUNE_PROF_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"

struct diff_input {
	const struct profile *prof;	/* finished */
	/* Its halves (profile_halves()) for a wall-clock trace; NULL for a
	 * deterministic one (no noise). */
	const struct prof_halves *halves;
};

struct diff_row {
	const char *name;	/* borrowed from a or b */
	uint64_t self_a, self_b, total_a, total_b;
	/* Percent of each profile's samples; deltas B - A in points. */
	double share_a, share_b, delta;
	double tshare_a, tshare_b, tdelta;
	/* Two standard deviations of delta and tdelta, in points; 0 when
	 * neither side has halves. */
	double noise, tnoise;
	bool within_noise;	/* |delta| <= noise and |tdelta| <= tnoise,
				 * and some side has halves */
};

/*
 * Rows for every function of a or b: changes beyond noise first, then
 * those within it, each by the larger of |delta| and |tdelta|
 * descending, then by name; *rows is the caller's to free. 0 or -ENOMEM.
 */
int diff_profiles(const struct diff_input *a, const struct diff_input *b,
		  struct diff_row **rows, size_t *n);

/*
 * The table: rows where |delta| or |tdelta| is at least min_delta (and
 * not 0), at most limit (0: all). exact: no side had halves (says so
 * instead of a noise column).
 */
void diff_print(FILE *out, const struct diff_row *rows, size_t n,
		size_t limit, double min_delta, uint64_t samples_a,
		uint64_t samples_b, bool exact);

#endif
