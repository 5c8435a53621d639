/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One connection. Its socket is edge-triggered, so the connection keeps
 * what epoll said (readable, writable) until a call answers EAGAIN, and
 * works in turns: a bounded number of reads and answers, then the next
 * connection; one with work left goes on the ready list.
 *
 * Memory is one block per connection, allocated at accept and freed at
 * close: the input buffer (the request-head limit) and the output buffer
 * are reused by every request on it, so requests never allocate.
 *
 * Answers leave in request order: they are queued as iovecs (heads and
 * small bodies copied into the output buffer, large bodies pointed at),
 * and parsing stops while the queue has no room for the next answer.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd.h"

enum conn_state {
	CONN_ACTIVE,	/* reading and answering requests */
	CONN_CLOSING,	/* the last answer is queued: flush, then linger */
	CONN_LINGER,	/* write side shut: drain input until EOF */
};

/* An answer queued and not yet fully written. */
struct pending {
	uint64_t end;		/* queued_total after its last byte */
	uint64_t start_cycles;	/* its request's first byte read */
	uint64_t bytes;
	enum httpd_handler handler;
};

struct conn {
	struct ev_tag tag;
	int fd;
	enum conn_state state;
	bool readable, writable, peer_eof;
	bool in_request;	/* bytes of an unanswered request are in */
	bool timer_reset;	/* restart the deadline at the next update */
	bool on_ready;
	enum httpd_timeout timer_kind;
	uint64_t deadline_ms;
	struct clink timer_link, ready_link;
	uint64_t req_cycles, last_read_cycles;
	/* Input: the request being parsed is in[in_start, in_end). */
	size_t in_start, in_end, in_scan, in_cap;
	/* Output: iov[iov_head .. +iov_count) still to write, pointing into
	 * out[0, out_used) or at a body that stays in place. */
	size_t out_used;
	unsigned iov_head, iov_count;
	struct iovec iov[HTTPD_IOV_MAX];
	unsigned pend_head, pend_count;
	struct pending pend[HTTPD_PENDING_MAX];
	uint64_t queued_total, sent_total;
	/* /metrics' text, allocated at this connection's first scrape and
	 * reused (grown up to HTTPD_METRICS_MAX when it no longer fits). */
	char *metrics;
	size_t metrics_cap;
	char out[HTTPD_OUT_BUF];
	char in[];
};

#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

struct conn *conn_of_timer(struct clink *l)
{
	return container_of(l, struct conn, timer_link);
}

struct conn *conn_of_ready(struct clink *l)
{
	return container_of(l, struct conn, ready_link);
}

uint64_t conn_deadline(const struct conn *c)
{
	return c->deadline_ms;
}

struct conn *conn_open(struct server *s, int fd)
{
	struct conn *c = malloc(sizeof(*c) + s->cfg->max_head);

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->tag.kind = EV_CONN;
	c->fd = fd;
	c->in_cap = s->cfg->max_head;
	c->timer_kind = TIMEOUT_IDLE;
	c->deadline_ms = s->now_ms + s->timers[TIMEOUT_IDLE].ms;
	if (server_watch(s, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
			 &c->tag) < 0) {
		free(c);
		return NULL;
	}
	clist_append(&s->timers[TIMEOUT_IDLE].list, &c->timer_link);
	s->stats.open_conns++;
	return c;
}

static void conn_free(struct server *s, struct conn *c)
{
	clist_remove(&s->timers[c->timer_kind].list, &c->timer_link);
	if (c->on_ready)
		clist_remove(&s->ready, &c->ready_link);
	close(c->fd);
	s->stats.open_conns--;
	free(c->metrics);
	free(c);
}

/* Closed by an error (reset by the peer, write timeout): what was queued
 * is lost. Returns -1, the connection being gone. */
static int conn_abort(struct server *s, struct conn *c)
{
	s->stats.resets++;
	conn_free(s, c);
	return -1;
}

void conn_close_all(struct server *s)
{
	for (int k = 0; k < TIMEOUT_COUNT; k++)
		while (s->timers[k].list.head)
			conn_free(s, conn_of_timer(s->timers[k].list.head));
}

static void conn_set_ready(struct server *s, struct conn *c)
{
	if (!c->on_ready) {
		c->on_ready = true;
		clist_append(&s->ready, &c->ready_link);
	}
}

/* ---- output ------------------------------------------------------------ */

