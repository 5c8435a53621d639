/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's verdict and its outputs: the exit status from the changes,
 * the report (report.h) filled from the night's handle, the Markdown
 * summary on stdout, and the figures of the newest commit pushed to a
 * Pushgateway.
 */
#include "nightly_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prom_results.h"
#include "push.h"
#include "stats.h"

static bool confirmed_regression(const struct night_change *c)
{
	return c->d.direction == DETECT_REGRESSION &&
	       (c->confirmation == REPORT_EXACT ||
		c->confirmation == REPORT_CONFIRMED);
}

int night_status(const struct nightly *n)
{
	size_t i;

	for (i = 0; i < n->n_changes; i++)
		if (confirmed_regression(&n->changes[i]))
			return NIGHTLY_EXIT_REGRESSION;
	return NIGHTLY_EXIT_OK;
}

/* The parts of struct report that point into arrays built here. */
struct report_parts {
	struct report_series *series;
	struct report_point **points;
	struct report_change *changes;
	struct report_failure *failures;
	const char **commits;
	size_t n_series;
};

static void parts_free(struct report_parts *p)
{
	size_t i;

	for (i = 0; p->points && i < p->n_series; i++)
		free(p->points[i]);
	free(p->points);
	free(p->series);
	free(p->changes);
	free(p->failures);
	free(p->commits);
}

static int fill_series(const struct nightly *n, struct report_parts *p)
{
	size_t i, j;

	p->n_series = n->n_series;
	p->series = calloc(n->n_series + 1, sizeof(*p->series));
	p->points = calloc(n->n_series + 1, sizeof(*p->points));
	if (!p->series || !p->points)
		return -ENOMEM;
	for (i = 0; i < n->n_series; i++) {
		const struct night_series *s = &n->series[i];
		struct report_series *r = &p->series[i];

		p->points[i] = calloc(s->h.n + 1, sizeof(**p->points));
		if (!p->points[i])
			return -ENOMEM;
		for (j = 0; j < s->h.n; j++) {
			const struct history_point *h = &s->h.points[j];

			p->points[i][j] = (struct report_point){
				.commit = h->commit,
				.subject = h->subject ? h->subject : "",
				.commit_time = h->commit_time,
				.values = h->values,
				.n = h->n,
				.failed = h->status != STORE_DONE || !h->n,
				.reason = h->reason ? h->reason : "",
			};
		}
		*r = (struct report_series){
			.benchmark = s->bench->name,
			.metric = s->metric->name,
			.unit = s->h.unit ? s->h.unit : "",
			.kind = s->kind,
			.better = s->metric->better == SUITE_HIGHER_IS_BETTER
					  ? DETECT_HIGHER_IS_BETTER
					  : DETECT_LOWER_IS_BETTER,
			.points = p->points[i],
			.n_points = s->h.n,
			.verdict = s->verdict,
			.failed = s->failed,
			.reason = s->reason,
		};
	}
	return 0;
}

static int fill_changes(const struct nightly *n, struct report_parts *p)
{
	size_t i;

	p->changes = calloc(n->n_changes + 1, sizeof(*p->changes));
	p->failures = calloc(n->n_failures + 1, sizeof(*p->failures));
	p->commits = calloc(n->n_commits + 1, sizeof(*p->commits));
	if (!p->changes || !p->failures || !p->commits)
		return -ENOMEM;
	for (i = 0; i < n->n_changes; i++) {
		const struct night_change *c = &n->changes[i];

		p->changes[i] = (struct report_change){
			.benchmark = c->bench->name,
			.metric = c->metric->name,
			.unit = c->unit,
			.commit = c->at.sha,
			.subject = c->at.subject,
			.before_commit = c->before.sha,
			.before = c->d.before,
			.after = c->d.after,
			.rel = c->d.rel,
			.p = c->d.p,
			.method = c->d.method,
			.direction = c->d.direction,
			.confirmation = c->confirmation,
			.confirm_samples = c->confirm_samples,
			.culprit = c->has_culprit ? c->culprit.sha : NULL,
			.culprit_subject = c->has_culprit ? c->culprit.subject
							  : NULL,
			.steps = c->steps,
			.n_steps = c->n_steps,
			.profile_diff = c->profile_diff,
			.profile_flame = c->profile_flame,
		};
	}
	for (i = 0; i < n->n_failures; i++) {
		const struct night_failure *f = &n->failures[i];

		p->failures[i] = (struct report_failure){
			.commit = f->c.sha,
			.subject = f->c.subject,
			.benchmark = f->bench->name,
			.status = store_status_name(f->status),
			.reason = f->reason,
		};
	}
	for (i = 0; i < n->n_commits; i++)
		p->commits[i] = n->commits[i].sha;
	return 0;
}

