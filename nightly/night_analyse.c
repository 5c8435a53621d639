/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The history read back per benchmark metric and given to the detector
 * (detect.h); the changes it finds at commits measured tonight become the
 * night's changes, to be confirmed, bisected and reported.
 */
#include "nightly_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

double night_median(const double *v, size_t k)
{
	double *c = malloc(k * sizeof(*c));
	double m;

	if (!c) /* no memory for a copy: the middle sample, unsorted */
		return v[k / 2];
	memcpy(c, v, k * sizeof(*c));
	stats_sort(c, k);
	m = stats_quantile_sorted(c, k, 0.5);
	free(c);
	return m;
}

void night_params(const struct suite_metric *m, enum detect_kind kind,
		  struct detect_params *p)
{
	detect_params_default(p, kind,
			      m->better == SUITE_HIGHER_IS_BETTER
				  ? DETECT_HIGHER_IS_BETTER
				  : DETECT_LOWER_IS_BETTER);
	if (m->threshold > 0)
		p->threshold = m->threshold;
	if (m->min_effect > 0)
		p->min_effect = m->min_effect;
}

static const struct git_commit *tonight(const struct nightly *n,
					const char *sha)
{
	size_t i;

	for (i = 0; i < n->n_commits; i++)
		if (!strcmp(n->commits[i].sha, sha))
			return &n->commits[i];
	return NULL;
}

static bool point_failed(const struct history_point *p)
{
	return p->status != STORE_DONE || p->n == 0;
}

/* The commit as git knows it (its parent is needed to bisect). */
static int commit_of(struct nightly *n, const struct history_point *p,
		     struct git_commit *c)
{
	char why[512];
	const struct git_commit *t = tonight(n, p->commit);

	if (t) {
		*c = *t;
		return 0;
	}
	if (git_commit_info(n->repo, p->commit, c, why, sizeof(why)) == 0)
		return 0;
	/* Measured once but gone from the repository (a rebased branch):
	 * still a point of the history. */
	memset(c, 0, sizeof(*c));
	snprintf(c->sha, sizeof(c->sha), "%s", p->commit);
	c->time = p->commit_time;
	snprintf(c->subject, sizeof(c->subject), "%s",
		 p->subject ? p->subject : "");
	return 0;
}

static int add_change(struct nightly *n, struct night_series *s,
		      const struct detect_change *d)
{
	const struct history_point *at = &s->h.points[d->at];
	const struct history_point *before = &s->h.points[d->before_at];
	struct night_change *c, *v;

	v = realloc(n->changes, (n->n_changes + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	n->changes = v;
	c = &v[n->n_changes];
	memset(c, 0, sizeof(*c));
	c->bench = s->bench;
	c->metric = s->metric;
	snprintf(c->unit, sizeof(c->unit), "%s", s->h.unit ? s->h.unit : "");
	c->kind = s->kind;
	c->d = *d;
	commit_of(n, at, &c->at);
	commit_of(n, before, &c->before);
	c->confirmation = s->kind == DETECT_DETERMINISTIC ? REPORT_EXACT
							 : REPORT_NOT_CHECKED;
	n->n_changes++;
	return 0;
}

/* The newest of tonight's commits measured for the benchmark. */
static const struct history_point *newest_tonight(const struct nightly *n,
						  const struct history_series *h)
{
	const struct history_point *best = NULL;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (tonight(n, h->points[i].commit))
			best = &h->points[i];
	return best;
}

static int analyse_one(struct nightly *n, struct night_series *s)
{
	struct detect_point *pts = NULL;
	struct detect_result res = { 0 };
	struct detect_params p;
	const struct history_point *last;
	size_t i;
	int err;

	err = store_history_series(n->st, n->henv.fingerprint, n->suite->name,
				   s->bench->name, s->metric->name, &s->h);
	if (err) {
		night_say(n, "error: cannot read the history of %s %s: %s",
			  s->bench->name, s->metric->name, store_errmsg(n->st));
		return err;
	}
	s->kind = s->bench->space->mode == SPACE_WALL ? DETECT_WALL
						      : DETECT_DETERMINISTIC;
	for (i = 0; i < s->h.n; i++)
		if (s->h.points[i].n) {
			s->kind = s->h.kind == STORE_WALL ? DETECT_WALL
							  : DETECT_DETERMINISTIC;
			break;
		}
	last = newest_tonight(n, &s->h);
	if (last && point_failed(last)) {
		s->failed = true;
		s->reason = strdup(last->reason && last->reason[0]
					   ? last->reason
					   : "no value was measured");
	}
	if (!s->h.n)
		return 0;
	pts = calloc(s->h.n, sizeof(*pts));
	if (!pts)
		return -ENOMEM;
	for (i = 0; i < s->h.n; i++) {
		pts[i].commit = s->h.points[i].commit;
		pts[i].samples = s->h.points[i].values;
		pts[i].n = s->h.points[i].n;
		pts[i].failed = point_failed(&s->h.points[i]);
	}
	night_params(s->metric, s->kind, &p);
	err = detect_series(pts, s->h.n, &p, &res);
	if (err) {
		night_say(n, "error: the detector failed on %s %s: %s",
			  s->bench->name, s->metric->name, strerror(-err));
		goto out;
	}
	s->verdict = res.verdict;
	for (i = 0; !err && i < res.n_changes; i++)
		if (tonight(n, s->h.points[res.changes[i].at].commit))
			err = add_change(n, s, &res.changes[i]);
out:
	detect_result_free(&res);
	free(pts);
	return err;
}

int night_analyse(struct nightly *n)
{
	size_t i, j, k = 0, total = 0;
	int err = 0;

	for (i = 0; i < n->suite->n_benches; i++)
		total += n->suite->benches[i].n_metrics;
	n->series = calloc(total ? total : 1, sizeof(*n->series));
	if (!n->series)
		return -ENOMEM;
	for (i = 0; !err && i < n->suite->n_benches; i++) {
		const struct suite_bench *b = &n->suite->benches[i];

		for (j = 0; !err && j < b->n_metrics; j++) {
			n->series[k].bench = b;
			n->series[k].metric = &b->metrics[j];
			err = analyse_one(n, &n->series[k]);
			k++;
		}
	}
	n->n_series = k;
	return err;
}
