/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a search strategy is told about a finished variant, in one place
 * for the sweep (tuner/sweep_state.c) and the strategy replay
 * (tuner/replay.c).
 */
#ifndef UNITUNE_SCORE_H
#define UNITUNE_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "space.h"
#include "store.h"

/*
 * The score of variant (whose status is status) to minimize: the median
 * of sp's first objective over its repetitions (the value the analysis
 * ranks by, tuner/analysis.h), negated when it is maximized. When sp
 * races, over the first sp->bench.repetitions only, without what the
 * race added later: the strategy is told what the search saw, so a
 * resumed sweep replays it exactly. *failed (and *score 0) when the
 * variant is not done or has no run of that metric. 0 or the store's
 * -errno.
 */
int score_variant(struct store *st, const struct space *sp, int64_t variant,
		  enum store_status status, double *score, bool *failed);

#endif /* UNITUNE_SCORE_H */
