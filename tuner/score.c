/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A variant's score for the search strategies (tuner/score.h).
 */
#include "score.h"

#include <stdlib.h>

#include "stats.h"

int score_variant(struct store *st, const struct space *sp, int64_t variant,
		  enum store_status status, double *score, bool *failed)
{
	const struct space_objective *obj = &sp->objectives[0];
	double *x = NULL, median;
	size_t n = 0;
	int err;

	*score = 0;
	*failed = true;
	if (status != STORE_DONE)
		return 0;
	err = store_metric_samples(st, variant, obj->metric, &x, &n);
	if (err || !n) {
		free(x);
		return err;
	}
	if (space_races(sp) && n > sp->bench.repetitions)
		n = sp->bench.repetitions;
	stats_sort(x, n);
	median = stats_quantile_sorted(x, n, 0.5);
	free(x);
	*failed = false;
	*score = obj->goal == SPACE_MAXIMIZE ? -median : median;
	return 0;
}
