/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP sockets over lwIP's raw API (sock.h). Every function here runs with
 * SOCK_LOCK held; lwIP's callbacks fill the socket and notify its file.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/file.h>
#include <uk/string.h>
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "sock.h"

/* A listener's queue when listen() asks for less (Linux rounds up too). */
#define BACKLOG_MIN 8
#define BACKLOG_MAX 4096

static void notify(struct sock *s, uint32_t events)
{
	uk_file_notify(&s->file, events);
}

/* ---- lwIP's callbacks ---------------------------------------------------- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct sock *s = arg;

	(void)pcb;
	if (!p) {
		s->rx_fin = true;
		notify(s, UK_EPOLLIN | UK_EPOLLRDHUP);
		return ERR_OK;
	}
	if (err != ERR_OK) {
		pbuf_free(p);
		return err;
	}
	if (s->shut_rd) {
		/* Linux discards what arrives after SHUT_RD. */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	if (s->rx)
		pbuf_cat(s->rx, p);
	else
		s->rx = p;
	notify(s, UK_EPOLLIN);
	return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb, (void)len;
	notify(arg, UK_EPOLLOUT);
	return ERR_OK;
}

/* lwIP freed the pcb: a reset, an abort, or a failed connect. */
static void on_err(void *arg, err_t err)
{
	struct sock *s = arg;

	if (!s)
		return;
	s->tcp = NULL;
	sock_failed(s, err);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *s = arg;

	(void)pcb, (void)err;
	s->connecting = false;
	s->connected = true;
	notify(s, UK_EPOLLOUT);
	return ERR_OK;
}

static void callbacks_set(struct sock *s, struct tcp_pcb *pcb)
{
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *l = arg, *s;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	if (l->acq_len == l->acq_cap)
		return ERR_MEM; /* lwIP aborts it */
	s = sock_alloc(SK_STREAM, 0);
	if (!s)
		return ERR_MEM;
	s->tcp = pcb;
	s->connected = true;
	s->nodelay = l->nodelay;
	if (l->nodelay > 0)
		tcp_nagle_disable(pcb);
	else if (!l->nodelay)
		tcp_nagle_enable(pcb);
	callbacks_set(s, pcb);
	tcp_backlog_delayed(pcb);
	l->acq[(l->acq_head + l->acq_len++) % l->acq_cap] = s;
	notify(l, UK_EPOLLIN);
	return ERR_OK;
}

/* ---- the calls ------------------------------------------------------------ */

int sock_tcp_open(struct sock *s)
{
	s->tcp = tcp_new_ip_type(IPADDR_TYPE_V4);
	if (!s->tcp)
		return -ENOMEM;
	callbacks_set(s, s->tcp);
	return 0;
}

int sock_tcp_bind(struct sock *s, const struct sk_addr *a)
{
	if (!s->tcp)
		return -EINVAL;
	if (s->tcp->local_port || s->listening)
		return -EINVAL; /* already bound */
	if (a->port && sock_port_listened(a))
		return -EADDRINUSE;
	if (s->reuseaddr)
		ip_set_option(s->tcp, SOF_REUSEADDR);
	return sock_err(tcp_bind(s->tcp, &a->ip, a->port));
}

int sock_tcp_listen(struct sock *s, int backlog)
{
	struct tcp_pcb *l;
	err_t err;

	if (s->listening) /* Linux only changes the backlog */
		return 0;
	if (!s->tcp || s->connected || s->connecting)
		return -EINVAL;
	if (backlog < BACKLOG_MIN)
		backlog = BACKLOG_MIN;
	if (backlog > BACKLOG_MAX)
		backlog = BACKLOG_MAX;
	s->acq = uk_calloc(uk_alloc_default(), (size_t)backlog, sizeof(*s->acq));
	if (!s->acq)
		return -ENOMEM;
	if (!s->tcp->local_port) {
		err = tcp_bind(s->tcp, IP4_ADDR_ANY, 0);
		if (err != ERR_OK)
			return sock_err(err);
	}
	l = tcp_listen_with_backlog_and_err(s->tcp, backlog > 255 ? 255 : (u8_t)backlog,
					    &err);
	if (!l) {
		uk_free(uk_alloc_default(), s->acq);
		s->acq = NULL;
		return sock_err(err);
	}
	s->tcp = l;
	s->acq_cap = (unsigned)backlog;
	s->listening = true;
	tcp_arg(l, s);
	tcp_accept(l, on_accept);
	return 0;
}

long sock_tcp_accept(struct sock *s, struct sock **out)
{
	struct sock *c;

	if (!s->listening)
		return -EINVAL;
	if (!s->acq_len)
		return -EAGAIN;
	c = s->acq[s->acq_head];
	s->acq_head = (s->acq_head + 1) % s->acq_cap;
	s->acq_len--;
	if (c->tcp)
		tcp_backlog_accepted(c->tcp);
	*out = c;
	return 0;
}

int sock_tcp_connect(struct sock *s, const struct sk_addr *a)
{
	int err = sock_stream_can_connect(s);

	if (err)
		return err;
	if (!s->tcp)
		return -EINVAL;
	if (s->reuseaddr)
		ip_set_option(s->tcp, SOF_REUSEADDR);
	s->error = 0;
	s->connecting = true;
	err = sock_err(tcp_connect(s->tcp, &a->ip, a->port, on_connected));
	if (err) {
		s->connecting = false;
		return err;
	}
	return -EINPROGRESS;
}

