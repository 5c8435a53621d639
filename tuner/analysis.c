/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An experiment's variants and runs as one table, and what follows from
 * it: ranking, main effects, Pareto front. See analysis.h.
 */
#include "analysis.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "config.h"
#include "race.h"
#include "stats.h"
#include "strbuf.h"

/* The samples of one metric of one variant, as the runs are read. */
struct acc {
	size_t metric;
	double *x;
	unsigned n, cap;
	bool wall; /* a run of kind wall */
};

/* Loading state: the table plus each variant's accumulators. */
struct loader {
	struct analysis_table *t;
	size_t cap;
	struct acc **accs; /* per variant */
	size_t *n_accs;
	size_t *cap_accs;
	size_t cur; /* the variant whose runs are being read */
};

static int metric_add(struct analysis_table *t, const char *name,
		      const char *unit, size_t *at)
{
	char **m, **u;
	int i = analysis_metric_index(t, name);

	if (i >= 0) {
		if (at)
			*at = (size_t)i;
		if (unit && *unit && !*t->units[i]) {
			char *d = strdup(unit);

			if (!d)
				return -ENOMEM;
			free(t->units[i]);
			t->units[i] = d;
		}
		return 0;
	}
	m = realloc(t->metrics, (t->n_metrics + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	t->metrics = m;
	u = realloc(t->units, (t->n_metrics + 1) * sizeof(*u));
	if (!u)
		return -ENOMEM;
	t->units = u;
	m[t->n_metrics] = strdup(name);
	u[t->n_metrics] = strdup(unit ? unit : "");
	if (!m[t->n_metrics] || !u[t->n_metrics]) {
		free(m[t->n_metrics]);
		free(u[t->n_metrics]);
		return -ENOMEM;
	}
	if (at)
		*at = t->n_metrics;
	t->n_metrics++;
	return 0;
}

int analysis_metric_index(const struct analysis_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_metrics; i++)
		if (!strcmp(t->metrics[i], name))
			return (int)i;
	return -1;
}

static int run_cb(void *ctx, const struct store_run *r)
{
	struct loader *l = ctx;
	size_t vi = l->cur, m, k;
	struct acc *a = NULL;
	int e;

	e = metric_add(l->t, r->metric, r->unit, &m);
	if (e)
		return e;
	for (k = 0; k < l->n_accs[vi]; k++)
		if (l->accs[vi][k].metric == m)
			a = &l->accs[vi][k];
	if (!a) {
		if (l->n_accs[vi] == l->cap_accs[vi]) {
			size_t c = l->cap_accs[vi] ? 2 * l->cap_accs[vi] : 4;
			struct acc *p =
			    realloc(l->accs[vi], c * sizeof(*p));

			if (!p)
				return -ENOMEM;
			l->accs[vi] = p;
			l->cap_accs[vi] = c;
		}
		a = &l->accs[vi][l->n_accs[vi]++];
		*a = (struct acc){ .metric = m };
	}
	if (a->n == a->cap) {
		unsigned c = a->cap ? 2 * a->cap : 4;
		double *x = realloc(a->x, c * sizeof(*x));

		if (!x)
			return -ENOMEM;
		a->x = x;
		a->cap = c;
	}
	a->x[a->n++] = r->value;
	a->wall |= r->kind == STORE_WALL;
	return 0;
}

/*
 * Each option's value in a resolved config, spelled as in the space, and
 * whether it differs from the requested one.
 */
static int resolve_values(const struct space *s, struct analysis_variant *v)
{
	struct config_set set = { 0 };
	bool oom = false;
	size_t i;

	v->resolved_vals = calloc(s->n_options, sizeof(char *));
	v->opt_changed = calloc(s->n_options, sizeof(bool));
	if (!v->resolved_vals || !v->opt_changed)
		return -ENOMEM;
	if (config_parse_text(v->resolved, strlen(v->resolved), "resolved",
			      &set, NULL) < 0)
		return -ENOMEM;
	for (i = 0; i < s->n_options && !oom; i++) {
		const struct space_option *o = &s->options[i];
		const char *val = space_option_value(o, &set);

		v->resolved_vals[i] = str_dup_or_null(val, &oom);
		if (!v->idx)
			continue;
		v->opt_changed[i] = space_option_index(o, val) !=
				    (long)v->idx[i];
		if (v->opt_changed[i])
			v->changed = true;
	}
	config_set_release(&set);
	return oom ? -ENOMEM : 0;
}

static int variant_cb(void *ctx, const struct store_variant *sv)
{
	struct loader *l = ctx;
	struct analysis_table *t = l->t;
	const struct space *s = t->space;
	struct analysis_variant *v;
	bool oom = false;
	int e;

	if (t->n == l->cap) {
		size_t c = l->cap ? 2 * l->cap : 16;
		struct analysis_variant *nv = realloc(t->v, c * sizeof(*nv));
		struct acc **na;
		size_t *nn, *nc;

		if (!nv)
			return -ENOMEM;
		t->v = nv;
		na = realloc(l->accs, c * sizeof(*na));
		if (!na)
			return -ENOMEM;
		l->accs = na;
		nn = realloc(l->n_accs, c * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		l->n_accs = nn;
		nc = realloc(l->cap_accs, c * sizeof(*nc));
		if (!nc)
			return -ENOMEM;
		l->cap_accs = nc;
		l->cap = c;
	}
	v = &t->v[t->n];
	memset(v, 0, sizeof(*v));
	l->accs[t->n] = NULL;
	l->n_accs[t->n] = 0;
	l->cap_accs[t->n] = 0;
	t->n++;
	v->id = sv->id;
	v->status = sv->status;
	v->hash = str_dup_or_null(sv->hash, &oom);
	v->requested = str_dup_or_null(sv->requested ? sv->requested : "",
				       &oom);
	v->resolved = str_dup_or_null(sv->resolved ? sv->resolved : "", &oom);
	v->log_tail = str_dup_or_null(sv->log_tail, &oom);
	if (oom)
		return -ENOMEM;
	if (s->n_options) {
		v->idx = malloc(s->n_options * sizeof(*v->idx));
		if (!v->idx)
			return -ENOMEM;
		e = space_point_parse(s, v->requested, v->idx);
		if (e == -ENOMEM)
			return e;
		if (e) {
			free(v->idx);
			v->idx = NULL;
		}
	}
	return resolve_values(s, v);
}

/*
 * One metric's samples as a stat: host/stats.c's summary (the bootstrap
 * interval only for wall-clock samples: deterministic ones do not vary
 * from run to run) and the sample standard deviation.
 */
static int stat_of(struct acc *a, struct analysis_stat *st)
{
	struct stats_summary sum;
	double m2 = 0;
	unsigned i;
	int e;

	st->n = a->n;
	st->wall = a->wall;
	if (a->wall) {
		e = stats_summarize(a->x, a->n, &sum);
		if (e)
			return e;
		st->ci_low = sum.ci_low;
		st->ci_high = sum.ci_high;
		st->spread = sum.spread;
		st->unstable = sum.unstable;
	}
	stats_sort(a->x, a->n);
	st->min = a->x[0];
	st->max = a->x[a->n - 1];
	st->median = stats_quantile_sorted(a->x, a->n, 0.5);
	for (st->mean = 0, i = 0; i < a->n; i++)
		st->mean += (a->x[i] - st->mean) / (i + 1);
	for (i = 0; i < a->n; i++)
		m2 += (a->x[i] - st->mean) * (a->x[i] - st->mean);
	st->stddev = a->n > 1 ? sqrt(m2 / (a->n - 1)) : 0;
	if (!a->wall)
		st->ci_low = st->ci_high = st->median;
	return 0;
}

/* Turn the accumulators into one stat per table metric. */
static int finish_stats(struct loader *l)
{
	struct analysis_table *t = l->t;
	size_t i, k;
	int e;

	for (i = 0; i < t->n; i++) {
		struct analysis_variant *v = &t->v[i];

		v->stats = calloc(t->n_metrics ? t->n_metrics : 1,
				  sizeof(*v->stats));
		if (!v->stats)
			return -ENOMEM;
		for (k = 0; k < l->n_accs[i]; k++) {
			e = stat_of(&l->accs[i][k],
				    &v->stats[l->accs[i][k].metric]);
			if (e)
				return e;
		}
	}
	return 0;
}

const struct analysis_stat *analysis_objective(const struct analysis_table *t,
					       const struct analysis_variant *v,
					       size_t k)
{
	return &v->stats[t->obj[k]];
}

/* <0 when a is better than b for objective k (missing values last). */
static int cmp_objective(const struct analysis_table *t,
			 const struct analysis_variant *a,
			 const struct analysis_variant *b, size_t k)
{
	const struct analysis_stat *x = analysis_objective(t, a, k);
	const struct analysis_stat *y = analysis_objective(t, b, k);
	int c;

	if (!x->n || !y->n)
		return (int)!x->n - (int)!y->n;
	c = (x->median > y->median) - (x->median < y->median);
	return t->space->objectives[k].goal == SPACE_MAXIMIZE ? -c : c;
}

static int cmp_rank(const void *pa, const void *pb, void *ctx)
{
	const struct analysis_table *t = ctx;
	const struct analysis_variant *a = &t->v[*(const size_t *)pa];
	const struct analysis_variant *b = &t->v[*(const size_t *)pb];
	size_t k;
	int c;

	for (k = 0; k < t->space->n_objectives; k++) {
		c = cmp_objective(t, a, b, k);
		if (c)
			return c;
	}
	return (a->id > b->id) - (a->id < b->id);
}

static int rank(struct analysis_table *t)
{
	double sum = 0;
	size_t i;

	t->rank = malloc((t->n ? t->n : 1) * sizeof(*t->rank));
	if (!t->rank)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		if (t->v[i].status != STORE_DONE ||
		    !analysis_objective(t, &t->v[i], 0)->n)
			continue;
		t->rank[t->n_ranked++] = i;
		sum += analysis_objective(t, &t->v[i], 0)->median;
	}
	qsort_r(t->rank, t->n_ranked, sizeof(*t->rank), cmp_rank, t);
	t->overall_mean = t->n_ranked ? sum / t->n_ranked : NAN;
	return 0;
}

static int cmp_effect(const void *pa, const void *pb)
{
	const struct analysis_effect *a = pa, *b = pb;

	if (a->effect != b->effect)
		return a->effect < b->effect ? 1 : -1;
	return (a->option > b->option) - (a->option < b->option);
}

static int effects(struct analysis_table *t)
{
	const struct space *s = t->space;
	size_t i, j, r;

	t->effects = calloc(s->n_options ? s->n_options : 1,
			    sizeof(*t->effects));
	if (!t->effects)
		return -ENOMEM;
	for (i = 0; i < s->n_options; i++) {
		struct analysis_effect *e = &t->effects[t->n_effects++];
		double lo = INFINITY, hi = -INFINITY;
		unsigned seen = 0;

		e->option = i;
		e->values = calloc(s->options[i].n_values, sizeof(*e->values));
		if (!e->values)
			return -ENOMEM;
		for (r = 0; r < t->n_ranked; r++) {
			const struct analysis_variant *v = &t->v[t->rank[r]];
			struct analysis_effect_value *ev;
			long k = space_option_index(&s->options[i],
						    v->resolved_vals[i]);

			/* An option kconfig dropped (unmet dependencies)
			 * has no effect on this variant: leave it out. */
			if (k < 0)
				continue;
			ev = &e->values[k];
			ev->n++;
			ev->mean += (analysis_objective(t, v, 0)->median -
				     ev->mean) / ev->n;
		}
		for (j = 0; j < s->options[i].n_values; j++) {
			if (!e->values[j].n)
				continue;
			seen++;
			lo = fmin(lo, e->values[j].mean);
			hi = fmax(hi, e->values[j].mean);
		}
		e->effect = seen > 1 ? hi - lo : 0;
		e->effect_pct = t->overall_mean != 0 && !isnan(t->overall_mean)
				    ? 100 * e->effect / fabs(t->overall_mean)
				    : NAN;
	}
	qsort(t->effects, t->n_effects, sizeof(*t->effects), cmp_effect);
	return 0;
}

/* Does a dominate b on the first two objectives (both measured)? */
static bool dominates(const struct analysis_table *t,
		      const struct analysis_variant *a,
		      const struct analysis_variant *b)
{
	int c0 = cmp_objective(t, a, b, 0), c1 = cmp_objective(t, a, b, 1);

	return c0 <= 0 && c1 <= 0 && (c0 < 0 || c1 < 0);
}

/*
 * Is w surely at least as good as v on objective k? With exact
 * (deterministic) values on both, as good or better; else better beyond
 * both intervals.
 */
static bool surely_not_worse(const struct analysis_table *t,
			     const struct analysis_variant *w,
			     const struct analysis_variant *v, size_t k)
{
	const struct analysis_stat *a = analysis_objective(t, w, k);
	const struct analysis_stat *b = analysis_objective(t, v, k);

	if (!a->wall && !b->wall)
		return cmp_objective(t, w, v, k) <= 0;
	return t->space->objectives[k].goal == SPACE_MAXIMIZE
		       ? a->ci_low > b->ci_high
		       : a->ci_high < b->ci_low;
}

/* Does w dominate v by the medians, and beyond the intervals? */
static bool dominates_surely(const struct analysis_table *t,
			     const struct analysis_variant *w,
			     const struct analysis_variant *v)
{
	return dominates(t, w, v) && surely_not_worse(t, w, v, 0) &&
	       surely_not_worse(t, w, v, 1);
}

/* Is v dominated by another ranked variant (with both objectives)? */
static bool dominated_by_any(const struct analysis_table *t, size_t r,
			     bool (*by)(const struct analysis_table *,
					const struct analysis_variant *,
					const struct analysis_variant *))
{
	const struct analysis_variant *v = &t->v[t->rank[r]];
	size_t q;

	for (q = 0; q < t->n_ranked; q++) {
		const struct analysis_variant *w = &t->v[t->rank[q]];

		if (q != r && analysis_objective(t, w, 1)->n && by(t, w, v))
			return true;
	}
	return false;
}

static int pareto(struct analysis_table *t)
{
	size_t r, n = t->n_ranked ? t->n_ranked : 1;

	t->front = malloc(n * sizeof(*t->front));
	t->near_front = malloc(n * sizeof(*t->near_front));
	if (!t->front || !t->near_front)
		return -ENOMEM;
	if (t->space->n_objectives < 2)
		return 0;
	for (r = 0; r < t->n_ranked; r++) {
		struct analysis_variant *v = &t->v[t->rank[r]];

		if (!analysis_objective(t, v, 1)->n)
			continue;
		if (!dominated_by_any(t, r, dominates)) {
			v->pareto = true;
			t->front[t->n_front++] = t->rank[r];
		} else if (!dominated_by_any(t, r, dominates_surely)) {
			v->near_front = true;
			t->near_front[t->n_near_front++] = t->rank[r];
		}
	}
	return 0;
}

/*
 * The ranked variants whose interval on the primary objective overlaps
 * the best's: the measurements do not tell them from it. Wall-clock
 * values only; deterministic ones are exact.
 */
static int ties(struct analysis_table *t)
{
	const struct analysis_stat *b;
	size_t r;

	t->tied = malloc((t->n_ranked ? t->n_ranked : 1) * sizeof(*t->tied));
	if (!t->tied)
		return -ENOMEM;
	if (!t->n_ranked)
		return 0;
	b = analysis_objective(t, &t->v[t->rank[0]], 0);
	if (!b->wall)
		return 0;
	for (r = 1; r < t->n_ranked; r++) {
		struct analysis_variant *v = &t->v[t->rank[r]];
		const struct analysis_stat *x = analysis_objective(t, v, 0);

		if (!x->wall || !race_overlap(x->ci_low, x->ci_high, b->ci_low,
					      b->ci_high))
			continue;
		v->tied = true;
		t->tied[t->n_tied++] = t->rank[r];
	}
	return 0;
}

int analysis_load(struct store *st, int64_t exp, const struct space *s,
		  struct analysis_table **out)
{
	struct analysis_table *t;
	struct loader l = { 0 };
	size_t i, j;
	int e;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->space = s;
	t->overall_mean = NAN;
	l.t = t;
	t->obj = calloc(s->n_objectives ? s->n_objectives : 1,
			sizeof(*t->obj));
	e = t->obj ? 0 : -ENOMEM;
	for (i = 0; !e && i < s->n_objectives; i++)
		e = metric_add(t, s->objectives[i].metric, NULL, &t->obj[i]);
	for (i = 0; !e && i < s->bench.n_metrics; i++)
		e = metric_add(t, s->bench.metrics[i], NULL, NULL);
	if (!e)
		e = store_variants_by_status(st, exp, STORE_STATUS_ANY,
					     variant_cb, &l);
	for (i = 0; !e && i < t->n; i++) {
		l.cur = i;
		e = store_runs_for_variant(st, t->v[i].id, run_cb, &l);
	}
	if (!e)
		e = finish_stats(&l);
	if (!e)
		e = rank(t);
	if (!e)
		e = ties(t);
	if (!e)
		e = effects(t);
	if (!e)
		e = pareto(t);
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < l.n_accs[i]; j++)
			free(l.accs[i][j].x);
		free(l.accs[i]);
	}
	free(l.accs);
	free(l.n_accs);
	free(l.cap_accs);
	if (e) {
		analysis_free(t);
		return e;
	}
	*out = t;
	return 0;
}

