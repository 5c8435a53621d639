/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Racing noisy variants: ties and the next top-up (tuner/race.h).
 */
#include "race.h"

bool race_overlap(double a_lo, double a_hi, double b_lo, double b_hi)
{
	return a_lo <= b_hi && b_lo <= a_hi;
}

bool race_better(double a, double b, bool maximize)
{
	return maximize ? a > b : a < b;
}

size_t race_best(const struct race_entry *e, size_t n_entries, bool maximize)
{
	size_t i, best = n_entries;

	for (i = 0; i < n_entries; i++)
		if (e[i].n && (best == n_entries ||
			       race_better(e[i].median, e[best].median,
					   maximize)))
			best = i;
	return best;
}

/* Is e (in the race) a better pick than the current one, cur? */
static bool picks_before(const struct race_entry *e,
			 const struct race_entry *cur, bool maximize)
{
	if (!cur)
		return true;
	if (e->n != cur->n)
		return e->n < cur->n;
	return race_better(e->median, cur->median, maximize);
}

int race_next(const struct race_entry *e, size_t n_entries, bool maximize,
	      unsigned max_reps, size_t *pick, unsigned *target)
{
	size_t best = race_best(e, n_entries, maximize), i, p = 0;
	const struct race_entry *b, *chosen = NULL;
	bool contended = false;

	if (best == n_entries)
		return 0;
	b = &e[best];
	for (i = 0; i < n_entries; i++) {
		bool runs = i == best ||
			    (e[i].n && race_overlap(e[i].lo, e[i].hi, b->lo,
						    b->hi));

		if (!runs)
			continue;
		contended |= i != best;
		if (e[i].n < max_reps && picks_before(&e[i], chosen, maximize)) {
			chosen = &e[i];
			p = i;
		}
	}
	if (!contended || !chosen)
		return 0;
	*pick = p;
	*target = 2 * chosen->n < max_reps ? 2 * chosen->n : max_reps;
	return 1;
}
