/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One image's metrics and failure class. See measure.h.
 */
#include "measure.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <unitune/abi.h>

#include "console.h"
#include "host_metrics.h"
#include "http_metrics.h"
#include "image.h"
#include "measure_http.h"
#include "min_mem.h"
#include "runner.h"
#include "space.h"

/* Bisection for min_mem stops when the bracket is this narrow (KiB). */
#define MIN_MEM_RESOLUTION_KIB 4
/* QEMU rounds guest RAM up to a multiple of this (-m 4097K gives the
 * guest 4104 KiB, QEMU 7.2): every --mem from one multiple + 1 to the
 * next gives the same RAM. Only the guess and the gallop's first step
 * use it; the runs check what they imply. */
#define QEMU_RAM_GRANULE_KIB 8

void measure_fail(struct measure_result *r, enum store_status st,
		  const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

int measure_add(struct measure_result *r, const char *metric,
		size_t metric_len, double value, const char *unit, int rep,
		enum store_kind kind)
{
	struct measure_value *v;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;

		v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	v = &r->v[r->n];
	v->metric = strndup(metric, metric_len);
	if (!v->metric)
		return -ENOMEM;
	v->value = value;
	v->unit = unit;
	v->repetition = rep;
	v->kind = kind;
	r->n++;
	return 0;
}

/* A metric the host measures, with the name and unit of its table entry. */
static int measure_host(struct measure_result *r, enum host_metric_id id,
			double value, int rep, enum store_kind kind)
{
	const struct host_metric *hm = host_metric(id);

	return measure_add(r, hm->name, strlen(hm->name), value, hm->unit, rep,
			   kind);
}

const char *measure_unit(const char *unit)
{
	static const char *const units[] = {
		"", "B", "KiB", "cycles", "cycles/op", "ns",
		/* kind http (bench/figures.c, http_metrics.h) */
		"req/s", "B/s", "us", "count", "instructions",
	};
	size_t i;

	for (i = 0; unit && i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i], unit))
			return units[i];
	return NULL;
}

int measure_parse_results(const char *console, size_t len, int rep,
			  enum store_kind kind, struct measure_result *r)
{
	const char *line;
	size_t pos = 0, n, i;
	char name[3 * 64 + 3];
	double v;
	int err;

	while (console_next_line(console, len, &pos, &line, &n)) {
		struct console_result res;

		if (console_parse_result(line, n, &res))
			continue;
		for (i = 0; i < res.n; i++) {
			const struct console_kv *f = &res.f[i];
			int m;

			if (console_field_number(f->val, f->val_len, &v))
				continue;
			m = snprintf(name, sizeof(name), "%.*s.%.*s.%.*s",
				     (int)res.bench_len, res.bench,
				     (int)res.pattern_len, res.pattern,
				     (int)f->key_len, f->key);
			if (m < 0 || (size_t)m >= sizeof(name) ||
			    !space_metric_valid(name))
				continue;
			err = measure_add(r, name, (size_t)m, v,
					measure_unit(console_field_unit(f->key,
							f->key_len)),
					rep, kind);
			if (err)
				return err;
		}
	}
	return 0;
}

const struct measure_value *measure_find(const struct measure_result *r,
					 const char *metric, int rep)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].repetition == rep && !strcmp(r->v[i].metric, metric))
			return &r->v[i];
	return NULL;
}

/* The failed=<reason> a result line gives the pattern of metric, if any. */
static bool pattern_failed(const char *console, size_t len,
			   const char *metric, char *why, size_t why_len)
{
	const char *line;
	size_t pos = 0, n, i;

	while (console_next_line(console, len, &pos, &line, &n)) {
		struct console_result res;

		if (console_parse_result(line, n, &res) ||
		    strncmp(metric, res.bench, res.bench_len) ||
		    metric[res.bench_len] != '.' ||
		    strncmp(metric + res.bench_len + 1, res.pattern,
			    res.pattern_len) ||
		    metric[res.bench_len + 1 + res.pattern_len] != '.')
			continue;
		for (i = 0; i < res.n; i++)
			if (res.f[i].key_len == 6 &&
			    !memcmp(res.f[i].key, "failed", 6)) {
				snprintf(why, why_len, "%.*s", (int)res.f[i].val_len,
					 res.f[i].val);
				return true;
			}
	}
	return false;
}

static bool booted(const struct runner_result *rr)
{
	const char *rest;
	size_t n;

	return console_find_last(rr->console, rr->console_len,
				 UNITUNE_MSG_BOOT, &rest, &n);
}

static void run_opts(const struct measure_opts *o, bool deterministic,
		     uint64_t mem_kib, struct runner_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->image = o->image;
	ro->mem_kib = mem_kib;
	ro->deterministic = deterministic;
	ro->accel = deterministic ? RUNNER_ACCEL_TCG : RUNNER_ACCEL_AUTO;
	ro->timeout_ns = o->timeout_ns;
	ro->app_argv = o->args;
	ro->app_argc = o->n_args;
	ro->log = o->log;
}

