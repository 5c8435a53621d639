/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest build: the kernel allocator's statistics (lib/ukalloc, every
 * backend keeps the same ones); the CPU's busy and idle cycles
 * (lib/uksched); with CONFIG_UKNETDEV, each network
 * device's packets, bytes, interrupts and drops by reason; with
 * CONFIG_UKTRACE, the trace ring's lost records; with CONFIG_LWIP,
 * lwIP's own statistics (heap, pools, packets and drops by protocol)
 * through uk_lwip_stats_foreach, which spares us lwIP's headers.
 */
#include <stddef.h>
#include <uk/alloc.h>
#include <uk/sched.h>
#if CONFIG_UKNETDEV
#include <uk/netdev.h>
#endif
#if CONFIG_UKTRACE
#include <uk/trace.h>
#endif
#if CONFIG_LWIP
#include <uk/lwip.h>
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
	prom_metric(o, "httpd_heap_in_use_bytes", "gauge",
		    "Bytes of live heap allocations (usable sizes).",
		    st.cur_bytes);
	prom_metric(o, "httpd_heap_pool_bytes", "gauge",
		    "Bytes handed to the kernel allocator.",
		    st.pool_bytes);
	prom_metric(o, "httpd_heap_peak_bytes", "gauge",
		    "High-water mark of httpd_heap_in_use_bytes.",
		    st.peak_bytes);
	prom_metric(o, "httpd_heap_free_bytes", "gauge",
		    "Bytes the allocator could still hand out, "
		    "fragmentation ignored.",
		    st.free_bytes);
	prom_metric(o, "httpd_heap_blocks", "gauge",
		    "Live allocations.",
		    st.cur_blocks);
	prom_metric(o, "httpd_heap_allocations_total", "counter",
		    "Successful allocations.",
		    st.nr_allocs);
	prom_metric(o, "httpd_heap_frees_total", "counter",
		    "Frees.",
		    st.nr_frees);
	prom_metric(o, "httpd_heap_failures_total", "counter",
		    "Allocations answered with NULL.",
		    st.nr_failures);
}

static const struct stats_provider heap = { "heap", heap_render };

/* The CPU's time, busy and idle (lib/uksched's accounting): under
 * unitune run --deterministic, busy cycles are the instructions of work. */
static void sched_render(struct textbuf *o)
{
	struct uk_sched_idle st;

	uk_sched_idle_get(&st);
	prom_metric(o, "uk_sched_cycles_total", "counter",
		    "TSC cycles since the guest started (deterministic runs: "
		    "instructions plus the idle time QEMU skipped).",
		    st.now);
	prom_metric(o, "uk_sched_idle_cycles_total", "counter",
		    "TSC cycles halted or in wait rounds that found nothing "
		    "to do (a NIC polled in vain included).",
		    st.idle_cycles);
	prom_metric(o, "uk_sched_busy_cycles_total", "counter",
		    "uk_sched_cycles_total less uk_sched_idle_cycles_total.",
		    st.now - st.idle_cycles);
	prom_metric(o, "uk_sched_halted_cycles_total", "counter",
		    "TSC cycles halted, to the entry of the interrupt that "
		    "ended each halt.",
		    st.halted_cycles);
	prom_metric(o, "uk_sched_halts_total", "counter",
		    "Halts.",
		    st.halts);
}

static const struct stats_provider sched = { "sched", sched_render };

#if CONFIG_UKNETDEV
/* The label set dev="I"[,reason="R"] in buf. */
static const char *dev_label(char *buf, size_t cap, unsigned i,
			     const char *reason)
{
	struct textbuf b = { buf, 0, cap - 1, false };

	tb_str(&b, "dev=\"");
	tb_uint(&b, i);
	tb_str(&b, "\"");
	if (reason) {
		tb_str(&b, ",reason=\"");
		tb_str(&b, reason);
		tb_str(&b, "\"");
	}
	buf[b.len] = '\0';
	return buf;
}

