/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Instructions per request, deterministically (bench/per_request.h).
 */
#include "per_request.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "fetch.h"
#include "guest.h"

/* Under -icount a guest is several times slower than under plain TCG. */
#define PER_REQUEST_GET_TIMEOUT_NS (60 * 1000000000LL)
#define PER_REQUEST_PUBLISH_TIMEOUT_NS (60 * 1000000000LL)

#define BUSY "uk_sched_busy_cycles_total"
#define CYCLES "uk_sched_cycles_total"
#define HALTED "uk_sched_halted_cycles_total"
#define PAGES "httpd_request_latency_cycles_count"

/* The growth of family from a to b; false when a scrape lacks it. */
static bool growth(const struct prom_scrape *a, const struct prom_scrape *b,
		   const char *family, double *d)
{
	double va, vb;

	if (!prom_scrape_sum(a, family, NULL, &va) ||
	    !prom_scrape_sum(b, family, NULL, &vb))
		return false;
	*d = vb - va;
	return true;
}

/* The requests' share of family: m1..m2 less one scrape (m2..m3). */
static int per(const struct prom_scrape *m1, const struct prom_scrape *m2,
	       const struct prom_scrape *m3, unsigned n, const char *family,
	       double *out, char *why, size_t why_len)
{
	double d12, d23;

	if (!growth(m1, m2, family, &d12) || !growth(m2, m3, family, &d23)) {
		snprintf(why, why_len, "the guest's /metrics has no %s",
			 family);
		return -EINVAL;
	}
	*out = (d12 - d23) / n;
	return 0;
}

int bench_per_request_compute(const struct prom_scrape *m1,
			      const struct prom_scrape *m2,
			      const struct prom_scrape *m3, unsigned n,
			      struct bench_per_request *out, char *why,
			      size_t why_len)
{
	double pages, cycles, halted;
	int err;

	memset(out, 0, sizeof(*out));
	if (!n) {
		snprintf(why, why_len, "no requests");
		return -EINVAL;
	}
	/* The scrapes are not page requests: the N must all be there. */
	if (!growth(m1, m2, PAGES, &pages)) {
		snprintf(why, why_len, "the guest's /metrics has no %s", PAGES);
		return -EINVAL;
	}
	if (pages != (double)n) {
		snprintf(why, why_len, "the guest counted %.0f page requests "
			 "between the scrapes, not %u (%s)", pages, n, PAGES);
		return -EINVAL;
	}
	err = per(m1, m2, m3, n, BUSY, &out->busy, why, why_len);
	if (!err)
		err = per(m1, m2, m3, n, CYCLES, &cycles, why, why_len);
	if (!err)
		err = per(m1, m2, m3, n, HALTED, &halted, why, why_len);
	if (err)
		return err;
	out->executed = cycles - halted;
	out->requests = n;
	return 0;
}

static void progress(const struct bench_per_request_opts *o,
		     const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(const struct bench_per_request_opts *o,
		     const char *fmt, ...)
{
	va_list ap;

	if (!o->progress)
		return;
	va_start(ap, fmt);
	fprintf(o->progress, "per request: ");
	vfprintf(o->progress, fmt, ap);
	fputc('\n', o->progress);
	fflush(o->progress);
	va_end(ap);
}

static bool running(void *ctx)
{
	return !bench_guest_ended(ctx);
}

/* The steps once the port is published; the caller stops the guest. */
static int measure(const struct bench_per_request_opts *o,
		   struct bench_guest *g, struct bench_per_request *r,
		   char *why, size_t why_len)
{
	struct prom_scrape m[3];
	char url[96], metrics[96];
	unsigned done, k = 0;
	int64_t at;
	int err;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s",
		 (unsigned)g->host_port, o->path);
	snprintf(metrics, sizeof(metrics), "http://127.0.0.1:%u/metrics",
		 (unsigned)g->host_port);
	err = fetch_await_200(url, o->ready_timeout_ns, running, g, &at, why,
			      why_len);
	if (err == -ECANCELED)
		return -ECHILD;
	if (err)
		return err;
	progress(o, "first 200 from %s; %u requests", url, o->requests);
	err = fetch_scrape(metrics, PER_REQUEST_GET_TIMEOUT_NS, &m[k], why,
			   why_len);
	if (!err && ++k)
		err = fetch_get_repeat(url, o->requests,
				       PER_REQUEST_GET_TIMEOUT_NS, &done, why,
				       why_len);
	while (!err && k < 3) {
		err = fetch_scrape(metrics, PER_REQUEST_GET_TIMEOUT_NS, &m[k],
				   why, why_len);
		if (!err)
			k++;
	}
	if (!err) {
		err = bench_per_request_compute(&m[0], &m[1], &m[2],
						o->requests, r, why, why_len);
		if (err == -EINVAL)
			err = -EIO;
	}
	while (k)
		prom_scrape_free(&m[--k]);
	if (!err)
		progress(o, "%.1f non-idle instructions per request",
			 r->busy);
	return err;
}

int bench_per_request_run(const struct bench_per_request_opts *o,
			  struct bench_per_request *r, char *why,
			  size_t why_len)
{
	struct runner_opts ro = o->run;
	struct bench_guest g;
	int err;

	memset(r, 0, sizeof(*r));
	if (!o->requests || !o->path || o->path[0] != '/' || !o->guest_port) {
		snprintf(why, why_len, "need at least one request, a path "
			 "starting with '/' and a guest port");
		return -EINVAL;
	}
	ro.deterministic = true;
	ro.real_idle = true;
	ro.accel = RUNNER_ACCEL_TCG;
	err = bench_guest_start(&g, &ro, o->guest_port, why, why_len);
	if (err)
		return err;
	err = bench_guest_await_published(&g, PER_REQUEST_PUBLISH_TIMEOUT_NS,
					  why, why_len);
	if (err == -ECHILD)
		err = BENCH_PER_REQUEST_EBOOT;
	if (!err) {
		err = measure(o, &g, r, why, why_len);
		/* A failed request may be the guest's end: say so. */
		if (err && bench_guest_ended(&g))
			err = -ECHILD;
	}
	bench_guest_stop(&g);
	if (err == -ECHILD) {
		r->ended_outcome = g.result.outcome;
		bench_guest_describe(&g, why, why_len);
	}
	bench_guest_free(&g);
	return err;
}
