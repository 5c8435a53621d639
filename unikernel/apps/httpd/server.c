/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
/*
 * The listener, the connection limit and the loop: one epoll_wait per
 * turn, whose timeout is the nearest deadline, then the connections
 * epoll named, then those with work left from their previous turn, then
 * the deadlines that passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpd.h"
#include "selftest.h"

#define LISTEN_BACKLOG 511
#define EVENTS_PER_WAIT 64

void clist_append(struct clist *l, struct clink *e)
{
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
}

void clist_remove(struct clist *l, struct clink *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = NULL;
}

uint64_t httpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void server_latency_add(struct server *s, uint64_t cycles)
{
	unsigned i = 0;

	while (i < HTTPD_LAT_BUCKETS - 1 &&
	       cycles > (uint64_t)1 << (HTTPD_LAT_LO + i))
		i++;
	s->stats.lat_buckets[i]++;
	s->stats.lat_sum += cycles;
	s->stats.lat_count++;
}

void server_count_error(struct server *s, int status)
{
	static const int statuses[] = HTTPD_ERROR_STATUSES;

	for (int i = 0; i < HTTPD_NERROR_STATUSES; i++)
		if (statuses[i] == status)
			s->stats.errors[i]++;
}

int server_watch(struct server *s, int fd, uint32_t events,
		 struct ev_tag *tag)
{
	struct epoll_event ev = { .events = events, .data.ptr = tag };

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static int listen_on(struct server *s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int one = 1;

	if (inet_pton(AF_INET, s->cfg->addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "httpd: --addr %s: not an IPv4 address\n",
			s->cfg->addr);
		return -1;
	}
	sa.sin_port = htons((uint16_t)s->cfg->port);
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
					       SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0) {
		perror("httpd: socket");
		return -1;
	}
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "httpd: bind %s:%u: %s\n", s->cfg->addr,
			s->cfg->port, strerror(errno));
		return -1;
	}
	if (listen(s->listen_fd, LISTEN_BACKLOG) < 0) {
		perror("httpd: listen");
		return -1;
	}
	if (getsockname(s->listen_fd, (struct sockaddr *)&sa, &len) < 0) {
		perror("httpd: getsockname");
		return -1;
	}
	s->port = ntohs(sa.sin_port);
	s->listen_tag.kind = EV_LISTENER;
	if (server_watch(s, s->listen_fd, EPOLLIN, &s->listen_tag) < 0) {
		perror("httpd: epoll_ctl");
		return -1;
	}
	return 0;
}

int server_init(struct server *s, const struct httpd_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->listen_fd = -1;
	s->now_ms = httpd_now_ms();
	s->timers[TIMEOUT_IDLE].ms = cfg->idle_ms;
	s->timers[TIMEOUT_REQUEST].ms = cfg->request_ms;
	s->timers[TIMEOUT_WRITE].ms = cfg->write_ms;
	s->timers[TIMEOUT_LINGER].ms = HTTPD_LINGER_MS;
	for (int i = 0; i < HTTPD_REJECT_SLOTS; i++) {
		s->rejects[i].tag.kind = EV_REJECT;
		s->rejects[i].fd = -1;
	}
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		perror("httpd: epoll_create1");
		return -1;
	}
	if (listen_on(s) < 0) {
		server_close(s);
		return -1;
	}
	return 0;
}

/* ---- connections over the limit ---------------------------------------- */

static void reject_close(struct reject_slot *r)
{
	close(r->fd);
	r->fd = -1;
}

/*
 * Answer 503 and close, without a connection's buffers. The socket is
 * fresh, so the short answer fits its send buffer. It then drains in a
 * slot for up to the linger time (see conn_start_linger); with every slot
 * taken it closes at once.
 */
static void reject(struct server *s, int fd)
{
	static const char answer[] =
		"HTTP/1.1 503 Service Unavailable\r\n"
		"Server: unitune-httpd\r\nContent-Type: text/plain\r\n"
		"Content-Length: 24\r\nConnection: close\r\n\r\n"
		"503 Service Unavailable\n";
	struct reject_slot *slot = NULL;

	s->stats.rejected++;
	server_count_error(s, 503);
	if (send(fd, answer, sizeof(answer) - 1, MSG_NOSIGNAL) < 0 ||
	    shutdown(fd, SHUT_WR) < 0) {
		close(fd);
		return;
	}
	for (int i = 0; i < HTTPD_REJECT_SLOTS && !slot; i++)
		if (s->rejects[i].fd < 0)
			slot = &s->rejects[i];
	if (!slot) {
		close(fd);
		return;
	}
	slot->fd = fd;
	slot->deadline_ms = s->now_ms + HTTPD_LINGER_MS;
	if (server_watch(s, fd, EPOLLIN | EPOLLRDHUP | EPOLLET, &slot->tag) < 0)
		reject_close(slot);
}

static void reject_drain(struct reject_slot *r)
{
	char buf[512];
	ssize_t n;

	while ((n = read(r->fd, buf, sizeof(buf))) > 0)
		;
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		       errno != EINTR))
		reject_close(r);
}

/* ---- accept ------------------------------------------------------------ */

static void accept_pause(struct server *s)
{
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->listen_fd, NULL);
	s->accept_paused = true;
	s->accept_resume_ms = s->now_ms + HTTPD_ACCEPT_PAUSE_MS;
}

static void accept_resume(struct server *s)
{
	if (server_watch(s, s->listen_fd, EPOLLIN, &s->listen_tag) == 0)
		s->accept_paused = false;
	else
		s->accept_resume_ms = s->now_ms + HTTPD_ACCEPT_PAUSE_MS;
}

