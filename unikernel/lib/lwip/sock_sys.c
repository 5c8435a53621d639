/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The socket system calls over lib/lwip's sockets (sock.h): Linux's
 * argument layouts and errors. Calls not here (socketpair, sendmmsg,
 * recvmmsg, ...) have no handler and stay ENOSYS, named at exit.
 */
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/poll.h>
#include <uk/syscall_impl.h>
#include "lwip/tcp.h"
#include "sock.h"

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

/* struct msghdr, x86_64 Linux. */
struct linux_msghdr {
	void *name;
	uint32_t namelen;
	struct uk_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags;
};

static void sock_put(struct sock *s)
{
	uk_file_put(&s->file);
}

static uint64_t deadline_of(uint64_t timeo_ns)
{
	return timeo_ns ? uk_poll_deadline_ns(timeo_ns) : UK_POLL_FOREVER;
}

/* ---- socket, bind, listen ------------------------------------------------- */

long uk_sys_socket(long domain, long type, long proto, long a3, long a4, long a5)
{
	int kind = (int)type & 0xf, flags = (int)type & ~0xf;
	struct sock *s;
	int err, fd;

	(void)a3, (void)a4, (void)a5;
	if (domain != SK_AF_INET)
		return -EAFNOSUPPORT;
	if (flags & ~(SK_NONBLOCK | SK_CLOEXEC))
		return -EINVAL;
	if (kind != SK_STREAM && kind != SK_DGRAM)
		return kind == 3 ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT; /* raw */
	if (proto && proto != (kind == SK_STREAM ? IPPROTO_TCP_ : IPPROTO_UDP_))
		return -EPROTONOSUPPORT;
	uk_lwip_stack_start();
	s = sock_alloc(kind, flags & SK_NONBLOCK ? UK_O_NONBLOCK : 0);
	if (!s)
		return -ENOMEM;
	SOCK_LOCK();
	err = kind == SK_STREAM ? sock_tcp_open(s) : sock_udp_open(s);
	SOCK_UNLOCK();
	if (err) {
		uk_file_put(&s->file);
		return err;
	}
	fd = uk_fd_alloc(&s->file, 0, flags & SK_CLOEXEC ? UK_FD_CLOEXEC : 0);
	if (fd < 0)
		uk_file_put(&s->file);
	return fd;
}

typedef int (*addr_fn)(struct sock *s, const struct sk_addr *a);

/* bind and connect: fd's socket, then Linux's address, then the
 * protocol's call (with the socket still referenced in *out). */
static long with_addr(long fd, long sa, long len, addr_fn tcp, addr_fn udp,
		      struct sock **out)
{
	struct sk_addr a;
	long r = sock_get(fd, out);

	if (r)
		return r;
	r = sock_addr_in((const void *)sa, (unsigned long)(uint32_t)len, &a);
	if (!r) {
		SOCK_LOCK();
		r = (*out)->type == SK_STREAM ? tcp(*out, &a) : udp(*out, &a);
		SOCK_UNLOCK();
	}
	return r;
}

long uk_sys_bind(long fd, long sa, long len, long a3, long a4, long a5)
{
	struct sock *s = NULL;
	long r = with_addr(fd, sa, len, sock_tcp_bind, sock_udp_bind, &s);

	(void)a3, (void)a4, (void)a5;
	if (s)
		sock_put(s);
	return r;
}

long uk_sys_listen(long fd, long backlog, long a2, long a3, long a4, long a5)
{
	struct sock *s;
	long r = sock_get(fd, &s);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (r)
		return r;
	if (s->type != SK_STREAM) {
		r = -EOPNOTSUPP;
	} else {
		SOCK_LOCK();
		r = sock_tcp_listen(s, (int)backlog);
		SOCK_UNLOCK();
	}
	sock_put(s);
	return r;
}

/* ---- accept, connect --------------------------------------------------------- */

static long accept_attempt(struct uk_file *f, void *arg)
{
	long r;

	SOCK_LOCK();
	r = sock_tcp_accept((struct sock *)f, arg);
	SOCK_UNLOCK();
	return r;
}

