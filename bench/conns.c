/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Established and queued connections of a local port, from /proc/net/tcp
 * (bench/conns.h). A row reads
 *   "  0: 0100007F:B5B3 00000000:0000 0A 00000000:00000001 ..."
 * sl, local address:port (hex), remote address:port, state (01
 * ESTABLISHED, 0A LISTEN), tx_queue:rx_queue; for a listening socket the
 * kernel reports its accept queue's length as rx_queue.
 */
#include "conns.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "count.h"
#include "strbuf.h"

#define TCP_ESTABLISHED 0x01
#define TCP_LISTEN 0x0a

/* The next space-separated field of [*p, end): its start and length. */
static size_t next_field(const char **p, const char *end, const char **start)
{
	const char *s = *p;
	size_t n;

	while (s < end && *s == ' ')
		s++;
	*start = s;
	for (n = 0; s + n < end && s[n] != ' '; n++)
		;
	*p = s + n;
	return n;
}

/* "ADDR:PORT" (hex) -> port; -1 when malformed. */
static long field_port(const char *f, size_t n)
{
	const char *colon = memchr(f, ':', n);
	uint64_t v;
	size_t used;

	if (!colon || count_scan_hex(colon + 1, n - (size_t)(colon + 1 - f), &v,
				     &used) ||
	    used != n - (size_t)(colon + 1 - f) || v > 0xffff)
		return -1;
	return (long)v;
}

static void scan_line(const char *line, const char *end, uint16_t port,
		      struct conns_state *s)
{
	const char *p = line, *f[5];
	size_t n[5], i, used;
	uint64_t state, rxq;
	const char *colon;

	for (i = 0; i < 5; i++) {
		n[i] = next_field(&p, end, &f[i]);
		if (!n[i])
			return;
	}
	/* f[0] "N:", f[1] local, f[2] remote, f[3] state, f[4] tx:rx */
	if (f[0][n[0] - 1] != ':' || field_port(f[1], n[1]) != port ||
	    count_scan_hex(f[3], n[3], &state, &used) || used != n[3])
		return;
	if (state == TCP_ESTABLISHED) {
		s->established++;
	} else if (state == TCP_LISTEN) {
		s->listening++;
		colon = memchr(f[4], ':', n[4]);
		if (colon && !count_scan_hex(colon + 1,
					     n[4] - (size_t)(colon + 1 - f[4]),
					     &rxq, &used))
			s->accept_queue += (unsigned)rxq;
	}
}

void conns_scan(const char *text, size_t len, uint16_t port,
		struct conns_state *s)
{
	const char *end = text + len, *line = text, *nl;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		scan_line(line, nl, port, s);
		line = nl + 1;
	}
}

static int scan_file(const char *path, uint16_t port, struct conns_state *s)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	ssize_t got;
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	/* /proc files report size 0: read to the end. */
	while (!err && (got = (ssize_t)fread(buf, 1, sizeof(buf), f)) > 0)
		err = strbuf_add(&sb, buf, (size_t)got);
	fclose(f);
	if (!err)
		conns_scan(sb.buf ? sb.buf : "", sb.len, port, s);
	strbuf_release(&sb);
	return err;
}

int conns_read(uint16_t port, struct conns_state *s)
{
	int e4, e6;

	memset(s, 0, sizeof(*s));
	e4 = scan_file("/proc/net/tcp", port, s);
	e6 = scan_file("/proc/net/tcp6", port, s);
	return e4 && e6 ? e4 : 0;
}
