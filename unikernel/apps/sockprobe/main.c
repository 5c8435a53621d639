/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sockprobe: POSIX sockets through musl's own wrappers.
 *   sockprobe            the socket layer's checks over loopback (checks.c),
 *                        one line each; the exit status is the failures
 *   sockprobe -s PORT [-n N]
 *                        an epoll echo server on PORT (non-blocking,
 *                        edge-triggered) that exits after N connections
 *                        have closed (0: never), printing its totals
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "checks.h"

#define EVENTS 32

struct totals {
	unsigned long conns, closed, bytes;
};

static int listener(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64)) {
		printf("sockprobe: listen on %d: %s\n", port, strerror(errno));
		return -1;
	}
	return fd;
}

static void accept_all(int ep, int lfd, struct totals *t)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
		int one = 1, fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

		if (fd < 0)
			return;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		ev.data.fd = fd;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		t->conns++;
	}
}

/* Echo until EAGAIN (edge-triggered); close at end of stream or error. */
static void echo(int fd, struct totals *t)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf)), off = 0;

		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;
		while (off < n) {
			ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);

			if (w < 0 && errno == EAGAIN) {
				/* Wait until the peer has read some. */
				struct pollfd p = { .fd = fd, .events = POLLOUT };

				poll(&p, 1, -1);
				continue;
			}
			if (w < 0)
				goto done;
			off += w;
		}
		t->bytes += (unsigned long)n;
	}
done:
	close(fd);
	t->closed++;
}

static int serve(int port, unsigned long limit)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[EVENTS];
	struct totals t = { 0 };
	int ep = epoll_create1(EPOLL_CLOEXEC), lfd = listener(port);

	if (ep < 0 || lfd < 0)
		return 1;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	printf("sockprobe: echo server on port %d\n", port);
	fflush(stdout);
	while (!limit || t.closed < limit) {
		int n = epoll_wait(ep, evs, EVENTS, -1);

		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == lfd)
				accept_all(ep, lfd, &t);
			else
				echo(evs[i].data.fd, &t);
		}
	}
	printf("sockprobe: served %lu connections, %lu bytes\n", t.conns, t.bytes);
	close(lfd);
	close(ep);
	return 0;
}

int main(int argc, char *argv[])
{
	int port = 0;
	unsigned long limit = 0;
	int c;

	while ((c = getopt(argc, argv, "s:n:")) != -1) {
		if (c == 's')
			port = atoi(optarg);
		else if (c == 'n')
			limit = strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (port)
		return serve(port, limit);
	return sock_checks();
}
