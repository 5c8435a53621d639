/* SPDX-License-Identifier: BSD-3-Clause */
/* The bench's readers (bench/): wrk's result line (rates over the window
 * from the start time, latencies, errors, bad lines), Prometheus text and
 * the guest figures between two scrapes (counters' deltas, a peak's value
 * after, a missing family), the host's connection table, and the
 * summaries of a result's repetitions (unstable requests/s). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conns.h"
#include "figures.h"
#include "guest_metrics.h"
#include "prom_scrape.h"
#include "wrk.h"

static const char wrk_out[] =
	"Running 33s test @ http://127.0.0.1:40000/\n"
	"  1 threads and 32 connections\n"
	"Requests/sec:   1234.00\n"
	"unitune-wrk open_us=1000000 end_us=3000000 requests=20100 "
	"pre_requests=100 bytes=13065000 duration_us=5000000 latency_p50_us=1500 "
	"latency_p90_us=4000 latency_p99_us=9000 latency_max_us=20000 "
	"errors_connect=1 errors_read=2 errors_write=3 errors_status=4 "
	"errors_timeout=5\n";

static void test_wrk_line(void **state)
{
	struct wrk_figures f;
	char why[256];

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(wrk_parse(wrk_out, strlen(wrk_out), &f, why,
				   sizeof(why)), 0);
	/* The 100 requests sent before the start are not timed, nor their
	 * share of the bytes. */
	assert_int_equal(f.requests, 20000);
	assert_int_equal(f.bytes, 13000000);
	/* Divided by end - open (2 s), not wrk's duration (5 s). */
	assert_true(f.window_s == 2.0);
	assert_true(f.requests_per_s == 10000.0);
	assert_true(f.bytes_per_s == 6500000.0);
	assert_true(f.latency_p50_us == 1500 && f.latency_p90_us == 4000);
	assert_true(f.latency_p99_us == 9000 && f.latency_max_us == 20000);
	assert_int_equal(f.errors_connect, 1);
	assert_int_equal(f.errors_read, 2);
	assert_int_equal(f.errors_write, 3);
	assert_int_equal(f.non_2xx, 4);
	assert_int_equal(f.errors_timeout, 5);
}

static void expect_bad(const char *text, const char *needle)
{
	struct wrk_figures f;
	char why[256] = "";

	assert_int_equal(wrk_parse(text, strlen(text), &f, why, sizeof(why)),
			 -EINVAL);
	if (!strstr(why, needle))
		fail_msg("'%s' lacks '%s'", why, needle);
}

static void test_wrk_bad_lines(void **state)
{
	(void)state;
	expect_bad("Requests/sec: 5\n", "no 'unitune-wrk'");
	expect_bad("unitune-wrk open_us=1 end_us=2\n", "no requests=");
	expect_bad("unitune-wrk open_us=5 end_us=2 requests=1 pre_requests=0 "
		   "bytes=1 "
		   "latency_p50_us=1 latency_p90_us=1 latency_p99_us=1 "
		   "latency_max_us=1 errors_connect=0 errors_read=0 "
		   "errors_write=0 errors_status=0 errors_timeout=0\n",
		   "not after");
	expect_bad("unitune-wrk open_us=1 end_us=2 requests=x1 bytes=1\n",
		   "requests=x1 is not a number");
	/* A key must match whole: "xrequests=" is not "requests=". */
	expect_bad("unitune-wrk open_us=1 end_us=2 xrequests=1\n",
		   "no requests=");
}

static const char scrape_before[] =
	"# HELP uk_netdev_drops_total Frames dropped.\n"
	"# TYPE uk_netdev_drops_total counter\n"
	"uk_netdev_drops_total{dev=\"0\",reason=\"rx_ring_full\"} 10\n"
	"uk_netdev_drops_total{dev=\"0\",reason=\"rx_bad\"} 1\n"
	"lwip_drops_total{proto=\"tcp\",reason=\"drop\"} 2\n"
	"lwip_drops_total{proto=\"tcp\",reason=\"memerr\"} 7\n"
	"lwip_mem_errors_total{pool=\"heap\"} 0\n"
	"httpd_heap_peak_bytes 1000\n"
	"weird_total{path=\"a\\\"b\\\\c\\nd\"} +Inf 1700000000\n";

static const char scrape_after[] =
	"uk_netdev_drops_total{dev=\"0\",reason=\"rx_ring_full\"} 25\n"
	"uk_netdev_drops_total{dev=\"0\",reason=\"rx_bad\"} 1\n"
	"lwip_drops_total{proto=\"tcp\",reason=\"drop\"} 5\n"
	"lwip_drops_total{proto=\"tcp\",reason=\"memerr\"} 9\n"
	"lwip_mem_errors_total{pool=\"heap\"} 2\n"
	"httpd_heap_peak_bytes 4096\n";