void analysis_free(struct analysis_table *t)
{
	size_t i, j;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		struct analysis_variant *v = &t->v[i];

		free(v->hash);
		free(v->requested);
		free(v->resolved);
		free(v->log_tail);
		free(v->idx);
		if (v->resolved_vals)
			for (j = 0; j < t->space->n_options; j++)
				free(v->resolved_vals[j]);
		free(v->resolved_vals);
		free(v->opt_changed);
		free(v->stats);
	}
	free(t->v);
	for (i = 0; i < t->n_metrics; i++) {
		free(t->metrics[i]);
		free(t->units[i]);
	}
	free(t->metrics);
	free(t->units);
	free(t->obj);
	free(t->rank);
	for (i = 0; i < t->n_effects; i++)
		free(t->effects[i].values);
	free(t->effects);
	free(t->front);
	free(t->near_front);
	free(t->tied);
	free(t);
}

const struct analysis_variant *analysis_best(const struct analysis_table *t)
{
	return t->n_ranked ? &t->v[t->rank[0]] : NULL;
}

const char *analysis_value_name(const struct analysis_table *t,
				const struct analysis_variant *v, size_t i)
{
	return v->idx ? t->space->options[i].values[v->idx[i]] : "?";
}

const char *analysis_resolved_name(const struct analysis_variant *v, size_t i)
{
	return v->resolved_vals[i] ? v->resolved_vals[i] : "-";
}

