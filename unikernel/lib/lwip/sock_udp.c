/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UDP sockets over lwIP's raw API (sock.h), SOCK_LOCK held throughout.
 * Received datagrams queue on the socket up to its receive buffer
 * (SO_RCVBUF); beyond, they are dropped, as Linux drops them.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include "lwip/udp.h"
#include "sock.h"

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port)
{
	struct sock *s = arg;
	struct sock_dgram *d;

	(void)pcb;
	if (s->shut_rd || s->dq_bytes + p->tot_len > (size_t)s->rcvbuf ||
	    !(d = uk_malloc(uk_alloc_default(), sizeof(*d)))) {
		pbuf_free(p);
		return;
	}
	d->next = NULL;
	d->p = p;
	ip_addr_copy(d->from, *addr);
	d->port = port;
	if (s->dq_tail)
		s->dq_tail->next = d;
	else
		s->dq_head = d;
	s->dq_tail = d;
	s->dq_bytes += p->tot_len;
	uk_file_notify(&s->file, UK_EPOLLIN);
}

int sock_udp_open(struct sock *s)
{
	s->udp = udp_new_ip_type(IPADDR_TYPE_V4);
	if (!s->udp)
		return -ENOMEM;
	udp_recv(s->udp, on_recv, s);
	return 0;
}

int sock_udp_bind(struct sock *s, const struct sk_addr *a)
{
	if (s->udp->local_port)
		return -EINVAL;
	if (s->reuseaddr)
		ip_set_option(s->udp, SOF_REUSEADDR);
	return sock_err(udp_bind(s->udp, &a->ip, a->port));
}

int sock_udp_connect(struct sock *s, const struct sk_addr *a)
{
	int err = sock_err(udp_connect(s->udp, &a->ip, a->port));

	s->connected = !err;
	return err;
}

long sock_udp_send(struct sock *s, struct sock_msg *m)
{
	struct pbuf *p;
	long len = sock_dgram_out(s, m, &p);
	err_t err;

	if (len < 0)
		return len;
	err = m->to ? udp_sendto(s->udp, p, &m->to->ip, m->to->port)
		    : udp_send(s->udp, p);
	pbuf_free(p);
	return err == ERR_OK ? len : sock_err(err);
}

long sock_udp_recv(struct sock *s, struct sock_msg *m)
{
	struct sock_dgram *d = s->dq_head;
	size_t n;

	if (!d)
		return s->shut_rd ? 0 : -EAGAIN;
	n = sock_dgram_copy(d->p, m);
	if (m->from) {
		m->from->ip = d->from;
		m->from->port = d->port;
	}
	if (!(m->flags & SK_MSG_PEEK)) {
		s->dq_head = d->next;
		if (!s->dq_head)
			s->dq_tail = NULL;
		s->dq_bytes -= d->p->tot_len;
		pbuf_free(d->p);
		uk_free(uk_alloc_default(), d);
	}
	return (long)n;
}

uint32_t sock_udp_poll(struct sock *s)
{
	uint32_t ev = UK_EPOLLOUT | UK_EPOLLWRNORM;

	if (s->dq_head || s->shut_rd)
		ev |= UK_EPOLLIN | UK_EPOLLRDNORM;
	return ev;
}

void sock_udp_close(struct sock *s)
{
	while (s->dq_head) {
		struct sock_dgram *d = s->dq_head;

		s->dq_head = d->next;
		pbuf_free(d->p);
		uk_free(uk_alloc_default(), d);
	}
	s->dq_tail = NULL;
	if (s->udp)
		udp_remove(s->udp);
	s->udp = NULL;
}

int sock_udp_name(struct sock *s, bool peer, struct sk_addr *out)
{
	if (peer) {
		if (!s->connected)
			return -ENOTCONN;
		out->ip = s->udp->remote_ip;
		out->port = s->udp->remote_port;
	} else {
		out->ip = s->udp->local_ip;
		out->port = s->udp->local_port;
	}
	return 0;
}
