/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Space files of benchmark kind http (tuner/space_http.c), and the
 * shipped net space.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconfig.h"
#include "kconfig_fixture.h"
#include "space.h"
#include "why.h"
#include "tuner_space_fixture.h"

/*
 * A space of benchmark kind KIND (a YAML value, or NULL for no kind
 * key) with http settings HTTP (NULL: none), metrics METRICS,
 * repetitions REPS, first objective OBJ and mode MODE, loaded from text
 * as http.yaml. Lines: kind 6, http 7, metrics 8, repetitions 9, the
 * objective 11, mode 12.
 */
static int load_http(void **state, const char *kind, const char *http,
		     const char *metrics, const char *reps, const char *obj,
		     const char *mode, struct space **s, char *why,
		     size_t why_len)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "app: httpd\n"
		 "options:\n"
		 "  - {symbol: CONFIG_LWIP_TCP_MSL, type: int,\n"
		 "     values: [500, 1000]}\n"
		 "benchmark:\n"
		 "  %s%s\n"
		 "  %s%s\n"
		 "  metrics: %s\n"
		 "  repetitions: %s\n"
		 "objectives:\n"
		 "  - {metric: %s, goal: maximize}\n"
		 "mode: %s\n",
		 kind ? "kind: " : "app: ", kind ? kind : "httpd",
		 http ? "http: " : "args: ", http ? http : "[]",
		 metrics, reps, obj, mode);
	return space_load_text(text, strlen(text), "http.yaml", *state, s,
			       why, why_len);
}

#define HTTP_METRICS "[http.wrk.requests_per_s, http.wrk.latency_p99_us, " \
		     "http.guest.instructions_per_request, image_size]"

