/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A guest booted in a thread (bench/guest.h). The runner thread only
 * calls runner_run(); the two pipes carry everything between it and the
 * caller, so no state is shared but what the join hands over.
 */
#include "guest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outcome.h"
#include "spawn.h"

static void on_published(void *ctx, const struct runner_publish *p, size_t n)
{
	struct bench_guest *g = ctx;
	char msg[1 + sizeof(uint16_t)] = { 'P' };

	if (!n)
		return;
	memcpy(msg + 1, &p[0].host, sizeof(p[0].host));
	if (write(g->event_pipe[1], msg, sizeof(msg)) < 0) {
		/* the caller then times out waiting */
	}
}

static void *run_guest(void *arg)
{
	struct bench_guest *g = arg;

	g->run_err = runner_run(&g->opts, &g->result);
	g->ended_ns = spawn_now_ns();
	if (write(g->event_pipe[1], "E", 1) < 0) {
		/* the join still happens */
	}
	return NULL;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

int bench_guest_start(struct bench_guest *g, const struct runner_opts *opts,
		      uint16_t guest_port, char *why, size_t why_len)
{
	int err;

	memset(g, 0, sizeof(*g));
	g->stop_pipe[0] = g->stop_pipe[1] = -1;
	g->event_pipe[0] = g->event_pipe[1] = -1;
	if (qemu_result_init(&g->result)) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	if (pipe2(g->stop_pipe, O_CLOEXEC) || pipe2(g->event_pipe, O_CLOEXEC)) {
		err = -errno;
		snprintf(why, why_len, "pipe: %s", strerror(errno));
		bench_guest_free(g);
		return err;
	}
	g->opts = *opts;
	g->publish.host = 0;
	g->publish.guest = guest_port;
	g->opts.publish = &g->publish;
	g->opts.npublish = 1;
	g->opts.net = RUNNER_NET_USER;
	g->opts.stop_fd = g->stop_pipe[0];
	g->opts.on_published = on_published;
	g->opts.on_published_ctx = g;
	err = pthread_create(&g->thread, NULL, run_guest, g);
	if (err) {
		snprintf(why, why_len, "cannot start a thread: %s",
			 strerror(err));
		bench_guest_free(g);
		return -err;
	}
	return 0;
}

/* Read one event within ms (-1: block). 1 read, 0 none yet. */
static int read_event(struct bench_guest *g, int ms)
{
	struct pollfd pfd = { g->event_pipe[0], POLLIN, 0 };
	char msg[1 + sizeof(uint16_t)];
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	n = read(g->event_pipe[0], msg, 1);
	if (n != 1)
		return 0;
	if (msg[0] == 'P') {
		if (read(g->event_pipe[0], msg + 1, sizeof(uint16_t)) ==
		    (ssize_t)sizeof(uint16_t)) {
			memcpy(&g->host_port, msg + 1, sizeof(uint16_t));
			g->published = true;
		}
	} else {
		g->ended = true;
	}
	return 1;
}

int bench_guest_await_published(struct bench_guest *g, int64_t timeout_ns,
				char *why, size_t why_len)
{
	int64_t deadline = spawn_now_ns() + timeout_ns;

	while (!g->published && !g->ended) {
		int64_t left = deadline - spawn_now_ns();

		if (left <= 0) {
			snprintf(why, why_len, "QEMU did not start the guest "
				 "within %.1f s", (double)timeout_ns / 1e9);
			return -ETIMEDOUT;
		}
		read_event(g, (int)(left / 1000000 + 1));
	}
	if (g->published)
		return 0;
	bench_guest_stop(g);
	bench_guest_describe(g, why, why_len);
	return -ECHILD;
}

bool bench_guest_ended(struct bench_guest *g)
{
	while (!g->ended && read_event(g, 0))
		;
	return g->ended;
}

void bench_guest_stop(struct bench_guest *g)
{
	if (g->stopped)
		return;
	if (write(g->stop_pipe[1], "S", 1) < 0) {
		/* the runner's own deadline still ends QEMU */
	}
	pthread_join(g->thread, NULL);
	g->stopped = true;
}

void bench_guest_describe(const struct bench_guest *g, char *buf, size_t len)
{
	const struct runner_result *r = &g->result;

	if (g->run_err)
		snprintf(buf, len, "the guest could not boot: %s",
			 strerror(-g->run_err));
	else if (r->outcome == RUNNER_EXITED)
		snprintf(buf, len, "the guest exited with status %d",
			 r->app_status);
	else if (r->outcome == RUNNER_IMAGE_BAD || r->outcome == RUNNER_NO_QEMU)
		/* Never ran: "ended" would send the reader to the guest. */
		snprintf(buf, len, "the guest could not start (%s): %s",
			 outcome_name(r->outcome), r->reason);
	else
		snprintf(buf, len, "the guest ended (%s): %s",
			 outcome_name(r->outcome), r->reason);
}

int64_t bench_guest_spawned_ns(const struct bench_guest *g)
{
	return g->ended_ns - g->result.wall_ns;
}

void bench_guest_free(struct bench_guest *g)
{
	runner_result_free(&g->result);
	close_pair(g->stop_pipe);
	close_pair(g->event_pipe);
}
