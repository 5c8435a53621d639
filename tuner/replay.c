/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replaying search strategies against known landscapes (tuner/replay.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "score.h"
#include "stats.h"
#include "strategy.h"

void replay_land_free(struct replay_land *l)
{
	free(l->k);
	free(l->ordered);
	free(l->val);
	free(l->failed);
	memset(l, 0, sizeof(*l));
}

int replay_land_init(struct replay_land *l, const char *name, const size_t *k,
		     const bool *ordered, size_t n, char *why,
		     size_t why_len)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	if (!n)
		return -EINVAL;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->n = n;
	l->size = 1;
	for (i = 0; i < n; i++) {
		if (!k[i])
			return -EINVAL;
		if (l->size > REPLAY_MAX_POINTS / k[i]) {
			snprintf(why, why_len, "%s: more than %llu points", name,
				    (unsigned long long)REPLAY_MAX_POINTS);
			return -EOVERFLOW;
		}
		l->size *= k[i];
	}
	l->k = malloc(n * sizeof(*l->k));
	l->ordered = calloc(n, sizeof(*l->ordered));
	l->val = calloc(l->size, sizeof(*l->val));
	l->failed = malloc(l->size);
	if (!l->k || !l->ordered || !l->val || !l->failed) {
		replay_land_free(l);
		return -ENOMEM;
	}
	memcpy(l->k, k, n * sizeof(*k));
	if (ordered)
		memcpy(l->ordered, ordered, n * sizeof(*ordered));
	memset(l->failed, 1, l->size);
	l->best = INFINITY;
	return 0;
}

uint64_t replay_land_code(const struct replay_land *l, const size_t *idx)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		c = c * l->k[i] + idx[i];
	return c;
}

void replay_land_set(struct replay_land *l, uint64_t code, double score,
		     bool failed)
{
	failed = failed || isnan(score);
	l->failed[code] = failed;
	l->val[code] = failed ? 0 : score;
}

void replay_land_finish(struct replay_land *l)
{
	uint64_t c;

	l->best = INFINITY;
	l->n_best = 0;
	for (c = 0; c < l->size; c++) {
		if (l->failed[c] || l->val[c] > l->best)
			continue;
		if (l->val[c] < l->best)
			l->n_best = 0;
		l->best = l->val[c];
		l->n_best++;
	}
}

/* --- a finished experiment from the store --- */

/* A variant of the experiment: its score, or failed. */
struct store_score {
	int64_t id;
	bool failed;
	double score;
};

struct store_walk {
	struct store *st;
	const struct space *sp;
	struct replay_land *l;
	size_t *idx;
	struct store_score *v;
	size_t n, cap;
	unsigned foreign;
	unsigned char *has;	/* per point: some variant answered it */
};

static int on_variant(void *ctx, const struct store_variant *sv)
{
	struct store_walk *w = ctx;
	struct store_score *nv;

	if (space_point_parse(w->sp, sv->requested, w->idx)) {
		w->foreign++;
		return 0;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		nv = realloc(w->v, w->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		w->v = nv;
	}
	nv = &w->v[w->n++];
	nv->id = sv->id;
	return score_variant(w->st, w->sp, sv->id, sv->status, &nv->score,
			     &nv->failed);
}

static const struct store_score *find_variant(const struct store_walk *w,
					      int64_t id)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].id == id)
			return &w->v[i];
	return NULL;
}

static int on_point(void *ctx, const struct store_point *p)
{
	struct store_walk *w = ctx;
	const struct store_score *v;
	uint64_t c;

	if (space_point_parse(w->sp, p->requested, w->idx))
		return 0;
	v = find_variant(w, p->variant_id);
	if (!v)
		return 0;
	c = replay_land_code(w->l, w->idx);
	w->has[c] = 1;
	replay_land_set(w->l, c, v->score, v->failed);
	return 0;
}

static int land_from_space(struct replay_land *l, const char *name,
			   const struct space *sp, char *why, size_t why_len)
{
	size_t *k = calloc(sp->n_options, sizeof(*k)), i;
	bool *ordered = calloc(sp->n_options, sizeof(*ordered));
	int r = -ENOMEM;

	if (k && ordered) {
		for (i = 0; i < sp->n_options; i++) {
			k[i] = sp->options[i].n_values;
			ordered[i] = strategy_option_ordered(&sp->options[i]);
		}
		r = replay_land_init(l, name, k, ordered, sp->n_options, why,
				     why_len);
	}
	free(k);
	free(ordered);
	return r;
}

