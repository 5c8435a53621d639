/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's statistics (LWIP_STATS) for code that does not include lwIP's
 * headers: each figure is handed to a callback with its family, type,
 * help and label set, the samples of one family in a row, so a caller
 * can print Prometheus text without knowing lwIP's structures. Read
 * without a lock: under both schedulers nothing preempts the caller.
 */
#include <stddef.h>
#include <uk/lwip.h>
#include <uk/print.h>
#include "lwip/memp.h"
#include "lwip/stats.h"

#if LWIP_STATS
/* The pools' names, from the same list memp.h builds the pools from. */
static const char *const pool_names[MEMP_MAX] = {
#define LWIP_MEMPOOL(name, num, size, desc) #name,
#include "lwip/priv/memp_std.h"
};

static void emit(uk_lwip_stat_fn fn, void *arg, const char *family,
		 const char *type, const char *help, const char *label,
		 uint64_t value)
{
	const struct uk_lwip_stat s = { family, type, help, label, value };

	fn(arg, &s);
}

#if MEM_STATS || MEMP_STATS
static uint64_t mem_field(const struct stats_mem *m, size_t field)
{
	const char *p = (const char *)m + field;

	if (field == offsetof(struct stats_mem, err))
		return *(const STAT_COUNTER *)p;
	return *(const mem_size_t *)p;
}

/* One family over lwIP's heap (pool="heap") and every pool. */
static void mem_family(uk_lwip_stat_fn fn, void *arg, const char *family,
		       const char *type, const char *help, size_t field)
{
	char label[UK_LWIP_STAT_LABEL_MAX];

#if MEM_STATS
	emit(fn, arg, family, type, help, "pool=\"heap\"",
	     mem_field(&lwip_stats.mem, field));
#endif
#if MEMP_STATS
	for (unsigned i = 0; i < MEMP_MAX; i++) {
		const struct stats_mem *m = lwip_stats.memp[i];

		if (!m)
			continue;
		uk_snprintf(label, sizeof(label), "pool=\"%s\"", pool_names[i]);
		emit(fn, arg, family, type, help, label,
		     mem_field(m, field));
	}
#endif
}
#endif

/* The protocols with statistics in this build, as lwIP counts them. */
static const struct {
	const char *name;
	const struct stats_proto *st;
} protos[] = {
#if LINK_STATS
	{ "link", &lwip_stats.link },
#endif
#if ETHARP_STATS
	{ "etharp", &lwip_stats.etharp },
#endif
#if IP_STATS
	{ "ip", &lwip_stats.ip },
#endif
#if IPFRAG_STATS
	{ "ip_frag", &lwip_stats.ip_frag },
#endif
#if ICMP_STATS
	{ "icmp", &lwip_stats.icmp },
#endif
#if UDP_STATS
	{ "udp", &lwip_stats.udp },
#endif
#if TCP_STATS
	{ "tcp", &lwip_stats.tcp },
#endif
};

static void proto_families(uk_lwip_stat_fn fn, void *arg)
{
	static const char *const kinds[] = { "drop", "chkerr", "lenerr",
		"memerr", "rterr", "proterr", "opterr", "err" };
	char label[UK_LWIP_STAT_LABEL_MAX];
	size_t np = sizeof(protos) / sizeof(protos[0]);

	for (size_t p = 0; p < np; p++) {
		uk_snprintf(label, sizeof(label), "proto=\"%s\"", protos[p].name);
		emit(fn, arg, "lwip_received_packets_total", "counter",
		     "Packets lwIP received, by protocol.", label,
		     protos[p].st->recv);
	}
	for (size_t p = 0; p < np; p++) {
		uk_snprintf(label, sizeof(label), "proto=\"%s\"", protos[p].name);
		emit(fn, arg, "lwip_sent_packets_total", "counter",
		     "Packets lwIP sent, by protocol.", label,
		     protos[p].st->xmit);
	}
	for (size_t p = 0; p < np; p++) {
		const STAT_COUNTER *c = &protos[p].st->drop;

		/* drop .. err are consecutive in struct stats_proto. */
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			uk_snprintf(label, sizeof(label),
				 "proto=\"%s\",reason=\"%s\"", protos[p].name,
				 kinds[k]);
			emit(fn, arg, "lwip_drops_total", "counter",
			     "Packets lwIP dropped, by protocol and the "
			     "counter that counted them (drop: the "
			     "protocol's total, often counted with a cause "
			     "as well).", label, c[k]);
		}
	}
}
#endif /* LWIP_STATS */

void uk_lwip_stats_foreach(uk_lwip_stat_fn fn, void *arg)
{
#if LWIP_STATS
#if MEM_STATS || MEMP_STATS
	mem_family(fn, arg, "lwip_mem_used", "gauge",
		   "In use: bytes of lwIP's heap, elements of each pool.",
		   offsetof(struct stats_mem, used));
	mem_family(fn, arg, "lwip_mem_max", "gauge",
		   "High-water mark of lwip_mem_used.",
		   offsetof(struct stats_mem, max));
	mem_family(fn, arg, "lwip_mem_avail", "gauge",
		   "Size: bytes of lwIP's heap, elements of each pool.",
		   offsetof(struct stats_mem, avail));
	mem_family(fn, arg, "lwip_mem_errors_total", "counter",
		   "Allocations lwIP's heap or a pool refused.",
		   offsetof(struct stats_mem, err));
#endif
	proto_families(fn, arg);
#else
	(void)fn;
	(void)arg;
#endif
}
