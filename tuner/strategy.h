/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tuner's search strategies: which point of a space to evaluate next.
 * A point is one value index per option (size_t idx[n_options], as
 * space_grid_point() gives). Summary in docs/space-file.md, "Strategies".
 *
 * Pure and deterministic: no I/O, no global state, no clock. The same
 * kind, value counts, seed and sequence of calls give the same proposals
 * on every machine (host/rng.h's splitmix64 generator, not rand()).
 *
 * Protocol. strategy_next() proposes; the caller evaluates and reports
 * with strategy_tell(). Several next() calls may precede the matching
 * tells (a sweep running --jobs variants at once), and tells may come in
 * any order. A point is never proposed twice, nor one already told (a
 * resumed sweep tells what it knows first, proposed or not). Failed
 * points rank below every score and are never proposed again.
 *
 * strategy_next() returns -EAGAIN only when it cannot propose anything
 * until an outstanding (proposed, not yet told) point is told: greedy
 * after it has proposed every neighbour of its current step. The caller
 * then tells what is outstanding and calls next() again; -EAGAIN with
 * nothing outstanding does not happen. grid, random and tpe never
 * return it.
 */
#ifndef UNITUNE_STRATEGY_H
#define UNITUNE_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "space.h"

struct strategy;

/*
 * A strategy of that kind over options with n_values[i] values each
 * (every count >= 1, n_options >= 1). seed drives random and tpe (grid
 * and greedy ignore it). 0 and *out (free with strategy_free), -EINVAL,
 * -ENOMEM, or -EOVERFLOW (grid over a space of 2^64 points or more).
 */
int strategy_new(enum space_strategy kind, const size_t *n_values,
		 size_t n_options, uint64_t seed, struct strategy **out);

/*
 * The same, saying which options have ordered values (ordered[i]; NULL:
 * none). tpe models an ordered option by value index, so a good value
 * lends weight to its neighbours; the others are unordered categories.
 * The other strategies ignore it.
 */
int strategy_new_ordered(enum space_strategy kind, const size_t *n_values,
			 const bool *ordered, size_t n_options, uint64_t seed,
			 struct strategy **out);

/* Does tpe treat option o's values as ordered? Ints: yes (their value
 * list, in file order); bools and choices: no. */
bool strategy_option_ordered(const struct space_option *o);

/* A strategy of that kind over space sp's options, ordered as
 * strategy_option_ordered() says. Returns as strategy_new(). */
int strategy_new_for_space(const struct space *sp, enum space_strategy kind,
			   uint64_t seed, struct strategy **out);

/*
 * The next point into idx (n_options entries): 1 with a point; 0 when
 * there is nothing more to propose (grid done, every point proposed or
 * told, or greedy converged); -EAGAIN (above) or another negative errno
 * (-ENOMEM). After 0 every later call returns 0.
 */
int strategy_next(struct strategy *s, size_t *idx);

/*
 * The result of a point: score to minimize, or failed (score is then
 * ignored; a NaN score counts as failed). The point need not have been
 * proposed; it is recorded either way, and a later tell of the same point
 * replaces the earlier. 0, -EINVAL (an index out of range) or -ENOMEM.
 */
int strategy_tell(struct strategy *s, const size_t *idx, double score,
		  bool failed);

void strategy_free(struct strategy *s);

/* One line for --help and docs; NULL for an unknown kind. */
const char *strategy_describe(enum space_strategy kind);

#endif /* UNITUNE_STRATEGY_H */