static void test_http(void **state)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;

	/* The defaults: `unitune bench http`'s. */
	if (load_http(state, "http", NULL, HTTP_METRICS, "{min: 2, max: 4}",
		      "http.wrk.requests_per_s", "wall", &s, why, sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(s->bench.kind, SPACE_BENCH_HTTP);
	assert_int_equal(s->bench.http.threads, 1);
	assert_int_equal(s->bench.http.connections, 32);
	assert_int_equal(s->bench.http.duration_ns, 10000000000LL);
	assert_int_equal(s->bench.http.warmup_ns, 10000000000LL);
	assert_string_equal(s->bench.http.path, "/");
	assert_int_equal(s->bench.http.det_requests, 1000);
	assert_int_equal(s->bench.n_metrics, 4);
	assert_true(space_races(s));
	assert_string_equal(space_bench_kind_name(s->bench.kind), "http");
	space_free(s);
	/* Every setting; the warm-up follows the duration unless given. */
	if (load_http(state, "http", "{threads: 2, connections: 8, duration: "
		      "1.5s, path: /index.html, det_requests: 50}",
		      "[http.wrk.latency_p50_us]", "3",
		      "http.wrk.latency_p50_us", "wall", &s, why, sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(s->bench.http.threads, 2);
	assert_int_equal(s->bench.http.connections, 8);
	assert_int_equal(s->bench.http.duration_ns, 1500000000LL);
	assert_int_equal(s->bench.http.warmup_ns, 1500000000LL);
	assert_string_equal(s->bench.http.path, "/index.html");
	assert_int_equal(s->bench.http.det_requests, 50);
	assert_int_equal(s->bench.repetitions, 3);
	space_free(s);
	if (load_http(state, "http", "{warmup: 0, duration: 2}",
		      "[http.wrk.requests_per_s]", "1",
		      "http.wrk.requests_per_s", "wall", &s, why, sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(s->bench.http.warmup_ns, 0);
	assert_int_equal(s->bench.http.duration_ns, 2000000000LL);
	space_free(s);
	/* No kind: the console kind, as before. */
	if (load_http(state, NULL, NULL, "[alloc.small.cycles_per_op]", "1",
		      "alloc.small.cycles_per_op", "deterministic", &s, why,
		      sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(s->bench.kind, SPACE_BENCH_CONSOLE);
	assert_null(s->bench.http.path);
	space_free(s);
}

static const struct {
	const char *kind, *http, *metrics, *reps, *obj, *mode;
	const char *msg; /* after "http.yaml:" */
} http_errors[] = {
	{ "https", NULL, "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall",
	  "6: unknown benchmark kind 'https' (expected console or http)" },
	{ "console", "{duration: 1s}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall", "7: benchmark http: settings "
	  "need kind: http (the benchmark's kind is console)" },
	{ "http", "{duraton: 1s}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall", "7: unknown key 'duraton' in "
	  "benchmark http (expected one of: threads, connections, duration, "
	  "warmup, path, det_requests)" },
	{ "http", "{duration: 500ms}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall",
	  "7: http duration '500ms' is shorter than 1 s" },
	{ "http", "{duration: soon}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall", "7: http duration 'soon' is not "
	  "a duration (seconds, or a number with ms, s, m or h: 10s, 500ms, "
	  "1.5m)" },
	{ "http", "{threads: 4, connections: 2}", "[http.wrk.requests_per_s]",
	  "1", "http.wrk.requests_per_s", "wall", "7: http connections (2) "
	  "are fewer than threads (4): wrk needs one per thread at least" },
	{ "http", "{threads: 0}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall",
	  "7: http threads must be at least 1, not 0" },
	{ "http", "{path: index.html}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall", "7: http path 'index.html' must "
	  "start with '/', hold no space and be at most 64 bytes" },
	{ "http", "{det_requests: 20000000}", "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "wall",
	  "7: http det_requests 20000000 is more than 10000000" },
	{ "http", NULL, "[http.wrk.requests_per_sec]", "1",
	  "http.wrk.requests_per_s", "wall", "8: benchmark metric "
	  "'http.wrk.requests_per_sec' is not one a benchmark of kind http "
	  "measures (image_size, http.wrk.requests_per_s, "
	  "http.wrk.bytes_per_s, http.wrk.latency_p50_us, "
	  "http.wrk.latency_p90_us, http.wrk.latency_p99_us, "
	  "http.wrk.latency_max_us, http.wrk.errors_connect, "
	  "http.wrk.errors_read, http.wrk.errors_write, "
	  "http.wrk.errors_timeout, http.wrk.non_2xx, "
	  "http.wrk.connections_ready, http.guest.instructions_per_request)" },
	{ "http", NULL, "[min_mem]", "1", "http.wrk.requests_per_s", "wall",
	  "8: benchmark metric min_mem is not measured by a benchmark of kind "
	  "http (the server does not exit; of the built-ins only image_size "
	  "is)" },
	{ "http", NULL, "[http.wrk.requests_per_s]", "1", "boot_cycles",
	  "wall", "11: objective metric boot_cycles is not measured by a "
	  "benchmark of kind http (the server does not exit; of the built-ins "
	  "only image_size is)" },
	{ "http", NULL, "[http.wrk.requests_per_s]", "1",
	  "http.wrk.requests_per_s", "deterministic", "6: benchmark kind "
	  "http measures with wrk on the wall clock: it needs mode: wall (its "
	  "instructions per request are measured deterministically all the "
	  "same)" },
	{ "http", NULL, "[http.guest.instructions_per_request]",
	  "{min: 2, max: 4}", "http.guest.instructions_per_request", "wall",
	  "11: racing repetitions compare the first objective's samples, but "
	  "http.guest.instructions_per_request is measured once, "
	  "deterministically: put a http.wrk metric first, or give "
	  "repetitions a fixed count" },
};

static void test_http_errors(void **state)
{
	char why[UNITUNE_WHY_MAX];
	struct space *s;
	size_t i;
	int bad = 0, r;

	for (i = 0; i < sizeof(http_errors) / sizeof(http_errors[0]); i++) {
		s = NULL;
		snprintf(why, sizeof(why), "(none)");
		r = load_http(state, http_errors[i].kind, http_errors[i].http,
			      http_errors[i].metrics, http_errors[i].reps,
			      http_errors[i].obj, http_errors[i].mode, &s, why,
			      sizeof(why));
		bad += refused_as(r, s, why, "http.yaml", http_errors[i].msg, i);
	}
	assert_int_equal(bad, 0);
}

/*
 * The shipped net space (benchmarks/spaces/net.yaml) parses against the
 * tree, and its grid is the product its comment states: 2 x 2 x 2 x 3 x
 * 4 x 5 x 4 x 5 x 3 x 3 x 3 x 3 = 777,600 points.
 */
static void test_net_space(void **state)
{
	struct space *s = load_ok(state, UT_FIXTURES
				  "/../../../benchmarks/spaces/net.yaml");
	uint64_t n = 0;

	assert_string_equal(s->name, "net");
	assert_int_equal(s->n_options, 12);
	assert_int_equal(space_grid_size(s, &n), 0);
	assert_int_equal(n, 777600);
	assert_int_equal(s->bench.kind, SPACE_BENCH_HTTP);
	assert_int_equal(s->strategy, SPACE_TPE);
	assert_int_equal(s->max_evaluations, 60);
	assert_true(space_races(s));
	assert_int_equal(s->n_objectives, 2);
	assert_string_equal(s->objectives[0].metric, "http.wrk.requests_per_s");
	assert_int_equal(s->objectives[0].goal, SPACE_MAXIMIZE);
	assert_string_equal(s->objectives[1].metric, "http.wrk.latency_p99_us");
	assert_int_equal(s->objectives[1].goal, SPACE_MINIMIZE);
	space_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_http_errors),
		cmocka_unit_test(test_net_space),
	};

	return cmocka_run_group_tests(tests, setup, kconfig_fixture_teardown);
}