static void accept_some(struct server *s)
{
	int one = 1;

	for (int i = 0; i < HTTPD_ACCEPTS_PER_TURN; i++) {
		int fd = accept4(s->listen_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			s->stats.accept_errors++;
			/* Out of descriptors or memory: the listener stays
			 * readable, so stop watching it a while rather than
			 * spin on it. */
			accept_pause(s);
			return;
		}
		if (s->stats.open_conns >= s->cfg->max_conns) {
			reject(s, fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!conn_open(s, fd)) {
			s->stats.accept_errors++;
			close(fd);
			continue;
		}
		s->stats.accepted++;
	}
}

/* ---- the loop ---------------------------------------------------------- */

static void dispatch(struct server *s, const struct epoll_event *ev)
{
	struct ev_tag *tag = ev->data.ptr;

	switch (tag->kind) {
	case EV_LISTENER:
		accept_some(s);
		break;
	case EV_CONN:
		conn_event(s, (struct conn *)(void *)tag, ev->events);
		break;
	case EV_REJECT:
		reject_drain((struct reject_slot *)(void *)tag);
		break;
	case EV_CLIENT:
		selftest_event(s, ev->events);
		break;
	}
}

/* Milliseconds until the nearest deadline, -1 if none; 0 when
 * connections wait on the ready list. */
static int wait_ms(const struct server *s)
{
	uint64_t next = UINT64_MAX;

	if (s->ready.head)
		return 0;
	for (int k = 0; k < TIMEOUT_COUNT; k++)
		if (s->timers[k].list.head) {
			uint64_t d = conn_deadline(
				conn_of_timer(s->timers[k].list.head));
			if (d < next)
				next = d;
		}
	for (int i = 0; i < HTTPD_REJECT_SLOTS; i++)
		if (s->rejects[i].fd >= 0 && s->rejects[i].deadline_ms < next)
			next = s->rejects[i].deadline_ms;
	if (s->accept_paused && s->accept_resume_ms < next)
		next = s->accept_resume_ms;
	if (s->selftest && selftest_deadline(s->selftest) < next)
		next = selftest_deadline(s->selftest);
	if (next == UINT64_MAX)
		return -1;
	if (next <= s->now_ms)
		return 0;
	return next - s->now_ms > 60000 ? 60000 : (int)(next - s->now_ms);
}

static void run_ready(struct server *s)
{
	/* Only those queued before this pass: a connection that yields
	 * again waits for the next turn, after epoll. */
	struct clink *last = s->ready.tail, *l;

	while ((l = s->ready.head)) {
		bool was_last = l == last;

		conn_resume(s, conn_of_ready(l));
		if (was_last)
			break;
	}
}

static void run_deadlines(struct server *s)
{
	for (int k = 0; k < TIMEOUT_COUNT; k++) {
		struct clist *l = &s->timers[k].list;

		while (l->head &&
		       conn_deadline(conn_of_timer(l->head)) <= s->now_ms)
			conn_expire(s, conn_of_timer(l->head), k);
	}
	for (int i = 0; i < HTTPD_REJECT_SLOTS; i++)
		if (s->rejects[i].fd >= 0 &&
		    s->rejects[i].deadline_ms <= s->now_ms)
			reject_close(&s->rejects[i]);
	if (s->accept_paused && s->accept_resume_ms <= s->now_ms)
		accept_resume(s);
	if (s->selftest && selftest_deadline(s->selftest) <= s->now_ms)
		selftest_expire(s);
}

/*
 * --exit-after N: once N answers are written, accept no more connections
 * and end the loop when the last one has closed, each when its client
 * closes it (or at its idle timeout). Closing the open ones at once would
 * not do: the guest's stack sends the last answers only while it runs,
 * and the guest ends with the loop.
 */
static void check_exit_after(struct server *s)
{
	uint64_t answered = 0;

	if (!s->cfg->exit_after)
		return;
	for (int k = 0; k < HANDLER_COUNT; k++)
		answered += s->stats.requests[k];
	if (answered < s->cfg->exit_after)
		return;
	if (s->listen_fd >= 0) {
		if (!s->accept_paused)
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->listen_fd, NULL);
		close(s->listen_fd);
		s->listen_fd = -1;
		s->accept_paused = false;
	}
	if (s->stats.open_conns)
		return;
	for (int i = 0; i < HTTPD_REJECT_SLOTS; i++)
		if (s->rejects[i].fd >= 0)
			return;
	printf("httpd: exiting after %llu answers (--exit-after %llu), "
	       "every connection closed\n", (unsigned long long)answered,
	       (unsigned long long)s->cfg->exit_after);
	fflush(stdout);
	s->stop = true;
}

int server_run(struct server *s, volatile sig_atomic_t *stop_flag)
{
	struct epoll_event evs[EVENTS_PER_WAIT];

	while (!s->stop && !*stop_flag) {
		int n = epoll_wait(s->epfd, evs, EVENTS_PER_WAIT, wait_ms(s));
		uint64_t woke = httpd_cycles();

		if (n < 0 && errno != EINTR) {
			perror("httpd: epoll_wait");
			return -1;
		}
		s->now_ms = httpd_now_ms();
		for (int i = 0; i < n; i++)
			dispatch(s, &evs[i]);
		run_ready(s);
		run_deadlines(s);
		check_exit_after(s);
		s->stats.busy_cycles += httpd_cycles() - woke;
		s->stats.wakeups++;
	}
	return 0;
}

void server_close(struct server *s)
{
	conn_close_all(s);
	for (int i = 0; i < HTTPD_REJECT_SLOTS; i++)
		if (s->rejects[i].fd >= 0)
			reject_close(&s->rejects[i]);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->epfd >= 0)
		close(s->epfd);
	s->listen_fd = s->epfd = -1;
}
