/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netprobe [-t TIMEOUT_MS] [-s PORT]: bring up the first network device
 * and talk to QEMU user networking's gateway (10.0.2.2) with no network
 * stack: an ARP request, then an ICMP echo sent as two pieces (headers,
 * payload) with no copy. slirp answers both at once, often before the
 * guest waits; with -s, netprobe then waits, idle, for a TCP SYN to PORT,
 * which comes when the host connects to a port forwarded to it: a frame
 * that arrives while the guest waits (halted, in interrupt mode). Each
 * step waits at most TIMEOUT_MS (default 5000). Prints:
 *
 *   netprobe: device virtio-net mac M mtu N link up|down wakeup irq|poll
 *   netprobe: arp 10.0.2.2 is-at M
 *   netprobe: echo reply from 10.0.2.2 id ID seq S ttl T payload N bytes ok
 *   netprobe: waiting for a TCP SYN to port PORT            (-s)
 *   netprobe: tcp syn from A.B.C.D:SPORT to port PORT ok    (-s)
 *   netprobe: tx completed N of N
 *   netprobe: stats rx_packets=N rx_bytes=N tx_packets=N tx_bytes=N irqs=N
 *             rx_ring_full=N ... (one line, every drop reason)
 *
 * Exit 0 when all went well, 1 otherwise (with the reason on stderr), 2
 * for bad arguments.
 * Run it with a virtio-net device on user networking (tests/system/
 * test_netdev.sh shows the QEMU options).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uk/netdev.h>

#include "frames.h"

#define BUF_LEN 1536
#define QUEUE_LEN (2 * UK_NETDEV_BURST)
#define PAYLOAD_LEN 56
#define ECHO_ID 0x5554
#define ECHO_SEQ 1
#define MS 1000000ULL

