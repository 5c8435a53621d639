/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One wrk run against a published guest port, held so that nothing is
 * timed while connections are still being set up, and its results read
 * from the line bench/wrk_report.lua prints (never from wrk's human
 * text).
 *
 * The procedure (wrk_run):
 *   1. choose the start GO = now + setup and start
 *      `wrk -t T -c C -d LIMIT -s SCRIPT URL -- GO_US SPACING_US`; wrk
 *      opens its C connections at once, and until GO the script lets
 *      requests out one at a time, WRK_SETUP_SPACING_NS apart: slirp's
 *      listen backlog of 1 leaves a burst of handshakes half-open, and a
 *      connection's first request completes its handshake while the
 *      accept queue has room; the rest wait for GO;
 *   2. just before GO, count the connections the host has set up on the
 *      published port (conns.h);
 *   3. sleep until GO + duration, send wrk SIGINT (wrk then stops its
 *      threads and sums up);
 *   4. parse the "unitune-wrk key=value ..." line; the rates divide by
 *      the time from GO to wrk's summary.
 */
#ifndef UNITUNE_BENCH_WRK_H
#define UNITUNE_BENCH_WRK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Until the start, one request leaves every this often (all threads
 * together): time for slirp to accept the connection it completes. */
#define WRK_SETUP_SPACING_NS (20 * 1000000LL)

/* The setup time that lets c connections through at that pace, with the
 * SYNs the kernel dropped in the burst sent again (after 1 s). */
#define WRK_SETUP_NS(c) (1500 * 1000000LL + (int64_t)(c) * WRK_SETUP_SPACING_NS)

/* The script's text (bench/wrk_report.lua, compiled in by bench.mk). */
const char *bench_wrk_script(void);

/* What one run measured. */
struct wrk_figures {
	uint64_t requests, bytes;	/* timed: those sent before GO are not */
	double window_s;	/* from GO to wrk's summary */
	double requests_per_s, bytes_per_s;
	double latency_p50_us, latency_p90_us, latency_p99_us, latency_max_us;
	uint64_t errors_connect, errors_read, errors_write, errors_timeout;
	uint64_t non_2xx;	/* wrk's errors.status: a status of 400 or more */
	unsigned connections_ready; /* set up on the host at GO */
};

/*
 * Parse the script's line out of wrk's whole stdout (text[0..len)) into
 * *f (requests, bytes, window, rates, latencies, errors;
 * connections_ready is left alone). 0, or -EINVAL with why ("wrk printed
 * no unitune-wrk line", "... has no requests=").
 */
int wrk_parse(const char *text, size_t len, struct wrk_figures *f, char *why,
	      size_t why_len);

/* The script's path when it is passed as a descriptor (script_fd):
 * opening it gives wrk's every Lua state the file from its start. */
#define WRK_SCRIPT_PASSED "/proc/self/fd/3"

struct wrk_run_opts {
	const char *wrk;	/* the program: "wrk" (PATH) or a path */
	const char *script;	/* path of the script file */
	int script_fd;		/* > 2: given to wrk as SPAWN_PASS_FD, with
				 * script WRK_SCRIPT_PASSED; 0: none */
	const char *url;
	uint16_t port;		/* the published host port (conns.h) */
	unsigned threads, connections;
	int64_t duration_ns;	/* timed part */
	int64_t setup_ns;	/* requests held while connections open */
};

/*
 * Run wrk once as above. 0 with *f filled (connections not all set up
 * by GO are not an error: connections_ready says how many were);
 * -ENOENT when wrk is not installed; -EIO with why when wrk failed or
 * printed no result (its stderr's first line in why).
 */
int wrk_run(const struct wrk_run_opts *o, struct wrk_figures *f, char *why,
	    size_t why_len);

#endif
