/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A variant's score for the search strategies (tuner/score.h).
 */
#include "score.h"

int score_variant(struct store *st, const struct space *sp, int64_t variant,
		  enum store_status status, double *score, bool *failed)
{
	const struct space_objective *obj = &sp->objectives[0];
	double mean = 0;
	unsigned n = 0;
	int err;

	*score = 0;
	*failed = true;
	if (status != STORE_DONE)
		return 0;
	err = store_metric_mean(st, variant, obj->metric, &mean, &n);
	if (err || !n)
		return err;
	*failed = false;
	*score = obj->goal == SPACE_MAXIMIZE ? -mean : mean;
	return 0;
}
