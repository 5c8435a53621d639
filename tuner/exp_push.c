/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An experiment's variants as Pushgateway groups (see exp_push.h): the
 * analysis table's statistics mapped onto host/prom_results.h.
 */
#include "exp_push.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom_results.h"
#include "why.h"

/* 1-based place of variant index vi in t's ranking, 0 when unranked. */
static unsigned rank_of(const struct analysis_table *t, size_t vi)
{
	size_t k;

	for (k = 0; k < t->n_ranked; k++)
		if (t->rank[k] == vi)
			return (unsigned)k + 1;
	return 0;
}

static int push_variant(struct push *p, const struct analysis_table *t,
			size_t vi, const struct prom_label group[3],
			struct prom_result *r, char *why, size_t why_len)
{
	const struct analysis_variant *v = &t->v[vi];
	struct prom_result_set set = {
		.status = store_status_name(v->status),
		.rank = rank_of(t, vi),
		.results = r,
		.n = t->n_metrics,
	};
	size_t m;

	for (m = 0; m < t->n_metrics; m++) {
		const struct analysis_stat *st = &v->stats[m];

		r[m] = (struct prom_result){
			.metric = t->metrics[m], .unit = t->units[m],
			.mean = st->mean, .min = st->min, .max = st->max,
			.stddev = st->stddev, .n = st->n,
			.median = st->median,
		};
	}
	return prom_results_push(p, EXP_PUSH_JOB, group, 3, &set, why,
				 why_len);
}

int exp_push_table(struct push *p, const struct analysis_table *t,
		   const char *name, const char *commit, size_t *pushed,
		   char *why, size_t why_len)
{
	struct prom_result *r;
	size_t i;
	int err = 0;

	*pushed = 0;
	r = calloc(t->n_metrics ? t->n_metrics : 1, sizeof(*r));
	if (!r) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < t->n && !err; i++) {
		const struct prom_label group[3] = {
			{ "experiment", name },
			{ "commit", commit },
			{ "config_hash", t->v[i].hash },
		};
		char inner[UNITUNE_WHY_MAX] = "";

		err = push_variant(p, t, i, group, r, inner, sizeof(inner));
		if (!err)
			(*pushed)++;
		else if (err == -ECONNREFUSED || err == -EIO) /* not its fault */
			snprintf(why, why_len, "%s", inner);
		else
			snprintf(why, why_len, "variant %lld (%.12s): %s",
				 (long long)t->v[i].id, t->v[i].hash, inner);
	}
	free(r);
	return err;
}

int exp_push_experiment(struct store *st, int64_t exp, const struct space *s,
			const char *url, size_t *pushed, char *why,
			size_t why_len)
{
	struct analysis_table *t = NULL;
	struct store_env env = { 0 };
	struct push *p = NULL;
	int err;

	*pushed = 0;
	err = push_open(&p, url, why, why_len);
	if (err)
		return err;
	err = analysis_load(st, exp, s, &t);
	if (err) {
		snprintf(why, why_len, "reading the results: %s",
			 store_errmsg(st));
		goto out;
	}
	err = store_env_get(st, exp, &env);
	if (err && err != -ENOENT) {
		snprintf(why, why_len, "reading the environment: %s",
			 store_errmsg(st));
		goto out;
	}
	err = exp_push_table(p, t, s->name,
			     env.git_commit ? env.git_commit : "unknown",
			     pushed, why, why_len);
out:
	store_env_release(&env);
	analysis_free(t);
	push_close(p);
	return err;
}