static size_t index_of(const char *name)
{
	size_t n, i;
	const struct guest_metric_def *t = guest_metrics_table(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return i;
	fail_msg("no guest metric %s", name);
	return 0;
}

static void test_prom_and_deltas(void **state)
{
	struct prom_scrape before, after;
	struct prom_match tcp = { "proto", "tcp", true };
	struct guest_metrics g;
	char why[256];
	double v;

	(void)state;
	assert_int_equal(prom_scrape_parse(scrape_before, strlen(scrape_before),
				    &before, why, sizeof(why)), 0);
	assert_int_equal(prom_scrape_parse(scrape_after, strlen(scrape_after), &after,
				    why, sizeof(why)), 0);
	assert_int_equal(before.n, 7);
	assert_string_equal(before.s[6].labels[0].value, "a\"b\\c\nd");
	assert_true(isinf(before.s[6].value));
	assert_int_equal(prom_scrape_sum(&before, "lwip_drops_total", &tcp, &v), 2);
	assert_true(v == 9);
	assert_int_equal(prom_scrape_sum(&before, "absent_total", NULL, &v), 0);

	guest_metrics_between(&before, &after, &g);
	assert_true(g.present[index_of("guest_drops")]);
	assert_true(g.value[index_of("guest_drops")] == 15);
	/* Only each protocol's drop total, not its causes. */
	assert_true(g.value[index_of("lwip_drops")] == 3);
	assert_true(g.value[index_of("lwip_mem_errors")] == 2);
	/* A peak is its value after the repetition. */
	assert_true(g.value[index_of("heap_peak_bytes")] == 4096);
	/* A guest without the allocator's failure counter. */
	assert_false(g.present[index_of("alloc_failures")]);
	prom_scrape_free(&before);
	prom_scrape_free(&after);
}

static void test_prom_bad_text(void **state)
{
	static const char *const bad[] = {
		"name\n", "name{a=\"1\"\n", "name{a=1} 2\n", "9name 1\n",
		"name{a=\"\\x\"} 1\n", "name one\n",
	};
	struct prom_scrape t;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(prom_scrape_parse(bad[i], strlen(bad[i]), &t, why,
					    sizeof(why)), -EINVAL);
		assert_non_null(strstr(why, "line 1"));
	}
	assert_int_equal(prom_scrape_parse("ok 1\n\n# c\nbad\n", 15, &t, why,
				    sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "line 4"));
}

static void test_conns_scan(void **state)
{
	static const char table[] =
		"  sl  local_address rem_address   st tx_queue rx_queue\n"
		"   0: 0100007F:9C40 00000000:0000 0A 00000000:00000002 00:0\n"
		"   1: 0100007F:9C40 0100007F:D431 01 00000000:00000000 00:0\n"
		"   2: 0100007F:9C40 0100007F:D432 01 00000000:00000000 00:0\n"
		"   3: 0100007F:9C40 0100007F:D433 06 00000000:00000000 00:0\n"
		"   4: 0100007F:D431 0100007F:9C40 01 00000000:00000000 00:0\n"
		"   5: garbage\n";
	struct conns_state s = { 0 };

	(void)state;
	conns_scan(table, strlen(table), 40000, &s);
	/* Server side only (local port 40000); TIME_WAIT not counted. */
	assert_int_equal(s.established, 2);
	assert_int_equal(s.listening, 1);
	assert_int_equal(s.accept_queue, 2);
}

static void test_summary_marks_unstable(void **state)
{
	struct bench_rep reps[3];
	struct bench_http_result r = { .reps = reps, .nreps = 3 };
	struct bench_summary s;
	const struct bench_figure *f;

	(void)state;
	memset(reps, 0, sizeof(reps));
	reps[0].wrk.requests_per_s = 1000;
	reps[1].wrk.requests_per_s = 1100;
	reps[2].wrk.requests_per_s = 1040;
	reps[1].wrk.errors_read = 3;
	assert_int_equal(bench_figures_summarize(&r, &s), 0);
	f = bench_summary_find(&s, "requests_per_s");
	assert_non_null(f);
	assert_int_equal(f->n, 3);
	assert_true(f->s.median == 1040);
	assert_true(s.unstable);
	assert_true(fabs(s.requests_spread - 100.0 / 1040) < 1e-12);
	/* A count that varies is not instability. */
	f = bench_summary_find(&s, "errors_read");
	assert_non_null(f);
	assert_false(f->s.unstable);
	/* No guest metrics in any repetition: no such figure. */
	assert_null(bench_summary_find(&s, "guest_drops"));
	bench_summary_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrk_line),
		cmocka_unit_test(test_wrk_bad_lines),
		cmocka_unit_test(test_prom_and_deltas),
		cmocka_unit_test(test_prom_bad_text),
		cmocka_unit_test(test_conns_scan),
		cmocka_unit_test(test_summary_marks_unstable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
