/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compare two profiles: which functions' self share changed. Functions are
 * matched by display name (the two images may differ, so addresses
 * cannot be compared). A function present in one profile only has share
 * 0 in the other.
 */
#ifndef UNITUNE_PROF_DIFF_H
#define UNITUNE_PROF_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"

struct diff_row {
	const char *name;	/* borrowed from a or b */
	uint64_t self_a, self_b;
	double share_a, share_b;	/* percent of each profile's samples */
	double delta;		/* share_b - share_a, percentage points */
};

/*
 * Rows for every function of a or b, sorted by |delta| descending, then
 * by name; *rows is the caller's to free. Both profiles finished. 0 or
 * -ENOMEM.
 */
int diff_profiles(const struct profile *a, const struct profile *b,
		  struct diff_row **rows, size_t *n);

/* The table: rows with |delta| >= min_delta, at most limit (0: all). */
void diff_print(FILE *out, const struct diff_row *rows, size_t n,
		size_t limit, double min_delta, uint64_t samples_a,
		uint64_t samples_b);

#endif
