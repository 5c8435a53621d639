/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP GETs with libcurl: waiting for a guest's first 200 and scraping
 * its /metrics. Call fetch_global_init() once before any other thread
 * starts (libcurl's rule).
 */
#ifndef UNITUNE_BENCH_FETCH_H
#define UNITUNE_BENCH_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prom_scrape.h"
#include "strbuf.h"

/* curl_global_init(); 0 or -EIO. */
int fetch_global_init(void);
void fetch_global_cleanup(void);

/*
 * GET url within timeout_ns. 0 with the status in *status and the body
 * appended to body (may be NULL: discarded) when a response came; -EIO
 * with libcurl's reason in why (connection refused, empty reply,
 * timeout...) when none did; -ENOMEM.
 */
int fetch_get(const char *url, int64_t timeout_ns, long *status,
	      struct strbuf *body, char *why, size_t why_len);

/*
 * GET url n times in turn on one connection (HTTP/1.1 keep-alive: libcurl
 * reuses it), each within timeout_ns, the bodies discarded. 0 when every
 * one answered 200; -EIO with why naming the request ("request 7 of
 * 1000: HTTP 503" or libcurl's reason); -ENOMEM. *done counts the 200s.
 */
int fetch_get_repeat(const char *url, unsigned n, int64_t timeout_ns,
		     unsigned *done, char *why, size_t why_len);

/*
 * GET url (a guest's /metrics) within timeout_ns and parse it into *t
 * (prom_scrape.h; free with prom_scrape_free() when 0). 0, or -EIO with
 * why "URL answered HTTP 404", "URL: <libcurl's reason>" or "URL: line
 * 3: ..." (the text did not parse); -ENOMEM.
 */
int fetch_scrape(const char *url, int64_t timeout_ns, struct prom_scrape *t,
		 char *why, size_t why_len);

/* Whether to go on waiting: called between tries. */
typedef bool (*fetch_keep_waiting_fn)(void *ctx);

/*
 * GET url until it answers 200, at most timeout_ns in all, a try every
 * few milliseconds; stops early when keep_waiting (may be NULL) says
 * false. 0 and *at_ns (CLOCK_MONOTONIC, spawn_now_ns) when the 200
 * came; -ETIMEDOUT with why "no HTTP 200 from URL within S s (last:
 * ...)"; -EPROTO at once when it answers 4xx (the server is up, the
 * page is wrong; a 5xx may pass, so it is retried); -ECANCELED when
 * keep_waiting stopped it.
 */
int fetch_await_200(const char *url, int64_t timeout_ns,
		    fetch_keep_waiting_fn keep_waiting, void *ctx,
		    int64_t *at_ns, char *why, size_t why_len);

#endif
