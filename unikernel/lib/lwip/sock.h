/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to lib/lwip: sockets (sock.c, sock_tcp.c, sock_udp.c,
 * sock_sys.c) and the interfaces on network devices (netdev.c).
 *
 * A socket is a uk_file kind. The front end (sock.c, sock_sys.c,
 * sock_opt.c) is shared; the backend, chosen at build time, is one of:
 *
 * - raw API (CONFIG_LWIP_SOCK_RAW: sock_tcp.c, sock_udp.c, sock_raw.c):
 *   lwIP's callbacks (tcp_recv, tcp_sent, tcp_accept, tcp_err, udp_recv)
 *   fill the socket's queues and call uk_file_notify. In LWIP_RTC mode
 *   they run inside the socket calls and the progress hook of netdev.c;
 *   in LWIP_THREADED mode in the tcpip thread, and every call holds
 *   lwIP's core lock (SOCK_LOCK) while it touches a pcb or a queue.
 * - netconn (CONFIG_LWIP_SOCK_NETCONN, threaded only: sock_netconn.c):
 *   lwIP's sequential API, on which its own sockets are built; the
 *   tcpip thread does the protocol work and the netconn's event
 *   callback notifies the file. SOCK_LOCK is empty: netconn locks or
 *   messages by itself.
 *
 * Either way the backend's calls never block themselves (uk_file_block
 * waits between attempts), and are called with SOCK_LOCK held.
 */
#ifndef UK_LWIP_SOCK_H
#define UK_LWIP_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <uk/compiler.h>
#include <uk/file.h>
#include "lwip/ip_addr.h"

#if CONFIG_LWIP_THREADED && CONFIG_LWIP_SOCK_RAW
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
struct netconn;
struct netbuf;

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
#if CONFIG_LWIP_SOCK_NETCONN
	struct netconn *conn;
	int slot;			/* conn->socket: index of the socket table */
	int rcvevent;			/* messages on the recv/accept mailbox */
	bool sendevent;			/* lwIP says there is room to send */
	bool eof;			/* the peer's FIN was taken from the mailbox */
	struct netbuf *dgram;		/* a datagram taken, not yet read (MSG_PEEK) */
#else
	struct tcp_pcb *tcp;		/* NULL once lwIP freed it (reset) */
	struct udp_pcb *udp;
	/* Listener: connections established, not yet accepted. */
	struct sock **acq;
	unsigned acq_head, acq_len, acq_cap;
	/* Datagrams. */
	struct sock_dgram *dq_head, *dq_tail;
	size_t dq_bytes;
#endif
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

/* The backend, per protocol; all called with SOCK_LOCK held. */
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

/* Options that live in lwIP's pcb (the backend's). */
enum sock_opt {
	SOCK_OPT_REUSEADDR,	/* SOF_REUSEADDR */
	SOCK_OPT_KEEPALIVE,	/* SOF_KEEPALIVE */
	SOCK_OPT_NODELAY,	/* Nagle off (TCP, not listening) */
	SOCK_OPT_RCVBUF,	/* s->rcvbuf changed (bounds a UDP queue) */
};
void sock_opt_set(struct sock *s, enum sock_opt o, bool on);
bool sock_opt_get(struct sock *s, enum sock_opt o);
/* FIONREAD: bytes ready (stream), the next datagram's length. */
int sock_nread(struct sock *s);
/* A stream's TCP state for the trace (0: no pcb). */
unsigned sock_tcp_state(const struct sock *s);

/* Shared by the backends (sock.c). */
/* Copy from the received chain s->rx (from s->rx_off) into m's iovecs
 * after the first `done` bytes; unless MSG_PEEK, free what was read
 * whole and advance rx_off. The bytes copied. */
size_t sock_rx_copy(struct sock *s, struct sock_msg *m, size_t done);
/* A datagram into m's iovecs: sets m->dgram_len and m->truncated; the
 * bytes copied. */
size_t sock_dgram_copy(struct pbuf *p, struct sock_msg *m);
/* A stream's poll mask from its state and the backend's view: data
 * waiting, the pcb still there, room to send. */
uint32_t sock_stream_events(const struct sock *s, bool readable, bool alive,
			    bool writable);
/* A datagram to send: the checks, then m's bytes in a new pbuf (*out);
 * its length, or a negative errno. */
long sock_dgram_out(struct sock *s, struct sock_msg *m, struct pbuf **out);
/* May this stream connect? 0, -EINVAL (listening), -EISCONN, -EALREADY. */
int sock_stream_can_connect(const struct sock *s);
/* lwIP freed a stream's pcb (lwIP's err: a reset, an abort, a failed
 * connect): the error to report, and everything wakes. */
void sock_failed(struct sock *s, int err);
/* The pending error as -errno, reported once (as Linux's SO_ERROR). */
int sock_take_error(struct sock *s);
/* Does a listener hold a's port? lwIP lets two sockets with SO_REUSEADDR
 * bind a port one of them listens on; Linux does not. Core held. */
bool sock_port_listened(const struct sk_addr *a);

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
