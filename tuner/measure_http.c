/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One image of a benchmark of kind http (tuner/measure_http.h).
 */
#include "measure_http.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fetch.h"
#include "figures.h"
#include "host_metrics.h"
#include "http.h"
#include "http_metrics.h"
#include "per_request.h"
#include "why.h"

/* The guest's deadline beyond the bench's own waits. */
#define HTTP_SLACK_NS (60 * 1000000000LL)
/* wrk's own slack per run (its summary, SIGINT, a scrape). */
#define HTTP_PER_RUN_SLACK_NS (30 * 1000000000LL)
/* As `unitune bench http`'s defaults (bench/http.h). */
#define HTTP_READY_NS (BENCH_HTTP_READY_TIMEOUT_S * 1000000000LL)

static void boot_opts(const struct measure_opts *o, struct runner_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->image = o->image;
	ro->mem_kib = o->mem_kib;
	ro->accel = RUNNER_ACCEL_AUTO;
	ro->app_argv = o->args;
	ro->app_argc = o->n_args;
	ro->log = o->log;
}

/*
 * A bench that could not measure: the variant's failure class (0), or
 * the host's error (wrk missing, bad options, memory) returned as it is.
 */
static int classify(int err, enum runner_outcome ended, const char *what,
		    const char *why, struct measure_result *r)
{
	switch (err) {
	case BENCH_EBOOT:
	case BENCH_PER_REQUEST_EBOOT:
		measure_fail(r, STORE_BOOT_FAILED, "%s: %s", what, why);
		return 0;
	case -ECHILD:
		/* A server that exits has failed its benchmark. */
		measure_fail(r, ended == RUNNER_TIMEOUT ? STORE_TIMEOUT :
				ended == RUNNER_EXITED ? STORE_BENCH_FAILED :
				STORE_CRASHED, "%s: %s", what, why);
		return 0;
	case -ETIMEDOUT:
	case -EIO:
		measure_fail(r, STORE_BENCH_FAILED, "%s: %s", what, why);
		return 0;
	default:
		if (r->reason[0] == '\0')
			snprintf(r->reason, sizeof(r->reason), "%s", why);
		return err;
	}
}

/* Every wrk figure of repetition k as http.wrk.NAME, and image_size. */
static int add_rep(const struct image_layout *l, const struct wrk_figures *w,
		   int rep, struct measure_result *r)
{
	const struct host_metric *hm = host_metric(HOST_IMAGE_SIZE);
	char name[96];
	size_t i;
	int err, n;

	err = measure_add(r, hm->name, strlen(hm->name), (double)l->file_bytes,
			  hm->unit, rep, STORE_DETERMINISTIC);
	for (i = 0; !err && i < bench_wrk_figure_count(); i++) {
		n = snprintf(name, sizeof(name), HTTP_METRIC_WRK_PREFIX "%s",
			     bench_wrk_figure_name(i));
		err = measure_add(r, name, (size_t)n,
				  bench_wrk_figure_value(i, w),
				  measure_unit(bench_wrk_figure_unit(i)), rep,
				  STORE_WALL);
	}
	return err;
}

/* The wall-clock part: one boot, a warm-up, o->repetitions wrk runs. */
static int wall(const struct measure_opts *o, const struct image_layout *l,
		struct measure_result *r)
{
	const struct space_http *h = o->http;
	struct bench_http_opts bo = {
		.guest_port = BENCH_HTTP_GUEST_PORT, .path = h->path,
		.wrk = "wrk", .threads = h->threads,
		.connections = h->connections, .repetitions = o->repetitions,
		.duration_ns = h->duration_ns, .warmup_ns = h->warmup_ns,
		.ready_timeout_ns = HTTP_READY_NS,
		.setup_ns = WRK_SETUP_NS(h->connections), .progress = o->log,
	};
	struct bench_http_result res;
	char why[UNITUNE_WHY_MAX];
	size_t k;
	int err;

