/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Instructions per request, deterministically (bench/per_request.h).
 */
#include "per_request.h"

#include <errno.h>
#include <math.h>
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

/* The growth of family (samples meeting match, NULL: all) from a to b;
 * false when a scrape lacks it. */
static bool growth(const struct prom_scrape *a, const struct prom_scrape *b,
		   const char *family, const struct prom_match *match,
		   double *d)
{
	double va, vb;

	if (!prom_scrape_sum(a, family, match, &va) ||
	    !prom_scrape_sum(b, family, match, &vb))
		return false;
	*d = vb - va;
	return true;
}

/* The requests' share of family: m1..m2 less one scrape (m2..m3); NAN
 * when a scrape lacks it. */
static double per(const struct prom_scrape *const m[3], unsigned n,
		  const char *family, const struct prom_match *match)
{
	double d12, d23;

	if (!growth(m[0], m[1], family, match, &d12) ||
	    !growth(m[1], m[2], family, match, &d23))
		return NAN;
	return (d12 - d23) / n;
}

int bench_per_request_compute(const struct prom_scrape *m1,
			      const struct prom_scrape *m2,
			      const struct prom_scrape *m3, unsigned n,
			      struct bench_per_request *out, char *why,
			      size_t why_len)
{
	const struct prom_scrape *const m[3] = { m1, m2, m3 };
	static const char *const required[] = { BUSY, CYCLES, HALTED };
	const struct prom_match dev0 = { "dev", "0", true };
	double pages;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n) {
		snprintf(why, why_len, "no requests");
		return -EINVAL;
	}
	/* The scrapes are not page requests: the N must all be there. */
	if (!growth(m1, m2, PAGES, NULL, &pages)) {
		snprintf(why, why_len, "the guest's /metrics has no %s", PAGES);
		return -EINVAL;
	}
	if (pages != (double)n) {
		snprintf(why, why_len, "the guest counted %.0f page requests "
			 "between the scrapes, not %u (%s)", pages, n, PAGES);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (isnan(per(m, n, required[i], NULL))) {
			snprintf(why, why_len, "the guest's /metrics has no %s",
				 required[i]);
			return -EINVAL;
		}
	out->requests = n;
	out->busy = per(m, n, BUSY, NULL);
	out->executed = per(m, n, CYCLES, NULL) - per(m, n, HALTED, NULL);
	out->loop_busy = per(m, n, "httpd_loop_busy_cycles_total", NULL);
	out->latency = per(m, n, "httpd_request_latency_cycles_sum", NULL);
	out->frames = per(m, n, "uk_netdev_rx_packets_total", &dev0);
	out->halts = per(m, n, "uk_sched_halts_total", NULL);
	out->wakeups = per(m, n, "httpd_loop_wakeups_total", NULL);
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
	ro.real_idle = o->real_idle;
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
