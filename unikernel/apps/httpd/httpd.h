/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * httpd: one thread, one epoll set, non-blocking sockets. Every piece of
 * state hangs off struct server (no globals but the stop flag a signal
 * handler sets), so the self-test and the tests drive the same code.
 *
 *   main.c      options, start-up, exit status
 *   server.c    listener, accept, connection limit, timers, the loop
 *   conn.c      one connection: read, parse, answer, write, close
 *   respond.c   routing and response heads
 *   metrics.c   /metrics in Prometheus text format 0.0.4 (prom.c)
 *   textbuf.c   text appended to a fixed buffer
 *   page.c      the body served
 *   selftest.c  --self-test: a client in the same process
 *   stats_*.c   allocator and network-stack statistics (stats.h)
 */
#ifndef HTTPD_H
#define HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/uio.h>

#include "http_parse.h"

/* Bytes of a connection's output buffer: response heads and small bodies
 * are copied into it so that pipelined answers leave in one sendmsg. */
#define HTTPD_OUT_BUF 8192
/* A scraping connection's /metrics buffer: its first size, and the most
 * it grows to (a larger text is a 500). */
#define HTTPD_METRICS_MIN 8192
#define HTTPD_METRICS_MAX 65536
/* Bodies up to this size are copied next to their head; larger ones are
 * written from the one copy in memory. */
#define HTTPD_COPY_BODY_MAX 2048
/* Answers queued on one connection and not yet fully written. */
#define HTTPD_PENDING_MAX 32
#define HTTPD_IOV_MAX (2 * HTTPD_PENDING_MAX)
/* Sockets answered 503 and draining before close (server.c). */
#define HTTPD_REJECT_SLOTS 32
/* Work done for one connection before others get a turn. */
#define HTTPD_REQUESTS_PER_TURN 32
#define HTTPD_READS_PER_TURN 4
#define HTTPD_ACCEPTS_PER_TURN 64
/* How long a closing socket is drained before close (at most). */
#define HTTPD_LINGER_MS 1000
/* How long accept() pauses after running out of file descriptors. */
#define HTTPD_ACCEPT_PAUSE_MS 100

struct httpd_config {
	const char *addr;	/* IPv4, dotted */
	unsigned port;		/* 0: any free port, printed */
	const char *body;	/* the page served */
	size_t body_len;
	unsigned max_conns;
	size_t max_head;	/* request line + headers, bytes */
	unsigned idle_ms, request_ms, write_ms;
	uint64_t exit_after;	/* answers, then stop; 0: serve for ever */
	bool self_test;
	bool print_metrics;
	bool print_body;	/* --print-body: the page on stdout, then exit */
};

/* Which counters an answer goes to: the page's numbers stay the page's
 * own however often /metrics is scraped. */
enum httpd_handler { HANDLER_PAGE, HANDLER_METRICS, HANDLER_ERROR,
		     HANDLER_COUNT };

/* Error statuses the server sends, in the order /metrics lists them. */
#define HTTPD_ERROR_STATUSES { 400, 404, 405, 408, 413, 500, 503, 505 }
#define HTTPD_NERROR_STATUSES 8

enum httpd_timeout { TIMEOUT_IDLE, TIMEOUT_REQUEST, TIMEOUT_WRITE,
		     TIMEOUT_LINGER, TIMEOUT_COUNT };

/* Latency buckets: upper bounds 2^LO .. 2^HI cycles, then +Inf. */
#define HTTPD_LAT_LO 10
#define HTTPD_LAT_HI 32
#define HTTPD_LAT_BUCKETS (HTTPD_LAT_HI - HTTPD_LAT_LO + 2)

struct httpd_stats {
	uint64_t requests[HANDLER_COUNT];	/* answers written */
	uint64_t request_bytes[HANDLER_COUNT];	/* request heads read */
	uint64_t response_bytes[HANDLER_COUNT];	/* answers written */
	uint64_t errors[HTTPD_NERROR_STATUSES];
	uint64_t timeouts[TIMEOUT_COUNT];
	uint64_t accepted, rejected, accept_errors, resets;
	uint64_t bytes_read;			/* every byte read */
	uint64_t open_conns;
	/* Page requests only, first byte read to last byte written. */
	uint64_t lat_buckets[HTTPD_LAT_BUCKETS];
	uint64_t lat_sum, lat_count;
	/* The loop's own work: from epoll_wait's return to the next call. */
	uint64_t busy_cycles;
	uint64_t wakeups;			/* epoll_wait returns */
};