static int cmp_variant_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key;
	const struct analysis_variant *v = elem;

	return id < v->id ? -1 : id > v->id;
}

void analysis_best_so_far(const struct analysis_table *t, const int64_t *ids,
			  size_t n, double *out)
{
	bool maximize = t->space->objectives[0].goal == SPACE_MAXIMIZE;
	const struct analysis_variant *v;
	const struct analysis_stat *st;
	double best = NAN;
	size_t k;

	for (k = 0; k < n; k++) {
		v = bsearch(&ids[k], t->v, t->n, sizeof(*t->v),
			    cmp_variant_id);
		st = v && v->status == STORE_DONE ? analysis_objective(t, v, 0)
						  : NULL;
		if (st && st->n &&
		    (isnan(best) || race_better(st->median, best, maximize)))
			best = st->median;
		out[k] = best;
	}
}

/* Option i of v as kconfig names it: the symbol, or for a choice the
 * member v requested. */
static const char *change_symbol(const struct analysis_table *t,
				 const struct analysis_variant *v, size_t i)
{
	const struct space_option *o = &t->space->options[i];

	if (o->kind == SPACE_OPT_CHOICE && v->idx)
		return o->values[v->idx[i]];
	return o->symbol;
}

static int variant_changes(const struct analysis_table *t,
			   const struct kconfig *kc,
			   const struct analysis_variant *v,
			   struct dead_tally *dead, analysis_change_cb cb,
			   void *ctx)
{
	struct config_set set = { 0 };
	struct strbuf why = STRBUF_INIT;
	size_t i;
	int r;

	r = config_parse_text(v->resolved, strlen(v->resolved), "resolved",
			      &set, NULL) < 0 ? -ENOMEM : 0;
	for (i = 0; !r && i < t->space->n_options; i++) {
		if (!v->opt_changed[i])
			continue;
		why.len = 0;
		r = build_dead_reason(kc, change_symbol(t, v, i), &set, &why);
		if (r == 1)
			r = dead_tally_add(dead, t->space->options[i].symbol,
					   why.buf);
		else if (!r)
			r = cb(ctx, v, i);
	}
	strbuf_release(&why);
	config_set_release(&set);
	return r;
}

