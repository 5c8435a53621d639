/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknetdev: Ethernet devices as a network stack sees them, whatever the
 * driver (virtio-net today). The stack owns the memory: it lends the
 * driver receive buffers and lends it the pieces of each frame it sends,
 * and gets both back through callbacks, so no frame is copied between the
 * stack and the device.
 *
 *   struct uk_netdev *dev = uk_netdev_get(0);
 *   struct uk_netdev_conf c = { .rx_alloc = my_alloc, .rx = my_input,
 *                               .tx_done = my_free, .arg = me,
 *                               .rx_buf_len = 1536 };
 *   uk_netdev_configure(dev, &c);
 *   uk_netdev_start(dev);                  // posts receive buffers
 *   for (;;) {
 *           uk_netdev_wait(dev, timeout_ns); // rx, tx completion or time
 *           uk_netdev_poll(dev, 64);         // callbacks run in here
 *   }
 *
 * Receive: the driver fills its ring in bulk with buffers from rx_alloc
 * and hands received frames up in batches of at most UK_NETDEV_BURST from
 * uk_netdev_poll. Transmit: uk_netdev_tx takes a scatter list and a
 * cookie; the device reads the pieces where they are, and tx_done returns
 * the cookie once it has. The driver's own per-frame header (virtio-net's)
 * never touches the stack's buffers.
 *
 * Waking: with CONFIG_UKNETDEV_IRQ the device interrupts (through the
 * IOAPIC on microvm) and a waiting guest halts until it does; with
 * CONFIG_UKNETDEV_POLL it never interrupts and waiting spins (yielding to
 * other threads under the cooperative scheduler). uk_netdev_wait works
 * the same in both, under either scheduler. The interrupt handler only
 * acknowledges the device and wakes: every callback runs from
 * uk_netdev_poll or uk_netdev_tx, in the caller's context.
 *
 * Calls on one device must not overlap: the stack serialises them (one
 * thread, or its core lock). They may be made with interrupts on or off.
 */
#ifndef UK_NETDEV_H
#define UK_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UK_NETDEV_MAC_LEN 6
#define UK_NETDEV_ETH_HLEN 14		/* destination, source, type */
#define UK_NETDEV_BURST 32		/* frames per hand-up, cookies per tx_done */
#define UK_NETDEV_WAIT_FOREVER UINT64_MAX

struct uk_netdev;

/* A receive buffer: lent by rx_alloc, returned filled by rx. */
struct uk_netbuf {
	void *data;	/* the frame, from its Ethernet header */
	uint16_t len;	/* 0 when lent; the frame's length when handed up */
	void *cookie;	/* the stack's handle for it (e.g. a pbuf) */
};

/* One piece of a frame to send. */
struct uk_netdev_seg {
	const void *data;
	uint16_t len;
};

struct uk_netdev_info {
	const char *driver;	/* "virtio-net" */
	uint8_t mac[UK_NETDEV_MAC_LEN];
	uint16_t mtu;		/* largest IP packet */
	uint16_t max_frame;	/* mtu + UK_NETDEV_ETH_HLEN: the smallest
				 * rx_buf_len accepted, the largest frame sent */
	uint16_t rx_bufs;	/* receive buffers the ring holds */
	uint16_t tx_segs_max;	/* pieces per frame sent */
	bool link_status;	/* the device reports its link (else: always up) */
	bool irq;		/* after start: its interrupt wakes waiters */
};

/*
 * Why something was dropped or refused. The numbers are stable (trace
 * point netdev_drop carries them).
 *   RX_RING_FULL   polls that found every posted receive buffer filled: the
 *                  device had nowhere to put the next frame, which then
 *                  waits in the host or is dropped there (a virtio guest
 *                  cannot count those frames, only these moments)
 *   RX_NO_BUFFER   refills that rx_alloc could not complete: the ring runs
 *                  short of buffers
 *   RX_STACK_FULL  frames rx did not take (the stack's queue was full); the
 *                  buffer goes straight back to the ring
 *   RX_BAD         frames the device returned malformed (shorter than an
 *                  Ethernet header, longer than the buffer, or a
 *                  completion for a buffer never posted)
 *   TX_RING_FULL   uk_netdev_tx calls refused with -EAGAIN
 */
enum uk_netdev_drop {
	UK_NETDEV_DROP_RX_RING_FULL = 0,
	UK_NETDEV_DROP_RX_NO_BUFFER = 1,
	UK_NETDEV_DROP_RX_STACK_FULL = 2,
	UK_NETDEV_DROP_RX_BAD = 3,
	UK_NETDEV_DROP_TX_RING_FULL = 4,
	UK_NETDEV_DROP_COUNT
};

