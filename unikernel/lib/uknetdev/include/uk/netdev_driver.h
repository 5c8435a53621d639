/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknetdev, the drivers' side: the ops table a driver fills, the device
 * record it embeds, and the helpers through which it hands frames up and
 * counts, so that counters, trace points and waiting live in one place
 * (lib/uknetdev/netdev.c) for every driver.
 */
#ifndef UK_NETDEV_DRIVER_H
#define UK_NETDEV_DRIVER_H

#include <uk/netdev.h>
#include <uk/sched.h>

struct uk_netdev_ops {
	/* Post the first receive buffers; route the interrupt if it has one
	 * (setting info.irq). 0 or -errno. */
	int (*start)(struct uk_netdev *dev);
	bool (*link_up)(struct uk_netdev *dev);
	/* See uk_netdev_poll; deliver through uk_netdev_rx_deliver. */
	unsigned (*poll)(struct uk_netdev *dev, unsigned budget);
	/* Segments and length already checked; 0 or -EAGAIN. */
	int (*tx)(struct uk_netdev *dev, const struct uk_netdev_seg *segs,
		  unsigned nseg, uint32_t len, void *cookie);
	bool (*pending)(struct uk_netdev *dev);
	/* Interrupts off: enable the device's interrupt, then 1 if work is
	 * pending, else 0. NULL for a device without one. */
	int (*arm)(struct uk_netdev *dev);
};

/* Embedded in the driver's own device record. */
struct uk_netdev {
	const struct uk_netdev_ops *ops;
	struct uk_netdev_info info;	/* the driver fills it */
	struct uk_netdev_conf conf;
	bool configured, started;
	unsigned index;			/* in uk_netdev_get order */
	struct uk_waitq waiters;	/* woken by uk_netdev_irq */
	struct uk_netdev_stats stats;
};

/* Make dev visible to uk_netdev_get. 0; -ENOSPC past CONFIG_UKNETDEV_MAX. */
int uk_netdev_register(struct uk_netdev *dev);

/* Hand n received frames to the stack (counts, trace point); returns how
 * many it took: the driver re-posts the rest. */
unsigned uk_netdev_rx_deliver(struct uk_netdev *dev, struct uk_netbuf *bufs,
			      unsigned n);

/* n sent frames of bytes in all: counts them and returns the cookies. */
void uk_netdev_tx_done(struct uk_netdev *dev, void *const *cookies,
		       unsigned n, uint64_t bytes);

void uk_netdev_drop(struct uk_netdev *dev, enum uk_netdev_drop why,
		    unsigned n);

/* From the driver's interrupt handler, after acknowledging the device:
 * counts it, wakes the waiters, calls conf.wake. */
void uk_netdev_irq(struct uk_netdev *dev);

#endif