int analysis_changes(const struct analysis_table *t, const struct kconfig *kc,
		     struct dead_tally *dead, analysis_change_cb cb, void *ctx)
{
	size_t i;
	int r = 0;

	for (i = 0; i < t->n && !r; i++)
		if (t->v[i].changed)
			r = variant_changes(t, kc, &t->v[i], dead, cb, ctx);
	return r;
}

int analysis_export(const struct analysis_table *t,
		    const struct analysis_variant *v, struct strbuf *out)
{
	const struct space *s = t->space;
	struct config_set set = { 0 };
	size_t i;
	int e = 0;

	for (i = 0; i < s->n_options && !e; i++) {
		const struct space_option *o = &s->options[i];
		const char *val = v->resolved_vals[i];
		struct config_assign a = { 0 };

		/* Dropped by kconfig: setting it would change nothing. */
		if (!val)
			continue;
		if (o->kind == SPACE_OPT_CHOICE) {
			a.name = strdup(val);
			a.value = strdup("y");
		} else {
			a.name = strdup(o->symbol);
			a.value = strdup(val);
		}
		if (!a.name || !a.value) {
			config_assign_release(&a);
			e = -ENOMEM;
			break;
		}
		e = config_set_push(&set, &a);
		config_assign_release(&a);
	}
	if (!e)
		e = config_set_write(&set, out);
	config_set_release(&set);
	return e;
}