/* What epoll's data.ptr points at: the first member of each kind. */
enum ev_kind { EV_LISTENER, EV_CONN, EV_REJECT, EV_CLIENT };
struct ev_tag {
	enum ev_kind kind;
};

/* Intrusive doubly-linked list (a connection is on one timer list and
 * maybe on the ready list at once, through two links). */
struct clink {
	struct clink *prev, *next;
};
struct clist {
	struct clink *head, *tail;
};
void clist_append(struct clist *l, struct clink *e);
void clist_remove(struct clist *l, struct clink *e);

/* Connections ordered by deadline: every member of one list got its
 * deadline as now + the same duration, so appending keeps the order and
 * the head is always the first to expire. */
struct timer_list {
	struct clist list;
	unsigned ms;
};

struct reject_slot {
	struct ev_tag tag;
	int fd;			/* -1: free */
	uint64_t deadline_ms;
};

struct selftest;

struct server {
	const struct httpd_config *cfg;
	int epfd;
	struct ev_tag listen_tag;
	int listen_fd;
	unsigned port;		/* bound, after --port 0 */
	bool accept_paused;
	uint64_t accept_resume_ms;
	uint64_t now_ms;	/* read once per loop turn */
	struct timer_list timers[TIMEOUT_COUNT];
	/* Connections with work left after their turn. */
	struct clist ready;
	struct reject_slot rejects[HTTPD_REJECT_SLOTS];
	struct httpd_stats stats;
	struct selftest *selftest;	/* --self-test only */
	int exit_status;
	bool stop;
};

/* server.c */
int server_init(struct server *s, const struct httpd_config *cfg);
/* Run until *stop_flag or s->stop; 0, or -1 on a fatal error. */
int server_run(struct server *s, volatile sig_atomic_t *stop_flag);
void server_close(struct server *s);
uint64_t httpd_now_ms(void);
static inline uint64_t httpd_cycles(void)
{
	return __builtin_ia32_rdtsc();
}
void server_latency_add(struct server *s, uint64_t cycles);
void server_count_error(struct server *s, int status);
/* Epoll registration of a new descriptor (edge-triggered). */
int server_watch(struct server *s, int fd, uint32_t events,
		 struct ev_tag *tag);

/* conn.c */
struct conn *conn_open(struct server *s, int fd);
/* After epoll reported events on the connection. */
void conn_event(struct server *s, struct conn *c, uint32_t events);
/* Continue a connection put on the ready list. */
void conn_resume(struct server *s, struct conn *c);
/* Its deadline passed (it is the head of timers[kind]). */
void conn_expire(struct server *s, struct conn *c, enum httpd_timeout kind);
/* The connection whose timer link (or ready link) this is. */
struct conn *conn_of_timer(struct clink *l);
struct conn *conn_of_ready(struct clink *l);
uint64_t conn_deadline(const struct conn *c);
/* Close every connection (shutdown). */
void conn_close_all(struct server *s);

/* respond.c: an answer as a head and a body that stays where it is. */
struct response {
	int status;
	enum httpd_handler handler;
	bool close;		/* "Connection: close", and close after */
	bool keep_alive_10;	/* "Connection: keep-alive" (HTTP/1.0) */
	bool head_only;		/* HEAD: no body */
	const char *content_type;
	const char *body;
	size_t body_len;
};
/* The answer to a parsed request, except /metrics' body (the caller
 * renders it into the connection's buffer when handler is
 * HANDLER_METRICS). */
void respond_route(const struct server *s, const struct http_request *req,
		   struct response *r);
/* The answer to an error status, always closing. */
void respond_error(int status, struct response *r);
/* Write the head of r into buf; its length, or 0 if it does not fit. */
size_t respond_head(const struct response *r, char *buf, size_t cap);

/* metrics.c: the whole /metrics text into buf; its length, or 0 if it
 * does not fit. */
size_t metrics_render(const struct server *s, char *buf, size_t cap);

/* page.c */
/* The built-in page (612 bytes). */
const char *page_default(size_t *len);
/* A page of exactly n bytes, allocated once; NULL if out of memory. */
char *page_of_size(size_t n);

#endif
