/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's view of a published port (the listening socket QEMU's
 * slirp opened on 127.0.0.1): how many connections to it are
 * established, and how many wait in its accept queue. Read from
 * /proc/net/tcp and /proc/net/tcp6, so it needs nothing from the guest.
 */
#ifndef UNITUNE_BENCH_CONNS_H
#define UNITUNE_BENCH_CONNS_H

#include <stddef.h>
#include <stdint.h>

struct conns_state {
	unsigned established;	/* sockets whose local port is port, ESTABLISHED */
	unsigned accept_queue;	/* handshakes done, not yet accepted */
	unsigned listening;	/* listening sockets on port (0: nobody) */
};

/*
 * Add what the table text (the format of /proc/net/tcp) says about port
 * to *s. Lines that do not parse are skipped. Pure: for tests.
 */
void conns_scan(const char *text, size_t len, uint16_t port,
		struct conns_state *s);

/* conns_scan() of /proc/net/tcp and /proc/net/tcp6 into *s (zeroed
 * first). 0, or -errno when neither file can be read. */
int conns_read(uint16_t port, struct conns_state *s);

#endif
