/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_series (detect.h): one metric's history in, its changes and a
 * verdict about the newest good point out. Failed points, and points
 * with no samples, are dropped first: the analysis runs over the good
 * points only, and indices are mapped back to the caller's at the end.
 *
 * Deterministic metrics compare each good point with the previous one
 * (exact, detect.h). Wall metrics get E-divisive (edivisive.c) and the
 * newest point against the window before it (Mann-Whitney U,
 * two_sample.c). docs/nightly-detector.md says why the defaults are what
 * they are.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "detect.h"
#include "edivisive.h"
#include "two_sample.h"

void detect_params_default(struct detect_params *p, enum detect_kind kind,
			   enum detect_better better)
{
	p->kind = kind;
	p->better = better;
	p->threshold = DETECT_DEFAULT_THRESHOLD;
	p->p_value = DETECT_DEFAULT_P_VALUE;
	p->window = DETECT_DEFAULT_WINDOW;
	p->min_effect = DETECT_DEFAULT_MIN_EFFECT;
	p->two_sample_window = DETECT_DEFAULT_TWO_SAMPLE_WINDOW;
	p->min_history_points = DETECT_DEFAULT_MIN_HISTORY_POINTS;
	p->min_history_samples = DETECT_DEFAULT_MIN_HISTORY_SAMPLES;
}

const char *detect_direction_name(enum detect_direction d)
{
	return d == DETECT_REGRESSION ? "regression" : "improvement";
}

const char *detect_method_name(enum detect_method m)
{
	switch (m) {
	case DETECT_EXACT:
		return "exact";
	case DETECT_EDIVISIVE:
		return "e-divisive";
	case DETECT_TWO_SAMPLE:
		return "two-sample";
	}
	return "?";
}

const char *detect_verdict_name(enum detect_verdict v)
{
	switch (v) {
	case DETECT_NO_CHANGE:
		return "no change";
	case DETECT_CHANGED:
		return "changed";
	case DETECT_TOO_LITTLE_HISTORY:
		return "too little history";
	}
	return "?";
}

void detect_result_free(struct detect_result *r)
{
	free(r->changes);
	r->changes = NULL;
	r->n_changes = 0;
}

static bool params_valid(const struct detect_params *p)
{
	if (p->kind != DETECT_DETERMINISTIC && p->kind != DETECT_WALL)
		return false;
	if (p->better != DETECT_LOWER_IS_BETTER &&
	    p->better != DETECT_HIGHER_IS_BETTER)
		return false;
	if (p->kind == DETECT_DETERMINISTIC)
		return isfinite(p->threshold) && p->threshold > 0;
	return p->p_value > 0 && p->p_value < 1 && p->window >= 2 &&
	       isfinite(p->min_effect) && p->min_effect >= 0 &&
	       p->two_sample_window >= 1 && p->min_history_points >= 1;
}

/* A rise is a regression when lower is better, and the other way. */
static enum detect_direction direction(const struct detect_params *p,
				       double before, double after)
{
	bool up = after > before;

	return up == (p->better == DETECT_LOWER_IS_BETTER) ?
		       DETECT_REGRESSION : DETECT_IMPROVEMENT;
}

/* The series as the analysis sees it: the good points only. */
struct good {
	size_t n;		/* good points */
	size_t *idx;		/* their indices in the caller's series */
	size_t *start;		/* n + 1 offsets into z */
	double *z;		/* their samples, laid end to end */
};

static void good_free(struct good *g)
{
	free(g->idx);
	free(g->start);
	free(g->z);
}

static int good_collect(const struct detect_point *pts, size_t n,
			struct good *g)
{
	size_t i, j, total = 0;

	for (i = 0; i < n; i++)
		if (!pts[i].failed) {
			if (pts[i].n && !pts[i].samples)
				return -EINVAL;
			for (j = 0; j < pts[i].n; j++)
				if (!isfinite(pts[i].samples[j]))
					return -EINVAL;
			total += pts[i].n;
		}
	g->idx = malloc((n ? n : 1) * sizeof(*g->idx));
	g->start = malloc((n + 1) * sizeof(*g->start));
	g->z = malloc((total ? total : 1) * sizeof(*g->z));
	if (!g->idx || !g->start || !g->z)
		return -ENOMEM;
	g->start[0] = 0;
	for (i = 0; i < n; i++) {
		if (pts[i].failed || !pts[i].n)
			continue;
		for (j = 0; j < pts[i].n; j++)
			g->z[g->start[g->n] + j] = pts[i].samples[j];
		g->idx[g->n] = i;
		g->start[g->n + 1] = g->start[g->n] + pts[i].n;
		g->n++;
	}
	return 0;
}

