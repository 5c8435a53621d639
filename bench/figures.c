/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The figures of a bench and their summaries (bench/figures.h).
 */
#include "figures.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct wrk_def {
	const char *name, *label, *unit;
	bool rate;
	size_t off;	/* in struct wrk_figures */
	int type;	/* 0 double, 1 uint64_t, 2 unsigned */
};

#define D(n, l, u, r, m) { n, l, u, r, offsetof(struct wrk_figures, m), 0 }
#define C(n, l, u, m) { n, l, u, false, offsetof(struct wrk_figures, m), 1 }
#define N(n, l, u, m) { n, l, u, false, offsetof(struct wrk_figures, m), 2 }
static const struct wrk_def wrk_defs[] = {
	D("requests_per_s", "requests/s", "req/s", true, requests_per_s),
	D("bytes_per_s", "transfer/s", "B/s", true, bytes_per_s),
	D("latency_p50_us", "latency p50", "us", true, latency_p50_us),
	D("latency_p90_us", "latency p90", "us", true, latency_p90_us),
	D("latency_p99_us", "latency p99", "us", true, latency_p99_us),
	D("latency_max_us", "latency max", "us", true, latency_max_us),
	C("errors_connect", "socket errors: connect", "count", errors_connect),
	C("errors_read", "socket errors: read", "count", errors_read),
	C("errors_write", "socket errors: write", "count", errors_write),
	C("errors_timeout", "socket errors: timeout", "count", errors_timeout),
	C("non_2xx", "non-2xx/3xx responses", "count", non_2xx),
	N("connections_ready", "connections set up at start", "count",
	  connections_ready),
};
#undef D
#undef C
#undef N

static double wrk_value(const struct wrk_def *d, const struct wrk_figures *w)
{
	const char *p = (const char *)w + d->off;

	if (d->type == 1)
		return (double)*(const uint64_t *)(const void *)p;
	if (d->type == 2)
		return (double)*(const unsigned *)(const void *)p;
	return *(const double *)(const void *)p;
}

size_t bench_wrk_figure_count(void)
{
	return sizeof(wrk_defs) / sizeof(wrk_defs[0]);
}

const char *bench_wrk_figure_name(size_t i)
{
	return i < bench_wrk_figure_count() ? wrk_defs[i].name : NULL;
}

const char *bench_wrk_figure_unit(size_t i)
{
	return i < bench_wrk_figure_count() ? wrk_defs[i].unit : NULL;
}

double bench_wrk_figure_value(size_t i, const struct wrk_figures *w)
{
	return wrk_value(&wrk_defs[i], w);
}

long bench_wrk_figure_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < bench_wrk_figure_count(); i++)
		if (!strcmp(wrk_defs[i].name, name))
			return (long)i;
	return -1;
}

static int summarize(struct bench_figure *f)
{
	int err;

	if (!f->n)
		return 0;
	err = stats_summarize(f->samples, f->n, &f->s);
	/* A count that varies (3 drops, then 0) is not an unstable run. */
	if (!f->rate)
		f->s.unstable = false;
	return err;
}

int bench_figures_summarize(const struct bench_http_result *r,
			    struct bench_summary *out)
{
	size_t nwrk = sizeof(wrk_defs) / sizeof(wrk_defs[0]), ng, i, k;
	const struct guest_metric_def *g = guest_metrics_table(&ng);
	size_t reps = r->nreps < BENCH_FIGURES_MAX_REPS ? r->nreps :
			BENCH_FIGURES_MAX_REPS;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->f = calloc(nwrk + ng, sizeof(*out->f));
	if (!out->f)
		return -ENOMEM;
	for (i = 0; i < nwrk; i++) {
		struct bench_figure *f = &out->f[out->n];

		f->name = wrk_defs[i].name;
		f->label = wrk_defs[i].label;
		f->unit = wrk_defs[i].unit;
		f->rate = wrk_defs[i].rate;
		for (k = 0; k < reps; k++)
			f->samples[f->n++] = wrk_value(&wrk_defs[i],
						       &r->reps[k].wrk);
		if (f->n)
			out->n++;
	}
	for (i = 0; i < ng; i++) {
		struct bench_figure *f = &out->f[out->n];

		f->name = g[i].name;
		f->label = g[i].label;
		f->unit = g[i].unit;
		for (k = 0; k < reps; k++)
			if (r->reps[k].guest.present[i])
				f->samples[f->n++] = r->reps[k].guest.value[i];
		if (f->n)
			out->n++;
		else
			memset(f, 0, sizeof(*f));
	}
	for (i = 0; !err && i < out->n; i++)
		err = summarize(&out->f[i]);
	if (!err && out->n && !strcmp(out->f[0].name, "requests_per_s")) {
		out->requests_spread = out->f[0].s.spread;
		out->unstable = out->f[0].s.unstable;
	}
	return err == -EINVAL ? 0 : err;
}

void bench_summary_free(struct bench_summary *s)
{
	free(s->f);
	memset(s, 0, sizeof(*s));
}

const struct bench_figure *bench_summary_find(const struct bench_summary *s,
					      const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->f[i].name, name))
			return &s->f[i];
	return NULL;
}

int bench_summary_add(struct bench_summary *s, const char *name,
		      const char *label, const char *unit, bool rate,
		      const double *samples, size_t n)
{
	struct bench_figure *f;
	size_t i;

	if (!n || n > BENCH_FIGURES_MAX_REPS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isfinite(samples[i]))
			return -EINVAL;
	f = realloc(s->f, (s->n + 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	s->f = f;
	f = &s->f[s->n];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->label = label;
	f->unit = unit;
	f->rate = rate;
	memcpy(f->samples, samples, n * sizeof(*samples));
	f->n = n;
	s->n++;
	return summarize(f);
}
