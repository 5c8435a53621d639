/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A guest booted in the background while the bench measures it: the
 * runner (host/runner.h) boots it in a thread of its own with one port
 * published; the caller learns the host port, can ask whether the guest
 * is still running, and always stops it (through the runner's stop
 * descriptor: SIGTERM, then SIGKILL). QEMU dies with the process in any
 * case (spawn's PR_SET_PDEATHSIG).
 *
 *	struct bench_guest g;
 *	if (bench_guest_start(&g, &opts, 80, why, len) == 0) {
 *		if (bench_guest_await_published(&g, timeout, why, len) == 0)
 *			... g.host_port ...
 *		bench_guest_stop(&g);	 // always; then g.result
 *		... bench_guest_free(&g);
 *	}
 */
#ifndef UNITUNE_BENCH_GUEST_H
#define UNITUNE_BENCH_GUEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runner.h"

struct bench_guest {
	struct runner_opts opts;	/* the caller's, with the port added */
	struct runner_publish publish;
	struct runner_result result;	/* valid after bench_guest_stop() */
	int run_err;			/* runner_run()'s return value */
	uint16_t host_port;		/* once published */
	int64_t ended_ns;		/* when runner_run() returned */
	pthread_t thread;
	int stop_pipe[2];		/* written by bench_guest_stop() */
	int event_pipe[2];		/* 'P' published, 'E' ended */
	bool published, ended, stopped;
};

/*
 * Start booting opts' image with guest_port published on a free host
 * port of 127.0.0.1 (opts' own publish, net, stop_fd and on_published
 * are replaced). 0, or -errno with why.
 */
int bench_guest_start(struct bench_guest *g, const struct runner_opts *opts,
		      uint16_t guest_port, char *why, size_t why_len);

/*
 * Wait until QEMU listens on the published port (then g->host_port), at
 * most timeout_ns. 0; -ECHILD when the guest ended first (why: its
 * outcome and reason); -ETIMEDOUT.
 */
int bench_guest_await_published(struct bench_guest *g, int64_t timeout_ns,
				char *why, size_t why_len);

/* Has the guest ended by itself (never after a stop)? Does not block. */
bool bench_guest_ended(struct bench_guest *g);

/*
 * Stop the guest unless it ended, and wait for the runner: afterwards
 * g->result holds the outcome and console, g->ended_ns when it returned.
 * Safe to call twice.
 */
void bench_guest_stop(struct bench_guest *g);

/* The guest's outcome as one line: "crashed: page fault at ..." */
void bench_guest_describe(const struct bench_guest *g, char *buf, size_t len);

/* When QEMU was spawned (CLOCK_MONOTONIC ns), from the runner's wall time
 * and its end; valid after bench_guest_stop(). */
int64_t bench_guest_spawned_ns(const struct bench_guest *g);

void bench_guest_free(struct bench_guest *g);

#endif