/* Room for every change a series of n good points can hold. */
static int result_alloc(struct detect_result *out, size_t n)
{
	out->changes = calloc(n ? n : 1, sizeof(*out->changes));
	return out->changes ? 0 : -ENOMEM;
}

static void add_change(struct detect_result *out,
		       const struct detect_params *p, const struct good *g,
		       size_t at, double before, double after, double pv,
		       enum detect_method m)
{
	struct detect_change *c = &out->changes[out->n_changes++];

	c->at = g->idx[at];
	c->before_at = g->idx[at - 1];
	c->before = before;
	c->after = after;
	c->rel = detect_rel(before, after);
	c->p = pv;
	c->method = m;
	c->direction = direction(p, before, after);
}

static double point_median(const struct good *g, size_t i)
{
	return detect_median(g->z + g->start[i], g->start[i + 1] - g->start[i]);
}

static int deterministic(const struct good *g, const struct detect_params *p,
			 struct detect_result *out)
{
	size_t i;
	double prev, cur;

	if (g->n < 2) {
		out->verdict = DETECT_TOO_LITTLE_HISTORY;
		return 0;
	}
	prev = point_median(g, 0);
	for (i = 1; i < g->n; i++, prev = cur) {
		cur = point_median(g, i);
		if (isnan(prev) || isnan(cur))
			return -ENOMEM;
		if (fabs(detect_rel(prev, cur)) > p->threshold)
			add_change(out, p, g, i, prev, cur, 0, DETECT_EXACT);
	}
	out->verdict = out->n_changes ? DETECT_CHANGED : DETECT_NO_CHANGE;
	return 0;
}

/*
 * The newest point against up to two_sample_window good points before
 * it, since the last change found (the test asks whether the newest
 * differs from the current level, not from an older one). Skipped when
 * that window is too short, or when the newest point already starts a
 * change.
 */
static int newest_vs_window(const struct good *g,
			    const struct detect_params *p, size_t last_at,
			    struct detect_result *out)
{
	size_t newest = g->n - 1, lo = last_at, na, nb;
	const double *a, *b;
	double pv, before, after;

	if (last_at == newest)
		return 0;
	if (newest - lo > p->two_sample_window)
		lo = newest - p->two_sample_window;
	na = g->start[newest] - g->start[lo];
	nb = g->start[newest + 1] - g->start[newest];
	if (newest - lo < p->min_history_points || na < p->min_history_samples)
		return 0;
	a = g->z + g->start[lo];
	b = g->z + g->start[newest];
	pv = detect_mann_whitney_p(a, na, b, nb);
	before = detect_median(a, na);
	after = detect_median(b, nb);
	if (isnan(before) || isnan(after))
		return -ENOMEM;
	if (pv <= p->p_value &&
	    fabs(detect_rel(before, after)) >= p->min_effect)
		add_change(out, p, g, newest, before, after, pv,
			   DETECT_TWO_SAMPLE);
	return 0;
}

static int wall(const struct good *g, const struct detect_params *p,
		struct detect_result *out)
{
	struct ed_series s = { g->z, g->start, g->n };
	struct ed_change *ch = NULL;
	size_t k = 0, i, newest = g->n ? g->n - 1 : 0;
	int rc;

	if (g->n == 0 || newest < p->min_history_points ||
	    g->start[newest] < p->min_history_samples) {
		out->verdict = DETECT_TOO_LITTLE_HISTORY;
		return 0;
	}
	rc = edivisive_changes(&s, p->window, p->p_value, p->min_effect, &ch,
			       &k);
	if (rc < 0)
		return rc;
	for (i = 0; i < k; i++)
		add_change(out, p, g, ch[i].at, ch[i].before, ch[i].after,
			   ch[i].p, DETECT_EDIVISIVE);
	rc = newest_vs_window(g, p, k ? ch[k - 1].at : 0, out);
	free(ch);
	if (rc < 0)
		return rc;
	out->verdict = out->n_changes ? DETECT_CHANGED : DETECT_NO_CHANGE;
	return 0;
}

int detect_series(const struct detect_point *pts, size_t n,
		  const struct detect_params *p, struct detect_result *out)
{
	struct good g = { 0 };
	int rc = -EINVAL;

	out->verdict = DETECT_TOO_LITTLE_HISTORY;
	out->changes = NULL;
	out->n_changes = 0;
	if (!p || (n && !pts) || !params_valid(p))
		goto out;
	rc = good_collect(pts, n, &g);
	if (rc < 0)
		goto out;
	rc = result_alloc(out, g.n);
	if (rc < 0)
		goto out;
	if (p->kind == DETECT_DETERMINISTIC)
		rc = deterministic(&g, p, out);
	else
		rc = wall(&g, p, out);
out:
	good_free(&g);
	if (rc < 0)
		detect_result_free(out);
	return rc;
}
