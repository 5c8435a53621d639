/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest figures of a repetition (bench/guest_metrics.h). The
 * families are those of httpd's /metrics (unikernel/apps/httpd/README.md):
 * uk_netdev_* from lib/uknetdev, lwip_* from lib/lwip, httpd_heap_* from
 * the allocator's statistics.
 */
#include "guest_metrics.h"

#include <string.h>

static const struct guest_metric_def table[] = {
	{ "guest_drops", "guest: driver drops",
	  "frames", "uk_netdev_drops_total", { NULL, NULL, 0 },
	  GUEST_METRIC_DELTA,
	  "frames the guest's network driver dropped, every reason" },
	{ "lwip_drops", "guest: lwIP drops",
	  "packets", "lwip_drops_total", { "reason", "drop", 1 },
	  GUEST_METRIC_DELTA,
	  "packets lwIP dropped (each protocol's drop total)" },
	{ "lwip_mem_errors", "guest: lwIP memory errors",
	  "count", "lwip_mem_errors_total",
	  { NULL, NULL, 0 }, GUEST_METRIC_DELTA,
	  "lwIP heap and pool allocations that failed" },
	{ "alloc_failures", "guest: allocator failures",
	  "count", "httpd_heap_failures_total",
	  { NULL, NULL, 0 }, GUEST_METRIC_DELTA,
	  "guest allocator requests that failed" },
	{ "heap_peak_bytes", "guest: heap peak",
	  "bytes", "httpd_heap_peak_bytes",
	  { NULL, NULL, 0 }, GUEST_METRIC_AFTER,
	  "the guest allocator's peak in use since boot, after the repetition" },
};

_Static_assert(sizeof(table) / sizeof(table[0]) <= GUEST_METRICS_MAX,
	       "GUEST_METRICS_MAX holds the table");

const struct guest_metric_def *guest_metrics_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

static size_t sum_of(const struct prom_scrape *t, const struct guest_metric_def *d,
		     double *v)
{
	return prom_scrape_sum(t, d->family, d->match.name ? &d->match : NULL, v);
}

void guest_metrics_between(const struct prom_scrape *before,
			   const struct prom_scrape *after,
			   struct guest_metrics *out)
{
	size_t i, n;
	double b, a;

	memset(out, 0, sizeof(*out));
	n = sizeof(table) / sizeof(table[0]);
	for (i = 0; i < n; i++) {
		const struct guest_metric_def *d = &table[i];

		if (!sum_of(after, d, &a))
			continue;
		if (d->kind == GUEST_METRIC_DELTA) {
			if (!sum_of(before, d, &b))
				continue;
			a -= b;
		}
		out->value[i] = a;
		out->present[i] = true;
	}
}
