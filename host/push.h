/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pushing metrics to a Prometheus Pushgateway with libcurl: one PUT of
 * Prometheus text (host/prom.h) per group, at
 *
 *	BASE/metrics/job/JOB/NAME/VALUE/NAME/VALUE...
 *
 * A PUT replaces every metric the gateway holds for that exact grouping
 * key (job and labels), so pushing a group again leaves no stale series.
 * A value (the job's included) that is empty or holds '/' is written as
 * NAME@base64/ENCODED, URL-safe base64 as the Pushgateway documents
 * ("=" for the empty value, which base64 would leave empty); any other
 * is percent-encoded (RFC 3986: all but letters, digits and -._~).
 *
 * Explicit handle (one libcurl easy handle, reused across PUTs so the
 * connection is kept), no global state beyond libcurl's own
 * curl_global_init(), which push_open() and push_close() pair.
 *
 * Errors follow host/why.h. push_put() fails with:
 *   -ECONNREFUSED  nothing listens at BASE (the message names it);
 *   -EPROTO        the gateway answered other than 2xx: the message holds
 *                  the status and the start of the body the gateway sent
 *                  (it says what it did not like);
 *   -EIO           any other transfer failure (DNS, timeout, TLS),
 *                  libcurl's words in the message;
 *   -EINVAL        a job or label the grouping key cannot hold.
 * Proxies are libcurl's usual environment variables (http_proxy,
 * no_proxy).
 */
#ifndef UNITUNE_PUSH_H
#define UNITUNE_PUSH_H

#include <stddef.h>

#include "prom.h"
#include "strbuf.h"

/* How long one PUT may take, connection included. */
#define PUSH_TIMEOUT_S 30
/* How much of the gateway's answer an error message keeps. */
#define PUSH_BODY_MAX 1024

struct push;

/*
 * Is url a Pushgateway base URL: http:// or https:// with a host, an
 * optional port and path prefix, no query, fragment or user? For option
 * parsers, so a typo is caught before an hour-long sweep. 0 or -EINVAL.
 */
int push_url_check(const char *url, char *why, size_t why_len);

/*
 * Append BASE/metrics/job/JOB/... for job and the n grouping labels, in
 * the order given (trailing '/' of base dropped). -EINVAL for an empty
 * job, a label name that is not a Prometheus label name, a label named
 * "job" or given twice, a NULL value, a job or value that is not valid
 * UTF-8 (the gateway refuses those); -ENOMEM.
 */
int push_group_url(struct strbuf *out, const char *base, const char *job,
		   const struct prom_label *group, size_t n, char *why,
		   size_t why_len);

/* A handle for pushes to base (checked as push_url_check). */
int push_open(struct push **out, const char *base, char *why,
	      size_t why_len);
void push_close(struct push *p);
/* The base URL the handle pushes to. */
const char *push_base(const struct push *p);

/* PUT text (len bytes of Prometheus text) as the whole group. */
int push_put(struct push *p, const char *job, const struct prom_label *group,
	     size_t n, const char *text, size_t len, char *why,
	     size_t why_len);

#endif
