/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * httpload: an exact number of requests over keep-alive connections, for
 * the tests (wrk runs for a duration; a test wants a count).
 *
 *   httpload --port N [--host A] [--connections C] [--requests R]
 *            [--pipeline P] [--path /x] [--expect-status S]
 *            [--expect-length L] [--stall-ms MS] [--ramp]
 *
 * C connections share R GET requests; each keeps up to P of them in
 * flight (pipelined). Every answer must have status S (default 200) and,
 * with --expect-length, that Content-Length. An answer that differs, a
 * connection closed or reset early, or no progress for --stall-ms
 * (default 10000) is an error. With --ramp a connection is opened only
 * once the one before it has had an answer: a server behind a listen
 * backlog of 1 (QEMU's slirp, DESIGN.md section 7) is then never handed
 * more handshakes than it can queue, whose dropped ACKs would otherwise
 * leave connections waiting seconds for the client's retransmissions.
 * Prints
 *   requests=R answered=A errors=E bytes=B
 * and exits 0 when every request was answered without error, 1
 * otherwise, 2 on a bad option.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_BUF 65536

struct load {
	struct sockaddr_in addr;
	unsigned conns, pipeline, stall_ms;
	bool ramp;		/* open each connection after the last answered */
	uint64_t requests, sent, answered, errors, bytes;
	int expect_status;
	long long expect_length;	/* -1: any */
	char req[512];
	size_t req_len;
	int epfd;
};

struct lconn {
	int fd;
	unsigned in_flight;
	size_t req_off;		/* of the request being written */
	bool writing;
	bool want_out;		/* EPOLLOUT is watched */
	char in[IN_BUF];
	size_t in_len;
	uint64_t body_left;
	bool in_body;
	bool answered_once;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static unsigned long long num(const char *opt, const char *s,
			      unsigned long long lo, unsigned long long hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, "httpload: %s: '%s' is not a number in "
			"%llu..%llu\n", opt, s, lo, hi);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct load *L)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "connections", required_argument, NULL, 'c' },
		{ "requests", required_argument, NULL, 'n' },
		{ "pipeline", required_argument, NULL, 'P' },
		{ "path", required_argument, NULL, 'u' },
		{ "expect-status", required_argument, NULL, 's' },
		{ "expect-length", required_argument, NULL, 'l' },
		{ "stall-ms", required_argument, NULL, 't' },
		{ "ramp", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *host = "127.0.0.1", *path = "/";
	unsigned port = 0;
	int c, n;

	L->conns = 32;
	L->requests = 10000;
	L->pipeline = 1;
	L->expect_status = 200;
	L->expect_length = -1;
	L->stall_ms = 10000;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': host = optarg; break;
		case 'p': port = (unsigned)num("--port", optarg, 1, 65535); break;
		case 'c': L->conns = (unsigned)num("--connections", optarg, 1, 10000); break;
		case 'n': L->requests = num("--requests", optarg, 1, 1ULL << 40); break;
		case 'P': L->pipeline = (unsigned)num("--pipeline", optarg, 1, 1024); break;
		case 'u': path = optarg; break;
		case 's': L->expect_status = (int)num("--expect-status", optarg, 100, 599); break;
		case 'l': L->expect_length = (long long)num("--expect-length", optarg, 0, 1ULL << 40); break;
		case 't': L->stall_ms = (unsigned)num("--stall-ms", optarg, 1, 3600000); break;
		case 'r': L->ramp = true; break;
		default: exit(2);
		}
	}
	if (!port || optind < argc) {
		fprintf(stderr, "httpload: --port is required, and takes no "
			"other arguments\n");
		exit(2);
	}
	L->addr.sin_family = AF_INET;
	L->addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &L->addr.sin_addr) != 1) {
		fprintf(stderr, "httpload: --host %s: not an IPv4 address\n", host);
		exit(2);
	}
	n = snprintf(L->req, sizeof(L->req),
		     "GET %s HTTP/1.1\r\nHost: %s:%u\r\n\r\n", path, host, port);
	if (n < 0 || (size_t)n >= sizeof(L->req)) {
		fprintf(stderr, "httpload: --path too long\n");
		exit(2);
	}
	L->req_len = (size_t)n;
}

static int lconn_open(struct load *L, struct lconn *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&L->addr, sizeof(L->addr)) < 0 &&
	    errno != EINPROGRESS)
		return -1;
	c->want_out = true;
	return epoll_ctl(L->epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

/* Watch EPOLLOUT only while a request waits for room: level-triggered,
 * it would fire all the time otherwise. */
static void lconn_watch_out(struct load *L, struct lconn *c, bool out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0),
				  .data.ptr = c };

	if (out != c->want_out) {
		c->want_out = out;
		epoll_ctl(L->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	}
}

