/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's trace points (uk/lwip.h lists them), fired from the event hooks
 * of lwip_hooks.h, and the names of the drop reasons.
 */
#include <uk/lwip.h>
#include <uk/trace.h>
#include "lwip/tcp.h"
#include "lwip_hooks.h"

static const char *const drop_names[UK_LWIP_DROP_PROTOCOLS][UK_LWIP_DROP_KINDS] = {
#define UK__LWIP_KINDS(p)                                                      \
	{ p ".drop", p ".chkerr", p ".lenerr", p ".memerr",                    \
	  p ".rterr", p ".proterr", p ".opterr", p ".err" }
	UK__LWIP_KINDS("link"), UK__LWIP_KINDS("etharp"), UK__LWIP_KINDS("ip"),
	UK__LWIP_KINDS("icmp"), UK__LWIP_KINDS("tcp"),
#undef UK__LWIP_KINDS
};

const char *uk_lwip_drop_name(unsigned reason)
{
	if (reason < 1 || reason > UK_LWIP_DROP_PROTOCOLS * UK_LWIP_DROP_KINDS)
		return NULL;
	reason--;
	return drop_names[reason / UK_LWIP_DROP_KINDS][reason % UK_LWIP_DROP_KINDS];
}

#if CONFIG_LWIP_TRACEPOINTS
UK_TRACEPOINT(lwip_accept, 4, UT_ARG_HEX, UT_ARG_HEX, UT_ARG_U64, UT_ARG_S64);
UK_TRACEPOINT(lwip_close, 3, UT_ARG_HEX, UT_ARG_U64, UT_ARG_S64);
UK_TRACEPOINT(lwip_drop, 1, UT_ARG_U64);

void uk_lwip_trace_accept(struct tcp_pcb *pcb, int err)
{
	uint64_t peer = 0, local_port = 0;

	if (pcb) {
		peer = (uint64_t)lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip))) << 16 |
		       pcb->remote_port;
		local_port = pcb->local_port;
	}
	uk_tp_lwip_accept((uint64_t)(uintptr_t)pcb, peer, local_port, (uint64_t)(int64_t)err);
}

void uk_lwip_trace_close(void *arg, unsigned state, int reason)
{
	uk_tp_lwip_close((uint64_t)(uintptr_t)arg, state, (uint64_t)(int64_t)reason);
}

void uk_lwip_trace_drop(unsigned reason)
{
	uk_tp_lwip_drop(reason);
}
#endif
