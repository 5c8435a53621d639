/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One wrk run against a published guest port, gated so that nothing is
 * timed while connections are still being set up, and its results read
 * from the line bench/wrk_report.lua prints (never from wrk's human
 * text).
 *
 * The procedure (wrk_run):
 *   1. start `wrk -t T -c C -d LIMIT -s SCRIPT URL -- GATE POLL_MS`;
 *      the script holds every request until the file GATE exists;
 *   2. wait until the host shows C established connections on the
 *      published port and none left in its accept queue (conns.h), at
 *      most setup_timeout;
 *   3. create GATE (timing starts), sleep the duration, send wrk SIGINT
 *      (wrk then stops its threads and sums up);
 *   4. parse the "unitune-wrk key=value ..." line.
 */
#ifndef UNITUNE_BENCH_WRK_H
#define UNITUNE_BENCH_WRK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The script's text (bench/wrk_report.lua, compiled in by bench.mk). */
const char *bench_wrk_script(void);

/* What one run measured. */
struct wrk_figures {
	uint64_t requests, bytes;
	double window_s;	/* from the gate's opening to wrk's summary */
	double requests_per_s, bytes_per_s;
	double latency_p50_us, latency_p90_us, latency_p99_us, latency_max_us;
	uint64_t errors_connect, errors_read, errors_write, errors_timeout;
	uint64_t non_2xx;	/* wrk's errors.status: a status of 400 or more */
	double setup_ms;	/* from wrk's start to every connection set up */
	unsigned connections_ready; /* established when the gate opened */
};

/*
 * Parse the script's line out of wrk's whole stdout (text[0..len)) into
 * *f (requests, bytes, window, rates, latencies, errors; setup_ms and
 * connections_ready are left alone). 0, or -EINVAL with why ("wrk printed
 * no unitune-wrk line", "... has no requests=", "gate never opened").
 */
int wrk_parse(const char *text, size_t len, struct wrk_figures *f, char *why,
	      size_t why_len);

struct wrk_run_opts {
	const char *wrk;	/* the program: "wrk" (PATH) or a path */
	const char *script;	/* path of the script file */
	const char *gate;	/* path of the gate file (must not exist) */
	const char *url;
	uint16_t port;		/* the published host port (conns.h) */
	unsigned threads, connections;
	int64_t duration_ns;	/* timed part */
	int64_t setup_timeout_ns; /* longest wait for the connections */
};

/*
 * Run wrk once as above. 0 with *f filled (a setup that timed out is not
 * an error: connections_ready says how many were up, and timing starts
 * anyway); -ENOENT when wrk is not installed; -EIO with why when wrk
 * failed or printed no result (its stderr's first line in why).
 */
int wrk_run(const struct wrk_run_opts *o, struct wrk_figures *f, char *why,
	    size_t why_len);

#endif
