/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One benchmark on one commit: its image built (night_build.c), measured
 * by the tuner's measure_image() as the suite asks, and stored in the
 * history: the commit's outcome and one row per repetition of each
 * metric, warm-up repetitions left out.
 */
#include "nightly_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_metrics.h"
#include "http_metrics.h"
#include "paths.h"
#include "why.h"

/* Repetitions measured and dropped first: wall runs of a console app.
 * (Kind http discards its own warm-up run: measure_http.h.) */
static unsigned warmup_of(const struct suite_bench *b)
{
	if (b->space->mode != SPACE_WALL ||
	    b->space->bench.kind != SPACE_BENCH_CONSOLE)
		return 0;
	return b->warmup;
}

int night_values(const struct measure_result *r, const struct suite_bench *b,
		 const char *metric, double **out, size_t *n_out)
{
	unsigned warm = warmup_of(b);
	double *v = NULL;
	size_t i, k = 0;

	*out = NULL;
	*n_out = 0;
	for (i = 0; i < r->n; i++)
		k += !strcmp(r->v[i].metric, metric);
	if (!k)
		return 0;
	v = malloc(k * sizeof(*v));
	if (!v)
		return -ENOMEM;
	k = 0;
	/* measure_image appends repetitions in order. */
	for (i = 0; i < r->n; i++) {
		const struct measure_value *m = &r->v[i];

		if (strcmp(m->metric, metric))
			continue;
		if (m->kind == STORE_WALL && m->repetition >= 0 &&
		    (unsigned)m->repetition < warm)
			continue;
		v[k++] = m->value;
	}
	*out = v;
	*n_out = k;
	return 0;
}

/* Every wanted metric's values, appended to the history one repetition
 * (one row per metric) at a time. */
static int store_values(struct nightly *n, const struct git_commit *c,
			const struct suite_bench *b,
			const char *const *wanted, size_t n_wanted,
			enum history_phase phase,
			const struct measure_result *r)
{
	struct history_sample *row = NULL;
	double **vals = NULL;
	size_t *counts = NULL, i, rep, most = 0;
	int err = -ENOMEM;

	vals = calloc(n_wanted, sizeof(*vals));
	counts = calloc(n_wanted, sizeof(*counts));
	row = calloc(n_wanted, sizeof(*row));
	if (!vals || !counts || !row)
		goto out;
	for (i = 0; i < n_wanted; i++) {
		err = night_values(r, b, wanted[i], &vals[i], &counts[i]);
		if (err)
			goto out;
		if (counts[i] > most)
			most = counts[i];
	}
	err = 0;
	for (rep = 0; !err && rep < most; rep++) {
		size_t k = 0;

		for (i = 0; i < n_wanted; i++) {
			if (rep >= counts[i])
				continue;
			row[k].metric = wanted[i];
			row[k].value = vals[i][rep];
			row[k].unit = "";
			row[k].kind = STORE_DETERMINISTIC;
			/* the unit and kind of the metric's first value */
			for (size_t j = 0; j < r->n; j++)
				if (!strcmp(r->v[j].metric, wanted[i])) {
					row[k].unit = r->v[j].unit;
					row[k].kind = r->v[j].kind;
					break;
				}
			k++;
		}
		err = store_history_add(n->st, n->henv.fingerprint,
					n->suite->name, b->name, c->sha, phase,
					row, k);
		if (err)
			night_say(n, "error: cannot store %s of %.12s: %s",
				  b->name, c->sha, store_errmsg(n->st));
	}
out:
	for (i = 0; vals && i < n_wanted; i++)
		free(vals[i]);
	free(vals);
	free(counts);
	free(row);
	return err;
}

static int record_outcome(struct nightly *n, const struct git_commit *c,
			  const struct suite_bench *b,
			  const struct measure_result *r)
{
	const struct history_commit hc = {
		.fingerprint = n->henv.fingerprint,
		.suite = n->suite->name,
		.benchmark = b->name,
		.commit = c->sha,
		.commit_time = c->time,
		.subject = c->subject,
		.status = r->status,
		.reason = r->reason,
	};
	int err = store_history_commit_put(n->st, &hc);

	if (err)
		night_say(n, "error: cannot store the outcome of %s at %.12s: %s",
			  b->name, c->sha, store_errmsg(n->st));
	return err;
}

int night_measure(struct nightly *n, const struct git_commit *c,
		  const struct suite_bench *b, const char *only_metric,
		  unsigned reps, enum history_phase phase,
		  struct measure_result *r)
{
	char image[PATH_MAX + 128], why[UNITUNE_WHY_MAX];
	char logpath[PATH_MAX + 200];
	struct measure_opts o;
	const char *one[1] = { only_metric };
	bool built = false;
	FILE *log = NULL;
	int err;

	memset(r, 0, sizeof(*r));
	err = night_image(n, c, b, image, sizeof(image), &built, why,
			  sizeof(why));
	if (err) {
		night_say(n, "error: %s", why);
		return err;
	}
	if (!built) {
		r->status = STORE_BUILD_FAILED;
		snprintf(r->reason, sizeof(r->reason), "%.255s", why);
		return record_outcome(n, c, b, r);
	}
	measure_opts_for_space(&o, b->space,
			       b->space->mode == SPACE_DETERMINISTIC);
	o.image = image;
	o.timeout_ns = n->o->run_timeout_ns;
	if (reps)
		o.repetitions = reps;
	o.repetitions += warmup_of(b);
	if (only_metric) {
		o.wanted = one;
		o.n_wanted = 1;
		o.min_mem = host_metric_is(only_metric, HOST_MIN_MEM);
		o.per_request = !strcmp(only_metric, HTTP_METRIC_PER_REQUEST);
	}
	snprintf(logpath, sizeof(logpath), "%s/%.12s-%s-%s.log", n->logs,
		 c->sha, b->name, history_phase_name(phase));
	log = fopen(logpath, "a");
	o.log = log;
	err = measure_image(&o, r);
	if (log)
		fclose(log);
	n->measurements++;
	if (err) {
		night_say(n, "error: cannot measure %s: %s", image,
			  err == -ENOENT ? "QEMU (or wrk) is not installed"
					 : strerror(-err));
		return err;
	}
	if (r->status != STORE_DONE && r->reason[0])
		snprintf(r->reason + strlen(r->reason),
			 sizeof(r->reason) - strlen(r->reason), " (log: %s)",
			 logpath);
	err = record_outcome(n, c, b, r);
	if (!err && r->status == STORE_DONE)
		err = store_values(n, c, b, o.wanted, o.n_wanted, phase, r);
	return err;
}
