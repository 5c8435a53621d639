/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel's side of lwIP (lib/lwip): starting the stack, running it
 * in run-to-completion mode, the interface address from the boot command
 * line, and the errno of lwIP's socket calls. lwIP's own API (raw,
 * netconn, lwip_* sockets) is used through its headers.
 */
#ifndef UK_LWIP_H
#define UK_LWIP_H

#include <stdint.h>

struct netif;

/*
 * Start lwIP once (later calls do nothing): lwip_init() under LWIP_RTC,
 * tcpip_init() (which starts the tcpip thread) under LWIP_THREADED. The
 * loopback interface, 127.0.0.1, is up afterwards.
 */
void uk_lwip_init(void);

/*
 * Run fn(arg) where lwIP's core may be touched, and return its result:
 * directly under LWIP_RTC; under LWIP_THREADED with the core lock held,
 * or, without core locking, in the tcpip thread while the caller waits.
 */
int uk_lwip_call(int (*fn)(void *arg), void *arg);

#if CONFIG_LWIP_RTC
/*
 * Make progress: deliver the packets the loopback interface queued and
 * run lwIP's timers that are due. Whoever waits for the network calls
 * it (poll, epoll_wait, a blocking socket call); so do the tests.
 */
void uk_lwip_poll(void);
#endif

/*
 * The interface address from the boot command line: uk.ip=A.B.C.D,
 * uk.mask=A.B.C.D, uk.gw=A.B.C.D, each defaulting to QEMU's user
 * networking (10.0.2.15, 255.255.255.0, 10.0.2.2). A value that is not a
 * dotted quad is refused (the boot warns and keeps the default).
 * Addresses are in network byte order, as lwIP keeps them.
 */
struct uk_lwip_addr {
	uint32_t ip, mask, gw;
	int ip_given;	/* uk.ip= was on the command line */
};
void uk_lwip_addr_get(struct uk_lwip_addr *out);

/*
 * Give nif its address and make it the default route, then bring it up:
 * the static address above, or under CONFIG_LWIP_DHCP, unless uk.ip= was
 * given, DHCP. Call it where the core may be touched (uk_lwip_call).
 * 0, or a negative errno when DHCP cannot start.
 */
int uk_lwip_netif_configure(struct netif *nif);

/*
 * Trace points (CONFIG_LWIP_TRACEPOINTS; enable at boot with
 * uk.trace=lwip_*):
 *   lwip_accept(pcb, peer, local_port, err)  lwIP hands a connection to
 *       the listener's accept callback; peer = IPv4 (host order) << 16 |
 *       port; err is ERR_MEM (pcb 0) when none could be allocated.
 *   lwip_close(arg, state, reason)  lwIP tells a connection's user it
 *       ended: reason 0 when the peer closed (its FIN arrived in state;
 *       also on a connection the user had closed first), or lwIP's error:
 *       ERR_RST (-14) reset, ERR_ABRT (-13) aborted (by a timer, out
 *       of memory, or the user), ERR_CLSD (-15) closed before all was
 *       received. arg is the connection's callback argument. A close
 *       the user starts is the user's to trace.
 *   lwip_drop(reason)  a packet was dropped, with the statistics counter
 *       that counted it as the reason (below). lwIP often counts one drop
 *       twice, by cause and in the protocol's .drop counter: then both
 *       fire. Counted in the link, ARP, IP, ICMP and TCP layers; UDP and
 *       reassembly drops are only in the statistics.
 * A reason is 1 + 8 * protocol + kind: protocol 0..4 = link, etharp,
 * ip, icmp, tcp; kind 0..7 = drop, chkerr, lenerr, memerr, rterr,
 * proterr, opterr, err. uk_lwip_drop_name gives "tcp.chkerr" for
 * 1 + 8 * 4 + 1, or NULL for a number that is none.
 */
#define UK_LWIP_DROP_PROTOCOLS 5
#define UK_LWIP_DROP_KINDS 8
const char *uk_lwip_drop_name(unsigned reason);

/*
 * lwIP's statistics (with CONFIG_LWIP_STATS; none without), for code that
 * does not include lwIP's headers. fn sees every figure once, the samples
 * of one family consecutively: lwip_mem_{used,max,avail} (gauges) and
 * lwip_mem_errors_total, labelled pool="heap" or pool="<MEMP pool>";
 * lwip_{received,sent}_packets_total{proto=...} and
 * lwip_drops_total{proto=...,reason=drop|chkerr|lenerr|memerr|rterr|
 * proterr|opterr|err}. type is "gauge" or "counter"; label is a
 * Prometheus label set without braces.
 */
#define UK_LWIP_STAT_LABEL_MAX 64
struct uk_lwip_stat {
	const char *family, *type, *help, *label;
	uint64_t value;
};
typedef void (*uk_lwip_stat_fn)(void *arg, const struct uk_lwip_stat *s);
void uk_lwip_stats_foreach(uk_lwip_stat_fn fn, void *arg);

/* The errno of the last lwip_* socket call that failed (LWIP_THREADED).
 * Read it right after the call returns -1: threads only switch when
 * they block, so no other call can change it in between. */
extern int uk_lwip_errno;

#endif
