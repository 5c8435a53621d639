/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sockets over lwIP's sequential API, netconn (sock.h), in threaded mode
 * (CONFIG_LWIP_SOCK_NETCONN): what lwIP's own sockets are built on, minus
 * their descriptor table (lib/ukfd's is the one table).
 *
 * The tcpip thread does the protocol work. A netconn call from the
 * application thread takes the core lock (LWIP_CORE_LOCKING) or posts a
 * message to the tcpip thread and waits on the netconn's semaphore.
 * Received data, accepted connections and datagrams wait in the netconn's
 * mailboxes; its event callback (on_event: RCVPLUS, RCVMINUS, SENDPLUS,
 * SENDMINUS, ERROR) counts them, as lwIP's sockets.c does for select, and
 * notifies the socket's file. Every netconn is non-blocking: a call that
 * finds nothing returns -EAGAIN and the front end waits on the file
 * (uk_file_block), so one wait serves blocking calls, poll and epoll.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/file.h>
#include <uk/lwip.h>
#include <uk/string.h>
#include <uk/trace.h>
#include "lwip/api.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "sock.h"

/* A listener's backlog when listen() asks for less (Linux rounds up too);
 * lwIP's is a u8_t. */
#define BACKLOG_MIN 8
#define BACKLOG_MAX 255
/* iovecs handed to one netconn_write_vectors_partly. */
#define SEND_VECTORS 16

/*
 * The netconn's callback knows only the netconn: conn->socket (lwIP's
 * field for its own sockets' index) indexes this table of sockets. It
 * grows by doubling; a free entry is NULL. Touched by the application
 * and tcpip threads, which only switch when one blocks.
 */
static struct sock **slots;
static int slots_len, slot_hint;

static int slot_take(struct sock *s)
{
	struct sock **t;
	int i, n;

	for (i = 0; i < slots_len; i++) {
		int j = (slot_hint + i) % slots_len;

		if (!slots[j]) {
			slots[j] = s;
			slot_hint = j + 1;
			return j;
		}
	}
	n = slots_len ? 2 * slots_len : 16;
	t = uk_realloc(uk_alloc_default(), slots, (size_t)n * sizeof(*t));
	if (!t)
		return -1;
	memset(t + slots_len, 0, (size_t)(n - slots_len) * sizeof(*t));
	i = slots_len;
	slots = t;
	slots_len = n;
	slots[i] = s;
	slot_hint = i + 1;
	return i;
}

static void notify(struct sock *s, uint32_t events)
{
	uk_file_notify(&s->file, events);
}

static bool alive(const struct sock *s)
{
	return s->conn && s->conn->pcb.ip;
}

#if CONFIG_LWIP_TRACEPOINTS
UK_TRACEPOINT(sock_netconn_event, 3, UT_ARG_S64, UT_ARG_U64, UT_ARG_U64);
#else
UK_TRACEPOINT_OFF(sock_netconn_event, 3);
#endif

static void on_event(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	struct sock *s;

	uk_tp_sock_netconn_event(conn->socket, (uint64_t)evt, len);

	if (conn->socket < 0) {
		/* Accepted, no socket yet: count what arrives (accept reads
		 * the count back, as lwIP's sockets do). */
		if (evt == NETCONN_EVT_RCVPLUS)
			conn->socket--;
		return;
	}
	if (conn->socket >= slots_len || !(s = slots[conn->socket]))
		return;
	switch (evt) {
	case NETCONN_EVT_RCVPLUS:
		s->rcvevent++;
		/* Nothing but the peer's FIN comes with no bytes on a live
		 * connection. */
		if (!len && s->type == SK_STREAM && !s->listening && conn->pcb.ip)
			s->rx_fin = true;
		notify(s, UK_EPOLLIN | (s->rx_fin ? UK_EPOLLRDHUP : 0));
		break;
	case NETCONN_EVT_RCVMINUS:
		s->rcvevent--;
		break;
	case NETCONN_EVT_SENDPLUS:
		s->sendevent = true;
		if (s->connecting && conn->pcb.ip) {
			s->connecting = false;
			s->connected = true;
		}
		notify(s, UK_EPOLLOUT);
		break;
	case NETCONN_EVT_SENDMINUS:
		s->sendevent = false;
		break;
	case NETCONN_EVT_ERROR:
		if (conn->pending_err != ERR_OK) /* ERR_OK: a close of ours */
			sock_failed(s, conn->pending_err);
		break;
	}
}

static int attach(struct sock *s, struct netconn *conn)
{
	int slot = slot_take(s);

	if (slot < 0)
		return -ENOMEM;
	s->conn = conn;
	s->slot = slot;
	conn->socket = slot;
	return 0;
}

/* The netconn goes: its events stop reaching s. */
static struct netconn *detach(struct sock *s)
{
	struct netconn *conn = s->conn;

	if (conn) {
		slots[s->slot] = NULL;
		conn->socket = -1;
	}
	s->conn = NULL;
	return conn;
}

static int open_conn(struct sock *s, enum netconn_type type)
{
	struct netconn *conn = netconn_new_with_callback(type, on_event);

	if (!conn)
		return -ENOMEM;
	netconn_set_nonblocking(conn, 1);
	netconn_set_recvbufsize(conn, s->rcvbuf);
	if (attach(s, conn)) {
		netconn_delete(conn);
		return -ENOMEM;
	}
	s->sendevent = type == NETCONN_UDP;
	return 0;
}

static int name_of(struct sock *s, bool peer, struct sk_addr *out)
{
	return sock_err(netconn_getaddr(s->conn, &out->ip, &out->port, !peer));
}

/* ---- options: the pcb, touched where the core may be --------------------- */

struct opt_call {
	struct sock *s;
	enum sock_opt o;
	bool on;
};

static int opt_in_core(void *arg)
{
	struct opt_call *c = arg;
	struct netconn *conn = c->s->conn;
	u8_t sof = c->o == SOCK_OPT_REUSEADDR ? SOF_REUSEADDR : SOF_KEEPALIVE;
	bool nagle = c->o == SOCK_OPT_NODELAY;

	if (!conn || !conn->pcb.ip)
		return nagle ? c->s->nodelay > 0 : 0;
	if (nagle && (c->s->type != SK_STREAM || c->s->listening))
		return c->s->nodelay > 0;
	if (nagle && c->on)
		tcp_nagle_disable(conn->pcb.tcp);
	else if (nagle)
		tcp_nagle_enable(conn->pcb.tcp);
	else if (c->on)
		ip_set_option(conn->pcb.ip, sof);
	else
		ip_reset_option(conn->pcb.ip, sof);
	return nagle ? tcp_nagle_disabled(conn->pcb.tcp) != 0
		     : ip_get_option(conn->pcb.ip, sof) != 0;
}

static int opt_get_in_core(void *arg)
{
	struct opt_call *c = arg;
	struct netconn *conn = c->s->conn;
	bool nagle = c->o == SOCK_OPT_NODELAY;

	if (!conn || !conn->pcb.ip || (nagle && (c->s->type != SK_STREAM || c->s->listening)))
		return nagle ? c->s->nodelay > 0 : 0;
	if (nagle)
		return tcp_nagle_disabled(conn->pcb.tcp) != 0;
	return ip_get_option(conn->pcb.ip,
			     c->o == SOCK_OPT_REUSEADDR ? SOF_REUSEADDR : SOF_KEEPALIVE) != 0;
}

void sock_opt_set(struct sock *s, enum sock_opt o, bool on)
{
	struct opt_call c = { s, o, on };

	if (o == SOCK_OPT_RCVBUF) { /* bounds the UDP mailbox, as Linux's queue */
		if (s->conn)
			netconn_set_recvbufsize(s->conn, s->rcvbuf);
		return;
	}
	uk_lwip_call(opt_in_core, &c);
}

bool sock_opt_get(struct sock *s, enum sock_opt o)
{
	struct opt_call c = { s, o, false };

	return o != SOCK_OPT_RCVBUF && uk_lwip_call(opt_get_in_core, &c);
}

unsigned sock_tcp_state(const struct sock *s)
{
	return alive(s) ? s->conn->pcb.tcp->state : 0;
}

int sock_nread(struct sock *s)
{
	if (s->type == SK_STREAM)
		return (s->rx ? s->rx->tot_len - s->rx_off : 0) +
		       (s->shut_rd || !s->conn ? 0 : s->conn->recv_avail);
	if (!s->dgram && s->rcvevent > 0)
		netconn_recv_udp_raw_netbuf_flags(s->conn, &s->dgram, NETCONN_DONTBLOCK);
	return s->dgram ? s->dgram->p->tot_len : 0; /* the next datagram, as Linux */
}

/* ---- TCP -------------------------------------------------------------------- */

int sock_tcp_open(struct sock *s)
{
	return open_conn(s, NETCONN_TCP);
}

struct bind_call {
	struct sock *s;
	const struct sk_addr *a;
};

static int bind_check_in_core(void *arg)
{
	struct bind_call *b = arg;
	struct tcp_pcb *pcb = b->s->conn->pcb.tcp;

	if (!pcb || pcb->local_port || b->s->listening)
		return -EINVAL; /* gone, or already bound */
	if (b->a->port && sock_port_listened(b->a))
		return -EADDRINUSE;
	if (b->s->reuseaddr)
		ip_set_option(pcb, SOF_REUSEADDR);
	return 0;
}

int sock_tcp_bind(struct sock *s, const struct sk_addr *a)
{
	struct bind_call b = { s, a };
	int r = uk_lwip_call(bind_check_in_core, &b);

	return r ? r : sock_err(netconn_bind(s->conn, &a->ip, a->port));
}

int sock_tcp_listen(struct sock *s, int backlog)
{
	err_t err = ERR_OK;

	if (s->listening) /* Linux only changes the backlog */
		return 0;
	if (!alive(s) || s->connected || s->connecting)
		return -EINVAL;
	if (backlog < BACKLOG_MIN)
		backlog = BACKLOG_MIN;
	if (backlog > BACKLOG_MAX)
		backlog = BACKLOG_MAX;
	if (!s->conn->pcb.tcp->local_port)
		err = netconn_bind(s->conn, IP4_ADDR_ANY, 0);
	if (err == ERR_OK)
		err = netconn_listen_with_backlog(s->conn, (u8_t)backlog);
	if (err != ERR_OK)
		return sock_err(err);
	s->listening = true;
	s->rcvevent = 0;
	return 0;
}

long sock_tcp_accept(struct sock *s, struct sock **out)
{
	struct netconn *nc;
	struct sock *c;
	err_t err;

	if (!s->listening)
		return -EINVAL;
	do {
		if (s->rcvevent <= 0)
			return -EAGAIN;
		err = netconn_accept(s->conn, &nc);
	} while (err == ERR_ABRT); /* lwIP could not set one up: the next */
	if (err != ERR_OK)
		return err == ERR_WOULDBLOCK ? -EAGAIN : sock_err(err);
	c = sock_alloc(SK_STREAM, 0);
	if (!c) {
		netconn_delete(nc);
		return -ENOMEM;
	}
	c->rcvevent = -1 - nc->socket; /* what arrived before (on_event) */
	if (attach(c, nc)) {
		netconn_delete(nc);
		uk_file_put(&c->file);
		return -ENOMEM;
	}
	netconn_set_nonblocking(nc, 1);
	c->connected = true;
	c->sendevent = true;
	if (!nc->pcb.ip)
		sock_failed(c, nc->pending_err ? nc->pending_err : ERR_RST);
	c->nodelay = s->nodelay;
	if (s->nodelay >= 0)
		sock_opt_set(c, SOCK_OPT_NODELAY, s->nodelay > 0);
	*out = c;
	return 0;
}

int sock_tcp_connect(struct sock *s, const struct sk_addr *a)
{
	int r = sock_stream_can_connect(s);
	err_t err;

	if (r)
		return r;
	if (!alive(s))
		return -EINVAL;
	if (s->reuseaddr)
		sock_opt_set(s, SOCK_OPT_REUSEADDR, true);
	s->error = 0;
	/* Before the call: without the core lock the tcpip thread may
	 * connect (SENDPLUS) before the call returns. */
	s->connecting = true;
	err = netconn_connect(s->conn, &a->ip, a->port);
	if (err == ERR_INPROGRESS || err == ERR_OK)
		return -EINPROGRESS;
	s->connecting = false;
	return sock_err(err);
}

long sock_tcp_send(struct sock *s, struct sock_msg *m)
{
	struct netvector v[SEND_VECTORS];
	size_t sent = 0;
	err_t err = ERR_OK;
	int i = 0;

	if (s->error)
		return sock_take_error(s);
	if (s->shut_wr || (!alive(s) && s->connected))
		return -EPIPE;
	if (!s->connected || !alive(s))
		return s->connecting ? -EAGAIN : -ENOTCONN;
	while (i < m->iovcnt) {
		size_t want = 0, done = 0;
		u16_t n = 0;

		for (; i < m->iovcnt && n < SEND_VECTORS; i++) {
			if (!m->iov[i].len)
				continue;
			v[n].ptr = m->iov[i].base;
			v[n].len = m->iov[i].len;
			want += v[n++].len;
		}
		if (!n)
			break;
		err = netconn_write_vectors_partly(s->conn, v, n,
						   NETCONN_COPY | NETCONN_DONTBLOCK |
						   (i < m->iovcnt ? NETCONN_MORE : 0),
						   &done);
		sent += err == ERR_OK ? done : 0;
		if (err != ERR_OK || done < want)
			break;
	}
	if (sent)
		return (long)sent;
	if (err == ERR_OK || err == ERR_WOULDBLOCK)
		return -EAGAIN;
	if (s->error)
		return sock_take_error(s);
	return alive(s) ? sock_err(err) : -EPIPE;
}

/* Take the next message of the receive mailbox into s->rx (empty); the
 * peer's FIN sets eof. */
static bool pull(struct sock *s)
{
	struct pbuf *p;
	err_t err;

	if (s->rcvevent <= 0 || s->eof || !alive(s))
		return false;
	err = netconn_recv_tcp_pbuf_flags(s->conn, &p,
					  NETCONN_DONTBLOCK | NETCONN_NOAUTORCVD);
	if (err == ERR_CLSD)
		s->eof = s->rx_fin = true;
	if (err != ERR_OK || !p)
		return false;
	s->rx = p;
	s->rx_off = 0;
	return true;
}

/* Tell lwIP n bytes were read: the window opens as the reader reads. */
static void consumed(struct sock *s, size_t n)
{
	if (n && alive(s))
		netconn_tcp_recvd(s->conn, n);
}

/* After SHUT_RD, what arrives is dropped (as Linux does), when the socket
 * is next used. */
static void drop_received(struct sock *s)
{
	size_t n = 0;

	do {
		if (s->rx) {
			n += (size_t)(s->rx->tot_len - s->rx_off);
			pbuf_free(s->rx);
			s->rx = NULL;
			s->rx_off = 0;
		}
	} while (pull(s));
	consumed(s, n);
}

long sock_tcp_recv(struct sock *s, struct sock_msg *m)
{
	size_t want = uk_iov_total(m->iov, m->iovcnt), got = 0;
	bool peek = m->flags & SK_MSG_PEEK;

	if (s->shut_rd) {
		drop_received(s);
		return 0;
	}
	/* One message's pbuf at a time in s->rx: chaining could overflow
	 * a pbuf's 16-bit length. */
	while ((s->rx || pull(s)) && !(got && peek)) {
		got += sock_rx_copy(s, m, got);
		if (got == want)
			break;
	}
	if (got) {
		if (!peek)
			consumed(s, got);
		return (long)got;
	}
	if (s->eof)
		return 0;
	if (s->error)
		return sock_take_error(s);
	if (!s->connected)
		return s->connecting ? -EAGAIN : -ENOTCONN;
	return alive(s) ? -EAGAIN : 0;
}

uint32_t sock_tcp_poll(struct sock *s)
{
	if (s->listening)
		return s->rcvevent > 0 ? UK_EPOLLIN | UK_EPOLLRDNORM : 0;
	return sock_stream_events(s, s->rx || s->rcvevent > 0 || s->eof, alive(s),
				  s->sendevent);
}

int sock_tcp_shutdown(struct sock *s, int how)
{
	bool rd = how != SK_SHUT_WR, wr = how != SK_SHUT_RD;

	if (s->listening || !s->connected)
		return -ENOTCONN; /* a listener: see lib/lwip/README.md */
	if (rd && !s->shut_rd) {
		s->shut_rd = true;
		drop_received(s);
	}
	if (wr && !s->shut_wr) {
		s->shut_wr = true;
		if (alive(s))
			netconn_shutdown(s->conn, 0, 1);
	}
	notify(s, 0);
	return 0;
}

static int abort_in_core(void *arg)
{
	struct netconn *conn = arg;

	if (conn->pcb.tcp)
		tcp_abort(conn->pcb.tcp);
	return 0;
}

void sock_tcp_close(struct sock *s)
{
	/* Linux resets a connection closed with data unread. */
	bool unread = !s->listening && (s->rx || (s->conn && s->conn->recv_avail > 0));
	struct netconn *conn = detach(s);

	if (s->rx)
		pbuf_free(s->rx);
	s->rx = NULL;
	if (!conn)
		return;
	if (unread)
		uk_lwip_call(abort_in_core, conn);
	netconn_delete(conn); /* a listener's queue goes with it */
}

int sock_tcp_name(struct sock *s, bool peer, struct sk_addr *out)
{
	if (!alive(s))
		return peer ? -ENOTCONN : 0;
	if (peer && (!s->connected || s->listening))
		return -ENOTCONN;
	return name_of(s, peer, out);
}

/* ---- UDP -------------------------------------------------------------------- */

int sock_udp_open(struct sock *s)
{
	return open_conn(s, NETCONN_UDP);
}

int sock_udp_bind(struct sock *s, const struct sk_addr *a)
{
	if (s->conn->pcb.udp->local_port)
		return -EINVAL;
	if (s->reuseaddr)
		sock_opt_set(s, SOCK_OPT_REUSEADDR, true);
	return sock_err(netconn_bind(s->conn, &a->ip, a->port));
}

int sock_udp_connect(struct sock *s, const struct sk_addr *a)
{
	int err = sock_err(netconn_connect(s->conn, &a->ip, a->port));

	s->connected = !err;
	return err;
}

long sock_udp_send(struct sock *s, struct sock_msg *m)
{
	struct netbuf nb;
	long len;
	err_t err;

	memset(&nb, 0, sizeof(nb));
	len = sock_dgram_out(s, m, &nb.p);
	if (len < 0)
		return len;
	nb.ptr = nb.p;
	err = m->to ? netconn_sendto(s->conn, &nb, &m->to->ip, m->to->port)
		    : netconn_send(s->conn, &nb);
	pbuf_free(nb.p);
	return err == ERR_OK ? len : sock_err(err);
}

long sock_udp_recv(struct sock *s, struct sock_msg *m)
{
	if (!s->dgram && (s->rcvevent <= 0 ||
			  netconn_recv_udp_raw_netbuf_flags(s->conn, &s->dgram,
							    NETCONN_DONTBLOCK) != ERR_OK))
		return s->shut_rd ? 0 : -EAGAIN;
	if (m->from) {
		m->from->ip = *netbuf_fromaddr(s->dgram);
		m->from->port = netbuf_fromport(s->dgram);
	}
	{
		long n = (long)sock_dgram_copy(s->dgram->p, m);

		if (!(m->flags & SK_MSG_PEEK)) {
			netbuf_delete(s->dgram);
			s->dgram = NULL;
		}
		return n;
	}
}

uint32_t sock_udp_poll(struct sock *s)
{
	uint32_t ev = UK_EPOLLOUT | UK_EPOLLWRNORM;

	if (s->dgram || s->rcvevent > 0 || s->shut_rd)
		ev |= UK_EPOLLIN | UK_EPOLLRDNORM;
	return ev;
}

void sock_udp_close(struct sock *s)
{
	struct netconn *conn = detach(s);

	if (s->dgram)
		netbuf_delete(s->dgram);
	s->dgram = NULL;
	if (conn)
		netconn_delete(conn);
}

int sock_udp_name(struct sock *s, bool peer, struct sk_addr *out)
{
	if (peer && !s->connected)
		return -ENOTCONN;
	return name_of(s, peer, out);
}
