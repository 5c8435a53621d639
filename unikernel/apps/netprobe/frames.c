/* SPDX-License-Identifier: BSD-3-Clause */
/* Building and checking ARP and ICMP echo frames (RFC 826, 791, 792). */
#include <string.h>

#include "frames.h"

#define ARP_LEN 28
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define TCP_HLEN 20
#define TCP_SYN 0x02
#define TCP_ACK 0x10
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define IP_TTL 64
#define IP_DF 0x4000

static const uint8_t broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ones'-complement sum of a byte string, folded later. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t *eth_header(uint8_t *f, const uint8_t *dst, const uint8_t *src,
			   uint16_t type)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	put16(f + 2 * ETH_ALEN, type);
	return f + ETH_HLEN;
}

static size_t arp_frame(uint8_t *buf, uint16_t op, const uint8_t *eth_dst,
			const struct host_addr *me, const uint8_t *tha,
			const uint8_t tpa[4])
{
	uint8_t *a;

	memset(buf, 0, ETH_ZLEN);
	a = eth_header(buf, eth_dst, me->mac, ETHERTYPE_ARP);
	put16(a, 1);			/* Ethernet */
	put16(a + 2, ETHERTYPE_IPV4);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, me->mac, ETH_ALEN);
	memcpy(a + 14, me->ip, 4);
	memcpy(a + 18, tha, ETH_ALEN);
	memcpy(a + 24, tpa, 4);
	return ETH_ZLEN;
}

size_t frame_arp_request(uint8_t *buf, const struct host_addr *me,
			 const uint8_t ip[4])
{
	static const uint8_t unknown[ETH_ALEN];

	return arp_frame(buf, ARP_REQUEST, broadcast, me, unknown, ip);
}

size_t frame_arp_reply(uint8_t *buf, const struct host_addr *me,
		       const struct host_addr *to)
{
	return arp_frame(buf, ARP_REPLY, to->mac, me, to->mac, to->ip);
}

int frame_arp_parse(const uint8_t *f, size_t len, struct arp_msg *m)
{
	const uint8_t *a = f + ETH_HLEN;

	if (len < ETH_HLEN + ARP_LEN || get16(f + 2 * ETH_ALEN) != ETHERTYPE_ARP ||
	    get16(a) != 1 || get16(a + 2) != ETHERTYPE_IPV4 ||
	    a[4] != ETH_ALEN || a[5] != 4)
		return -1;
	m->op = get16(a + 6);
	memcpy(m->sender.mac, a + 8, ETH_ALEN);
	memcpy(m->sender.ip, a + 14, 4);
	memcpy(m->target.mac, a + 18, ETH_ALEN);
	memcpy(m->target.ip, a + 24, 4);
	return 0;
}

void frame_echo_headers(uint8_t *hdrs, const struct host_addr *me,
			const struct host_addr *to, uint16_t id, uint16_t seq,
			const uint8_t *payload, size_t payload_len)
{
	uint8_t *ip = eth_header(hdrs, to->mac, me->mac, ETHERTYPE_IPV4);
	uint8_t *icmp = ip + IPV4_HLEN;

	memset(ip, 0, IPV4_HLEN + ICMP_HLEN);
	ip[0] = 0x45;			/* version 4, 5 words */
	put16(ip + 2, (uint16_t)(IPV4_HLEN + ICMP_HLEN + payload_len));
	put16(ip + 4, seq);		/* identification */
	put16(ip + 6, IP_DF);
	ip[8] = IP_TTL;
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, me->ip, 4);
	memcpy(ip + 16, to->ip, 4);
	put16(ip + 10, csum_fold(csum_add(0, ip, IPV4_HLEN)));
	icmp[0] = ICMP_ECHO_REQUEST;
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	put16(icmp + 2, csum_fold(csum_add(csum_add(0, icmp, ICMP_HLEN),
					   payload, payload_len)));
}

/*
 * The IPv4 packet in frame f addressed to me with protocol proto and at
 * least min_payload bytes after its header: its header length and total
 * length, or -1.
 */
static int ipv4_to_me(const uint8_t *f, size_t len, const struct host_addr *me,
		      uint8_t proto, size_t min_payload, size_t *ihl,
		      size_t *total)
{
	const uint8_t *ip = f + ETH_HLEN;

	if (len < ETH_HLEN + IPV4_HLEN || get16(f + 2 * ETH_ALEN) != ETHERTYPE_IPV4)
		return -1;
	*ihl = (size_t)(ip[0] & 0xf) * 4;
	*total = get16(ip + 2);
	if ((ip[0] >> 4) != 4 || *ihl < IPV4_HLEN ||
	    *total < *ihl + min_payload || ETH_HLEN + *total > len ||
	    ip[9] != proto || memcmp(ip + 16, me->ip, 4))
		return -1;
	return 0;
}

int frame_echo_reply_parse(const uint8_t *f, size_t len,
			   const struct host_addr *me, struct echo_reply *r)
{
	const uint8_t *ip = f + ETH_HLEN, *icmp;
	size_t ihl, total;

	if (ipv4_to_me(f, len, me, IPPROTO_ICMP, ICMP_HLEN, &ihl, &total))
		return 1;
	icmp = ip + ihl;
	if (icmp[0] != ICMP_ECHO_REPLY || icmp[1] != 0)
		return 1;
	/* A correct checksum sums, with itself, to all ones. */
	if (csum_fold(csum_add(0, ip, ihl)) ||
	    csum_fold(csum_add(0, icmp, total - ihl)))
		return -1;
	memcpy(r->src, ip + 12, 4);
	r->ttl = ip[8];
	r->id = get16(icmp + 4);
	r->seq = get16(icmp + 6);
	r->payload = icmp + ICMP_HLEN;
	r->payload_len = total - ihl - ICMP_HLEN;
	return 0;
}

int frame_tcp_syn_parse(const uint8_t *f, size_t len, const struct host_addr *me,
			struct tcp_syn *s)
{
	const uint8_t *ip = f + ETH_HLEN, *tcp;
	uint8_t pseudo[12];
	size_t ihl, total;

	if (ipv4_to_me(f, len, me, IPPROTO_TCP, TCP_HLEN, &ihl, &total))
		return 1;
	tcp = ip + ihl;
	if ((tcp[13] & (TCP_SYN | TCP_ACK)) != TCP_SYN)
		return 1;
	/* The TCP checksum covers a pseudo-header: addresses, protocol,
	 * length. */
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, (uint16_t)(total - ihl));
	if (csum_fold(csum_add(0, ip, ihl)) ||
	    csum_fold(csum_add(csum_add(0, pseudo, sizeof(pseudo)), tcp,
			       total - ihl)))
		return -1;
	memcpy(s->src, ip + 12, 4);
	s->sport = get16(tcp);
	s->dport = get16(tcp + 2);
	return 0;
}