int night_report(struct nightly *n, int status)
{
	struct report_parts p = { 0 };
	struct report r;
	char generated[32], why[1024];
	time_t now = time(NULL);
	int err;

	strftime(generated, sizeof(generated), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&now));
	err = fill_series(n, &p);
	if (!err)
		err = fill_changes(n, &p);
	if (err)
		goto out;
	r = (struct report){
		.suite = n->suite->name,
		.fingerprint = n->henv.fingerprint,
		.host = n->env.host,
		.cpu_model = n->env.cpu_model,
		.qemu_version = n->env.qemu_version,
		.accel = n->accel,
		.commits = p.commits,
		.n_commits = n->n_commits,
		.series = p.series,
		.n_series = p.n_series,
		.changes = p.changes,
		.n_changes = n->n_changes,
		.failures = p.failures,
		.n_failures = n->n_failures,
		.exit_status = status,
		.advisory = n->o->advisory,
		.generated = generated,
	};
	fflush(stderr);
	err = report_write_markdown(&r, stdout);
	fflush(stdout);
	if (err) {
		night_say(n, "error: cannot print the summary: %s",
			  strerror(-err));
		goto out;
	}
	if (n->o->out_dir) {
		err = report_write(&r, n->o->out_dir, why, sizeof(why));
		if (err)
			night_say(n, "error: report: %s", why);
		else
			night_say(n, "report: %s/index.html, summary.md, "
				  "junit.xml", n->o->out_dir);
	}
out:
	parts_free(&p);
	return err;
}

/* The figures of the newest commit of b's series, as one result set. */
static int push_bench(const struct nightly *n, struct push *ph,
		      const struct suite_bench *b, const char *commit)
{
	struct prom_result *res = calloc(b->n_metrics + 1, sizeof(*res));
	const struct prom_label group[] = {
		{ "suite", n->suite->name },
		{ "benchmark", b->name },
		{ "commit", commit },
		{ "fingerprint", n->henv.fingerprint },
	};
	struct prom_result_set set = { .status = "done", .results = res };
	const char *status = "done";
	char why[1024];
	size_t i, k = 0;
	int err;

	if (!res)
		return -ENOMEM;
	for (i = 0; i < n->n_series; i++) {
		const struct night_series *s = &n->series[i];
		const struct history_point *pt = NULL;
		struct stats_summary sum;
		size_t j;

		if (s->bench != b)
			continue;
		for (j = 0; j < s->h.n; j++)
			if (!strcmp(s->h.points[j].commit, commit))
				pt = &s->h.points[j];
		if (!pt)
			continue;
		if (pt->status != STORE_DONE)
			status = store_status_name(pt->status);
		if (!pt->n || stats_summarize(pt->values, pt->n, &sum))
			continue;
		res[k++] = (struct prom_result){
			.metric = s->metric->name,
			.unit = s->h.unit,
			.mean = sum.mean,
			.min = sum.min,
			.max = sum.max,
			.stddev = sum.stddev,
			.n = (unsigned)sum.n,
			.median = sum.median,
		};
	}
	set.status = status;
	set.n = k;
	err = prom_results_push(ph, "unitune_nightly", group,
				sizeof(group) / sizeof(group[0]), &set, why,
				sizeof(why));
	if (err)
		night_say(n, "error: push of %s: %s", b->name, why);
	free(res);
	return err;
}

int night_push(struct nightly *n)
{
	struct push *ph = NULL;
	char why[1024];
	size_t i;
	int err;

	if (!n->o->push_url || !n->n_commits)
		return 0;
	err = push_open(&ph, n->o->push_url, why, sizeof(why));
	if (err) {
		night_say(n, "error: push: %s", why);
		return err;
	}
	for (i = 0; !err && i < n->suite->n_benches; i++)
		err = push_bench(n, ph, &n->suite->benches[i],
				 n->commits[n->n_commits - 1].sha);
	if (!err)
		night_say(n, "pushed the figures of %.12s to %s",
			  n->commits[n->n_commits - 1].sha, push_base(ph));
	push_close(ph);
	return err;
}