	boot_opts(o, &bo.run);
	bo.run.timeout_ns = HTTP_READY_NS + bo.warmup_ns + bo.setup_ns +
			    (int64_t)bo.repetitions *
				    (bo.duration_ns + bo.setup_ns +
				     HTTP_PER_RUN_SLACK_NS) +
			    HTTP_SLACK_NS;
	if (o->log)
		fprintf(o->log, "measure: wrk -t%u -c%u -d%.1fs, %u "
			"repetition(s) from %d, against %s\n", bo.threads,
			bo.connections, (double)bo.duration_ns / 1e9,
			bo.repetitions, o->first_repetition, o->image);
	err = bench_http_run(&bo, &res, why, sizeof(why));
	if (err) {
		err = classify(err, res.ended_outcome, "wrk", why, r);
		goto out;
	}
	snprintf(r->accel, sizeof(r->accel), "%s", runner_accel_name(res.accel));
	/* A server that stopped answering has no latency to speak of: its
	 * percentiles would read 0 and win on p99. */
	for (k = 0; k < res.nreps; k++)
		if (!res.reps[k].wrk.requests) {
			measure_fail(r, STORE_BENCH_FAILED, "wrk: repetition "
				     "%zu of %zu completed no request in %.1f s "
				     "(the server stopped answering)", k + 1,
				     res.nreps, (double)h->duration_ns / 1e9);
			goto out;
		}
	for (k = 0; !err && k < res.nreps; k++)
		err = add_rep(l, &res.reps[k].wrk,
			      o->first_repetition + (int)k, r);
out:
	bench_http_result_free(&res);
	return err;
}

/* The deterministic part: instructions per request, repetition 0. */
static int per_request(const struct measure_opts *o, struct measure_result *r)
{
	struct bench_per_request_opts po = {
		.real_idle = true, .guest_port = BENCH_HTTP_GUEST_PORT,
		.path = o->http->path, .requests = o->http->det_requests,
		.ready_timeout_ns = HTTP_READY_NS, .progress = o->log,
	};
	struct bench_per_request pr;
	char why[UNITUNE_WHY_MAX];
	int err;

	boot_opts(o, &po.run);
	po.run.timeout_ns = o->timeout_ns;
	if (o->log)
		fprintf(o->log, "measure: %u requests on one connection, "
			"deterministic (-icount, idle time real)\n",
			po.requests);
	err = bench_per_request_run(&po, &pr, why, sizeof(why));
	if (err)
		return classify(err, pr.ended_outcome,
				"instructions per request", why, r);
	return measure_add(r, HTTP_METRIC_PER_REQUEST,
			   strlen(HTTP_METRIC_PER_REQUEST), pr.busy,
			   measure_unit(HTTP_METRIC_PER_REQUEST_UNIT), 0,
			   STORE_DETERMINISTIC);
}

/* Deterministic (a suite's benchmark of kind http in mode deterministic,
 * docs/suite-file.md): the exact metrics only, image_size and, asked
 * for, the deterministic boot; wrk's figures need the wall clock. */
static int exact(const struct measure_opts *o, const struct image_layout *l,
		 struct measure_result *r)
{
	const struct host_metric *hm = host_metric(HOST_IMAGE_SIZE);
	int err;

	err = measure_add(r, hm->name, strlen(hm->name), (double)l->file_bytes,
			  hm->unit, o->first_repetition, STORE_DETERMINISTIC);
	if (!err && o->per_request && o->first_repetition == 0)
		err = per_request(o, r);
	return err;
}

int measure_http(const struct measure_opts *o, const struct image_layout *l,
		 struct measure_result *r)
{
	int err;

	/* The worker is a process of its own: libcurl starts here. */
	if (fetch_global_init())
		return -EIO;
	if (o->deterministic) {
		err = exact(o, l, r);
	} else {
		err = wall(o, l, r);
		if (!err && r->status == STORE_DONE && o->per_request &&
		    o->first_repetition == 0)
			err = per_request(o, r);
	}
	fetch_global_cleanup();
	return err;
}