static void lconn_close(struct load *L, struct lconn *c)
{
	epoll_ctl(L->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}

/* A connection that failed: its requests in flight are lost. */
static void lconn_fail(struct load *L, struct lconn *c, const char *why)
{
	if (L->errors < 5)
		fprintf(stderr, "httpload: %s\n", why);
	L->errors += c->in_flight ? c->in_flight : 1;
	L->answered += c->in_flight;
	c->in_flight = 0;
	lconn_close(L, c);
}

static bool lconn_write(struct load *L, struct lconn *c)
{
	for (;;) {
		ssize_t n;

		if (!c->writing) {
			if (c->in_flight >= L->pipeline || L->sent >= L->requests) {
				lconn_watch_out(L, c, false);
				return true;
			}
			c->writing = true;
			c->req_off = 0;
			c->in_flight++;
			L->sent++;
		}
		n = send(c->fd, L->req + c->req_off, L->req_len - c->req_off,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			lconn_watch_out(L, c, true);
			return true;
		}
		if (n < 0) {
			lconn_fail(L, c, "send failed");
			return false;
		}
		c->req_off += (size_t)n;
		if (c->req_off == L->req_len)
			c->writing = false;
	}
}

/* One answer's head in[0, len): check it, start skipping its body. */
static bool check_head(struct load *L, struct lconn *c, size_t len)
{
	char head[IN_BUF + 1];
	const char *cl;
	long long length;

	memcpy(head, c->in, len);
	head[len] = '\0';
	if (strncmp(head, "HTTP/1.1 ", 9) || atoi(head + 9) != L->expect_status ||
	    !(cl = strcasestr(head, "\r\nContent-Length:"))) {
		char why[128];

		/* Its status line says what went wrong (a 408, a 503...). */
		snprintf(why, sizeof(why), "unexpected answer head: %.*s",
			 (int)strcspn(head, "\r\n"), head);
		lconn_fail(L, c, why);
		return false;
	}
	length = atoll(cl + 17);
	if (L->expect_length >= 0 && length != L->expect_length) {
		lconn_fail(L, c, "unexpected Content-Length");
		return false;
	}
	if (strcasestr(head, "\r\nConnection: close")) {
		lconn_fail(L, c, "the server closes a keep-alive connection");
		return false;
	}
	c->body_left = (uint64_t)length;
	c->in_body = true;
	L->bytes += len + (uint64_t)length;
	return true;
}

static bool lconn_consume(struct load *L, struct lconn *c)
{
	size_t off = 0;

	while (off < c->in_len) {
		if (c->in_body) {
			size_t k = c->in_len - off;

			if (k > c->body_left)
				k = (size_t)c->body_left;
			c->body_left -= k;
			off += k;
			if (c->body_left)
				break;
			c->in_body = false;
			c->in_flight--;
			c->answered_once = true;
			L->answered++;
			continue;
		}
		char *end = memmem(c->in + off, c->in_len - off, "\r\n\r\n", 4);
		if (!end) {
			if (off == 0 && c->in_len == IN_BUF) {
				lconn_fail(L, c, "answer head too long");
				return false;
			}
			break;
		}
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
		off = 0;
		end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
		if (!check_head(L, c, (size_t)(end - c->in) + 4))
			return false;
		off = (size_t)(end - c->in) + 4;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
	return true;
}

static bool lconn_read(struct load *L, struct lconn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->in + c->in_len, IN_BUF - c->in_len);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		if (n <= 0) {
			lconn_fail(L, c, n ? "read failed" :
				   "the server closed the connection early");
			return false;
		}
		c->in_len += (size_t)n;
		if (!lconn_consume(L, c))
			return false;
	}
}

static bool lconn_done(const struct load *L, const struct lconn *c)
{
	return !c->in_flight && !c->writing && L->sent >= L->requests;
}

/* Open the connections not yet opened that may be: all of them, or with
 * --ramp the next one once the last has been answered or has ended, as
 * long as requests are left to send (the earlier connections may have
 * sent them all: a connection with nothing to send would only wait for a
 * handshake slirp may hold up for seconds). -1 when a connect fails. */
static int open_more(struct load *L, struct lconn *cs, unsigned *opened,
		     unsigned *open)
{
	while (*opened < L->conns && L->sent < L->requests) {
		const struct lconn *last = *opened ? &cs[*opened - 1] : NULL;

		if (L->ramp && last && last->fd >= 0 && !last->answered_once)
			break;
		if (lconn_open(L, &cs[*opened]) < 0) {
			perror("httpload: connect");
			return -1;
		}
		(*opened)++;
		(*open)++;
	}
	return 0;
}

static int run(struct load *L, struct lconn *cs)
{
	struct epoll_event evs[64];
	uint64_t last_progress = now_ms(), last_answered = 0;
	unsigned open = 0, opened = 0;

	if (open_more(L, cs, &opened, &open) < 0)
		return -1;
	while (open) {
		int n = epoll_wait(L->epfd, evs, 64, 100);

		for (int i = 0; i < n; i++) {
			struct lconn *c = evs[i].data.ptr;

			if (c->fd < 0)
				continue;
			if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
			    !lconn_read(L, c))
				goto closed;
			if (!lconn_write(L, c))
				goto closed;
			if (!lconn_done(L, c))
				continue;
			lconn_close(L, c);
closed:
			open--;
		}
		if (open_more(L, cs, &opened, &open) < 0)
			return -1;
		if (L->answered != last_answered) {
			last_answered = L->answered;
			last_progress = now_ms();
		} else if (now_ms() - last_progress > L->stall_ms) {
			fprintf(stderr, "httpload: no answer for %u ms\n",
				L->stall_ms);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct load L = { 0 };
	struct lconn *cs;
	int r;

	parse_args(argc, argv, &L);
	L.epfd = epoll_create1(0);
	cs = calloc(L.conns, sizeof(*cs));
	if (L.epfd < 0 || !cs) {
		perror("httpload");
		return 1;
	}
	for (unsigned i = 0; i < L.conns; i++)
		cs[i].fd = -1;
	r = run(&L, cs);
	for (unsigned i = 0; i < L.conns; i++)
		if (cs[i].fd >= 0)
			close(cs[i].fd);
	free(cs);
	close(L.epfd);
	printf("requests=%llu answered=%llu errors=%llu bytes=%llu\n",
	       (unsigned long long)L.requests, (unsigned long long)L.answered,
	       (unsigned long long)L.errors, (unsigned long long)L.bytes);
	return r == 0 && !L.errors && L.answered == L.requests ? 0 : 1;
}
