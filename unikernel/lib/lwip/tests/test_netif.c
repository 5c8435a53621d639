/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An Ethernet interface of the test's own (frames out are counted, frames
 * in are handed to ethernet_input as a driver would), in either mode:
 * received checksums are checked by default, so a corrupted segment is
 * dropped, counted and traced, while an intact one is answered; and an
 * interface takes its address from the boot command line, or DHCP.
 */
#include <uk/boot.h>
#include <uk/lwip.h>
#include <uk/string.h>
#include <uk/test.h>
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/prot/ethernet.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip/prot/udp.h"
#include "netif/ethernet.h"
#include "helpers.h"

#define FRAME_LEN (SIZEOF_ETH_HDR + IP_HLEN + TCP_HLEN)

static struct {
	unsigned frames;
	uint8_t last[64];	/* the start of the last frame sent */
} tx;

static err_t tn_linkoutput(struct netif *nif, struct pbuf *p)
{
	(void)nif;
	tx.frames++;
	memset(tx.last, 0, sizeof(tx.last));
	pbuf_copy_partial(p, tx.last, sizeof(tx.last), 0);
	return ERR_OK;
}

static err_t tn_init(struct netif *nif)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	nif->name[0] = 't';
	nif->name[1] = 'n';
	nif->output = etharp_output;
	nif->linkoutput = tn_linkoutput;
	nif->mtu = 1500;
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, mac, sizeof(mac));
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

static int add_netif(void *arg)
{
	struct netif *nif = arg;
	ip4_addr_t ip, mask, gw;

	IP4_ADDR(&ip, 10, 0, 3, 1);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 3, 254);
	if (!netif_add(nif, &ip, &mask, &gw, NULL, tn_init, ethernet_input))
		return -1;
	netif_set_link_up(nif);
	netif_set_up(nif);
	return 0;
}

static int remove_netif(void *arg)
{
	struct netif *nif = arg;

#if LWIP_DHCP
	dhcp_cleanup(nif);
#endif
	netif_remove(nif);
	return 0;
}

/* ---- checksums ------------------------------------------------------------ */

enum corruption { INTACT, BAD_TCP_CHECKSUM, BAD_IP_CHECKSUM };

/* A SYN from 10.0.3.2 to port 9 of the interface, where nothing
 * listens: intact, the stack answers it (with a reset, which needs ARP
 * first, so a frame goes out). */
static struct pbuf *syn_frame(const struct netif *nif, enum corruption c)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, FRAME_LEN, PBUF_RAM);
	struct eth_hdr *eth;
	struct ip_hdr *ip;
	struct tcp_hdr *tcp;
	ip4_addr_t src;

	if (!p)
		return NULL;
	memset(p->payload, 0, FRAME_LEN);
	eth = p->payload;
	ip = (struct ip_hdr *)(eth + 1);
	tcp = (struct tcp_hdr *)(ip + 1);
	memcpy(&eth->dest, nif->hwaddr, ETH_HWADDR_LEN);
	memcpy(&eth->src, (const uint8_t[]){ 0x02, 0, 0, 0, 0, 0x02 }, ETH_HWADDR_LEN);
	eth->type = PP_HTONS(ETHTYPE_IP);

	IP4_ADDR(&src, 10, 0, 3, 2);
	IPH_VHL_SET(ip, 4, IP_HLEN / 4);
	IPH_LEN_SET(ip, PP_HTONS(IP_HLEN + TCP_HLEN));
	IPH_TTL_SET(ip, 64);
	IPH_PROTO_SET(ip, IP_PROTO_TCP);
	ip4_addr_copy(ip->src, src);
	ip4_addr_copy(ip->dest, *netif_ip4_addr(nif));
	IPH_CHKSUM_SET(ip, inet_chksum(ip, IP_HLEN));

	tcp->src = PP_HTONS(4000);
	tcp->dest = PP_HTONS(9);
	tcp->seqno = PP_HTONL(1);
	TCPH_HDRLEN_FLAGS_SET(tcp, TCP_HLEN / 4, TCP_SYN);
	tcp->wnd = PP_HTONS(1000);
	/* The pseudo-header checksum over the TCP part alone. */
	pbuf_remove_header(p, SIZEOF_ETH_HDR + IP_HLEN);
	tcp->chksum = inet_chksum_pseudo(p, IP_PROTO_TCP, TCP_HLEN, &src,
					 netif_ip4_addr(nif));
	pbuf_add_header(p, SIZEOF_ETH_HDR + IP_HLEN);

	if (c == BAD_TCP_CHECKSUM)
		tcp->chksum ^= PP_HTONS(0x0101);
	if (c == BAD_IP_CHECKSUM)
		ip->_chksum ^= PP_HTONS(0x0101);
	return p;
}

