/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "selftest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd.h"

#define ANSWERS 3
/* Enough for any answer head, and for the start of /metrics' text. */
#define HEAD_BUF 4096

static const char requests[] =
	"GET / HTTP/1.1\r\nHost: selftest\r\n\r\n"
	"GET /missing HTTP/1.1\r\nHost: selftest\r\n\r\n"
	"GET /metrics HTTP/1.1\r\nHost: selftest\r\nConnection: close\r\n\r\n";
static const int expect_status[ANSWERS] = { 200, 404, 200 };

struct selftest {
	struct ev_tag tag;
	int fd;
	bool connected;
	uint64_t deadline_ms;
	size_t sent;
	unsigned answer;	/* answers fully checked */
	/* Bytes read and not yet consumed. */
	char in[HEAD_BUF];
	size_t in_len;
	/* The answer being read: past its head, body_len bytes of body,
	 * compared with the page (answer 0) or kept in metrics as far as
	 * they fit (answer 2). */
	bool in_body;
	uint64_t body_len, body_seen;
	char metrics[HEAD_BUF];
};

static void finish(struct server *s, int status, const char *why)
{
	if (status)
		fprintf(stderr, "httpd: self-test FAILED: %s\n", why);
	else
		printf("httpd: self-test passed\n");
	s->exit_status = status;
	s->stop = true;
	selftest_free(s);
}

int selftest_start(struct server *s)
{
	struct selftest *t = calloc(1, sizeof(*t));
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)s->port) };
	int r;

	if (!t) {
		fprintf(stderr, "httpd: self-test: out of memory\n");
		return -1;
	}
	t->tag.kind = EV_CLIENT;
	t->deadline_ms = s->now_ms + SELFTEST_TIMEOUT_MS;
	s->selftest = t;
	/* A listener on every address is reached on loopback. */
	if (inet_pton(AF_INET, s->cfg->addr, &sa.sin_addr) != 1 ||
	    sa.sin_addr.s_addr == htonl(INADDR_ANY))
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		perror("httpd: self-test: socket");
		selftest_free(s);
		return -1;
	}
	r = connect(t->fd, (struct sockaddr *)&sa, sizeof(sa));
	if (r < 0 && errno != EINPROGRESS) {
		perror("httpd: self-test: connect");
		selftest_free(s);
		return -1;
	}
	if (server_watch(s, t->fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
			 &t->tag) < 0) {
		perror("httpd: self-test: epoll_ctl");
		selftest_free(s);
		return -1;
	}
	return 0;
}

/* Finish the connection attempt; false (with *why) if it failed. */
static bool check_connected(struct selftest *t, const char **why)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		*why = "connect() to the listener failed";
		return false;
	}
	t->connected = true;
	return true;
}

static bool send_requests(struct selftest *t, const char **why)
{
	while (t->sent < sizeof(requests) - 1) {
		ssize_t n = send(t->fd, requests + t->sent,
				 sizeof(requests) - 1 - t->sent, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = "send() failed";
			return false;
		}
		t->sent += (size_t)n;
	}
	return true;
}

/* Parse the head in[0, head_len): status and Content-Length. */
static bool check_head(struct selftest *t, size_t head_len, const char **why)
{
	char head[HEAD_BUF + 1], want[16];
	const char *cl;

	snprintf(want, sizeof(want), "HTTP/1.1 %d ", expect_status[t->answer]);
	if (head_len < strlen(want) || memcmp(t->in, want, strlen(want))) {
		*why = "unexpected status line";
		return false;
	}
	memcpy(head, t->in, head_len);
	head[head_len] = '\0';
	cl = strstr(head, "\r\nContent-Length: ");
	if (!cl) {
		*why = "answer without Content-Length";
		return false;
	}
	t->body_len = strtoull(cl + 18, NULL, 10);
	t->body_seen = 0;
	t->in_body = t->body_len > 0;
	if (!t->in_body)
		t->answer++;
	return true;
}

/* Body bytes [p, p + n) of the current answer. */
static bool check_body(struct server *s, struct selftest *t, const char *p,
		       size_t n, const char **why)
{
	if (t->answer == 0 &&
	    (t->body_len != s->cfg->body_len ||
	     memcmp(p, s->cfg->body + t->body_seen, n))) {
		*why = "the page's body differs from the configured body";
		return false;
	}
	if (t->answer == 2 && t->body_seen < HEAD_BUF - 1) {
		size_t k = n < HEAD_BUF - 1 - t->body_seen
				   ? n : HEAD_BUF - 1 - t->body_seen;
		memcpy(t->metrics + t->body_seen, p, k);
		t->metrics[t->body_seen + k] = '\0';
	}
	t->body_seen += n;
	if (t->body_seen < t->body_len)
		return true;
	if (t->answer == 2 &&
	    !strstr(t->metrics, "# TYPE httpd_requests_total counter\n")) {
		*why = "/metrics text lacks httpd_requests_total";
		return false;
	}
	t->in_body = false;
	t->answer++;
	return true;
}

static void drop_in(struct selftest *t, size_t n)
{
	memmove(t->in, t->in + n, t->in_len - n);
	t->in_len -= n;
}

/* Check what in[] holds, answer by answer. */
static bool consume(struct server *s, struct selftest *t, const char **why)
{
	while (t->in_len) {
		const char *end;
		size_t n;

		if (t->answer == ANSWERS) {
			*why = "bytes after the last answer";
			return false;
		}
		if (t->in_body) {
			n = t->body_len - t->body_seen < t->in_len
				    ? (size_t)(t->body_len - t->body_seen)
				    : t->in_len;
			if (!check_body(s, t, t->in, n, why))
				return false;
			drop_in(t, n);
			continue;
		}
		end = memmem(t->in, t->in_len, "\r\n\r\n", 4);
		if (!end) {
			if (t->in_len == HEAD_BUF) {
				*why = "answer head too long";
				return false;
			}
			return true;
		}
		n = (size_t)(end - t->in) + 4;
		if (!check_head(t, n, why))
			return false;
		drop_in(t, n);
	}
	return true;
}

static bool read_answers(struct server *s, struct selftest *t, bool *eof,
			 const char **why)
{
	for (;;) {
		ssize_t n = read(t->fd, t->in + t->in_len,
				 HEAD_BUF - t->in_len);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = "read() failed";
			return false;
		}
		if (n == 0) {
			*eof = true;
			return true;
		}
		t->in_len += (size_t)n;
		if (!consume(s, t, why))
			return false;
	}
}

void selftest_event(struct server *s, uint32_t events)
{
	struct selftest *t = s->selftest;
	const char *why = NULL;
	bool eof = false;

	if (!t)
		return;
	if (!t->connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) &&
	    !check_connected(t, &why))
		goto failed;
	if (!t->connected)
		return;
	if (!send_requests(t, &why) || !read_answers(s, t, &eof, &why))
		goto failed;
	if (!eof)
		return;
	if (t->answer == ANSWERS)
		finish(s, 0, NULL);
	else
		finish(s, 1, "the server closed before its last answer");
	return;
failed:
	finish(s, 1, why);
}

uint64_t selftest_deadline(const struct selftest *t)
{
	return t->deadline_ms;
}

void selftest_expire(struct server *s)
{
	finish(s, 1, "no complete answer in time");
}

void selftest_free(struct server *s)
{
	struct selftest *t = s->selftest;

	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t);
	s->selftest = NULL;
}
