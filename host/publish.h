/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Published ports: a TCP port of the guest reached from the host through
 * QEMU's user networking (slirp), `hostfwd=tcp:127.0.0.1:HOST-:GUEST`.
 * The host side is always 127.0.0.1 (network traffic stays on loopback);
 * nothing here can name another address.
 *
 * A host port of 0 asks for a free one. publish_reserve() finds it the
 * way a server would (bind 127.0.0.1:0 and read the port back) and keeps
 * the socket bound, not listening, with SO_REUSEADDR until the caller
 * closes it: QEMU, which binds with SO_REUSEADDR too, can then listen on
 * the port, while nothing else can bind it and the kernel hands it to no
 * other bind(0) or outgoing connection in between. A program that binds
 * with SO_REUSEADDR and listens first can still take it; QEMU then fails,
 * and the runner picks again (runner.c).
 */
#ifndef UNITUNE_PUBLISH_H
#define UNITUNE_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#define PUBLISH_ADDRESS "127.0.0.1"

/* At most this many --publish per boot. */
#define PUBLISH_MAX 32

struct runner_publish {
	uint16_t host;	/* 127.0.0.1:host; 0: a free port, picked */
	uint16_t guest;	/* 1..65535 */
};

/*
 * Parse "HOSTPORT:GUESTPORT" (decimal; HOSTPORT 0..65535, 0 picking a
 * free port; GUESTPORT 1..65535) into *p. 0, or -EINVAL with a one-line
 * reason in why that names arg (an address or a protocol in arg gets its
 * own reason: the address is always 127.0.0.1, the protocol TCP).
 */
int publish_parse(const char *arg, struct runner_publish *p, char *why,
		  size_t why_len);

/*
 * A list a boot can take: at most PUBLISH_MAX entries, guest ports above
 * zero, and no host port other than 0 twice (two guest ports cannot
 * share one). 0, or -EINVAL with a one-line reason in why.
 */
int publish_check_list(const struct runner_publish *p, size_t n, char *why,
		       size_t why_len);

/*
 * A free port of 127.0.0.1, held as described above: *port and the
 * socket (close-on-exec) in *fd, which the caller closes once QEMU has
 * ended. 0 or -errno.
 */
int publish_reserve(uint16_t *port, int *fd);

/*
 * Why 127.0.0.1:port cannot be listened on right now, as QEMU would try:
 * 0 (it can), -EADDRINUSE (something listens there), -EACCES (a
 * privileged port), or another -errno.
 */
int publish_probe(uint16_t port);

/* "tcp:127.0.0.1:HOST-:GUEST", QEMU's hostfwd rule for p. */
void publish_rule(const struct runner_publish *p, char *buf, size_t len);

#endif
