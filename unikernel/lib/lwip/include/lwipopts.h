/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's options, from Kconfig (lib/lwip/Config.uk). Every number a user
 * would tune is a CONFIG_LWIP_* option; what is fixed here is either a
 * feature choice of this port or derived from those options. Relations a
 * Kconfig range cannot express are checked at the end, with messages that
 * name the options to change (lwIP's own checks in init.c would name its
 * macros instead).
 */
#ifndef UK_LWIPOPTS_H
#define UK_LWIPOPTS_H

#include <uk/compiler.h>	/* IS_ENABLED: a bool option as 0 or 1 */

/* ---- integration mode ---------------------------------------------------- */

#if IS_ENABLED(CONFIG_LWIP_THREADED)
#define NO_SYS				0
#define LWIP_NETCONN			1
#define LWIP_SOCKET			1
#define LWIP_TCPIP_CORE_LOCKING		IS_ENABLED(CONFIG_LWIP_CORE_LOCKING)
#define TCPIP_THREAD_NAME		"lwip_tcpip"
#define TCPIP_THREAD_STACKSIZE		0	/* CONFIG_UKSCHED_STACK_KB */
#define TCPIP_MBOX_SIZE			CONFIG_LWIP_TCPIP_MBOX_SIZE
#define DEFAULT_TCP_RECVMBOX_SIZE	CONFIG_LWIP_TCP_RECVMBOX_SIZE
#define DEFAULT_UDP_RECVMBOX_SIZE	CONFIG_LWIP_UDP_RECVMBOX_SIZE
#define DEFAULT_RAW_RECVMBOX_SIZE	CONFIG_LWIP_UDP_RECVMBOX_SIZE
#define DEFAULT_ACCEPTMBOX_SIZE		CONFIG_LWIP_ACCEPTMBOX_SIZE
#define MEMP_NUM_NETCONN		CONFIG_LWIP_MEMP_NUM_NETCONN
#define MEMP_NUM_NETBUF			CONFIG_LWIP_MEMP_NUM_NETCONN
/* Frames and callbacks queued to the tcpip thread each take one message:
 * as many as the mailbox holds. */
#define MEMP_NUM_TCPIP_MSG_INPKT	CONFIG_LWIP_TCPIP_MBOX_SIZE
#define MEMP_NUM_TCPIP_MSG_API		CONFIG_LWIP_TCPIP_MBOX_SIZE
/* The POSIX names belong to the kernel's own socket layer. */
#define LWIP_COMPAT_SOCKETS		0
#define LWIP_POSIX_SOCKETS_IO_NAMES	0
#define LWIP_SO_RCVTIMEO		1
#define LWIP_SO_SNDTIMEO		1
#define LWIP_SO_RCVBUF			1
/* Debian's sockets.c (its patch "port") asks the port how a socket
 * address carries its length; lwIP's own sockets.h has BSD's sin_len. */
#define IP4ADDR_SOCKADDR_SET_LEN(sin)	((sin)->sin_len = sizeof(struct sockaddr_in))
#define IPADDR_SOCKADDR_GET_LEN(addr)	((addr)->sa.sa_len)
#else
#define NO_SYS				1
#define LWIP_NETCONN			0
#define LWIP_SOCKET			0
#endif

/* Interrupt handlers may free pbufs: short critical sections disable
 * interrupts (sys_arch_protect). */
#define SYS_LIGHTWEIGHT_PROT		1

/* ---- memory ---------------------------------------------------------------- */

