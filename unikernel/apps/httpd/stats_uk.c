/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest build: the kernel allocator's statistics (lib/ukalloc, every
 * backend keeps the same ones) and, with CONFIG_UKTRACE, the trace ring's
 * lost records. The network stack (lwIP's MEM/MEMP/TCP counters) and the
 * virtio-net driver's drop counters are providers to add here when those
 * libraries land.
 */
#include <stddef.h>
#include <uk/alloc.h>
#if CONFIG_UKTRACE
#include <uk/trace.h>
#endif

#include "prom.h"
#include "stats.h"

static void heap_render(struct textbuf *o)
{
	struct uk_alloc *a = uk_alloc_default();
	struct uk_alloc_stats st;

	if (!a)
		return;
	uk_alloc_stats_get(a, &st);
	prom_family(o, "httpd_heap_in_use_bytes", "gauge",
		    "Bytes of live heap allocations (usable sizes).");
	prom_sample(o, "httpd_heap_in_use_bytes", NULL, st.cur_bytes);
	prom_family(o, "httpd_heap_pool_bytes", "gauge",
		    "Bytes handed to the kernel allocator.");
	prom_sample(o, "httpd_heap_pool_bytes", NULL, st.pool_bytes);
	prom_family(o, "httpd_heap_peak_bytes", "gauge",
		    "High-water mark of httpd_heap_in_use_bytes.");
	prom_sample(o, "httpd_heap_peak_bytes", NULL, st.peak_bytes);
	prom_family(o, "httpd_heap_free_bytes", "gauge",
		    "Bytes the allocator could still hand out, "
		    "fragmentation ignored.");
	prom_sample(o, "httpd_heap_free_bytes", NULL, st.free_bytes);
	prom_family(o, "httpd_heap_blocks", "gauge", "Live allocations.");
	prom_sample(o, "httpd_heap_blocks", NULL, st.cur_blocks);
	prom_family(o, "httpd_heap_allocations_total", "counter",
		    "Successful allocations.");
	prom_sample(o, "httpd_heap_allocations_total", NULL, st.nr_allocs);
	prom_family(o, "httpd_heap_frees_total", "counter", "Frees.");
	prom_sample(o, "httpd_heap_frees_total", NULL, st.nr_frees);
	prom_family(o, "httpd_heap_failures_total", "counter",
		    "Allocations answered with NULL.");
	prom_sample(o, "httpd_heap_failures_total", NULL, st.nr_failures);
}

static const struct stats_provider heap = { "heap", heap_render };

#if CONFIG_UKTRACE
static void trace_render(struct textbuf *o)
{
	struct uk_trace_stats st;

	uk_trace_stats_get(&st);
	prom_family(o, "uk_trace_lost_records_total", "counter",
		    "Trace records dropped because the ring was full.");
	prom_sample(o, "uk_trace_lost_records_total", NULL, st.lost);
}

static const struct stats_provider trace = { "trace", trace_render };
#endif

const struct stats_provider *const stats_providers[] = {
	&heap,
#if CONFIG_UKTRACE
	&trace,
#endif
	NULL,
};
