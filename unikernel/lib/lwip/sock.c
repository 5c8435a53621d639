/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sockets as a kind of uk_file (uk/file.h): their ops, creation and
 * release, Linux's struct sockaddr_in, lwIP's errors as errno values,
 * and the socket layer's trace points.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/lwip.h>
#include <uk/poll.h>
#include <uk/string.h>
#include <uk/trace.h>
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "sock.h"

/* What SO_RCVBUF/SO_SNDBUF report before they are set. */
#define RCVBUF_DEFAULT (TCP_WND > 65536 ? TCP_WND : 65536)
#define SNDBUF_DEFAULT TCP_SND_BUF

static struct sock *file_sock(struct uk_file *f)
{
	return (struct sock *)f;
}

/*
 * An attempt that finds nothing runs the progress hooks once and tries
 * again, so that a non-blocking caller of a run-to-completion stack sees
 * what has arrived since its last wait (the hooks run in every wait
 * anyway; in threaded mode there are none).
 */
static long with_fresh_packets(long (*op)(struct sock *s, struct sock_msg *m),
			       struct sock *s, struct sock_msg *m)
{
	long r;

	SOCK_LOCK();
	r = op(s, m);
	SOCK_UNLOCK();
	if (r == -EAGAIN && IS_ENABLED(CONFIG_LWIP_RTC)) {
		uint64_t due = UK_POLL_FOREVER;

		if (uk_poll_hooks_run(&due) > 0) {
			SOCK_LOCK();
			r = op(s, m);
			SOCK_UNLOCK();
		}
	}
	return r;
}

long sock_recv_once(struct sock *s, struct sock_msg *m)
{
	return with_fresh_packets(s->type == SK_STREAM ? sock_tcp_recv : sock_udp_recv,
				  s, m);
}

long sock_send_once(struct sock *s, struct sock_msg *m)
{
	return with_fresh_packets(s->type == SK_STREAM ? sock_tcp_send : sock_udp_send,
				  s, m);
}

static long sock_read(struct uk_file *f, const struct uk_iovec *iov, int iovcnt)
{
	struct sock_msg m = { .iov = iov, .iovcnt = iovcnt };

	return sock_recv_once(file_sock(f), &m);
}

static long sock_write(struct uk_file *f, const struct uk_iovec *iov, int iovcnt)
{
	struct sock_msg m = { .iov = iov, .iovcnt = iovcnt };

	return sock_send_once(file_sock(f), &m);
}

static uint32_t sock_poll(struct uk_file *f)
{
	struct sock *s = file_sock(f);
	uint32_t ev;

	SOCK_LOCK();
	ev = s->type == SK_STREAM ? sock_tcp_poll(s) : sock_udp_poll(s);
	SOCK_UNLOCK();
	return ev;
}

static int sock_ioctl(struct uk_file *f, unsigned long req, void *arg)
{
	struct sock *s = file_sock(f);
	int n;

	if (req != UK_FIONREAD)
		return -ENOTTY;
	SOCK_LOCK();
	n = s->type == SK_STREAM && s->listening ? -EINVAL /* as Linux */ : sock_nread(s);
	SOCK_UNLOCK();
	if (n < 0)
		return n;
	*(int *)arg = n;
	return 0;
}

void sock_destroy(struct sock *s)
{
	sock_trace_close(s);
	if (s->type == SK_STREAM)
		sock_tcp_close(s);
	else
		sock_udp_close(s);
	uk_free(uk_alloc_default(), s);
}

static void sock_release(struct uk_file *f)
{
	SOCK_LOCK();
	sock_destroy(file_sock(f));
	SOCK_UNLOCK();
}

static const struct uk_file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.release = sock_release,
};

bool sock_is(const struct uk_file *f)
{
	return f->ops == &sock_ops;
}

long sock_get(long fd, struct sock **out)
{
	struct uk_file *f = uk_fd_get((int)fd);

	if (!f)
		return -EBADF;
	if (!sock_is(f)) {
		uk_file_put(f);
		return -ENOTSOCK;
	}
	*out = (struct sock *)f;
	return 0;
}