/* Turn a run that did not exit 0 into a failure class. */
static void classify(const struct runner_result *rr, struct measure_result *r)
{
	switch (rr->outcome) {
	case RUNNER_EXITED:
		measure_fail(r, STORE_BENCH_FAILED, "the app exited with "
			    "status %d", rr->app_status);
		break;
	case RUNNER_CRASHED:
		measure_fail(r, booted(rr) ? STORE_CRASHED : STORE_BOOT_FAILED,
			    "%s%s", booted(rr) ? "" : "before main(): ",
			    rr->reason);
		break;
	case RUNNER_TIMEOUT:
		measure_fail(r, STORE_TIMEOUT, "%s", rr->reason);
		break;
	default:
		measure_fail(r, STORE_BOOT_FAILED, "%s", rr->reason);
		break;
	}
}

/*
 * Why a run that printed its results lacks (or failed) a wanted metric;
 * false when every wanted metric is there.
 */
static bool missing_metric(const struct measure_opts *o,
			   const struct runner_result *rr, int rep,
			   const struct measure_result *r, char *why,
			   size_t why_len, enum store_status *st)
{
	char failed[128];
	size_t i;

	for (i = 0; i < o->n_wanted; i++) {
		const char *m = o->wanted[i];
		const struct host_metric *hm = host_metric_find(m);

		/* Not from the console: never missing from a run's. */
		if ((hm && hm->how != HOST_FROM_BOOT_LINE) ||
		    measure_find(r, m, rep))
			continue;
		*st = STORE_BENCH_FAILED;
		if (pattern_failed(rr->console, rr->console_len, m, failed,
				   sizeof(failed))) {
			/* The memory is part of the answer: a pattern that
			 * ran dry would finish with more. */
			snprintf(why, why_len, "%s: the pattern failed: %s "
				 "with %llu KiB of guest memory", m, failed,
				 (unsigned long long)(o->mem_kib ? o->mem_kib
						      : RUNNER_MEM_DEFAULT_KIB));
		} else if (hm) {
			*st = STORE_BOOT_FAILED;
			snprintf(why, why_len, "no boot line on the console");
		} else {
			snprintf(why, why_len, "%s is not in the result lines",
				 m);
		}
		return true;
	}
	return false;
}

/* One repetition: run, classify, collect; *need is the guest's mem line
 * (0: none). 0 or -errno (internal). */
static int run_once(const struct measure_opts *o, int rep,
		    struct measure_result *r, uint64_t *need)
{
	enum store_kind kind = o->deterministic ? STORE_DETERMINISTIC
						: STORE_WALL;
	enum store_status st;
	struct runner_opts ro;
	struct runner_result rr;
	struct console_boot boot;
	char why[200];
	int err;

	run_opts(o, o->deterministic, o->mem_kib, &ro);
	if (o->log)
		fprintf(o->log, "measure: repetition %d of %s\n", rep, o->image);
	ro.echo = o->log;
	err = runner_run(&ro, &rr);
	if (!err && rr.outcome == RUNNER_NO_QEMU)
		err = -ENOENT; /* the host's problem, not the variant's */
	if (err)
		goto out;
	snprintf(r->accel, sizeof(r->accel), "%s", runner_accel_name(rr.accel));
	if (console_find_mem(rr.console, rr.console_len, need))
		*need = 0;
	if (!console_find_boot(rr.console, rr.console_len, &boot)) {
		err = measure_host(r, HOST_BOOT_CYCLES, (double)boot.cycles, rep,
				   kind);
		if (err)
			goto out;
	}
	err = measure_parse_results(rr.console, rr.console_len, rep, kind, r);
	if (err)
		goto out;
	if (rr.outcome == RUNNER_EXITED && rr.app_status != 0 &&
	    missing_metric(o, &rr, rep, r, why, sizeof(why), &st))
		measure_fail(r, st, "%s (exit status %d)", why, rr.app_status);
	else if (rr.outcome != RUNNER_EXITED || rr.app_status != 0)
		classify(&rr, r);
	else if (missing_metric(o, &rr, rep, r, why, sizeof(why), &st))
		measure_fail(r, st, "%s", why);
out:
	runner_result_free(&rr);
	return err;
}

/* Does the image run to exit status 0 with mem_kib of memory? The
 * oracle of the min_mem search (ctx: the measure_opts). */
static int fits(void *ctx, uint64_t mem_kib, bool *ok)
{
	const struct measure_opts *o = ctx;
	struct runner_opts ro;
	struct runner_result rr;
	int err;

	run_opts(o, true, mem_kib, &ro);
	err = runner_run(&ro, &rr);
	*ok = !err && rr.outcome == RUNNER_EXITED && rr.app_status == 0;
	if (o->log)
		fprintf(o->log, "measure: min_mem probe %llu KiB: %s\n",
			(unsigned long long)mem_kib, *ok ? "runs" : "fails");
	runner_result_free(&rr);
	return err;
}