long uk_sys_accept4(long fd, long sa, long lenp, long flags, long a4, long a5)
{
	struct sock *s, *c = NULL;
	struct sk_addr peer = { 0 };
	long r;
	int nfd;

	(void)a4, (void)a5;
	if (flags & ~(long)(SK_NONBLOCK | SK_CLOEXEC))
		return -EINVAL;
	r = sock_get(fd, &s);
	if (r)
		return r;
	if (s->type != SK_STREAM) {
		sock_put(s);
		return -EOPNOTSUPP;
	}
	r = accept_attempt(&s->file, &c);
	if (r == -EAGAIN && !(s->file.flags & UK_O_NONBLOCK)) {
		r = uk_file_block(&s->file, UK_EPOLLIN, accept_attempt, &c,
				  deadline_of(s->rcvtimeo_ns));
	} else if (r == -EAGAIN && IS_ENABLED(CONFIG_LWIP_RTC)) {
		uint64_t due = UK_POLL_FOREVER;

		if (uk_poll_hooks_run(&due) > 0)
			r = accept_attempt(&s->file, &c);
	}
	sock_put(s);
	if (r)
		return r;
	if (flags & SK_NONBLOCK)
		c->file.flags |= UK_O_NONBLOCK;
	SOCK_LOCK();
	sock_tcp_name(c, true, &peer);
	SOCK_UNLOCK();
	nfd = uk_fd_alloc(&c->file, 0, flags & SK_CLOEXEC ? UK_FD_CLOEXEC : 0);
	if (nfd < 0) {
		uk_file_put(&c->file);
		return nfd;
	}
	sock_trace_accept(nfd, &peer);
	if (sa)
		sock_addr_out(&peer.ip, peer.port, (void *)sa, (uint32_t *)lenp);
	return nfd;
}

long uk_sys_accept(long fd, long sa, long lenp, long a3, long a4, long a5)
{
	(void)a3;
	return uk_sys_accept4(fd, sa, lenp, 0, a4, a5);
}

static long connect_attempt(struct uk_file *f, void *arg)
{
	struct sock *s = (struct sock *)f;
	long r;

	(void)arg;
	SOCK_LOCK();
	if (s->connecting)
		r = -EAGAIN;
	else if (s->connected)
		r = 0;
	else
		r = s->error ? -s->error : -ECONNABORTED;
	if (!s->connecting)
		s->error = 0;
	SOCK_UNLOCK();
	return r;
}

long uk_sys_connect(long fd, long sa, long len, long a3, long a4, long a5)
{
	struct sock *s = NULL;
	long r = with_addr(fd, sa, len, sock_tcp_connect, sock_udp_connect, &s);

	(void)a3, (void)a4, (void)a5;
	if (!s)
		return r;
	if (r == -EINPROGRESS && !(s->file.flags & UK_O_NONBLOCK)) {
		r = uk_file_block(&s->file, UK_EPOLLOUT, connect_attempt, NULL,
				  deadline_of(s->sndtimeo_ns));
		if (r == -EAGAIN) /* SO_SNDTIMEO: Linux says EINPROGRESS */
			r = -EINPROGRESS;
	}
	sock_put(s);
	return r;
}

/* ---- names -------------------------------------------------------------------- */

static long name(long fd, long sa, long lenp, bool peer)
{
	struct sk_addr a = { 0 };
	struct sock *s;
	long r = sock_get(fd, &s);

	if (r)
		return r;
	if (!sa || !lenp) {
		sock_put(s);
		return -EFAULT;
	}
	SOCK_LOCK();
	r = s->type == SK_STREAM ? sock_tcp_name(s, peer, &a) : sock_udp_name(s, peer, &a);
	SOCK_UNLOCK();
	if (!r)
		sock_addr_out(&a.ip, a.port, (void *)sa, (uint32_t *)lenp);
	sock_put(s);
	return r;
}

long uk_sys_getsockname(long fd, long sa, long lenp, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return name(fd, sa, lenp, false);
}

long uk_sys_getpeername(long fd, long sa, long lenp, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return name(fd, sa, lenp, true);
}

long uk_sys_shutdown(long fd, long how, long a2, long a3, long a4, long a5)
{
	struct sock *s;
	long r = sock_get(fd, &s);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (r)
		return r;
	if (how < SK_SHUT_RD || how > SK_SHUT_RDWR) {
		r = -EINVAL;
	} else if (s->type == SK_STREAM) {
		SOCK_LOCK();
		r = sock_tcp_shutdown(s, (int)how);
		SOCK_UNLOCK();
	} else {
		s->shut_rd |= how != SK_SHUT_WR;
		s->shut_wr |= how != SK_SHUT_RD;
		uk_file_notify(&s->file, 0);
	}
	sock_put(s);
	return r;
}

/* ---- data ---------------------------------------------------------------------- */

static long recv_attempt(struct uk_file *f, void *arg)
{
	return sock_recv_once((struct sock *)f, arg);
}

