/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `unitune bench http`'s measurement: boot an image with a port
 * published, wait for its first HTTP 200 (libcurl), run wrk once to warm
 * up (discarded), then N measured repetitions, each holding its requests
 * while its connections are set up so that setup is not timed (wrk.h), with the guest's /metrics
 * scraped before the first repetition and after each (guest_metrics.h);
 * then stop the guest. Nothing here prints the results or stores them:
 * figures.h summarizes, bench_report.h prints, the CLI stores.
 */
#ifndef UNITUNE_BENCH_HTTP_H
#define UNITUNE_BENCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_metrics.h"
#include "runner.h"
#include "wrk.h"

#define BENCH_HTTP_THREADS 1
#define BENCH_HTTP_CONNECTIONS 32
#define BENCH_HTTP_DURATION_S 10
#define BENCH_HTTP_REPETITIONS 5
#define BENCH_HTTP_GUEST_PORT 80
#define BENCH_HTTP_READY_TIMEOUT_S 60

struct bench_http_opts {
	/* The boot: image, qemu, memory, accelerator, kernel options, the
	 * app's arguments, echo and log. Publish, net and stop are the
	 * bench's; the timeout is a safety net over the whole bench. */
	struct runner_opts run;
	uint16_t guest_port;
	const char *path;		/* requested by wrk, e.g. "/" */
	const char *wrk;		/* "wrk" in PATH, or a path */
	unsigned threads, connections, repetitions;
	int64_t duration_ns, warmup_ns;	/* warm-up 0: none */
	int64_t ready_timeout_ns;	/* spawn to the first 200 */
	int64_t setup_ns;	/* a run's connection setup before
					 * timing starts (WRK_SETUP_NS) */
	FILE *progress;			/* a line per step, or NULL */
	/* NULL, or called once, after the first HTTP 200, with the page's
	 * URL: 0 goes on; -errno with why ends the bench with that error
	 * (how the Linux baseline checks both servers send the same page). */
	int (*on_ready)(void *ctx, const char *url, char *why, size_t why_len);
	void *on_ready_ctx;
};

struct bench_rep {
	struct wrk_figures wrk;
	struct guest_metrics guest;
};

struct bench_http_result {
	char url[96];			/* the page wrk requested */
	uint16_t host_port;
	double first_200_ms;		/* QEMU's spawn to the first 200 */
	enum runner_accel accel;	/* the accelerator used */
	struct bench_rep *reps;
	size_t nreps;
	bool metrics;			/* /metrics was read around the reps */
	char metrics_note[256];		/* why not, or a scrape that failed */
	/* When the boot itself failed: the runner's outcome and the status
	 * `unitune run` would exit with. */
	bool boot_failed;
	enum runner_outcome boot_outcome;
	int boot_status;
	/* When the guest ended during the bench (-ECHILD): how. */
	enum runner_outcome ended_outcome;
};

/* Errors beyond -errno. */
#define BENCH_EBOOT (-8192)	/* the guest did not boot (boot_* fields) */

/*
 * Measure o->run.image as above into *r (free with
 * bench_http_result_free() in every case). 0, or with why:
 *   -EINVAL    an option out of range
 *   -ENOENT    wrk is not installed (checked before booting)
 *   BENCH_EBOOT the guest did not boot (image, QEMU, port)
 *   -ETIMEDOUT no HTTP 200 within ready_timeout (why names the URL)
 *   -EPROTO    the page answered 4xx (why names the URL and status)
 *   -ECHILD    the guest ended during the bench (its outcome)
 *   -EIO       wrk failed or printed no result
 *   -ENOMEM
 * The guest is stopped before the call returns, whatever happened.
 */
int bench_http_run(const struct bench_http_opts *o,
		   struct bench_http_result *r, char *why, size_t why_len);

void bench_http_result_free(struct bench_http_result *r);

#endif
