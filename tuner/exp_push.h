/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An experiment's results pushed to a Prometheus Pushgateway
 * (`unitune tune --push URL`, docs/prometheus.md): one group per variant,
 *
 *	job="unitune_tune", experiment=NAME, commit=GIT, config_hash=HASH
 *
 * holding the variant's figures for every metric its runs recorded (the
 * objectives among them) as host/prom_results.h names them, its status,
 * and its rank when it is ranked. A PUT replaces the group, so pushing
 * an experiment again updates it in place. The commit is the one the
 * store recorded with the experiment ("unknown" when none was).
 */
#ifndef UNITUNE_EXP_PUSH_H
#define UNITUNE_EXP_PUSH_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "push.h"
#include "store.h"

#define EXP_PUSH_JOB "unitune_tune"

/*
 * Push every variant of t (experiment name, measured at commit) through
 * p. *pushed counts the groups pushed, also when one fails (the first
 * failure stops it). 0, or push_put()'s / prom_results_write()'s errors
 * with why naming the variant.
 */
int exp_push_table(struct push *p, const struct analysis_table *t,
		   const char *name, const char *commit, size_t *pushed,
		   char *why, size_t why_len);

/*
 * Load experiment exp of st (space s) and push it to url: what the sweep
 * calls once it is complete. 0, or a negative errno with why.
 */
int exp_push_experiment(struct store *st, int64_t exp, const struct space *s,
			const char *url, size_t *pushed, char *why,
			size_t why_len);

#endif
