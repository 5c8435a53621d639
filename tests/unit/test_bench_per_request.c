/* SPDX-License-Identifier: BSD-3-Clause */
/* Instructions per request from three scrapes (bench/per_request.h):
 * the requests' share is the growth from the first scrape to the second
 * less one scrape's own (second to third); a guest that counted another
 * number of page requests, or lacks a family, is an error naming it. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "per_request.h"
#include "prom_scrape.h"

/* A scrape of the four families per_request.c reads. */
static void scrape(struct prom_scrape *t, double busy, double cycles,
		   double halted, double pages)
{
	char text[512], why[128];

	snprintf(text, sizeof(text),
		 "# TYPE uk_sched_busy_cycles_total counter\n"
		 "uk_sched_busy_cycles_total %.0f\n"
		 "uk_sched_cycles_total %.0f\n"
		 "uk_sched_halted_cycles_total %.0f\n"
		 "httpd_request_latency_cycles_count %.0f\n",
		 busy, cycles, halted, pages);
	assert_int_equal(prom_scrape_parse(text, strlen(text), t, why,
					   sizeof(why)), 0);
}

static void test_per_request(void **state)
{
	struct prom_scrape m[3];
	struct bench_per_request r;
	char why[256] = "";

	(void)state;
	/* 100 requests and one scrape: 1,250,000 busy cycles; the scrape
	 * alone 50,000, so 12,000 a request. */
	scrape(&m[0], 1000000, 5000000, 1000000, 7);
	scrape(&m[1], 2250000, 9000000, 3000000, 107);
	scrape(&m[2], 2300000, 9100000, 3010000, 107);
	assert_int_equal(bench_per_request_compute(&m[0], &m[1], &m[2], 100,
						   &r, why, sizeof(why)), 0);
	assert_int_equal(r.requests, 100);
	assert_true(r.busy == 12000.0);
	/* executed: (4,000,000 - 2,000,000) - (100,000 - 10,000), / 100 */
	assert_true(r.executed == 19100.0);
	/* A family these scrapes lack is NAN, not an error. */
	assert_true(isnan(r.loop_busy) && isnan(r.frames));
	/* The guest counted 100 page requests, not 99. */
	assert_int_equal(bench_per_request_compute(&m[0], &m[1], &m[2], 99,
						   &r, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "the guest counted 100 page requests between "
			    "the scrapes, not 99 "
			    "(httpd_request_latency_cycles_count)");
	assert_int_equal(bench_per_request_compute(&m[0], &m[1], &m[2], 0,
						   &r, why, sizeof(why)),
			 -EINVAL);
	prom_scrape_free(&m[2]);
	/* A guest without the scheduler's accounting. */
	assert_int_equal(prom_scrape_parse("httpd_request_latency_cycles_count"
					   " 107\n", strlen("httpd_request_latency_cycles_count"
							  " 107\n"), &m[2], why,
					   sizeof(why)), 0);
	assert_int_equal(bench_per_request_compute(&m[0], &m[1], &m[2], 100,
						   &r, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "the guest's /metrics has no "
			    "uk_sched_busy_cycles_total");
	prom_scrape_free(&m[0]);
	prom_scrape_free(&m[1]);
	prom_scrape_free(&m[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