#define MEM_ALIGNMENT			8
#if CONFIG_LWIP_MEM_POOLS
#define MEM_LIBC_MALLOC			0
#define MEMP_MEM_MALLOC			0
#define MEM_SIZE			CONFIG_LWIP_MEM_SIZE
#else
#define MEM_LIBC_MALLOC			1
#define MEMP_MEM_MALLOC			IS_ENABLED(CONFIG_LWIP_MEM_LIBC_ALL)
#include <stddef.h>
void *uk_lwip_malloc(size_t size);
void *uk_lwip_calloc(size_t n, size_t size);
void uk_lwip_free(void *ptr);
#define mem_clib_malloc			uk_lwip_malloc
#define mem_clib_calloc			uk_lwip_calloc
#define mem_clib_free			uk_lwip_free
#endif
#define PBUF_POOL_SIZE			CONFIG_LWIP_PBUF_POOL_SIZE
#define MEMP_NUM_TCP_PCB		CONFIG_LWIP_MEMP_NUM_TCP_PCB
#define MEMP_NUM_TCP_PCB_LISTEN		CONFIG_LWIP_MEMP_NUM_TCP_PCB_LISTEN
#define MEMP_NUM_TCP_SEG		CONFIG_LWIP_MEMP_NUM_TCP_SEG
#define MEMP_NUM_UDP_PCB		CONFIG_LWIP_MEMP_NUM_UDP_PCB
/* Reference pbufs (no-copy writes, loopback): one per queued segment. */
#define MEMP_NUM_PBUF			CONFIG_LWIP_MEMP_NUM_TCP_SEG

/* ---- protocols --------------------------------------------------------------- */

#define LWIP_IPV4			1
#define LWIP_IPV6			0
#define LWIP_ARP			1
#define LWIP_ETHERNET			1
#define LWIP_ICMP			1
#define LWIP_UDP			1
#define LWIP_TCP			1
#define LWIP_RAW			0
#define LWIP_IGMP			0
#define LWIP_DNS			0
#define LWIP_DHCP			IS_ENABLED(CONFIG_LWIP_DHCP)
#define SO_REUSE			1
#define LWIP_TCP_KEEPALIVE		1
#define TCP_LISTEN_BACKLOG		1

/* The loopback interface (127.0.0.1), so a guest can connect to itself
 * without a NIC. Under NO_SYS, uk_lwip_poll() delivers what it queued. */
#define LWIP_NETIF_LOOPBACK		1
#define LWIP_HAVE_LOOPIF		1

/* ---- TCP ------------------------------------------------------------------- */

#define TCP_MSS				CONFIG_LWIP_TCP_MSS
#define TCP_WND				CONFIG_LWIP_TCP_WND
#define TCP_SND_BUF			CONFIG_LWIP_TCP_SND_BUF
#define TCP_MSL				CONFIG_LWIP_TCP_MSL
#if CONFIG_LWIP_TCP_SND_QUEUELEN
#define TCP_SND_QUEUELEN		CONFIG_LWIP_TCP_SND_QUEUELEN
#else
#define TCP_SND_QUEUELEN \
	((4 * CONFIG_LWIP_TCP_SND_BUF + CONFIG_LWIP_TCP_MSS - 1) / CONFIG_LWIP_TCP_MSS)
#endif
/* Writable again (poll) below these; lwIP's defaults, capped where they
 * would break its u16 limits for large buffers and short queues. */
#define UK_LWIP_SNDLOWAT_WANT \
	((TCP_SND_BUF / 2 > 2 * TCP_MSS + 1 ? TCP_SND_BUF / 2 : 2 * TCP_MSS + 1) < TCP_SND_BUF - 1 \
		 ? (TCP_SND_BUF / 2 > 2 * TCP_MSS + 1 ? TCP_SND_BUF / 2 : 2 * TCP_MSS + 1) \
		 : TCP_SND_BUF - 1)
#define TCP_SNDLOWAT \
	(UK_LWIP_SNDLOWAT_WANT < 0xffff - 4 * TCP_MSS ? UK_LWIP_SNDLOWAT_WANT \
						      : 0xffff - 4 * TCP_MSS - 1)
#define TCP_SNDQUEUELOWAT		(TCP_SND_QUEUELEN / 2)

/* Window scaling when a window or buffer outgrows 16 bits, with the
 * smallest shift that fits the receive window. */