struct probe {
	struct uk_netdev *dev;
	struct host_addr me, gw;
	bool gw_known, echo_ok, syn_seen;
	uint16_t syn_port;
	/* Receive buffers: a free list, and frames taken but not read. */
	uint8_t **free;
	unsigned nfree;
	struct uk_netbuf queue[QUEUE_LEN];
	unsigned queued;
	unsigned tx_sent, tx_done;
	unsigned arp_answered, bad_replies;
	uint8_t arp_frame[ETH_ZLEN], arp_reply[ETH_ZLEN];
	uint8_t echo_hdrs[ECHO_HDRS_LEN], echo_payload[PAYLOAD_LEN];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static unsigned rx_alloc(void *arg, struct uk_netbuf *bufs, unsigned n)
{
	struct probe *p = arg;
	unsigned i;

	for (i = 0; i < n && p->nfree; i++)
		bufs[i] = (struct uk_netbuf){ .data = p->free[--p->nfree] };
	return i;
}

/* Keep what fits in the queue; the driver recycles the rest. */
static unsigned rx(void *arg, struct uk_netbuf *bufs, unsigned n)
{
	struct probe *p = arg;
	unsigned i;

	for (i = 0; i < n && p->queued < QUEUE_LEN; i++)
		p->queue[p->queued++] = bufs[i];
	return i;
}

static void tx_done(void *arg, void *const *cookies, unsigned n)
{
	struct probe *p = arg;

	(void)cookies;
	p->tx_done += n;
}

static void print_mac(const char *prefix, const uint8_t *m, const char *end)
{
	printf("%s%02x:%02x:%02x:%02x:%02x:%02x%s", prefix, m[0], m[1], m[2],
	       m[3], m[4], m[5], end);
}

static int send_frame(struct probe *p, const struct uk_netdev_seg *segs,
		      unsigned nseg)
{
	int err = uk_netdev_tx(p->dev, segs, nseg, p);

	if (err) {
		fprintf(stderr, "netprobe: send failed: %s\n", strerror(-err));
		return -1;
	}
	p->tx_sent++;
	return 0;
}

static void on_arp(struct probe *p, const struct arp_msg *m)
{
	if (m->op == ARP_REPLY && !memcmp(m->sender.ip, p->gw.ip, 4) &&
	    !p->gw_known) {
		memcpy(p->gw.mac, m->sender.mac, ETH_ALEN);
		p->gw_known = true;
	} else if (m->op == ARP_REQUEST && !memcmp(m->target.ip, p->me.ip, 4)) {
		/* The gateway asks who we are: answer, or it cannot reply. */
		struct uk_netdev_seg seg = {
			p->arp_reply,
			(uint16_t)frame_arp_reply(p->arp_reply, &p->me, &m->sender)
		};

		if (!send_frame(p, &seg, 1))
			p->arp_answered++;
	}
}

static void on_echo_reply(struct probe *p, const struct echo_reply *r)
{
	if (r->id != ECHO_ID || r->seq != ECHO_SEQ ||
	    r->payload_len != PAYLOAD_LEN ||
	    memcmp(r->payload, p->echo_payload, PAYLOAD_LEN)) {
		p->bad_replies++;
		return;
	}
	printf("netprobe: echo reply from %u.%u.%u.%u id 0x%04x seq %u ttl %u "
	       "payload %zu bytes ok\n", r->src[0], r->src[1], r->src[2],
	       r->src[3], r->id, r->seq, r->ttl, r->payload_len);
	p->echo_ok = true;
}

static void on_syn(struct probe *p, const struct tcp_syn *s)
{
	if (!p->syn_port || s->dport != p->syn_port || p->syn_seen)
		return;
	printf("netprobe: tcp syn from %u.%u.%u.%u:%u to port %u ok\n",
	       s->src[0], s->src[1], s->src[2], s->src[3], s->sport, s->dport);
	p->syn_seen = true;
}

/* Read the queued frames and give their buffers back to the free list. */
static void process(struct probe *p)
{
	for (unsigned i = 0; i < p->queued; i++) {
		const struct uk_netbuf *b = &p->queue[i];
		struct arp_msg m;
		struct echo_reply r;
		struct tcp_syn syn;
		int e = 1, t = 1;

		if (!frame_arp_parse(b->data, b->len, &m))
			on_arp(p, &m);
		else if (!(e = frame_echo_reply_parse(b->data, b->len, &p->me, &r)))
			on_echo_reply(p, &r);
		else if (!(t = frame_tcp_syn_parse(b->data, b->len, &p->me, &syn)))
			on_syn(p, &syn);
		if (e < 0 || t < 0)
			p->bad_replies++;
		p->free[p->nfree++] = b->data;
	}
	p->queued = 0;
}

/* Wait, poll and read until done(p) or timeout. */
static int await(struct probe *p, bool (*done)(const struct probe *),
		 uint64_t timeout_ns)
{
	uint64_t end = now_ns() + timeout_ns, t;

	while (!done(p)) {
		t = now_ns();
		if (t >= end)
			return -1;
		uk_netdev_wait(p->dev, end - t);
		uk_netdev_poll(p->dev, QUEUE_LEN);
		process(p);
	}
	return 0;
}

static bool gw_known(const struct probe *p) { return p->gw_known; }
static bool echo_ok(const struct probe *p) { return p->echo_ok; }
static bool syn_seen(const struct probe *p) { return p->syn_seen; }
static bool tx_all_done(const struct probe *p) { return p->tx_done == p->tx_sent; }

static int setup(struct probe *p)
{
	struct uk_netdev_info info;
	struct uk_netdev_conf conf = {
		.rx_alloc = rx_alloc, .rx = rx, .tx_done = tx_done, .arg = p,
		.rx_buf_len = BUF_LEN,
	};
	unsigned nbufs;
	uint8_t *pool;
	int err;

	p->dev = uk_netdev_get(0);
	if (!p->dev) {
		fprintf(stderr, "netprobe: no network device (QEMU needs "
				"-device virtio-net-device)\n");
		return -1;
	}
	uk_netdev_info_get(p->dev, &info);
	/* Enough for a full ring and a full queue: the stack never runs dry. */
	nbufs = info.rx_bufs + QUEUE_LEN;
	pool = malloc((size_t)nbufs * BUF_LEN);
	p->free = malloc(nbufs * sizeof(*p->free));
	if (!pool || !p->free) {
		fprintf(stderr, "netprobe: out of memory for %u buffers\n", nbufs);
		return -1;
	}
	for (unsigned i = 0; i < nbufs; i++)
		p->free[p->nfree++] = pool + (size_t)i * BUF_LEN;
	memcpy(p->me.mac, info.mac, ETH_ALEN);
	err = uk_netdev_configure(p->dev, &conf);
	if (!err)
		err = uk_netdev_start(p->dev);
	if (err) {
		fprintf(stderr, "netprobe: cannot start the device: %s\n",
			strerror(-err));
		return -1;
	}
	uk_netdev_info_get(p->dev, &info);
	printf("netprobe: device %s", info.driver);
	print_mac(" mac ", info.mac, "");
	printf(" mtu %u link %s wakeup %s\n", info.mtu,
	       uk_netdev_link_up(p->dev) ? "up" : "down",
	       info.irq ? "irq" : "poll");
	return 0;
}

static int probe_arp(struct probe *p, uint64_t timeout)
{
	struct uk_netdev_seg seg = {
		p->arp_frame,
		(uint16_t)frame_arp_request(p->arp_frame, &p->me, p->gw.ip)
	};

	if (send_frame(p, &seg, 1))
		return -1;
	if (await(p, gw_known, timeout)) {
		fprintf(stderr, "netprobe: no ARP reply from 10.0.2.2 in %llu "
				"ms\n", (unsigned long long)(timeout / MS));
		return -1;
	}
	print_mac("netprobe: arp 10.0.2.2 is-at ", p->gw.mac, "\n");
	return 0;
}

static int probe_echo(struct probe *p, uint64_t timeout)
{
	struct uk_netdev_seg segs[2] = {
		{ p->echo_hdrs, ECHO_HDRS_LEN },
		{ p->echo_payload, PAYLOAD_LEN },
	};

	for (unsigned i = 0; i < PAYLOAD_LEN; i++)
		p->echo_payload[i] = (uint8_t)(0x20 + i);
	frame_echo_headers(p->echo_hdrs, &p->me, &p->gw, ECHO_ID, ECHO_SEQ,
			   p->echo_payload, PAYLOAD_LEN);
	if (send_frame(p, segs, 2))
		return -1;
	if (await(p, echo_ok, timeout)) {
		fprintf(stderr, "netprobe: no echo reply from 10.0.2.2 in %llu "
				"ms (%u bad replies)\n",
			(unsigned long long)(timeout / MS), p->bad_replies);
		return -1;
	}
	return 0;
}

static int probe_syn(struct probe *p, uint64_t timeout)
{
	printf("netprobe: waiting for a TCP SYN to port %u\n", p->syn_port);
	fflush(stdout); /* the host connects when it reads this line */
	if (await(p, syn_seen, timeout)) {
		fprintf(stderr, "netprobe: no TCP SYN to port %u in %llu ms\n",
			p->syn_port, (unsigned long long)(timeout / MS));
		return -1;
	}
	return 0;
}

/* A decimal number in [1, max]; 0 for anything else. */
static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	return end == s || *end || v > max ? 0 : v;
}

