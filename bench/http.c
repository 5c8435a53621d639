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
	char dir[64];		/* temporary: the script */
	char script[96];
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

/* The script, written to a private directory. */
static int make_workdir(struct bench_ctx *c, char *why, size_t why_len)
{
	const char *tmp = getenv("TMPDIR");
	const char *text = bench_wrk_script();
	int err;

	snprintf(c->dir, sizeof(c->dir), "%s/unitune-bench-XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(c->dir)) {
		err = -errno;
		snprintf(why, why_len, "cannot make a directory %s: %s", c->dir,
			 strerror(errno));
		c->dir[0] = '\0';
		return err;
	}
	snprintf(c->script, sizeof(c->script), "%s/report.lua", c->dir);
	err = strbuf_write_file(c->script, text, strlen(text), false);
	if (err)
		snprintf(why, why_len, "cannot write %s: %s", c->script,
			 strerror(-err));
	return err;
}

static void remove_workdir(struct bench_ctx *c)
{
	if (!c->dir[0])
		return;
	unlink(c->script);
	rmdir(c->dir);
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
				  .script = c->script,
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
	struct bench_ctx c = { .o = o, .r = r };
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
	err = make_workdir(&c, why, why_len);
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
	remove_workdir(&c);
	return err;
}

void bench_http_result_free(struct bench_http_result *r)
{
	free(r->reps);
	r->reps = NULL;
	r->nreps = 0;
}