enum netdev_counter { RX_PACKETS, RX_BYTES, TX_PACKETS, TX_BYTES, IRQS,
		      NETDEV_COUNTERS };

static uint64_t netdev_counter(const struct uk_netdev_stats *st,
			       enum netdev_counter k)
{
	switch (k) {
	case RX_PACKETS: return st->rx_packets;
	case RX_BYTES: return st->rx_bytes;
	case TX_PACKETS: return st->tx_packets;
	case TX_BYTES: return st->tx_bytes;
	default: return st->irqs;
	}
}

static void netdev_render(struct textbuf *o)
{
	static const struct {
		const char *name, *help;
	} families[NETDEV_COUNTERS] = {
		[RX_PACKETS] = { "uk_netdev_rx_packets_total",
				 "Frames the network stack took, by device." },
		[RX_BYTES] = { "uk_netdev_rx_bytes_total",
			       "Bytes of the frames the stack took." },
		[TX_PACKETS] = { "uk_netdev_tx_packets_total",
				 "Frames the device has sent." },
		[TX_BYTES] = { "uk_netdev_tx_bytes_total",
			       "Bytes of the frames the device has sent." },
		[IRQS] = { "uk_netdev_irqs_total",
			   "Device interrupts taken." },
	};
	unsigned n = uk_netdev_count();
	char label[96];

	if (!n)
		return;
	for (int k = 0; k < NETDEV_COUNTERS; k++) {
		prom_family(o, families[k].name, "counter", families[k].help);
		for (unsigned i = 0; i < n; i++) {
			struct uk_netdev_stats st =
				uk_netdev_stats_get(uk_netdev_get(i));

			prom_sample(o, families[k].name,
				    dev_label(label, sizeof(label), i, NULL),
				    netdev_counter(&st, (enum netdev_counter)k));
		}
	}
	prom_family(o, "uk_netdev_drops_total", "counter",
		    "Frames dropped or refused by the driver, by device and "
		    "reason (lib/uknetdev's enum uk_netdev_drop).");
	for (unsigned i = 0; i < n; i++) {
		struct uk_netdev_stats st = uk_netdev_stats_get(uk_netdev_get(i));

		for (int r = 0; r < UK_NETDEV_DROP_COUNT; r++)
			prom_sample(o, "uk_netdev_drops_total",
				    dev_label(label, sizeof(label), i,
					      uk_netdev_drop_name(r)),
				    st.drops[r]);
	}
}

static const struct stats_provider netdev = { "netdev", netdev_render };
#endif

#if CONFIG_UKTRACE
static void trace_render(struct textbuf *o)
{
	struct uk_trace_stats st;

	uk_trace_stats_get(&st);
	prom_metric(o, "uk_trace_lost_records_total", "counter",
		    "Trace records dropped because the ring was full.",
		    st.lost);
}

static const struct stats_provider trace = { "trace", trace_render };
#endif

#if CONFIG_LWIP
struct lwip_render_state {
	struct textbuf *o;
	const char *family;	/* of the last sample written */
};

/* A family's HELP and TYPE before its first sample. */
static void lwip_stat(void *arg, const struct uk_lwip_stat *s)
{
	struct lwip_render_state *st = arg;

	if (st->family != s->family) {
		st->family = s->family;
		prom_family(st->o, s->family, s->type, s->help);
	}
	prom_sample(st->o, s->family, s->label, s->value);
}

static void lwip_render(struct textbuf *o)
{
	struct lwip_render_state st = { o, NULL };

	uk_lwip_stats_foreach(lwip_stat, &st);
}

static const struct stats_provider lwip = { "lwip", lwip_render };
#endif

const struct stats_provider *const stats_providers[] = {
	&heap,
	&sched,
#if CONFIG_UKNETDEV
	&netdev,
#endif
#if CONFIG_UKTRACE
	&trace,
#endif
#if CONFIG_LWIP
	&lwip,
#endif
	NULL,
};
