/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to lib/lwip: sockets (sock.c, sock_tcp.c, sock_udp.c,
 * sock_sys.c) and the interfaces on network devices (netdev.c).
 *
 * A socket is a uk_file kind over lwIP's raw API. lwIP's callbacks
 * (tcp_recv, tcp_sent, tcp_accept, tcp_err, udp_recv) fill the socket's
 * queues and call uk_file_notify; the calls take from those queues and
 * never block themselves (uk_file_block waits between attempts). In
 * LWIP_RTC mode the callbacks run inside the socket calls and the
 * progress hook of netdev.c; in LWIP_THREADED mode they run in the tcpip
 * thread and every call holds lwIP's core lock (SOCK_LOCK) while it
 * touches a pcb or a queue.
 */
#ifndef UK_LWIP_SOCK_H
#define UK_LWIP_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <uk/compiler.h>
#include <uk/file.h>
#include "lwip/ip_addr.h"

#if CONFIG_LWIP_THREADED
#include "lwip/tcpip.h"
#define SOCK_LOCK() LOCK_TCPIP_CORE()
#define SOCK_UNLOCK() UNLOCK_TCPIP_CORE()
#else
#define SOCK_LOCK() ((void)0)
#define SOCK_UNLOCK() ((void)0)
#endif

/* Linux's values at the syscall boundary. */
#define SK_AF_INET 2
#define SK_STREAM 1
#define SK_DGRAM 2
#define SK_NONBLOCK 04000
#define SK_CLOEXEC 02000000
#define SK_MSG_OOB 0x1
#define SK_MSG_PEEK 0x2
#define SK_MSG_TRUNC 0x20
#define SK_MSG_DONTWAIT 0x40
#define SK_MSG_WAITALL 0x100
#define SK_MSG_NOSIGNAL 0x4000
#define SK_SHUT_RD 0
#define SK_SHUT_WR 1
#define SK_SHUT_RDWR 2

struct tcp_pcb;
struct udp_pcb;
struct pbuf;

/* A received datagram (UDP), in arrival order. */
struct sock_dgram {
	struct sock_dgram *next;
	struct pbuf *p;
	ip_addr_t from;
	uint16_t port;
};

struct sock {
	struct uk_file file;		/* first: the uk_file is the socket */
	int type;			/* SK_STREAM, SK_DGRAM */
	struct tcp_pcb *tcp;		/* NULL once lwIP freed it (reset) */
	struct udp_pcb *udp;
	int error;			/* pending error (SO_ERROR), positive errno */
	bool listening, connecting, connected;
	bool rx_fin;			/* the peer's FIN: reads return 0 */
	bool shut_rd, shut_wr;
	bool reuseaddr;
	int nodelay;			/* TCP_NODELAY as set; -1: never set */
	int rcvbuf, sndbuf;		/* as set (SO_RCVBUF/SO_SNDBUF) */
	uint64_t rcvtimeo_ns, sndtimeo_ns; /* 0: none */
	/* Stream: received data not yet read, one chain; rx_off bytes of
	 * its head already read. */
	struct pbuf *rx;
	uint16_t rx_off;
	/* Listener: connections established, not yet accepted. */
	struct sock **acq;
	unsigned acq_head, acq_len, acq_cap;
	/* Datagrams. */
	struct sock_dgram *dq_head, *dq_tail;
	size_t dq_bytes;
};

/* Is f a socket? (ENOTSOCK otherwise) */
bool sock_is(const struct uk_file *f);
/* The socket behind descriptor fd, with a reference (uk_file_put):
 * 0, -EBADF or -ENOTSOCK. */
long sock_get(long fd, struct sock **out);
struct sock *sock_alloc(int type, unsigned int flags);
/* Close the protocol side and free s (SOCK_LOCK held): the release of a
 * socket's file, or a connection never accepted. */
void sock_destroy(struct sock *s);

/* A Linux struct sockaddr_in <-> lwIP's address and port. */
struct sk_addr {
	ip_addr_t ip;
	uint16_t port;
};
int sock_addr_in(const void *sa, unsigned long len, struct sk_addr *out);
/* Writes min(*len, 16) bytes, *len = 16. */
void sock_addr_out(const ip_addr_t *ip, uint16_t port, void *sa, uint32_t *len);

/* Per protocol (sock_tcp.c, sock_udp.c); all called with SOCK_LOCK held. */
struct sock_msg {
	const struct uk_iovec *iov;
	int iovcnt;
	int flags;			/* SK_MSG_* */
	const struct sk_addr *to;	/* sendto, or NULL */
	struct sk_addr *from;		/* recvfrom, or NULL */
	bool truncated;			/* datagram longer than iov */
	size_t dgram_len;
};
int sock_tcp_open(struct sock *s);
int sock_tcp_bind(struct sock *s, const struct sk_addr *a);
int sock_tcp_listen(struct sock *s, int backlog);
long sock_tcp_accept(struct sock *s, struct sock **out);
int sock_tcp_connect(struct sock *s, const struct sk_addr *a);
long sock_tcp_send(struct sock *s, struct sock_msg *m);
long sock_tcp_recv(struct sock *s, struct sock_msg *m);
uint32_t sock_tcp_poll(struct sock *s);
int sock_tcp_shutdown(struct sock *s, int how);
void sock_tcp_close(struct sock *s);
int sock_tcp_name(struct sock *s, bool peer, struct sk_addr *out);

int sock_udp_open(struct sock *s);
int sock_udp_bind(struct sock *s, const struct sk_addr *a);
int sock_udp_connect(struct sock *s, const struct sk_addr *a);
long sock_udp_send(struct sock *s, struct sock_msg *m);
long sock_udp_recv(struct sock *s, struct sock_msg *m);
uint32_t sock_udp_poll(struct sock *s);
void sock_udp_close(struct sock *s);
int sock_udp_name(struct sock *s, bool peer, struct sk_addr *out);

/* One receive or send, not blocking (sock.c); in LWIP_RTC mode an
 * attempt that finds nothing processes what arrived and tries again. */
long sock_recv_once(struct sock *s, struct sock_msg *m);
long sock_send_once(struct sock *s, struct sock_msg *m);

/* lwIP's err_t as a negative errno. */
int sock_err(int lwip_err);

/* The stack with its interfaces on every network device (netdev.c):
 * started by the first socket() call. */
void uk_lwip_stack_start(void);

/* Trace points of the socket layer (CONFIG_LWIP_TRACEPOINTS). */
void sock_trace_accept(int fd, const struct sk_addr *peer);
void sock_trace_close(const struct sock *s);

#endif
