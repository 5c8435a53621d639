/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics of a benchmark of kind http, one table read by the space
 * parser (which names a space may use) and the measurement
 * (tuner/measure_http.c):
 *   http.wrk.NAME  every figure of a wrk run (bench/figures.h's table:
 *                  requests_per_s, latency_p50_us ... latency_p99_us,
 *                  errors_*, non_2xx ...), wall-clock, one sample per
 *                  repetition
 *   http.guest.instructions_per_request
 *                  the guest's non-idle instructions per request from a
 *                  deterministic boot of its own (bench/per_request.h),
 *                  measured once per variant, only when a space names it
 */
#ifndef UNITUNE_HTTP_METRICS_H
#define UNITUNE_HTTP_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_METRIC_WRK_PREFIX "http.wrk."
#define HTTP_METRIC_PER_REQUEST "http.guest.instructions_per_request"
#define HTTP_METRIC_PER_REQUEST_UNIT "instructions"

/* The wrk figure index (bench/figures.h) of name, http.wrk.NAME; -1 for
 * any other name (also NULL). */
long http_metric_wrk_index(const char *name);

/* Is name one of the table's metrics? */
bool http_metric_valid(const char *name);

/* "http.wrk.requests_per_s, ..., http.guest.instructions_per_request":
 * every name, for messages (truncated to len). */
void http_metric_names(char *buf, size_t len);

#endif