static void pending_done(struct server *s, const struct pending *p,
			 uint64_t now_cycles)
{
	s->stats.requests[p->handler]++;
	s->stats.response_bytes[p->handler] += p->bytes;
	if (p->handler == HANDLER_PAGE)
		server_latency_add(s, now_cycles - p->start_cycles);
}

static void conn_advance(struct server *s, struct conn *c, size_t n)
{
	uint64_t now_cycles = 0;

	c->sent_total += n;
	while (n) {
		struct iovec *v = &c->iov[c->iov_head];
		size_t k = n < v->iov_len ? n : v->iov_len;

		v->iov_base = (char *)v->iov_base + k;
		v->iov_len -= k;
		n -= k;
		if (!v->iov_len) {
			c->iov_head++;
			c->iov_count--;
		}
	}
	while (c->pend_count && c->pend[c->pend_head].end <= c->sent_total) {
		if (!now_cycles)
			now_cycles = httpd_cycles();
		pending_done(s, &c->pend[c->pend_head], now_cycles);
		c->pend_head = (c->pend_head + 1) % HTTPD_PENDING_MAX;
		c->pend_count--;
	}
	if (!c->iov_count) {
		c->iov_head = 0;
		c->out_used = 0;
	}
}

/* Write what is queued until done or EAGAIN; -1 if the connection died. */
static int conn_flush(struct server *s, struct conn *c)
{
	bool progress = false;

	while (c->iov_count) {
		struct msghdr m = { .msg_iov = c->iov + c->iov_head,
				    .msg_iovlen = c->iov_count };
		ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			c->writable = false;
			break;
		}
		if (n <= 0)
			return conn_abort(s, c);
		conn_advance(s, c, (size_t)n);
		progress = true;
	}
	/* A reader that keeps reading keeps its connection (the write
	 * deadline runs between two writes). */
	if (progress && c->timer_kind == TIMEOUT_WRITE)
		c->timer_reset = true;
	return 0;
}

static void iov_push(struct conn *c, const char *p, size_t n)
{
	struct iovec *last;

	if (!n)
		return;
	last = c->iov_count ? &c->iov[c->iov_head + c->iov_count - 1] : NULL;
	if (last && (char *)last->iov_base + last->iov_len == p) {
		last->iov_len += n;
		return;
	}
	c->iov[c->iov_head + c->iov_count].iov_base = (void *)p;
	c->iov[c->iov_head + c->iov_count].iov_len = n;
	c->iov_count++;
}

static bool queue_has_room(const struct conn *c)
{
	return c->pend_count < HTTPD_PENDING_MAX &&
	       c->iov_head + c->iov_count + 2 <= HTTPD_IOV_MAX;
}

/* The head of r was written at out + out_used (head_len bytes) and, if
 * body_in_out, its body right after: queue both. */
static void queue_written(struct conn *c, const struct response *r,
			  size_t head_len, bool body_in_out)
{
	size_t body_len = r->head_only ? 0 : r->body_len;
	struct pending *p;
	char *start = c->out + c->out_used;

	iov_push(c, start, head_len + (body_in_out ? body_len : 0));
	c->out_used += head_len + (body_in_out ? body_len : 0);
	if (!body_in_out)
		iov_push(c, r->body, body_len);
	p = &c->pend[(c->pend_head + c->pend_count) % HTTPD_PENDING_MAX];
	p->bytes = head_len + body_len;
	c->queued_total += p->bytes;
	p->end = c->queued_total;
	p->start_cycles = c->req_cycles;
	p->handler = r->handler;
	c->pend_count++;
}

/* Queue r; false when the queue has no room for it yet. */
static bool queue_response(struct conn *c, const struct response *r)
{
	size_t body_len = r->head_only ? 0 : r->body_len;
	size_t room = HTTPD_OUT_BUF - c->out_used, head_len;
	bool copy = body_len <= HTTPD_COPY_BODY_MAX;

	if (!queue_has_room(c))
		return false;
	head_len = respond_head(r, c->out + c->out_used, room);
	if (!head_len || (copy && head_len + body_len > room))
		return false;
	if (copy && body_len)
		memcpy(c->out + c->out_used + head_len, r->body, body_len);
	queue_written(c, r, head_len, copy);
	return true;
}

/* Render /metrics into the connection's buffer; its length, 0 when it
 * cannot (out of memory, or more than HTTPD_METRICS_MAX). */