long sock_tcp_send(struct sock *s, struct sock_msg *m)
{
	size_t total = uk_iov_total(m->iov, m->iovcnt), sent = 0;

	if (s->error)
		return sock_take_error(s);
	if (s->shut_wr || (!s->tcp && s->connected))
		return -EPIPE;
	if (!s->connected || !s->tcp)
		return s->connecting ? -EAGAIN : -ENOTCONN;
	for (int i = 0; i < m->iovcnt && sent < total; i++) {
		const char *base = m->iov[i].base;
		size_t left = m->iov[i].len;

		while (left) {
			u16_t room = tcp_sndbuf(s->tcp);
			u16_t n = left < room ? (u16_t)left : room;

			if (!n || tcp_sndqueuelen(s->tcp) >= TCP_SND_QUEUELEN)
				goto out;
			if (tcp_write(s->tcp, base, n,
				      TCP_WRITE_FLAG_COPY |
				      (sent + n < total ? TCP_WRITE_FLAG_MORE : 0)) != ERR_OK)
				goto out;
			base += n;
			left -= n;
			sent += n;
		}
	}
out:
	if (!sent)
		return -EAGAIN;
	tcp_output(s->tcp);
	return (long)sent;
}

static void consumed(struct sock *s, size_t n)
{
	while (n) {
		u16_t part = n > 0xffff ? 0xffff : (u16_t)n;

		if (s->tcp)
			tcp_recved(s->tcp, part);
		n -= part;
	}
}

long sock_tcp_recv(struct sock *s, struct sock_msg *m)
{
	size_t got;

	if (!s->rx) {
		if (s->rx_fin || s->shut_rd)
			return 0;
		if (s->error)
			return sock_take_error(s);
		if (!s->connected)
			return s->connecting ? -EAGAIN : -ENOTCONN;
		return s->tcp ? -EAGAIN : 0;
	}
	got = sock_rx_copy(s, m, 0);
	if (!(m->flags & SK_MSG_PEEK))
		consumed(s, got);
	return (long)got;
}

/* Free room to write, as lwIP's own sockets judge it. */
static bool writable(const struct sock *s)
{
	return s->tcp && tcp_sndbuf(s->tcp) > 0 &&
	       tcp_sndqueuelen(s->tcp) < TCP_SND_QUEUELEN;
}

uint32_t sock_tcp_poll(struct sock *s)
{
	if (s->listening)
		return s->acq_len ? UK_EPOLLIN | UK_EPOLLRDNORM : 0;
	return sock_stream_events(s, s->rx != NULL, s->tcp != NULL, writable(s));
}

int sock_tcp_shutdown(struct sock *s, int how)
{
	bool rd = how != SK_SHUT_WR, wr = how != SK_SHUT_RD;

	if (s->listening) {
		/* Linux: a listener shut down stops listening; accept then
		 * fails with EINVAL. Closing it is enough here. */
		return -ENOTCONN;
	}
	if (!s->connected)
		return -ENOTCONN;
	if (rd && !s->shut_rd) {
		size_t n = s->rx ? s->rx->tot_len - s->rx_off : 0;

		s->shut_rd = true;
		if (s->rx)
			pbuf_free(s->rx);
		s->rx = NULL;
		s->rx_off = 0;
		consumed(s, n);
	}
	if (wr && !s->shut_wr) {
		s->shut_wr = true;
		if (s->tcp)
			tcp_shutdown(s->tcp, 0, 1);
	}
	notify(s, 0);
	return 0;
}

static void pcb_forget(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
}

/* Linux resets a connection closed with data unread; a close lwIP
 * cannot queue (no memory) is an abort too. */
static void pcb_close(struct tcp_pcb *pcb, bool unread)
{
	pcb_forget(pcb);
	if (unread || tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

void sock_tcp_close(struct sock *s)
{
	bool unread = s->rx != NULL;

	if (s->rx)
		pbuf_free(s->rx);
	s->rx = NULL;
	if (s->listening) {
		while (s->acq_len) {
			struct sock *c = s->acq[s->acq_head];

			s->acq_head = (s->acq_head + 1) % s->acq_cap;
			s->acq_len--;
			sock_destroy(c); /* never had a descriptor */
		}
		uk_free(uk_alloc_default(), s->acq);
		s->acq = NULL;
		if (s->tcp) {
			tcp_arg(s->tcp, NULL);
			tcp_accept(s->tcp, NULL);
			tcp_close(s->tcp);
		}
	} else if (s->tcp) {
		pcb_close(s->tcp, unread);
	}
	s->tcp = NULL;
}

int sock_tcp_name(struct sock *s, bool peer, struct sk_addr *out)
{
	if (!s->tcp)
		return peer ? -ENOTCONN : 0;
	if (peer) {
		if (!s->connected || s->listening)
			return -ENOTCONN;
		out->ip = s->tcp->remote_ip;
		out->port = s->tcp->remote_port;
	} else {
		out->ip = s->tcp->local_ip;
		out->port = s->tcp->local_port;
	}
	return 0;
}
