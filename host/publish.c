/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Published ports (publish.h): their text form, the checks of a list,
 * and finding a free port of 127.0.0.1 without racing for it.
 */
#include "publish.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "count.h"

#define PORT_MAX 65535

static const char form[] = "expected HOSTPORT:GUESTPORT, e.g. 8080:80, "
			   "or 0:80 for a free host port";

/* One side of "H:G", s[0..len): decimal digits, at most max, at least
 * min. */
static int port_value(const char *s, size_t len, unsigned min, uint16_t *out)
{
	char digits[8];
	uint64_t v;

	if (!len || len >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, s, len);
	digits[len] = '\0';
	if (count_parse_range(digits, PORT_MAX, &v) || v < min)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

int publish_parse(const char *arg, struct runner_publish *p, char *why,
		  size_t why_len)
{
	const char *colon = strchr(arg, ':');
	const char *slash = strchr(arg, '/');
	struct runner_publish got;

	/* A '/' before any ':' is no "H:G/proto" but a path: most often
	 * the image, taken as the value of a -p whose value was left out. */
	if (slash && (!colon || slash < colon)) {
		snprintf(why, why_len, "'%s' looks like a path, not a port "
			 "(was the port left out?) (%s)",
			 arg, form);
		return -EINVAL;
	}
	if (slash) {
		snprintf(why, why_len, "'%s': only TCP is forwarded, with no "
			 "protocol named (%s)", arg, form);
		return -EINVAL;
	}
	if (strchr(arg, ',')) {
		snprintf(why, why_len, "'%s': one port per --publish; repeat "
			 "-p for each (-p 8080:80 -p 8443:443)", arg);
		return -EINVAL;
	}
	if (!colon) {
		snprintf(why, why_len, "'%s' has no ':' (%s)",
			 arg, form);
		return -EINVAL;
	}
	if (strchr(colon + 1, ':')) {
		snprintf(why, why_len, "'%s': the host address is always "
			 PUBLISH_ADDRESS " and is not given (%s)", arg, form);
		return -EINVAL;
	}
	if (port_value(arg, (size_t)(colon - arg), 0, &got.host)) {
		snprintf(why, why_len, "host port '%.*s' in '%s' is not a "
			 "number in 0..65535 (0 picks a free port)",
			 (int)(colon - arg), arg, arg);
		return -EINVAL;
	}
	if (port_value(colon + 1, strlen(colon + 1), 1, &got.guest)) {
		snprintf(why, why_len, "guest port '%s' in '%s' is not a "
			 "number in 1..65535", colon + 1, arg);
		return -EINVAL;
	}
	*p = got;
	return 0;
}

int publish_check_list(const struct runner_publish *p, size_t n, char *why,
		       size_t why_len)
{
	size_t i, j;

	if (n > PUBLISH_MAX) {
		snprintf(why, why_len, "%zu ports published; at most %d",
			 n, PUBLISH_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!p[i].guest) {
			snprintf(why, why_len, "guest port 0 in %u:0 is not a "
				 "port (1..65535)", p[i].host);
			return -EINVAL;
		}
		for (j = 0; p[i].host && j < i; j++) {
			if (p[j].host != p[i].host)
				continue;
			snprintf(why, why_len, "host port %u is published "
				 "twice (%u:%u and %u:%u); one host port "
				 "reaches one guest port",
				 p[i].host, p[j].host, p[j].guest, p[i].host,
				 p[i].guest);
			return -EINVAL;
		}
	}
	return 0;
}

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A TCP socket with SO_REUSEADDR, as slirp opens its hostfwd sockets,
 * bound to 127.0.0.1:port. The descriptor or -errno. */
static int bound_socket(uint16_t port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1, err;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int publish_reserve(uint16_t *port, int *fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int s = bound_socket(0), err;

	if (s < 0)
		return s;
	if (getsockname(s, (struct sockaddr *)&a, &len)) {
		err = -errno;
		close(s);
		return err;
	}
	*port = ntohs(a.sin_port);
	*fd = s;
	return 0;
}

int publish_probe(uint16_t port)
{
	int s = bound_socket(port), err = 0;

	if (s < 0)
		return s;
	/* Two SO_REUSEADDR sockets may share a port until one listens. */
	if (listen(s, 1))
		err = -errno;
	close(s);
	return err;
}

void publish_rule(const struct runner_publish *p, char *buf, size_t len)
{
	snprintf(buf, len, "tcp:" PUBLISH_ADDRESS ":%u-:%u", p->host,
		 p->guest);
}
