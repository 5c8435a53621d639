/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The raw-API backend's pcb options, FIONREAD and TCP state (sock.h),
 * for both protocols; SOCK_LOCK held.
 */
#include <uk/errno.h>
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "sock.h"

/* The pcb's ip options (SOF_*), whichever protocol. */
static void pcb_option(struct sock *s, u8_t opt, bool on)
{
	if (s->type == SK_STREAM && s->tcp) {
		if (on)
			ip_set_option(s->tcp, opt);
		else
			ip_reset_option(s->tcp, opt);
	} else if (s->udp) {
		if (on)
			ip_set_option(s->udp, opt);
		else
			ip_reset_option(s->udp, opt);
	}
}

static bool pcb_has(struct sock *s, u8_t opt)
{
	if (s->type == SK_STREAM)
		return s->tcp && ip_get_option(s->tcp, opt);
	return s->udp && ip_get_option(s->udp, opt);
}

void sock_opt_set(struct sock *s, enum sock_opt o, bool on)
{
	switch (o) {
	case SOCK_OPT_REUSEADDR:
		pcb_option(s, SOF_REUSEADDR, on);
		break;
	case SOCK_OPT_KEEPALIVE:
		pcb_option(s, SOF_KEEPALIVE, on);
		break;
	case SOCK_OPT_NODELAY:
		if (s->tcp && !s->listening) {
			if (on)
				tcp_nagle_disable(s->tcp);
			else
				tcp_nagle_enable(s->tcp);
		}
		break;
	case SOCK_OPT_RCVBUF: /* read by on_recv of sock_udp.c */
		break;
	}
}

bool sock_opt_get(struct sock *s, enum sock_opt o)
{
	switch (o) {
	case SOCK_OPT_REUSEADDR:
		return pcb_has(s, SOF_REUSEADDR);
	case SOCK_OPT_KEEPALIVE:
		return pcb_has(s, SOF_KEEPALIVE);
	case SOCK_OPT_NODELAY:
		return s->tcp && !s->listening ? tcp_nagle_disabled(s->tcp) != 0
					       : s->nodelay > 0;
	default:
		return false;
	}
}

int sock_nread(struct sock *s)
{
	if (s->type == SK_STREAM)
		return s->rx ? s->rx->tot_len - s->rx_off : 0;
	return s->dq_head ? s->dq_head->p->tot_len : 0; /* the next datagram, as Linux */
}

unsigned sock_tcp_state(const struct sock *s)
{
	return s->tcp ? s->tcp->state : 0;
}
