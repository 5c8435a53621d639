/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LWIP_THREADED: lwIP's own socket calls (lwip_socket, lwip_accept, ...)
 * in two cooperative threads over the loopback interface, with the
 * tcpip thread in between: a server and a client exchange data, both
 * close, and every pool object, heap byte and allocator byte comes back
 * once TIME_WAIT ended. A failed call reports its errno in uk_lwip_errno.
 */
#include <uk/lwip.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/test.h>
#include "lwip/sockets.h"
#include "helpers.h"

#define PORT 7001

struct peer {
	int fd;
	char rx[16];
	int rx_len;
	int closed_rx;		/* what recv returned after the exchange */
	struct sockaddr_in addr; /* accept's peer / connect's target */
	int nodelay;
	int failed_line;	/* first failing step, 0: none */
};

struct session {
	struct peer server, client;
	bool listening;
};

#define STEP(p, cond)                                                          \
	do {                                                                   \
		if (!(cond) && !(p)->failed_line)                              \
			(p)->failed_line = __LINE__;                           \
	} while (0)

static struct sockaddr_in loopback(u16_t port)
{
	struct sockaddr_in a = { 0 };

	a.sin_len = sizeof(a);
	a.sin_family = AF_INET;
	a.sin_port = lwip_htons(port);
	a.sin_addr.s_addr = PP_HTONL(INADDR_LOOPBACK);
	return a;
}

/* A bound for every blocking call, so a broken stack fails the test. */
static void bound_waits(int fd)
{
	struct timeval tv = { 10, 0 };

	lwip_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	lwip_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int read_exactly(struct peer *p, int fd, int n)
{
	while (p->rx_len < n) {
		int got = lwip_recv(fd, p->rx + p->rx_len, (size_t)(n - p->rx_len), 0);
		if (got <= 0)
			return -1;
		p->rx_len += got;
	}
	return 0;
}

static void server_fn(void *arg)
{
	struct session *s = arg;
	struct peer *p = &s->server;
	struct sockaddr_in a = loopback(PORT);
	socklen_t len = sizeof(p->addr), olen = sizeof(p->nodelay);
	char byte;
	int lfd = lwip_socket(AF_INET, SOCK_STREAM, 0);

	STEP(p, lfd >= 0);
	bound_waits(lfd);
	STEP(p, lwip_bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0);
	STEP(p, lwip_listen(lfd, 4) == 0);
	s->listening = true;
	p->fd = lwip_accept(lfd, (struct sockaddr *)&p->addr, &len);
	STEP(p, p->fd >= 0);
	bound_waits(p->fd);
	lwip_getsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &p->nodelay, &olen);
	STEP(p, read_exactly(p, p->fd, 4) == 0);
	STEP(p, lwip_send(p->fd, "pong!", 5, 0) == 5);
	/* The client closes first: end of stream. */
	p->closed_rx = lwip_recv(p->fd, &byte, 1, 0);
	STEP(p, lwip_close(p->fd) == 0);
	STEP(p, lwip_close(lfd) == 0);
}

static void client_fn(void *arg)
{
	struct session *s = arg;
	struct peer *p = &s->client;
	socklen_t olen = sizeof(p->nodelay);

	p->addr = loopback(PORT);
	p->fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
	STEP(p, p->fd >= 0);
	bound_waits(p->fd);
	STEP(p, lwip_connect(p->fd, (struct sockaddr *)&p->addr, sizeof(p->addr)) == 0);
	lwip_getsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &p->nodelay, &olen);
	STEP(p, lwip_send(p->fd, "ping", 4, 0) == 4);
	STEP(p, read_exactly(p, p->fd, 5) == 0);
	STEP(p, lwip_close(p->fd) == 0);
}

UK_TESTCASE(lwip, sockets_in_two_threads_over_loopback)
{
	static struct session s;
	struct uk_thread *server, *client;
	struct lwip_test_conn t;

	lwip_test_conn_begin(&t);
	s = (struct session){ 0 };

	server = uk_thread_create("lwip_server", server_fn, &s, 0);
	UK_ASSERT_TRUE(server != NULL);
	for (int i = 0; i < 1000 && !s.listening && !s.server.failed_line; i++)
		uk_thread_yield();
	UK_EXPECT(s.listening);
	client = uk_thread_create("lwip_client", client_fn, &s, 0);
	UK_ASSERT_TRUE(client != NULL);
	UK_EXPECT_EQ(uk_thread_join(client), 0);
	UK_EXPECT_EQ(uk_thread_join(server), 0);

	UK_EXPECT_EQ(s.server.failed_line, 0);
	UK_EXPECT_EQ(s.client.failed_line, 0);
	UK_EXPECT_EQ(s.server.rx_len, 4);
	UK_EXPECT(!memcmp(s.server.rx, "ping", 4));
	UK_EXPECT_EQ(s.client.rx_len, 5);
	UK_EXPECT(!memcmp(s.client.rx, "pong!", 5));
	UK_EXPECT_EQ(s.server.closed_rx, 0);
	UK_EXPECT_EQ(s.server.addr.sin_family, AF_INET);
	UK_EXPECT_EQ(s.server.addr.sin_addr.s_addr, PP_HTONL(INADDR_LOOPBACK));
	UK_EXPECT_EQ(!!s.server.nodelay, IS_ENABLED(CONFIG_LWIP_TCP_NODELAY));
	UK_EXPECT_EQ(!!s.client.nodelay, IS_ENABLED(CONFIG_LWIP_TCP_NODELAY));

	UK_EXPECT_EQ(lwip_test_wait_released(&t.before), -1);
	UK_EXPECT_EQ(lwip_stats.tcp.chkerr, t.tcp_chkerr);
	if (t.tracing) {
		lwip_test_trace_stop();
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_accept", true, 0), 1);
		/* Each side is told its peer closed. */
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_close", true, 0), 2);
	}
}

UK_TESTCASE(lwip, socket_errors_set_uk_lwip_errno)
{
	struct sockaddr_in nobody = loopback(PORT + 1);
	struct lwip_mem_snapshot before;
	int fd;

	uk_lwip_init();
	lwip_test_snapshot(&before);
	uk_lwip_errno = 0;
	UK_EXPECT_EQ(lwip_close(12345), -1);
	UK_EXPECT_EQ(uk_lwip_errno, EBADF);

	/* Nothing listens there: the stack answers the SYN with a reset. */
	fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
	UK_ASSERT_TRUE(fd >= 0);
	uk_lwip_errno = 0;
	UK_EXPECT_EQ(lwip_connect(fd, (struct sockaddr *)&nobody, sizeof(nobody)), -1);
	UK_EXPECT_EQ(uk_lwip_errno, ECONNRESET);
	UK_EXPECT_EQ(lwip_close(fd), 0);
	UK_EXPECT_EQ(lwip_test_wait_released(&before), -1);
}
