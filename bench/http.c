/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The steps of `unitune bench http` (bench/http.h).
 */
#include "http.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fetch.h"
#include "guest.h"
#include "paths.h"
#include "prom_scrape.h"
#include "spawn.h"
#include "strbuf.h"

/* A scrape of /metrics answers within this. */
#define SCRAPE_TIMEOUT_NS (10 * 1000000000LL)
/* How long QEMU may take to start the guest (publish the port). */
#define PUBLISH_TIMEOUT_NS (60 * 1000000000LL)

/* What the steps share. */
struct bench_ctx {
	const struct bench_http_opts *o;
	struct bench_http_result *r;
	struct bench_guest guest;
	/* wrk's script in memory (memfd), handed to wrk as fd 3: a bench
	 * killed by a signal leaves no file behind. -1: none yet. */
	int script_fd;
	char metrics_url[96];
	struct prom_scrape last;	/* the previous scrape */
	bool have_last;
	bool started;		/* the guest's thread runs: stop it */
};

static void progress(const struct bench_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void progress(const struct bench_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->o->progress)
		return;
	va_start(ap, fmt);
	fprintf(c->o->progress, "unitune bench http: ");
	vfprintf(c->o->progress, fmt, ap);
	fputc('\n', c->o->progress);
	fflush(c->o->progress);
	va_end(ap);
}

static int check_opts(const struct bench_http_opts *o, char *why,
		      size_t why_len)
{
	if (!o->threads || !o->connections || o->connections < o->threads) {
		snprintf(why, why_len, "need at least one thread and at least "
			 "as many connections as threads (got -t %u -c %u)",
			 o->threads, o->connections);
		return -EINVAL;
	}
	if (!o->repetitions || o->duration_ns < 1000000000LL ||
	    o->warmup_ns < 0 || !o->path || o->path[0] != '/' ||
	    !o->guest_port) {
		snprintf(why, why_len, "need a repetition of at least 1 s, a "
			 "path starting with '/' and a guest port");
		return -EINVAL;
	}
	return 0;
}

/* The script in an anonymous file: a temporary file on disk would stay
 * behind when the bench is ended by Ctrl-C or kill, which it cannot
 * catch without taking them from the guest's and wrk's handling. */
static int make_script(struct bench_ctx *c, char *why, size_t why_len)
{
	const char *text = bench_wrk_script();
	size_t len = strlen(text), done = 0;
	ssize_t n;
	int err;

	c->script_fd = memfd_create("unitune-wrk-report.lua", MFD_CLOEXEC);
	if (c->script_fd < 0) {
		err = -errno;
		snprintf(why, why_len, "cannot make an in-memory file for "
			 "wrk's script: %s", strerror(errno));
		return err;
	}
	while (done < len) {
		n = write(c->script_fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			snprintf(why, why_len, "cannot write wrk's script: %s",
				 strerror(-err));
			return err;
		}
		done += (size_t)n;
	}
	return 0;
}

static void close_script(struct bench_ctx *c)
{
	if (c->script_fd >= 0)
		close(c->script_fd);
	c->script_fd = -1;
}

/* Boot; on a failed boot the runner's outcome goes to the result. */
static int boot(struct bench_ctx *c, char *why, size_t why_len)
{
	struct bench_http_result *r = c->r;
	int err = bench_guest_start(&c->guest, &c->o->run, c->o->guest_port,
				    why, why_len);

	if (err)
		return err;
	c->started = true;
	err = bench_guest_await_published(&c->guest, PUBLISH_TIMEOUT_NS, why,
					  why_len);
	if (err == -ECHILD) {
		r->boot_failed = true;
		r->boot_outcome = c->guest.result.outcome;
		r->boot_status = c->guest.run_err ? UNITUNE_EXIT_QEMU_FAILED :
				 runner_exit_status(&c->guest.result);
		return BENCH_EBOOT;
	}
	if (err)
		return err;
	r->host_port = c->guest.host_port;
	snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%u%s",
		 (unsigned)r->host_port, c->o->path);
	snprintf(c->metrics_url, sizeof(c->metrics_url),
		 "http://127.0.0.1:%u/metrics", (unsigned)r->host_port);
	progress(c, "QEMU listens on 127.0.0.1:%u", (unsigned)r->host_port);
	return 0;
}

static bool guest_running(void *ctx)
{
	return !bench_guest_ended(&((struct bench_ctx *)ctx)->guest);
}

static int guest_gone(struct bench_ctx *c, char *why, size_t why_len)
{
	bench_guest_stop(&c->guest);
	c->r->ended_outcome = c->guest.result.outcome;
	bench_guest_describe(&c->guest, why, why_len);
	return -ECHILD;
}

/* One GET of /metrics into *t. 0, or -EIO with why. */
static int scrape(struct bench_ctx *c, struct prom_scrape *t, char *why,
		  size_t why_len)
{
	return fetch_scrape(c->metrics_url, SCRAPE_TIMEOUT_NS, t, why, why_len);
}