struct feed {
	struct netif *nif;
	enum corruption c;
};

static int feed_frame(void *arg)
{
	struct feed *f = arg;
	struct pbuf *p = syn_frame(f->nif, f->c);

	if (!p)
		return -1;
	/* As a driver's receive path would; ethernet_input takes p. */
	return ethernet_input(p, f->nif) == ERR_OK ? 0 : -1;
}

/* tcp.xmit counts answers (resets) whether or not ARP let them out. */
struct counts {
	unsigned tcp_chkerr, tcp_drop, tcp_recv, tcp_xmit, ip_chkerr, frames;
};

static void counts(struct counts *c)
{
	*c = (struct counts){ lwip_stats.tcp.chkerr, lwip_stats.tcp.drop,
			      lwip_stats.tcp.recv, lwip_stats.tcp.xmit,
			      lwip_stats.ip.chkerr, tx.frames };
}

UK_TESTCASE(lwip, received_checksums_are_checked)
{
	static struct netif nif;
	struct feed f = { &nif, INTACT };
	struct counts c0, c1;
	const bool checked = IS_ENABLED(CONFIG_LWIP_CHECKSUM_CHECK);
	bool tracing;

	uk_lwip_init();
	nif = (struct netif){ 0 };
	UK_ASSERT_TRUE(uk_lwip_call(add_netif, &nif) == 0);
	tracing = lwip_test_trace_start();

	/* Intact: TCP takes it and answers (ARP goes out first). */
	counts(&c0);
	UK_EXPECT_EQ(uk_lwip_call(feed_frame, &f), 0);
	counts(&c1);
	UK_EXPECT_EQ(c1.tcp_recv, c0.tcp_recv + 1);
	UK_EXPECT_EQ(c1.tcp_chkerr, c0.tcp_chkerr);
	UK_EXPECT_EQ(c1.tcp_xmit, c0.tcp_xmit + 1);
	UK_EXPECT(c1.frames > c0.frames);

	/* A wrong TCP checksum: dropped and counted, nothing answered. */
	f.c = BAD_TCP_CHECKSUM;
	counts(&c0);
	UK_EXPECT_EQ(uk_lwip_call(feed_frame, &f), 0);
	counts(&c1);
	UK_EXPECT_EQ(c1.tcp_chkerr, c0.tcp_chkerr + checked);
	/* Unchecked, it is dropped too, as a segment for a port where
	 * nothing listens, but answered with a reset. */
	UK_EXPECT_EQ(c1.tcp_drop, c0.tcp_drop + 1);
	UK_EXPECT_EQ(c1.tcp_xmit, c0.tcp_xmit + !checked);

	/* A wrong IP header checksum: IP drops it before TCP sees it. */
	f.c = BAD_IP_CHECKSUM;
	counts(&c0);
	UK_EXPECT_EQ(uk_lwip_call(feed_frame, &f), 0);
	counts(&c1);
	UK_EXPECT_EQ(c1.ip_chkerr, c0.ip_chkerr + checked);
	UK_EXPECT_EQ(c1.tcp_recv, c0.tcp_recv + !checked);

	if (tracing) {
		lwip_test_trace_stop();
		/* The drop's reason is the counter: tcp.chkerr, ip.chkerr. */
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_drop", false, 1 + 8 * 4 + 1), checked);
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_drop", false, 1 + 8 * 2 + 1), checked);
	}
	uk_lwip_call(remove_netif, &nif);
}