struct sock *sock_alloc(int type, unsigned int flags)
{
	struct sock *s = uk_calloc(uk_alloc_default(), 1, sizeof(*s));

	if (!s)
		return NULL;
	uk_file_init(&s->file, &sock_ops, UK_O_RDWR | (flags & UK_O_NONBLOCK));
	s->type = type;
	s->rcvbuf = RCVBUF_DEFAULT;
	s->sndbuf = SNDBUF_DEFAULT;
	s->nodelay = -1;
	return s;
}

/* ---- shared by the backends ------------------------------------------------ */

size_t sock_rx_copy(struct sock *s, struct sock_msg *m, size_t done)
{
	size_t got = 0;
	struct pbuf *p = s->rx;
	uint16_t off = s->rx_off;

	/* Copy across the chain without changing it. */
	for (int i = 0; i < m->iovcnt && p; i++) {
		char *dst = m->iov[i].base;
		size_t room = m->iov[i].len;

		if (done >= room) {
			done -= room;
			continue;
		}
		dst += done;
		room -= done;
		done = 0;

		while (room && p) {
			size_t left = (size_t)(p->len - off);
			uint16_t n = (uint16_t)(left < room ? left : room);

			memcpy(dst, (char *)p->payload + off, n);
			dst += n;
			room -= n;
			got += n;
			off += n;
			if (off == p->len) {
				p = p->next;
				off = 0;
			}
		}
	}
	if (m->flags & SK_MSG_PEEK)
		return got;
	/* Free the pbufs read whole, keep the offset into the next. */
	while (s->rx != p) {
		struct pbuf *head = s->rx;

		s->rx = head->next;
		head->next = NULL;
		pbuf_free(head); /* pbuf_cat gave each piece one reference */
	}
	s->rx_off = off;
	return got;
}

size_t sock_dgram_copy(struct pbuf *p, struct sock_msg *m)
{
	size_t n = 0;

	m->dgram_len = p->tot_len;
	for (int i = 0; i < m->iovcnt && n < p->tot_len; i++) {
		u16_t part = (u16_t)(m->iov[i].len < p->tot_len - n ? m->iov[i].len
								     : p->tot_len - n);

		pbuf_copy_partial(p, m->iov[i].base, part, (u16_t)n);
		n += part;
	}
	m->truncated = p->tot_len > uk_iov_total(m->iov, m->iovcnt);
	return n;
}

uint32_t sock_stream_events(const struct sock *s, bool readable, bool alive,
			    bool writable)
{
	uint32_t ev = 0;

	if (readable || s->rx_fin || s->shut_rd)
		ev |= UK_EPOLLIN | UK_EPOLLRDNORM;
	if (s->rx_fin || s->shut_rd)
		ev |= UK_EPOLLRDHUP;
	if (s->error)
		ev |= UK_EPOLLERR;
	if (s->connected && !alive) /* reset: everything ends */
		ev |= UK_EPOLLIN | UK_EPOLLOUT | UK_EPOLLHUP;
	else if (s->connected && !s->shut_wr && writable)
		ev |= UK_EPOLLOUT | UK_EPOLLWRNORM;
	if ((s->rx_fin || s->shut_rd) && s->shut_wr)
		ev |= UK_EPOLLHUP;
	/* Linux: a socket neither connected nor connecting is OUT|HUP. */
	if (!s->connected && !s->connecting)
		ev |= UK_EPOLLOUT | UK_EPOLLHUP;
	return ev;
}

long sock_dgram_out(struct sock *s, struct sock_msg *m, struct pbuf **out)
{
	size_t len = uk_iov_total(m->iov, m->iovcnt);

	if (s->shut_wr)
		return -EPIPE;
	if (!m->to && !s->connected)
		return -EDESTADDRREQ;
	if (len > 0xffff - 8 - 20)
		return -EMSGSIZE;
	*out = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!*out)
		return -ENOBUFS;
	uk_iov_copy_in((*out)->payload, len, m->iov, m->iovcnt);
	return (long)len;
}

int sock_stream_can_connect(const struct sock *s)
{
	if (s->listening)
		return -EINVAL;
	if (s->connected)
		return -EISCONN;
	return s->connecting ? -EALREADY : 0;
}