struct uk_netdev_stats {
	uint64_t rx_packets, rx_bytes;	/* frames the stack took */
	uint64_t tx_packets, tx_bytes;	/* frames the device has sent */
	uint64_t drops[UK_NETDEV_DROP_COUNT];
	uint64_t irqs;			/* device interrupts taken */
};

/* "rx_ring_full", ...; "unknown" out of range. */
const char *uk_netdev_drop_name(enum uk_netdev_drop why);

struct uk_netdev_conf {
	/*
	 * Lend up to n empty buffers of at least rx_buf_len bytes: fill
	 * bufs[i].data and .cookie, return how many (fewer, even 0, when the
	 * stack is short; the driver asks again at a later poll).
	 */
	unsigned (*rx_alloc)(void *arg, struct uk_netbuf *bufs, unsigned n);
	/*
	 * Received frames, bufs[i].len bytes each. The stack takes
	 * bufs[0 .. return value) and owns them from now on; the driver puts
	 * the others straight back on its ring (RX_STACK_FULL).
	 */
	unsigned (*rx)(void *arg, struct uk_netbuf *bufs, unsigned n);
	/* Frames the device has sent, by their cookies, in batches. */
	void (*tx_done)(void *arg, void *const *cookies, unsigned n);
	/* Optional: called in interrupt context when the device interrupts,
	 * after it was acknowledged (e.g. to wake a poll/epoll waiter). */
	void (*wake)(void *arg);
	void *arg;
	uint16_t rx_buf_len;
};

/* Devices found at boot, in probe order. */
unsigned uk_netdev_count(void);
struct uk_netdev *uk_netdev_get(unsigned i);	/* NULL past the end */

void uk_netdev_info_get(const struct uk_netdev *dev,
			struct uk_netdev_info *info);

/* Set the callbacks, before start. 0; -EINVAL: a callback missing or
 * rx_buf_len below info.max_frame; -EBUSY: already started. */
int uk_netdev_configure(struct uk_netdev *dev, const struct uk_netdev_conf *conf);

/*
 * Fill the receive ring (rx_alloc) and, with CONFIG_UKNETDEV_IRQ, route
 * the device's interrupt (a device without one falls back to polling,
 * with a warning, and info.irq stays false). 0; -EINVAL: not configured;
 * -EBUSY: already started.
 */
int uk_netdev_start(struct uk_netdev *dev);

/* The link as the device reports it (true when it cannot report it). */
bool uk_netdev_link_up(struct uk_netdev *dev);

/*
 * Take back sent frames (tx_done), hand up at most budget received frames
 * (rx), refill the receive ring. Returns the frames received (taken or
 * not); 0 when not started.
 */
unsigned uk_netdev_poll(struct uk_netdev *dev, unsigned budget);

/*
 * Queue one frame made of nseg pieces (their total at most
 * info.max_frame, at least an Ethernet header). The pieces must stay
 * untouched until tx_done returns cookie. 0; -EAGAIN: the ring is full
 * (after taking back what the device has sent; try again after a poll);
 * -EINVAL: a bad length or more than info.tx_segs_max pieces; -ENOTCONN:
 * not started.
 */
int uk_netdev_tx(struct uk_netdev *dev, const struct uk_netdev_seg *segs,
		 unsigned nseg, void *cookie);

/* Whether a poll has something to do: a received frame or a sent one to
 * take back. Cheap, no side effect. */
bool uk_netdev_pending(struct uk_netdev *dev);

/*
 * For a caller that waits on several things at once (poll/epoll): call
 * with interrupts disabled, then halt only on 0. Returns 1 when work is
 * already pending (do not halt), 0 when the device will interrupt on its
 * next frame or completion (halting is safe: the interrupt ends it and
 * runs conf.wake), -ENOTSUP when it cannot interrupt (polling: spin).
 */
int uk_netdev_arm(struct uk_netdev *dev);

/*
 * Wait until a poll has something to do or timeout_ns passes
 * (UK_NETDEV_WAIT_FOREVER: no limit). Halts (or blocks this thread) in
 * interrupt mode, spins in polling mode. 1: something to do; 0: timed
 * out; -ENOTCONN: not started.
 */
int uk_netdev_wait(struct uk_netdev *dev, uint64_t timeout_ns);

/* The counters, read at once. */
struct uk_netdev_stats uk_netdev_stats_get(const struct uk_netdev *dev);

#endif