static long send_attempt(struct uk_file *f, void *arg)
{
	return sock_send_once((struct sock *)f, arg);
}

static long transfer(struct sock *s, struct sock_msg *m, bool send)
{
	uint64_t timeo = send ? s->sndtimeo_ns : s->rcvtimeo_ns;
	uk_file_attempt_fn attempt = send ? send_attempt : recv_attempt;

	if (m->flags & ~(SK_MSG_PEEK | SK_MSG_DONTWAIT | SK_MSG_NOSIGNAL | SK_MSG_TRUNC))
		return -EOPNOTSUPP; /* MSG_OOB, MSG_WAITALL, ... */
	if (m->iovcnt < 0 || m->iovcnt > UK_IOV_MAX)
		return -EINVAL;
	if (m->flags & SK_MSG_DONTWAIT)
		return attempt(&s->file, m);
	return uk_file_block(&s->file, send ? UK_EPOLLOUT : UK_EPOLLIN, attempt, m,
			     deadline_of(timeo));
}

long uk_sys_sendto(long fd, long buf, long len, long flags, long sa, long salen)
{
	struct uk_iovec iov = { (void *)buf, (size_t)len };
	struct sk_addr to;
	struct sock_msg m = { .iov = &iov, .iovcnt = 1, .flags = (int)flags };
	struct sock *s;
	long r = sock_get(fd, &s);

	if (r)
		return r;
	if (sa && s->type == SK_DGRAM) {
		r = sock_addr_in((const void *)sa, (unsigned long)(uint32_t)salen, &to);
		m.to = &to;
	}
	if (!r)
		r = len < 0 ? -EINVAL : transfer(s, &m, true);
	sock_put(s);
	return r;
}

long uk_sys_recvfrom(long fd, long buf, long len, long flags, long sa, long lenp)
{
	struct uk_iovec iov = { (void *)buf, (size_t)len };
	struct sk_addr from = { 0 };
	struct sock_msg m = { .iov = &iov, .iovcnt = 1, .flags = (int)flags,
			      .from = &from };
	struct sock *s;
	long r = sock_get(fd, &s);

	if (r)
		return r;
	r = len < 0 ? -EINVAL : transfer(s, &m, false);
	/* A stream's source is not reported: Linux sets the length to 0. */
	if (r >= 0 && sa && lenp && s->type == SK_STREAM)
		*(uint32_t *)lenp = 0;
	else if (r >= 0 && sa && lenp)
		sock_addr_out(&from.ip, from.port, (void *)sa, (uint32_t *)lenp);
	if (r >= 0 && (flags & SK_MSG_TRUNC) && s->type == SK_DGRAM)
		r = (long)m.dgram_len;
	sock_put(s);
	return r;
}

long uk_sys_sendmsg(long fd, long msg, long flags, long a3, long a4, long a5)
{
	const struct linux_msghdr *h = (const void *)msg;
	struct sock_msg m = { .iov = h->iov, .iovcnt = (int)h->iovlen, .flags = (int)flags };
	struct sk_addr to;
	struct sock *s;
	long r = sock_get(fd, &s);

	(void)a3, (void)a4, (void)a5;
	if (r)
		return r;
	if (h->iovlen > UK_IOV_MAX)
		r = -EMSGSIZE;
	else if (h->name && s->type == SK_DGRAM &&
		 !(r = sock_addr_in(h->name, h->namelen, &to)))
		m.to = &to;
	if (!r)
		r = transfer(s, &m, true);
	sock_put(s);
	return r;
}

long uk_sys_recvmsg(long fd, long msg, long flags, long a3, long a4, long a5)
{
	struct linux_msghdr *h = (void *)msg;
	struct sk_addr from = { 0 };
	struct sock_msg m = { .iov = h->iov, .iovcnt = (int)h->iovlen,
			      .flags = (int)flags, .from = &from };
	struct sock *s;
	long r = sock_get(fd, &s);

	(void)a3, (void)a4, (void)a5;
	if (r)
		return r;
	r = h->iovlen > UK_IOV_MAX ? -EMSGSIZE : transfer(s, &m, false);
	if (r >= 0) {
		if (h->name && s->type == SK_STREAM)
			h->namelen = 0;
		else if (h->name)
			sock_addr_out(&from.ip, from.port, h->name, &h->namelen);
		h->controllen = 0;
		h->flags = m.truncated ? SK_MSG_TRUNC : 0;
		if ((flags & SK_MSG_TRUNC) && s->type == SK_DGRAM)
			r = (long)m.dgram_len;
	}
	sock_put(s);
	return r;
}
