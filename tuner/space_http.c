/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The space file's benchmark of kind http: its settings (benchmark:
 * http:), which metrics it can measure (http_metrics.h), and the checks
 * once the whole file is read (mode wall; a race on a wall metric). See
 * space.h and docs/space-file.md.
 */
#include "space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "host_metrics.h"
#include "http_metrics.h"

/* As `unitune bench http` (bench/http.h) and its option limits. */
#define HTTP_DEFAULT_THREADS 1
#define HTTP_DEFAULT_CONNECTIONS 32
#define HTTP_DEFAULT_DURATION_NS (10 * 1000000000LL)
#define HTTP_MAX_THREADS 1024
#define HTTP_MAX_CONNECTIONS 100000
#define HTTP_MAX_DET_REQUESTS 10000000
#define HTTP_DEFAULT_DET_REQUESTS 1000

static const char *const kind_names[] = {
	[SPACE_BENCH_CONSOLE] = "console",
	[SPACE_BENCH_HTTP] = "http",
};

const char *space_bench_kind_name(enum space_bench_kind k)
{
	return (unsigned)k < 2 ? kind_names[k] : NULL;
}

static int get_count(struct space_ctx *c, yaml_node_t *n, const char *what,
		     uint64_t max, unsigned *out)
{
	uint64_t v;
	int r = sp_get_positive(c, n, what, &v);

	if (r)
		return r;
	if (v > max)
		return sp_fail(c, n, NULL, "%s %" PRIu64 " is more than %" PRIu64,
			       what, v, max);
	*out = (unsigned)v;
	return 0;
}

static int get_duration(struct space_ctx *c, yaml_node_t *n, const char *what,
			int64_t min_ns, int64_t *out)
{
	const char *v = sp_scalar(c, n, NULL, what);

	if (!v)
		return -EINVAL;
	if (duration_parse_units_ns(v, out))
		return sp_fail(c, n, NULL, "%s '%s' is not a duration (seconds, "
			       "or a number with ms, s, m or h: 10s, 500ms, "
			       "1.5m)", what, v);
	if (*out < min_ns)
		return sp_fail(c, n, NULL, "%s '%s' is shorter than %s", what,
			       v, min_ns ? "1 s" : "0");
	return 0;
}

static int load_settings(struct space_ctx *c, yaml_node_t *n)
{
	struct space_http *h = &c->s->bench.http;
	struct key keys[] = {
		KEY("threads"), KEY("connections"), KEY("duration"),
		KEY("warmup"), KEY("path"), KEY("det_requests"), KEY_END,
	};
	yaml_node_t *v;
	const char *p;
	bool warmup = false;
	int r;

	r = sp_get_map(c, n, NULL, "benchmark http", keys);
	if (!r && (v = sp_key(keys, "threads")->val))
		r = get_count(c, v, "http threads", HTTP_MAX_THREADS,
			      &h->threads);
	if (!r && (v = sp_key(keys, "connections")->val))
		r = get_count(c, v, "http connections", HTTP_MAX_CONNECTIONS,
			      &h->connections);
	if (!r && h->connections < h->threads)
		r = sp_fail(c, sp_key(keys, "connections")->val ?
			    sp_key(keys, "connections")->val : n, NULL,
			    "http connections (%u) are fewer than threads (%u): "
			    "wrk needs one per thread at least", h->connections,
			    h->threads);
	if (!r && (v = sp_key(keys, "duration")->val))
		r = get_duration(c, v, "http duration", 1000000000LL,
				 &h->duration_ns);
	if (!r && (v = sp_key(keys, "warmup")->val)) {
		r = get_duration(c, v, "http warmup", 0, &h->warmup_ns);
		warmup = true;
	}
	if (!r && !warmup)
		h->warmup_ns = h->duration_ns;
	if (!r && (v = sp_key(keys, "path")->val)) {
		p = sp_scalar(c, v, NULL, "http path");
		if (!p)
			return -EINVAL;
		if (p[0] != '/' || strpbrk(p, " \t\r\n") || strlen(p) > 64)
			return sp_fail(c, v, NULL, "http path '%s' must start "
				       "with '/', hold no space and be at most "
				       "64 bytes", p);
		free(h->path);
		if (!(h->path = strdup(p)))
			return sp_oom(c);
	}
	if (!r && (v = sp_key(keys, "det_requests")->val))
		r = get_count(c, v, "http det_requests", HTTP_MAX_DET_REQUESTS,
			      &h->det_requests);
	return r;
}

int sp_load_http(struct space_ctx *c, yaml_node_t *kind, yaml_node_t *http)
{
	struct space_bench *b = &c->s->bench;
	struct space_http *h = &b->http;
	const char *v;
	int k;

	if (kind) {
		v = sp_scalar(c, kind, NULL, "benchmark kind");
		if (!v)
			return -EINVAL;
		k = sp_pick(v, kind_names, 2);
		if (k < 0)
			return sp_fail(c, kind, NULL, "unknown benchmark kind "
				       "'%s' (expected console or http)", v);
		b->kind = (enum space_bench_kind)k;
		c->kind_at = kind;
	}
	if (http && b->kind != SPACE_BENCH_HTTP)
		return sp_fail(c, http, NULL, "benchmark http: settings need "
			       "kind: http (the benchmark's kind is %s)",
			       space_bench_kind_name(b->kind));
	if (b->kind != SPACE_BENCH_HTTP)
		return 0;
	h->threads = HTTP_DEFAULT_THREADS;
	h->connections = HTTP_DEFAULT_CONNECTIONS;
	h->duration_ns = HTTP_DEFAULT_DURATION_NS;
	h->warmup_ns = HTTP_DEFAULT_DURATION_NS;
	h->det_requests = HTTP_DEFAULT_DET_REQUESTS;
	if (!(h->path = strdup("/")))
		return sp_oom(c);
	return http ? load_settings(c, http) : 0;
}

int sp_check_http_metric(struct space_ctx *c, yaml_node_t *at,
			 const char *metric, const char *what)
{
	char names[1024];

	if (c->s->bench.kind != SPACE_BENCH_HTTP ||
	    host_metric_is(metric, HOST_IMAGE_SIZE) || http_metric_valid(metric))
		return 0;
	http_metric_names(names, sizeof(names));
	if (host_metric_find(metric))
		return sp_fail(c, at, NULL, "%s %s is not measured by a "
			       "benchmark of kind http (the server does not "
			       "exit; of the built-ins only image_size is)",
			       what, metric);
	return sp_fail(c, at, NULL, "%s '%s' is not one a benchmark of kind "
		       "http measures (image_size, %s)", what, metric, names);
}

int sp_check_http(struct space_ctx *c)
{
	const struct space *s = c->s;

	if (s->bench.kind != SPACE_BENCH_HTTP)
		return 0;
	if (s->mode != SPACE_WALL)
		return sp_fail(c, c->kind_at, NULL, "benchmark kind http "
			       "measures with wrk on the wall clock: it needs "
			       "mode: wall (its instructions per request are "
			       "measured deterministically all the same)");
	if (space_races(s) &&
	    !strcmp(s->objectives[0].metric, HTTP_METRIC_PER_REQUEST))
		return sp_fail(c, c->race_objective_at, NULL, "racing "
			       "repetitions compare the first objective's "
			       "samples, but %s is measured once, "
			       "deterministically: put a http.wrk metric "
			       "first, or give repetitions a fixed count",
			       HTTP_METRIC_PER_REQUEST);
	return 0;
}