#if CONFIG_LWIP_TCP_WND > 0xffff || CONFIG_LWIP_TCP_SND_BUF > 0xffff
#define LWIP_WND_SCALE			1
#if CONFIG_LWIP_TCP_WND <= 0xffff
#define TCP_RCV_SCALE			0
#elif CONFIG_LWIP_TCP_WND <= (0xffff << 1)
#define TCP_RCV_SCALE			1
#elif CONFIG_LWIP_TCP_WND <= (0xffff << 2)
#define TCP_RCV_SCALE			2
#elif CONFIG_LWIP_TCP_WND <= (0xffff << 3)
#define TCP_RCV_SCALE			3
#elif CONFIG_LWIP_TCP_WND <= (0xffff << 4)
#define TCP_RCV_SCALE			4
#else
#define TCP_RCV_SCALE			5
#endif
#endif

/* ---- checksums and statistics ------------------------------------------------- */

#define CHECKSUM_CHECK_IP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_CHECK)
#define CHECKSUM_CHECK_TCP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_CHECK)
#define CHECKSUM_CHECK_UDP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_CHECK)
#define CHECKSUM_CHECK_ICMP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_CHECK)
#define CHECKSUM_GEN_IP			IS_ENABLED(CONFIG_LWIP_CHECKSUM_GEN)
#define CHECKSUM_GEN_TCP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_GEN)
#define CHECKSUM_GEN_UDP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_GEN)
#define CHECKSUM_GEN_ICMP		IS_ENABLED(CONFIG_LWIP_CHECKSUM_GEN)
#define LWIP_CHECKSUM_ON_COPY		IS_ENABLED(CONFIG_LWIP_CHECKSUM_ON_COPY)

#define LWIP_STATS			IS_ENABLED(CONFIG_LWIP_STATS)
#if CONFIG_LWIP_STATS
/* Memory in use is counted in every memory mode (lwIP turns these off
 * when malloc serves it), so leaks show. */
#define MEM_STATS			1
#define MEMP_STATS			1
/* 32-bit counters: lwIP's 16-bit default wraps after 65,536 packets, a
 * few seconds of load, and a wrapped counter reads as a reset (or as
 * zero errors) in /metrics. */
#define LWIP_STATS_LARGE		1
#endif

/* Where this port sees lwIP's events (trace points, Nagle's default). */
#define LWIP_HOOK_FILENAME		"lwip_hooks.h"

/* ---- relations the Kconfig ranges cannot express ------------------------------ */

#if CONFIG_LWIP_TCP_SND_QUEUELEN && \
	CONFIG_LWIP_TCP_SND_QUEUELEN < 2 * (CONFIG_LWIP_TCP_SND_BUF / CONFIG_LWIP_TCP_MSS)
#error "CONFIG_LWIP_TCP_SND_QUEUELEN must be at least 2 * CONFIG_LWIP_TCP_SND_BUF / CONFIG_LWIP_TCP_MSS (or 0: derived)"
#endif
#if !CONFIG_LWIP_MEM_LIBC_ALL
#if CONFIG_LWIP_MEMP_NUM_TCP_SEG < TCP_SND_QUEUELEN
#error "CONFIG_LWIP_MEMP_NUM_TCP_SEG must be at least the send queue (CONFIG_LWIP_TCP_SND_QUEUELEN, or when 0, 4 * CONFIG_LWIP_TCP_SND_BUF / CONFIG_LWIP_TCP_MSS) in the pool memory modes"
#endif
#if CONFIG_LWIP_TCP_WND > CONFIG_LWIP_PBUF_POOL_SIZE * CONFIG_LWIP_TCP_MSS
#error "CONFIG_LWIP_TCP_WND must be at most CONFIG_LWIP_PBUF_POOL_SIZE * CONFIG_LWIP_TCP_MSS in the pool memory modes"
#endif
#if CONFIG_LWIP_THREADED && CONFIG_LWIP_MEMP_NUM_NETCONN > \
	CONFIG_LWIP_MEMP_NUM_TCP_PCB + CONFIG_LWIP_MEMP_NUM_TCP_PCB_LISTEN + CONFIG_LWIP_MEMP_NUM_UDP_PCB
#error "CONFIG_LWIP_MEMP_NUM_NETCONN must be at most CONFIG_LWIP_MEMP_NUM_TCP_PCB + CONFIG_LWIP_MEMP_NUM_TCP_PCB_LISTEN + CONFIG_LWIP_MEMP_NUM_UDP_PCB in the pool memory modes"
#endif
#endif

#endif