static void print_stats(const struct probe *p)
{
	struct uk_netdev_stats s = uk_netdev_stats_get(p->dev);

	printf("netprobe: stats rx_packets=%llu rx_bytes=%llu tx_packets=%llu "
	       "tx_bytes=%llu irqs=%llu", (unsigned long long)s.rx_packets,
	       (unsigned long long)s.rx_bytes, (unsigned long long)s.tx_packets,
	       (unsigned long long)s.tx_bytes, (unsigned long long)s.irqs);
	for (unsigned i = 0; i < UK_NETDEV_DROP_COUNT; i++)
		printf(" %s=%llu", uk_netdev_drop_name(i),
		       (unsigned long long)s.drops[i]);
	printf(" arp_answered=%u\n", p->arp_answered);
}

int main(int argc, char *argv[])
{
	static struct probe p = {
		.me.ip = { 10, 0, 2, 15 },
		.gw.ip = { 10, 0, 2, 2 },
	};
	uint64_t timeout = 5000 * MS;
	unsigned long v;
	int status = 1, opt;

	while ((opt = getopt(argc, argv, "t:s:")) != -1) {
		switch (opt) {
		case 't':
			if (!(v = number(optarg, 3600000))) {
				fprintf(stderr, "netprobe: -t '%s' is not a "
						"timeout in milliseconds "
						"(1-3600000)\n", optarg);
				return 2;
			}
			timeout = v * MS;
			break;
		case 's':
			if (!(v = number(optarg, 65535))) {
				fprintf(stderr, "netprobe: -s '%s' is not a "
						"port (1-65535)\n", optarg);
				return 2;
			}
			p.syn_port = (uint16_t)v;
			break;
		default:
			fprintf(stderr, "usage: netprobe [-t TIMEOUT_MS] "
					"[-s PORT]\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "netprobe: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (setup(&p) || probe_arp(&p, timeout) || probe_echo(&p, timeout) ||
	    (p.syn_port && probe_syn(&p, timeout)))
		goto out;
	if (await(&p, tx_all_done, timeout)) {
		fprintf(stderr, "netprobe: %u of %u frames never completed\n",
			p.tx_sent - p.tx_done, p.tx_sent);
		goto out;
	}
	printf("netprobe: tx completed %u of %u\n", p.tx_done, p.tx_sent);
	status = 0;
out:
	if (p.dev && uk_netdev_get(0))
		print_stats(&p);
	return status;
}