/* ---- the address ---------------------------------------------------------- */

static int configure(void *arg)
{
	return uk_lwip_netif_configure(arg);
}

static int parse(const char *line)
{
	static char buf[160];
	char *argv[8], *envp[4];
	struct uk_cmdline cmd = { argv, 8, envp, 4, NULL };

	memcpy(buf, line, strlen(line) + 1);
	return uk_boot_parse_cmdline(buf, "t", &cmd) >= 0 && !cmd.bad ? 0 : -1;
}

static uint32_t quad(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return PP_HTONL(LWIP_MAKEU32(a, b, c, d));
}

UK_TESTCASE(lwip, address_from_command_line_or_dhcp)
{
	static struct netif nif;
	struct uk_lwip_addr a;

	uk_lwip_init();
	/* QEMU's user networking, when the command line says nothing. */
	uk_lwip_addr_get(&a);
	UK_ASSERT_TRUE(!a.ip_given);
	UK_EXPECT_EQ(a.ip, quad(10, 0, 2, 15));
	UK_EXPECT_EQ(a.mask, quad(255, 255, 255, 0));
	UK_EXPECT_EQ(a.gw, quad(10, 0, 2, 2));

	nif = (struct netif){ 0 };
	UK_ASSERT_TRUE(uk_lwip_call(add_netif, &nif) == 0);
	tx.frames = 0;
	UK_EXPECT_EQ(uk_lwip_call(configure, &nif), 0);
	if (LWIP_DHCP) {
		/* A DISCOVER, broadcast from 0.0.0.0 to the server port. */
		const struct ip_hdr *ip = (const void *)(tx.last + SIZEOF_ETH_HDR);
		const struct udp_hdr *udp = (const void *)(ip + 1);
		UK_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_addr(&nif)), 0);
		UK_EXPECT(tx.frames >= 1);
		UK_EXPECT_EQ(IPH_PROTO(ip), IP_PROTO_UDP);
		UK_EXPECT_EQ(udp->dest, PP_HTONS(67));
	} else {
		UK_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_addr(&nif)), quad(10, 0, 2, 15));
		UK_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_gw(&nif)), quad(10, 0, 2, 2));
	}
	UK_EXPECT(netif_default == &nif && netif_is_up(&nif));

	/* uk.ip= and friends: static, and DHCP stays off. */
	UK_EXPECT_EQ(parse("img uk.ip=192.168.7.2 uk.mask=255.255.0.0 uk.gw=192.168.0.1"), 0);
	UK_EXPECT_EQ(parse("img uk.ip=192.168.7"), -1);
	UK_EXPECT_EQ(parse("img uk.gw=300.1.1.1"), -1);
	uk_lwip_addr_get(&a);
	UK_EXPECT(a.ip_given);
	UK_EXPECT_EQ(a.ip, quad(192, 168, 7, 2));
	UK_EXPECT_EQ(a.mask, quad(255, 255, 0, 0));
	UK_EXPECT_EQ(a.gw, quad(192, 168, 0, 1));
	uk_lwip_call(remove_netif, &nif);
	nif = (struct netif){ 0 };
	UK_ASSERT_TRUE(uk_lwip_call(add_netif, &nif) == 0);
	UK_EXPECT_EQ(uk_lwip_call(configure, &nif), 0);
	UK_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_addr(&nif)), quad(192, 168, 7, 2));
	UK_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_netmask(&nif)), quad(255, 255, 0, 0));
	UK_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_gw(&nif)), quad(192, 168, 0, 1));
#if LWIP_DHCP
	UK_EXPECT(netif_dhcp_data(&nif) == NULL);
#endif
	uk_lwip_call(remove_netif, &nif);
	/* Back to the defaults for whatever runs next. */
	UK_EXPECT_EQ(parse("img uk.ip=10.0.2.15 uk.mask=255.255.255.0 uk.gw=10.0.2.2"), 0);
}