/* The scrape that opens the measured part: metrics on or off. */
static void first_scrape(struct bench_ctx *c)
{
	struct bench_http_result *r = c->r;

	if (scrape(c, &c->last, r->metrics_note, sizeof(r->metrics_note))) {
		progress(c, "no guest metrics: %s", r->metrics_note);
		return;
	}
	r->metrics = true;
	c->have_last = true;
}

/* After a repetition: its guest figures, from the last scrape and now. */
static void scrape_after(struct bench_ctx *c, struct bench_rep *rep)
{
	struct prom_scrape now;

	if (!c->r->metrics)
		return;
	if (scrape(c, &now, c->r->metrics_note, sizeof(c->r->metrics_note))) {
		progress(c, "guest metrics missed: %s", c->r->metrics_note);
		if (c->have_last)
			prom_scrape_free(&c->last);
		c->have_last = false;
		return;
	}
	if (c->have_last) {
		guest_metrics_between(&c->last, &now, &rep->guest);
		prom_scrape_free(&c->last);
	}
	c->last = now;
	c->have_last = true;
}

static int run_wrk(struct bench_ctx *c, int64_t duration_ns,
		   struct wrk_figures *f, char *why, size_t why_len)
{
	const struct bench_http_opts *o = c->o;
	struct wrk_run_opts w = { .wrk = o->wrk,
				  .script = WRK_SCRIPT_PASSED,
				  .script_fd = c->script_fd,
				  .url = c->r->url,
				  .port = c->r->host_port,
				  .threads = o->threads,
				  .connections = o->connections,
				  .duration_ns = duration_ns,
				  .setup_ns = o->setup_ns };
	int err = wrk_run(&w, f, why, why_len);

	if (bench_guest_ended(&c->guest))
		return guest_gone(c, why, why_len);
	if (!err && f->connections_ready < o->connections)
		progress(c, "only %u of %u connections were set up when "
			 "timing started", f->connections_ready,
			 o->connections);
	return err;
}

static int measure(struct bench_ctx *c, char *why, size_t why_len)
{
	const struct bench_http_opts *o = c->o;
	struct bench_http_result *r = c->r;
	struct wrk_figures warm;
	int64_t at;
	size_t i;
	int err;

	err = fetch_await_200(r->url, o->ready_timeout_ns, guest_running, c,
			      &at, why, why_len);
	if (err == -ECANCELED)
		return guest_gone(c, why, why_len);
	if (err)
		return err;
	progress(c, "first HTTP 200 from %s", r->url);
	if (o->on_ready) {
		err = o->on_ready(o->on_ready_ctx, r->url, why, why_len);
		if (err)
			return err;
	}
	if (o->warmup_ns > 0) {
		progress(c, "warm-up: %.1f s (discarded)",
			 (double)o->warmup_ns / 1e9);
		err = run_wrk(c, o->warmup_ns, &warm, why, why_len);
		if (err)
			return err;
	}
	first_scrape(c);
	for (i = 0; i < o->repetitions; i++) {
		struct bench_rep *rep = &r->reps[i];

		err = run_wrk(c, o->duration_ns, &rep->wrk, why, why_len);
		if (err)
			return err;
		r->nreps++;
		scrape_after(c, rep);
		progress(c, "repetition %zu/%u: %.1f req/s", i + 1,
			 o->repetitions, rep->wrk.requests_per_s);
	}
	/* The spawn time is known once the runner has returned. */
	bench_guest_stop(&c->guest);
	r->first_200_ms = (double)(at - bench_guest_spawned_ns(&c->guest)) /
			  1e6;
	return 0;
}

int bench_http_run(const struct bench_http_opts *o,
		   struct bench_http_result *r, char *why, size_t why_len)
{
	struct bench_ctx c = { .o = o, .r = r, .script_fd = -1 };
	char wrk_path[4096];
	int err;

	memset(r, 0, sizeof(*r));
	err = check_opts(o, why, why_len);
	if (err)
		return err;
	if (paths_which(o->wrk, wrk_path, sizeof(wrk_path))) {
		snprintf(why, why_len, "%s not found; install it with "
			 "scripts/deps.sh or apt-get install wrk", o->wrk);
		return -ENOENT;
	}
	r->reps = calloc(o->repetitions, sizeof(*r->reps));
	if (!r->reps) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	err = make_script(&c, why, why_len);
	if (!err)
		err = boot(&c, why, why_len);
	if (!err)
		err = measure(&c, why, why_len);
	if (c.started) {
		bench_guest_stop(&c.guest);
		r->accel = c.guest.result.accel;
		bench_guest_free(&c.guest);
	}
	if (c.have_last)
		prom_scrape_free(&c.last);
	close_script(&c);
	return err;
}

void bench_http_result_free(struct bench_http_result *r)
{
	free(r->reps);
	r->reps = NULL;
	r->nreps = 0;
}
