/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The socket layer's behaviour over the loopback interface, through
 * musl's wrappers: "sockprobe: NAME: ok" or "sockprobe: NAME: FAIL why".
 * Linux gives the same answers (the expected errno values are Linux's).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "checks.h"

#define PORT 7001

static int failures;

static void check(const char *name, int ok, const char *why)
{
	printf("sockprobe: %s: %s%s", name, ok ? "ok" : "FAIL ", ok ? "" : why);
	if (!ok && errno)
		printf(" (errno %d: %s)", errno, strerror(errno));
	printf("\n");
	failures += !ok;
	errno = 0;
}

/* call failed with exactly e */
#define FAILS(call, e) ((call) == -1 && errno == (e))

static struct sockaddr_in loop_addr(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return a;
}

static int listen_on(int port, int flags)
{
	struct sockaddr_in a = loop_addr(port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | flags, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8))
		return -1;
	return fd;
}

static int wait_for(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static void errors_without_a_connection(void)
{
	struct sockaddr_in a = loop_addr(PORT);
	int fd, t, l;
	socklen_t len = sizeof(t);

	check("socket_af_inet6_is_eafnosupport", FAILS(socket(AF_INET6, SOCK_STREAM, 0), EAFNOSUPPORT), "");
	check("socket_bad_flags_is_einval", FAILS(socket(AF_INET, SOCK_STREAM | 0x100000, 0), EINVAL), "");
	check("bind_closed_fd_is_ebadf", FAILS(bind(99, (struct sockaddr *)&a, sizeof(a)), EBADF), "");
	check("listen_on_stdout_is_enotsock", FAILS(listen(1, 1), ENOTSOCK), "");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	check("bind_short_address_is_einval", FAILS(bind(fd, (struct sockaddr *)&a, 8), EINVAL), "");
	check("getsockopt_so_type", !getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &len) && t == SOCK_STREAM, "");
	check("getpeername_unconnected_is_enotconn",
	      FAILS(getpeername(fd, (struct sockaddr *)&a, &len), ENOTCONN), "");
	check("accept_not_listening_is_einval", FAILS(accept(fd, NULL, NULL), EINVAL), "");
	check("unknown_option_is_enoprotoopt",
	      FAILS(setsockopt(fd, SOL_SOCKET, 12345, &t, sizeof(t)), ENOPROTOOPT), "");
	close(fd);
	l = listen_on(PORT, 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	t = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &t, sizeof(t));
	a = loop_addr(PORT);
	check("bind_port_of_a_listener_is_eaddrinuse",
	      l >= 0 && FAILS(bind(fd, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE), "");
	close(fd);
	fcntl(l, F_SETFL, O_NONBLOCK);
	check("accept_nonblocking_nothing_pending_is_eagain", FAILS(accept(l, NULL, NULL), EAGAIN), "");
	close(l);
}

static void connect_refused(void)
{
	struct sockaddr_in a = loop_addr(PORT + 1);
	int fd = socket(AF_INET, SOCK_STREAM, 0), err = 0;
	socklen_t len = sizeof(err);

	check("connect_to_no_listener_is_econnrefused",
	      FAILS(connect(fd, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED), "");
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	check("nonblocking_connect_is_einprogress",
	      FAILS(connect(fd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS), "");
	check("refused_connect_reports_through_poll_and_so_error",
	      (wait_for(fd, POLLOUT, 2000) & (POLLERR | POLLOUT)) &&
		      !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) && err == ECONNREFUSED, "");
	close(fd);
}

/* A connected pair over loopback: server side *s, client side *c. */
static int pair(int *s, int *c)
{
	struct sockaddr_in a = loop_addr(PORT + 2), peer;
	socklen_t len = sizeof(peer);
	int l = listen_on(PORT + 2, 0), err = 0;

	*c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (l < 0 || *c < 0)
		return -1;
	if (!FAILS(connect(*c, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS))
		return -1;
	*s = accept(l, (struct sockaddr *)&peer, &len);
	if (!(wait_for(*c, POLLOUT, 2000) & POLLOUT) ||
	    getsockopt(*c, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		return -1;
	close(l);
	return *s < 0 ? -1 : 0;
}

static void data_paths(void)
{
	char buf[64] = { 0 };
	struct iovec iov[2] = { { "hel", 3 }, { "lo", 2 } };
	struct sockaddr_in me, peer;
	socklen_t len = sizeof(me), plen = sizeof(peer);
	int s, c, n = -1, one = 1;

	if (pair(&s, &c)) {
		check("loopback_connection", 0, "no connection");
		return;
	}
	check("loopback_connection", 1, "");
	check("names_match", !getsockname(c, (struct sockaddr *)&me, &len) &&
		      !getpeername(s, (struct sockaddr *)&peer, &plen) &&
		      me.sin_port == peer.sin_port && me.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "");
	check("nodelay_set_and_read", !setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) &&
		      !getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &n, &len) && n == 1, "");
	check("recv_nothing_dontwait_is_eagain", FAILS(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN), "");
	check("writev", writev(c, iov, 2) == 5, "");
	check("poll_readable", wait_for(s, POLLIN, 2000) & POLLIN, "");
	check("fionread", !ioctl(s, FIONREAD, &n) && n == 5, "");
	check("peek_leaves_data", recv(s, buf, 2, MSG_PEEK) == 2 && !memcmp(buf, "he", 2), "");
	check("read_all", read(s, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5), "");
	check("shutdown_wr_gives_eof", !shutdown(c, SHUT_WR) && wait_for(s, POLLIN, 2000) &&
		      read(s, buf, sizeof(buf)) == 0, "");
	check("send_after_shutdown_is_epipe_without_signal",
	      FAILS(send(c, "x", 1, MSG_NOSIGNAL), EPIPE), "");
	/* The server closes with data unread: a reset. */
	send(s, "bye", 3, 0);
	close(s);
	wait_for(c, POLLIN, 2000);
	n = (int)read(c, buf, sizeof(buf));
	check("data_then_eof_after_peer_close", n == 3 || n == 0, "");
	close(c);
}

static void reset_paths(void)
{
	char buf[8];
	int s, c, n;

	if (pair(&s, &c)) {
		check("reset_connection", 0, "no connection");
		return;
	}
	send(c, "unread", 6, 0);
	wait_for(s, POLLIN, 2000);
	close(s); /* unread data: Linux sends a reset */
	wait_for(c, POLLIN, 2000);
	n = (int)read(c, buf, sizeof(buf));
	check("peer_closing_with_unread_data_resets", n == -1 && errno == ECONNRESET, "");
	check("write_after_reset_is_epipe", FAILS(write(c, "x", 1), EPIPE), "");
	close(c);
}

static void epoll_edge(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	int s, c, ep = epoll_create1(0);

	if (pair(&s, &c)) {
		check("epoll_connection", 0, "no connection");
		return;
	}
	ev.data.fd = s;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	check("epoll_et_nothing", epoll_wait(ep, &out, 1, 0) == 0, "");
	send(c, "a", 1, 0);
	check("epoll_et_reports_data", epoll_wait(ep, &out, 1, 2000) == 1 && out.data.fd == s, "");
	check("epoll_et_reports_once", epoll_wait(ep, &out, 1, 0) == 0, "");
	close(s);
	close(c);
	close(ep);
}

static void udp_and_names(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_ADDRCONFIG }, *ai = NULL;
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char buf[16];
	int u, v;

	check("getaddrinfo_numeric", !getaddrinfo("127.0.0.1", "7002", &hints, &ai) && ai &&
		      ((struct sockaddr_in *)ai->ai_addr)->sin_port == htons(7002), "");
	u = socket(AF_INET, SOCK_DGRAM, 0);
	v = socket(AF_INET, SOCK_DGRAM, 0);
	check("udp_bind", ai && !bind(u, ai->ai_addr, ai->ai_addrlen), "");
	check("udp_sendto", ai && sendto(v, "dgram", 5, 0, ai->ai_addr, ai->ai_addrlen) == 5, "");
	check("udp_recvfrom", wait_for(u, POLLIN, 2000) &&
		      recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 5 &&
		      !memcmp(buf, "dgram", 5) && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "");
	if (ai)
		freeaddrinfo(ai);
	close(u);
	close(v);
}

int sock_checks(void)
{
	errors_without_a_connection();
	connect_refused();
	data_paths();
	reset_paths();
	epoll_edge();
	udp_and_names();
	printf("sockprobe: %d failed\n", failures);
	return failures;
}