static size_t render_metrics(struct server *s, struct conn *c)
{
	size_t len;

	for (;;) {
		char *p;

		if (c->metrics &&
		    (len = metrics_render(s, c->metrics, c->metrics_cap)))
			return len;
		if (c->metrics_cap >= HTTPD_METRICS_MAX)
			return 0;
		p = realloc(c->metrics, c->metrics_cap ? 2 * c->metrics_cap
						       : HTTPD_METRICS_MIN);
		if (!p)
			return 0;
		c->metrics = p;
		c->metrics_cap = c->metrics_cap ? 2 * c->metrics_cap
						: HTTPD_METRICS_MIN;
	}
}

/*
 * /metrics. The text is written from the connection's metrics buffer,
 * which an earlier scrape's answer may still be using: it waits until
 * the queue is empty. When the text cannot be made, *r becomes a 500.
 */
static bool queue_metrics(struct server *s, struct conn *c, struct response *r)
{
	size_t len;

	if (c->iov_count)
		return false;
	len = render_metrics(s, c);
	if (!len) {
		respond_error(500, r);
		server_count_error(s, 500);
		return queue_response(c, r);
	}
	r->body = c->metrics;
	r->body_len = len;
	return queue_response(c, r);
}

/* ---- input ------------------------------------------------------------- */

/* The request was answered: the next one (if any) starts now. */
static void consume_request(struct conn *c, size_t head_len)
{
	c->in_start += head_len;
	c->in_scan = 0;
	c->timer_reset = true;
	if (c->in_start == c->in_end) {
		c->in_start = c->in_end = 0;
		c->in_request = false;
	} else {
		c->req_cycles = c->last_read_cycles;
	}
}

/* Queue an error answer and stop reading requests. */
static void answer_error(struct server *s, struct conn *c, int status)
{
	struct response r;

	respond_error(status, &r);
	server_count_error(s, status);
	s->stats.request_bytes[HANDLER_ERROR] += c->in_end - c->in_start;
	c->in_start = c->in_end = 0;
	c->in_request = false;
	c->state = CONN_CLOSING;
	/* Errors are short; with no room, the connection just closes. */
	queue_response(c, &r);
}

enum answer_result { ANSWER_WAIT, ANSWER_YIELD, ANSWER_GONE };

/* Answer the complete requests in the input buffer, in order. */
static enum answer_result conn_answer(struct server *s, struct conn *c,
				      unsigned *answered)
{
	struct http_request req;
	struct response r;

	while (c->state == CONN_ACTIVE) {
		enum http_parse_result pr = HTTP_PARSE_MORE;
		bool queued;

		if (c->in_start < c->in_end) {
			if (*answered >= HTTPD_REQUESTS_PER_TURN)
				return ANSWER_YIELD;
			pr = http_parse_request(c->in + c->in_start,
						c->in_end - c->in_start,
						s->cfg->max_head, &c->in_scan,
						&req);
		}
		if (pr == HTTP_PARSE_MORE) {
			if (!c->peer_eof)
				return ANSWER_WAIT;
			/* The peer is done sending: a partial request is
			 * dropped, and the connection closes once what is
			 * queued is written. */
			c->in_start = c->in_end = 0;
			c->in_request = false;
			if (!c->iov_count) {
				conn_free(s, c);
				return ANSWER_GONE;
			}
			c->state = CONN_CLOSING;
			return ANSWER_WAIT;
		}
		if (pr == HTTP_PARSE_ERROR) {
			answer_error(s, c, req.error_status);
			return ANSWER_WAIT;
		}
		respond_route(s, &req, &r);
		queued = r.handler == HANDLER_METRICS ? queue_metrics(s, c, &r)
						      : queue_response(c, &r);
		if (!queued)
			return ANSWER_WAIT;	/* until the queue drains */
		if (r.handler == HANDLER_ERROR)
			server_count_error(s, r.status);
		s->stats.request_bytes[r.handler] += req.head_len;
		(*answered)++;
		consume_request(c, req.head_len);
		if (r.close) {
			c->state = CONN_CLOSING;
			c->in_start = c->in_end = 0;
			c->in_request = false;
		}
	}
	return ANSWER_WAIT;
}

