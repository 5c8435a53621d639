/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest's instructions per HTTP request, deterministically: boot the
 * image under -icount with idle time passing as the host's (the runner's
 * real_idle, `unitune run --deterministic --idle real`), wait for its
 * first 200, then
 *	scrape /metrics (m1), N GETs in turn on one keep-alive connection,
 *	scrape (m2), scrape (m3)
 * and stop it. A counter's growth from m1 to m2 is the N requests, their
 * connection's set-up and close, and one scrape's own work (the end of
 * the first, the start of the second); m2 to m3 is one scrape's work,
 * subtracted. Under -icount a TSC cycle is an instruction, so the growth
 * of uk_sched_busy_cycles_total (TSC cycles less idle ones: lib/uksched's
 * idle accounting) per request is the instructions the guest executed
 * for it. The one home of that arithmetic: the tuner's
 * http.guest.instructions_per_request and `unitune bench http
 * --per-request N` (which benchmarks/httpd.sh runs) both use it.
 */
#ifndef UNITUNE_BENCH_PER_REQUEST_H
#define UNITUNE_BENCH_PER_REQUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prom_scrape.h"
#include "runner.h"

#define BENCH_PER_REQUEST_DEFAULT 1000

struct bench_per_request_opts {
	/* The boot: image, qemu, memory, app arguments, kernel options,
	 * echo, log, a timeout over the whole run. deterministic and
	 * real_idle are set by the call; publish, net and stop are its. */
	struct runner_opts run;
	/* Idle time passes as the host's (-icount sleep=on, `--idle real`);
	 * false: the guest's clock jumps to its next timer (`--idle skip`). */
	bool real_idle;
	uint16_t guest_port;
	const char *path;		/* the page requested, e.g. "/" */
	unsigned requests;		/* N >= 1 */
	int64_t ready_timeout_ns;	/* spawn to the first 200 */
	FILE *progress;			/* a line per step, or NULL */
};

/* Per request (NAN for a family the guest's /metrics lacks, beyond the
 * four required: busy, cycles, halted, page requests). */
struct bench_per_request {
	/* When the guest ended during the run (-ECHILD): how. */
	enum runner_outcome ended_outcome;
	unsigned requests;
	double busy;		/* non-idle TSC cycles */
	double executed;	/* cycles less halted ones (idle rounds of a
				 * wait that found nothing included) */
	double loop_busy;	/* httpd's event loop's busy cycles */
	double latency;		/* cycles from a request's first byte read to
				 * its answer's last byte written */
	double frames;		/* frames received by device 0 */
	double halts;		/* times the CPU halted */
	double wakeups;		/* returns of the event loop's wait */
};

/*
 * The figures from the three scrapes around n requests. 0, or -EINVAL
 * with why: a family missing from a scrape, or the guest counted another
 * number of page requests than n (httpd_request_latency_cycles_count).
 */
int bench_per_request_compute(const struct prom_scrape *m1,
			      const struct prom_scrape *m2,
			      const struct prom_scrape *m3, unsigned n,
			      struct bench_per_request *out, char *why,
			      size_t why_len);

/* Errors beyond -errno, as bench/http.h's BENCH_EBOOT: the guest did not
 * boot (QEMU failed, the image is bad or the port could not be
 * published); why says how. */
#define BENCH_PER_REQUEST_EBOOT (-8193)

/*
 * Run the procedure above. 0 with *r; or with why: -EINVAL (options),
 * BENCH_PER_REQUEST_EBOOT, -ETIMEDOUT (no 200 in time), -ECHILD (the
 * guest ended: its outcome), -EIO (a request or scrape failed, or the
 * counts did not add up), -ENOMEM. The guest is stopped before it
 * returns. fetch_global_init() must have been called.
 */
int bench_per_request_run(const struct bench_per_request_opts *o,
			  struct bench_per_request *r, char *why,
			  size_t why_len);

#endif