int replay_land_from_store(struct replay_land *l, struct store *st,
			   const char *experiment, const struct space *sp,
			   unsigned *n_foreign, char *why,
			   size_t why_len)
{
	struct store_walk w = { .st = st, .sp = sp, .l = l };
	int64_t exp_id;
	uint64_t c;
	int r;

	*n_foreign = 0;
	r = land_from_space(l, experiment, sp, why, why_len);
	if (r)
		return r;
	w.idx = calloc(sp->n_options, sizeof(*w.idx));
	w.has = calloc(l->size, 1);
	if (!w.idx || !w.has) {
		r = -ENOMEM;
		goto out;
	}
	r = store_experiment_find(st, experiment, &exp_id);
	if (r == -ENOENT) {
		snprintf(why, why_len, "%s: no such experiment", experiment);
		goto out;
	}
	if (!r)
		r = store_variants_by_status(st, exp_id, STORE_STATUS_ANY,
					     on_variant, &w);
	if (!r)
		r = store_points(st, exp_id, on_point, &w);
	if (r) {
		snprintf(why, why_len, "%s: %s", experiment,
			    r == -ENOMEM ? strerror(ENOMEM) : store_errmsg(st));
		goto out;
	}
	for (c = 0; c < l->size; c++)
		l->missing += !w.has[c];
	replay_land_finish(l);
	*n_foreign = w.foreign;
out:
	if (r)
		replay_land_free(l);
	free(w.v);
	free(w.idx);
	free(w.has);
	return r;
}

/* --- the replay --- */

int replay_run(const struct replay_land *l, enum space_strategy kind,
	       uint64_t seed, size_t jobs, uint64_t *reached, uint64_t *total)
{
	struct strategy *s = NULL;
	size_t *q = calloc(jobs * l->n, sizeof(*q)), n_out = 0;
	uint64_t evals = 0, c;
	int r = strategy_new_ordered(kind, l->k, l->ordered, l->n, seed, &s);

	*reached = 0;
	if (!q)
		r = -ENOMEM;
	while (!r && !*reached && evals < l->size) {
		while (n_out < jobs &&
		       (r = strategy_next(s, q + n_out * l->n)) == 1)
			n_out++;
		if (r < 0 && r != -EAGAIN)
			break;
		r = 0;
		if (!n_out)
			break;
		c = replay_land_code(l, q);
		r = strategy_tell(s, q, l->val[c], l->failed[c]);
		memmove(q, q + l->n, (n_out - 1) * l->n * sizeof(*q));
		n_out--;
		evals++;
		if (!l->failed[c] && l->val[c] == l->best)
			*reached = evals;
	}
	strategy_free(s);
	free(q);
	*total = evals;
	return r;
}

int replay_stats(const struct replay_land *l, enum space_strategy kind,
		 unsigned runs, size_t jobs, struct replay_stats *out)
{
	uint64_t reached, total, sum = 0;
	double *evals;
	unsigned i;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (kind == SPACE_GRID || kind == SPACE_GREEDY)
		runs = runs ? 1 : 0;
	out->runs = runs;
	out->budget = (l->size + 3) / 4;
	out->median = out->q1 = out->q3 = out->mean = NAN;
	if (!runs)
		return 0;
	evals = calloc(runs, sizeof(*evals));
	if (!evals)
		return -ENOMEM;
	for (i = 0; !r && i < runs; i++) {
		r = replay_run(l, kind, i + 1, jobs, &reached, &total);
		evals[i] = (double)(reached ? reached : l->size + 1);
		out->reached += reached > 0;
		out->in_budget += reached > 0 && reached <= out->budget;
		sum += reached ? reached : l->size + 1;
	}
	if (!r) {
		stats_sort(evals, runs);
		out->median = stats_quantile_sorted(evals, runs, 0.5);
		out->q1 = stats_quantile_sorted(evals, runs, 0.25);
		out->q3 = stats_quantile_sorted(evals, runs, 0.75);
		out->mean = (double)sum / runs;
		out->max = (uint64_t)evals[runs - 1];
	}
	free(evals);
	return r;
}

uint64_t replay_random_median(uint64_t size, uint64_t n_best)
{
	uint64_t x, i;
	double miss;

	if (!n_best || n_best > size)
		return 0;
	/* P(X > x): none of the first x points is among the n_best. */
	for (x = 1; x <= size - n_best; x++) {
		miss = 1;
		for (i = 0; i < n_best && miss > 0.5; i++)
			miss *= (double)(size - x - i) / (double)(size - i);
		if (miss <= 0.5)
			return x;
	}
	return size - n_best + 1;
}