/* The least --mem QEMU turns into at least need bytes of RAM; 0 (no
 * guess) for none. */
static uint64_t guess_from_need(uint64_t need)
{
	uint64_t kib = need / 1024 + (need % 1024 != 0);

	if (!kib)
		return 0;
	kib += QEMU_RAM_GRANULE_KIB - 1;
	return kib - kib % QEMU_RAM_GRANULE_KIB - QEMU_RAM_GRANULE_KIB + 1;
}

/*
 * Bisection's answer between load_end (the image cannot run with less)
 * and the memory the benchmark just ran with, found from the guest's
 * prediction need (bytes; 0: none) with as few runs as it allows
 * (min_mem.h).
 */
static int search_min_mem(const struct measure_opts *o, uint64_t load_end,
			  uint64_t need, struct measure_result *r)
{
	struct min_mem_query q = {
		.lo_kib = load_end / 1024,
		.hi_kib = o->mem_kib ? o->mem_kib : RUNNER_MEM_DEFAULT_KIB,
		.resolution_kib = MIN_MEM_RESOLUTION_KIB,
		.guess_kib = guess_from_need(need),
		/* Nearer steps may land in a granule already known. */
		.step_kib = QEMU_RAM_GRANULE_KIB,
		.runs = fits,
		.ctx = (void *)o,
	};
	struct min_mem_answer a;
	int err;

	if (q.hi_kib <= q.lo_kib)
		q.lo_kib = q.hi_kib - 1; /* the image ran: nothing to search */
	err = min_mem_search(&q, &a);
	if (err)
		return err;
	if (o->log)
		fprintf(o->log, "measure: min_mem %llu KiB after %u probes "
			"(guessed %llu KiB from need=%llu: %s)\n",
			(unsigned long long)a.kib, a.probes,
			(unsigned long long)q.guess_kib,
			(unsigned long long)need,
			!q.guess_kib ? "no guess"
			: a.guess_held ? "held" : "searched");
	return measure_host(r, HOST_MIN_MEM, (double)a.kib, 0,
			    STORE_DETERMINISTIC);
}

int measure_image(const struct measure_opts *o, struct measure_result *r)
{
	struct image_layout l;
	uint64_t need = 0;
	char why[256];
	int rep, end;
	int err;

	memset(r, 0, sizeof(*r));
	r->status = STORE_DONE;
	snprintf(r->accel, sizeof(r->accel), "tcg");
	if (!o->image || !o->repetitions || o->first_repetition < 0 ||
	    o->repetitions > (unsigned)(INT_MAX - o->first_repetition))
		return -EINVAL;
	if (image_layout(o->image, &l, why, sizeof(why))) {
		measure_fail(r, STORE_BOOT_FAILED, "%s", why);
		return 0;
	}
	if (o->http)
		return measure_http(o, &l, r);
	end = o->first_repetition + (int)o->repetitions;
	for (rep = o->first_repetition; rep < end && r->status == STORE_DONE;
	     rep++) {
		err = measure_host(r, HOST_IMAGE_SIZE, (double)l.file_bytes,
				   rep, STORE_DETERMINISTIC);
		if (!err)
			err = run_once(o, rep, r, &need);
		if (err)
			return err;
	}
	if (r->status == STORE_DONE && o->min_mem)
		return search_min_mem(o, l.load_end, need, r);
	return 0;
}

void measure_result_free(struct measure_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].metric);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* Does the benchmark or an objective of s name metric? */
static bool space_names_metric(const struct space *s, const char *metric)
{
	size_t i;

	for (i = 0; i < s->bench.n_metrics; i++)
		if (!strcmp(s->bench.metrics[i], metric))
			return true;
	for (i = 0; i < s->n_objectives; i++)
		if (!strcmp(s->objectives[i].metric, metric))
			return true;
	return false;
}

void measure_opts_for_space(struct measure_opts *o, const struct space *s,
			    bool deterministic)
{
	const struct space_bench *b = &s->bench;

	memset(o, 0, sizeof(*o));
	o->args = (const char *const *)b->args;
	o->n_args = b->n_args;
	o->deterministic = deterministic;
	o->repetitions = b->repetitions ? b->repetitions : 1;
	if (b->kind == SPACE_BENCH_HTTP)
		o->http = &b->http;
	o->wanted = (const char *const *)b->metrics;
	o->n_wanted = b->n_metrics;
	/* Both cost extra runs (host_metrics.h, http_metrics.h): only when
	 * named. */
	o->min_mem = space_names_metric(
	    s, host_metric(HOST_MIN_MEM)->name);
	o->per_request = space_names_metric(s, HTTP_METRIC_PER_REQUEST);
}