void sock_failed(struct sock *s, int err)
{
	if (s->connecting && err == ERR_RST)
		s->error = ECONNREFUSED;
	else
		s->error = err == ERR_RST ? ECONNRESET : -sock_err(err);
	s->connecting = false;
	uk_file_notify(&s->file, UK_EPOLLIN | UK_EPOLLOUT | UK_EPOLLERR | UK_EPOLLHUP);
}

int sock_take_error(struct sock *s)
{
	int e = s->error;

	s->error = 0;
	return -e;
}

bool sock_port_listened(const struct sk_addr *a)
{
	for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l; l = l->next)
		if (l->local_port == a->port &&
		    (ip_addr_isany(&l->local_ip) || ip_addr_isany(&a->ip) ||
		     ip_addr_cmp(&l->local_ip, &a->ip)))
			return true;
	return false;
}

/* ---- struct sockaddr_in, Linux's layout (no length byte) ------------------ */

struct linux_sockaddr_in {
	uint16_t family;
	uint16_t port;		/* network order */
	uint32_t addr;		/* network order */
	uint8_t zero[8];
};

int sock_addr_in(const void *sa, unsigned long len, struct sk_addr *out)
{
	struct linux_sockaddr_in in;

	if (!sa || len < sizeof(in) || len > 128)
		return -EINVAL;
	memcpy(&in, sa, sizeof(in));
	if (in.family != SK_AF_INET)
		return -EAFNOSUPPORT;
	ip_addr_set_ip4_u32(&out->ip, in.addr);
	out->port = lwip_ntohs(in.port);
	return 0;
}

void sock_addr_out(const ip_addr_t *ip, uint16_t port, void *sa, uint32_t *len)
{
	struct linux_sockaddr_in in = {
		.family = SK_AF_INET,
		.port = lwip_htons(port),
		.addr = ip ? ip4_addr_get_u32(ip_2_ip4(ip)) : 0,
	};

	if (!sa || !len)
		return;
	memcpy(sa, &in, *len < sizeof(in) ? *len : sizeof(in));
	*len = sizeof(in);
}

int sock_err(int err)
{
	switch (err) {
	case ERR_OK: return 0;
	case ERR_MEM: return -ENOMEM;
	case ERR_BUF: return -ENOBUFS;
	case ERR_TIMEOUT: return -ETIMEDOUT;
	case ERR_RTE: return -ENETUNREACH;
	case ERR_INPROGRESS: return -EINPROGRESS;
	case ERR_VAL: return -EINVAL;
	case ERR_WOULDBLOCK: return -EAGAIN;
	case ERR_USE: return -EADDRINUSE;
	case ERR_ALREADY: return -EALREADY;
	case ERR_ISCONN: return -EISCONN;
	case ERR_CONN: return -ENOTCONN;
	case ERR_IF: return -ENETDOWN;
	case ERR_ABRT: return -ECONNABORTED;
	case ERR_RST: return -ECONNRESET;
	case ERR_CLSD: return -ENOTCONN;
	case ERR_ARG: return -EINVAL;
	default: return -EIO;
	}
}

/* ---- trace points ---------------------------------------------------------- */

#if CONFIG_LWIP_TRACEPOINTS
UK_TRACEPOINT(sock_accept, 2, UT_ARG_S64, UT_ARG_HEX);
UK_TRACEPOINT(sock_close, 3, UT_ARG_HEX, UT_ARG_U64, UT_ARG_U64);

void sock_trace_accept(int fd, const struct sk_addr *peer)
{
	uk_tp_sock_accept(fd, (uint64_t)lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&peer->ip))) << 16 |
				      peer->port);
}

void sock_trace_close(const struct sock *s)
{
	uk_tp_sock_close((uint64_t)(uintptr_t)s, (uint64_t)s->type,
			 s->type == SK_STREAM ? sock_tcp_state(s) : 0);
}
#else
void sock_trace_accept(int fd, const struct sk_addr *peer)
{
	(void)fd, (void)peer;
}

void sock_trace_close(const struct sock *s)
{
	(void)s;
}
#endif
