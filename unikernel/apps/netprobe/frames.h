/* SPDX-License-Identifier: BSD-3-Clause */
/* The few frames netprobe speaks: ARP over Ethernet, ICMP echo over IPv4. */
#ifndef NETPROBE_FRAMES_H
#define NETPROBE_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60		/* shortest frame, padding included */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define IPV4_HLEN 20
#define ICMP_HLEN 8
#define ECHO_HDRS_LEN (ETH_HLEN + IPV4_HLEN + ICMP_HLEN)

#define ARP_REQUEST 1
#define ARP_REPLY 2

struct host_addr {
	uint8_t mac[ETH_ALEN];
	uint8_t ip[4];
};

struct arp_msg {
	uint16_t op;
	struct host_addr sender, target;
};

struct echo_reply {
	uint8_t src[4];
	uint16_t id, seq;
	uint8_t ttl;
	const uint8_t *payload;
	size_t payload_len;
};

struct tcp_syn {
	uint8_t src[4];
	uint16_t sport, dport;
};

/* Ethernet frames of ETH_ZLEN bytes into buf (at least that long). */
size_t frame_arp_request(uint8_t *buf, const struct host_addr *me,
			 const uint8_t ip[4]);
size_t frame_arp_reply(uint8_t *buf, const struct host_addr *me,
		       const struct host_addr *to);

/* 0 and *m for an ARP frame for IPv4 over Ethernet, else -1. */
int frame_arp_parse(const uint8_t *f, size_t len, struct arp_msg *m);

/*
 * The Ethernet, IPv4 and ICMP headers (ECHO_HDRS_LEN bytes) of an echo
 * request whose payload is sent as a separate piece; the checksums
 * cover it.
 */
void frame_echo_headers(uint8_t *hdrs, const struct host_addr *me,
			const struct host_addr *to, uint16_t id, uint16_t seq,
			const uint8_t *payload, size_t payload_len);

/*
 * 0 and *r for an ICMP echo reply to me whose IPv4 and ICMP checksums
 * hold; 1 for any other frame; -1 for a reply with a bad checksum.
 */
int frame_echo_reply_parse(const uint8_t *f, size_t len,
			   const struct host_addr *me, struct echo_reply *r);

/*
 * 0 and *s for a TCP SYN (without ACK) to me whose IPv4 and TCP checksums
 * hold; 1 for any other frame; -1 for a SYN with a bad checksum.
 */
int frame_tcp_syn_parse(const uint8_t *f, size_t len, const struct host_addr *me,
			struct tcp_syn *s);

#endif
