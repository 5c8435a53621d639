/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A suite benchmark's metrics (suite.h): each one's unit and kind, as the
 * measurement records them, and the detector's settings (better, the
 * deterministic threshold, the wall minimum effect) from their defaults
 * and the benchmark's keys. The units come from the tables the
 * measurement itself reads (host_metrics.h, http_metrics.h and
 * bench/figures.h, console_field_unit()), so a suite cannot disagree with
 * what is stored.
 */
#include "suite_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "count.h"
#include "figures.h"
#include "host_metrics.h"
#include "http_metrics.h"
#include "measure.h"

const char *suite_metric_unit(const char *metric)
{
	const struct host_metric *hm = host_metric_find(metric);
	const char *field, *u = NULL;
	long w;

	if (hm)
		return hm->unit;
	if (!metric || !space_metric_valid(metric))
		return "";
	w = http_metric_wrk_index(metric);
	if (w >= 0)
		u = measure_unit(bench_wrk_figure_unit((size_t)w));
	else if (!strcmp(metric, HTTP_METRIC_PER_REQUEST))
		u = measure_unit(HTTP_METRIC_PER_REQUEST_UNIT);
	else if ((field = strrchr(metric, '.')))
		u = measure_unit(console_field_unit(field + 1,
						    strlen(field + 1)));
	return u ? u : "";
}

/* Throughputs grow when things get better; times, sizes, counts of
 * instructions or errors shrink. */
static enum suite_better better_of(const char *unit)
{
	static const char *const higher[] = { "req/s", "B/s", "ops/s" };
	size_t i;

	for (i = 0; i < sizeof(higher) / sizeof(higher[0]); i++)
		if (!strcmp(unit, higher[i]))
			return SUITE_HIGHER_IS_BETTER;
	return SUITE_LOWER_IS_BETTER;
}

enum store_kind suite_metric_kind(const struct space *s, const char *metric)
{
	const struct host_metric *hm = host_metric_find(metric);

	if (s->mode == SPACE_DETERMINISTIC)
		return STORE_DETERMINISTIC;
	/* Read from the ELF, or found by bisection (measure.c), or its own
	 * deterministic boot (measure_http.c): exact in any mode. */
	if (hm && hm->how != HOST_FROM_BOOT_LINE)
		return STORE_DETERMINISTIC;
	if (!strcmp(metric, HTTP_METRIC_PER_REQUEST))
		return STORE_DETERMINISTIC;
	return STORE_WALL;
}

/* One setting of one metric from the scalar v. */
typedef int (*setting_fn)(struct space_ctx *c, yaml_node_t *v,
			  const char *what, struct suite_metric *m);

static int set_better(struct space_ctx *c, yaml_node_t *v, const char *what,
		      struct suite_metric *m)
{
	static const char *const names[] = {
		[SUITE_LOWER_IS_BETTER] = "lower",
		[SUITE_HIGHER_IS_BETTER] = "higher",
	};
	const char *s = sp_scalar(c, v, NULL, what);
	int k;

	if (!s)
		return -EINVAL;
	k = sp_pick(s, names, 2);
	if (k < 0)
		return sp_fail(c, v, NULL, "%s '%s' for %s is neither lower nor "
			       "higher", what, s, m->name);
	m->better = (enum suite_better)k;
	return 0;
}

/* A relative change: a fraction (0.001) or a percentage (0.1%), > 0. */
static int get_ratio(struct space_ctx *c, yaml_node_t *v, const char *what,
		     double *out)
{
	const char *s = sp_scalar(c, v, NULL, what);
	size_t len;
	bool pct;
	double x;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	pct = len && s[len - 1] == '%';
	if (count_parse_real(s, len - pct, &x))
		return sp_fail(c, v, NULL, "%s '%s' is not a number (a "
			       "fraction such as 0.001, or a percentage such "
			       "as 0.1%%)", what, s);
	if (pct)
		x /= 100;
	if (!(x > 0))
		return sp_fail(c, v, NULL, "%s must be more than 0, not '%s' "
			       "(a relative change: 0.001 or 0.1%% is one "
			       "part in a thousand)", what, s);
	*out = x;
	return 0;
}

static int set_threshold(struct space_ctx *c, yaml_node_t *v,
			 const char *what, struct suite_metric *m)
{
	return get_ratio(c, v, what, &m->threshold);
}

static int set_min_effect(struct space_ctx *c, yaml_node_t *v,
			  const char *what, struct suite_metric *m)
{
	return get_ratio(c, v, what, &m->min_effect);
}

static struct suite_metric *find_metric(struct suite_bench *b,
					const char *name)
{
	size_t i;

	for (i = 0; i < b->n_metrics; i++)
		if (!strcmp(b->metrics[i].name, name))
			return &b->metrics[i];
	return NULL;
}

/* n: a scalar for every metric, or a mapping metric: value. */
static int per_metric(struct space_ctx *c, struct suite_bench *b,
		      yaml_node_t *n, const char *what, setting_fn fn)
{
	yaml_node_pair_t *p, *q;
	size_t i;
	int r = 0;

	if (n->type != YAML_MAPPING_NODE) {
		for (i = 0; !r && i < b->n_metrics; i++)
			r = fn(c, n, what, &b->metrics[i]);
		return r;
	}
	for (p = n->data.mapping.pairs.start;
	     !r && p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = sp_node(c, p->key);
		const char *name = sp_scalar(c, kn, NULL, "a metric");
		struct suite_metric *m;

		if (!name)
			return -EINVAL;
		m = find_metric(b, name);
		if (!m)
			return sp_fail(c, kn, NULL, "%s: '%s' is not one of the "
				       "benchmark's metrics", what, name);
		for (q = n->data.mapping.pairs.start; q < p; q++)
			if (!strcmp((const char *)sp_node(c, q->key)
					    ->data.scalar.value, name))
				return sp_fail(c, kn, NULL, "%s: duplicate "
					       "metric '%s' (first at line %u)",
					       what, name,
					       sp_line_of(sp_node(c, q->key)));
		r = fn(c, sp_node(c, p->value), what, m);
	}
	return r;
}

int suite_load_metrics(struct space_ctx *c, struct suite_bench *b,
		       yaml_node_t *better, yaml_node_t *threshold,
		       yaml_node_t *min_effect)
{
	const struct space_bench *sb = &b->space->bench;
	size_t i;
	int r = 0;

	b->metrics = calloc(sb->n_metrics, sizeof(*b->metrics));
	if (!b->metrics)
		return sp_oom(c);
	for (i = 0; i < sb->n_metrics; i++) {
		struct suite_metric *m = &b->metrics[i];

		m->name = strdup(sb->metrics[i]);
		if (!m->name)
			return sp_oom(c);
		b->n_metrics++;
		m->unit = suite_metric_unit(m->name);
		m->better = better_of(m->unit);
		m->threshold = SUITE_DEFAULT_THRESHOLD;
		m->min_effect = SUITE_DEFAULT_MIN_EFFECT;
		m->kind = suite_metric_kind(b->space, m->name);
	}
	if (better)
		r = per_metric(c, b, better, "better", set_better);
	if (!r && threshold)
		r = per_metric(c, b, threshold, "threshold", set_threshold);
	if (!r && min_effect)
		r = per_metric(c, b, min_effect, "min_effect", set_min_effect);
	return r;
}