/* One read; -1 if the connection died. */
static int conn_read(struct server *s, struct conn *c)
{
	char *dst;
	size_t room;
	ssize_t n;

	if (c->state == CONN_LINGER) {
		dst = c->in;	/* drained and dropped */
		room = c->in_cap;
	} else {
		if (c->in_end == c->in_cap && c->in_start) {
			memmove(c->in, c->in + c->in_start,
				c->in_end - c->in_start);
			c->in_end -= c->in_start;
			c->in_start = 0;
		}
		dst = c->in + c->in_end;
		room = c->in_cap - c->in_end;
	}
	do
		n = read(c->fd, dst, room);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		c->readable = false;
		return 0;
	}
	if (n < 0)
		return conn_abort(s, c);
	if (n == 0) {
		c->peer_eof = true;
		return 0;
	}
	s->stats.bytes_read += (uint64_t)n;
	if (c->state == CONN_LINGER)
		return 0;
	c->last_read_cycles = httpd_cycles();
	if (!c->in_request) {
		c->in_request = true;
		c->req_cycles = c->last_read_cycles;
	}
	c->in_end += (size_t)n;
	return 0;
}

/* Everything is written: shut the write side (the peer reads our answer
 * and EOF) and drain its input a while, so that closing with unread
 * input does not reset the connection before the answer is read. */
static int conn_start_linger(struct server *s, struct conn *c)
{
	if (c->peer_eof || shutdown(c->fd, SHUT_WR) < 0) {
		conn_free(s, c);
		return -1;
	}
	c->state = CONN_LINGER;
	c->timer_reset = true;
	return 0;
}

static bool conn_wants_read(const struct conn *c)
{
	if (!c->readable || c->peer_eof)
		return false;
	return c->state == CONN_LINGER ||
	       (c->state == CONN_ACTIVE &&
		(c->in_end < c->in_cap || c->in_start));
}

static enum httpd_timeout conn_timer_kind(const struct conn *c)
{
	if (c->state == CONN_LINGER)
		return TIMEOUT_LINGER;
	if (c->iov_count)
		return TIMEOUT_WRITE;
	return c->in_request ? TIMEOUT_REQUEST : TIMEOUT_IDLE;
}

static void conn_update_timer(struct server *s, struct conn *c)
{
	enum httpd_timeout k = conn_timer_kind(c);
	struct timer_list *t = &s->timers[k];
	unsigned ms = t->ms;

	if (k == c->timer_kind && !c->timer_reset)
		return;
	clist_remove(&s->timers[c->timer_kind].list, &c->timer_link);
	if (k == TIMEOUT_LINGER && ms > s->timers[TIMEOUT_REQUEST].ms)
		ms = s->timers[TIMEOUT_REQUEST].ms;
	c->timer_kind = k;
	c->timer_reset = false;
	c->deadline_ms = s->now_ms + ms;
	clist_append(&t->list, &c->timer_link);
}

/* A turn: write, answer, read, until nothing is left to do now or the
 * turn's budget is spent. */
static void conn_run(struct server *s, struct conn *c)
{
	unsigned reads = 0, answered = 0;

	for (;;) {
		if (c->iov_count && c->writable && conn_flush(s, c) < 0)
			return;
		if (c->state == CONN_ACTIVE) {
			enum answer_result a = conn_answer(s, c, &answered);

			if (a == ANSWER_GONE)
				return;
			if (a == ANSWER_YIELD) {
				conn_set_ready(s, c);
				break;
			}
		}
		if (c->state == CONN_CLOSING && !c->iov_count &&
		    conn_start_linger(s, c) < 0)
			return;
		if (c->iov_count && c->writable)
			continue;
		if (c->state == CONN_LINGER && c->peer_eof) {
			conn_free(s, c);
			return;
		}
		if (!conn_wants_read(c))
			break;
		if (reads++ == HTTPD_READS_PER_TURN) {
			conn_set_ready(s, c);
			break;
		}
		if (conn_read(s, c) < 0)
			return;
	}
	conn_update_timer(s, c);
}

void conn_event(struct server *s, struct conn *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		c->readable = true;
	if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
		c->writable = true;
	conn_run(s, c);
}

void conn_resume(struct server *s, struct conn *c)
{
	c->on_ready = false;
	clist_remove(&s->ready, &c->ready_link);
	conn_run(s, c);
}

void conn_expire(struct server *s, struct conn *c, enum httpd_timeout kind)
{
	s->stats.timeouts[kind]++;
	if (kind == TIMEOUT_WRITE) {
		conn_abort(s, c);
		return;
	}
	if (kind == TIMEOUT_LINGER) {
		conn_free(s, c);
		return;
	}
	/* Idle, or a request not complete in time: 408, then close. */
	answer_error(s, c, 408);
	c->timer_reset = true;
	conn_run(s, c);
}
