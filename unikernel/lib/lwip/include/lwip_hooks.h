/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Included by lwIP's sources after their own headers (LWIP_HOOK_FILENAME
 * in lwipopts.h): where this port sees lwIP's events without editing
 * lwIP. The TCP event macros of lwip/priv/tcp_priv.h are redefined to do
 * what lwIP's do (call the connection's callback) after telling the
 * port: new connections get Nagle's default (CONFIG_LWIP_TCP_NODELAY),
 * and accepts, closes and drops fire trace points (trace.c). The files
 * that include this are tcp.c, tcp_in.c, tcp_out.c, ip4.c, icmp.c,
 * etharp.c, ethernet.c and memp.c; the events they raise are all of
 * accept, close and connect, and the drops named in uk/lwip.h.
 */
#ifndef UK_LWIP_HOOKS_H
#define UK_LWIP_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#if CONFIG_LWIP_TRACEPOINTS
#include "lwip/stats.h"
struct tcp_pcb;
void uk_lwip_trace_accept(struct tcp_pcb *pcb, int err);
void uk_lwip_trace_close(void *arg, unsigned state, int reason);
void uk_lwip_trace_drop(unsigned reason);
#else
#define uk_lwip_trace_accept(pcb, err) ((void)(pcb), (void)(err))
#define uk_lwip_trace_close(arg, state, reason) ((void)(arg), (void)(state), (void)(reason))
#endif

#if CONFIG_LWIP_TCP_NODELAY
#define UK_LWIP_NAGLE_DEFAULT(pcb) tcp_nagle_disable(pcb)
#else
#define UK_LWIP_NAGLE_DEFAULT(pcb) ((void)(pcb))
#endif

#ifdef TCP_EVENT_ACCEPT
#undef TCP_EVENT_ACCEPT
#define TCP_EVENT_ACCEPT(lpcb, pcb, arg, err, ret)                             \
	do {                                                                   \
		struct tcp_pcb *uk__npcb = (pcb);                              \
		if (uk__npcb)                                                  \
			UK_LWIP_NAGLE_DEFAULT(uk__npcb);                       \
		uk_lwip_trace_accept(uk__npcb, (err));                         \
		if ((lpcb)->accept != NULL)                                    \
			(ret) = (lpcb)->accept((arg), uk__npcb, (err));        \
		else                                                           \
			(ret) = ERR_ARG;                                       \
	} while (0)
#endif

#ifdef TCP_EVENT_CONNECTED
#undef TCP_EVENT_CONNECTED
#define TCP_EVENT_CONNECTED(pcb, err, ret)                                     \
	do {                                                                   \
		UK_LWIP_NAGLE_DEFAULT(pcb);                                    \
		if ((pcb)->connected != NULL)                                  \
			(ret) = (pcb)->connected((pcb)->callback_arg, (pcb), (err)); \
		else                                                           \
			(ret) = ERR_OK;                                        \
	} while (0)
#endif

#ifdef TCP_EVENT_CLOSED
#undef TCP_EVENT_CLOSED
#define TCP_EVENT_CLOSED(pcb, ret)                                             \
	do {                                                                   \
		uk_lwip_trace_close((pcb)->callback_arg, (pcb)->state, 0);     \
		if ((pcb)->recv != NULL)                                       \
			(ret) = (pcb)->recv((pcb)->callback_arg, (pcb), NULL, ERR_OK); \
		else                                                           \
			(ret) = ERR_OK;                                        \
	} while (0)
#endif

#ifdef TCP_EVENT_ERR
#undef TCP_EVENT_ERR
#define TCP_EVENT_ERR(last_state, errf, arg, err)                              \
	do {                                                                   \
		uk_lwip_trace_close((arg), (last_state), (err));               \
		if ((errf) != NULL)                                            \
			(errf)((arg), (err));                                  \
	} while (0)
#endif

#if CONFIG_LWIP_TRACEPOINTS
/*
 * Drops: every protocol counter goes through STATS_INC. The counter's
 * offset in struct stats_ is a constant, so for counters that are not
 * drops (xmit, recv, ...) the check folds away and only the increment
 * remains.
 */
#define UK__LWIP_PROTO_BASE(p) offsetof(struct stats_, p)
#define UK__LWIP_IN_PROTO(off, p)                                              \
	((size_t)((off) - UK__LWIP_PROTO_BASE(p)) < sizeof(struct stats_proto))

static inline unsigned uk__lwip_drop_reason(size_t off)
{
	size_t base;
	unsigned proto, kind;

	if (UK__LWIP_IN_PROTO(off, link))
		proto = 0, base = UK__LWIP_PROTO_BASE(link);
	else if (UK__LWIP_IN_PROTO(off, etharp))
		proto = 1, base = UK__LWIP_PROTO_BASE(etharp);
	else if (UK__LWIP_IN_PROTO(off, ip))
		proto = 2, base = UK__LWIP_PROTO_BASE(ip);
	else if (UK__LWIP_IN_PROTO(off, icmp))
		proto = 3, base = UK__LWIP_PROTO_BASE(icmp);
	else if (UK__LWIP_IN_PROTO(off, tcp))
		proto = 4, base = UK__LWIP_PROTO_BASE(tcp);
	else
		return 0;
	off -= base;
	if (off < offsetof(struct stats_proto, drop) ||
	    off > offsetof(struct stats_proto, err))
		return 0;
	kind = (unsigned)((off - offsetof(struct stats_proto, drop)) / sizeof(STAT_COUNTER));
	return 1 + 8 * proto + kind;
}

static inline void uk__lwip_counted(size_t off)
{
	unsigned reason = uk__lwip_drop_reason(off);

	if (reason)
		uk_lwip_trace_drop(reason);
}

#undef STATS_INC
#define STATS_INC(x)                                                           \
	(++lwip_stats.x, uk__lwip_counted(offsetof(struct stats_, x)))
#endif

#endif
