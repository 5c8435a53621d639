/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio 1.x: the virtio-mmio transport (modern devices, register layout
 * version 2) and split virtqueues. Device drivers (the console today) sit
 * on top of both.
 *
 * Queues start polled: the driver asks the device not to interrupt
 * (VRING_AVAIL_F_NO_INTERRUPT) and reads the used rings itself, so it
 * works with interrupts off, before the interrupt controllers know about
 * virtio, and from the timer interrupt or the panic path. A driver that
 * wants interrupts (virtio-net in interrupt mode) clears the flag when it
 * is about to wait and acknowledges them with uk_virtio_irq_ack.
 *
 * Memory is identity-mapped (virtual == physical), so what a device is
 * given is the pointer itself (uk_virtio_phys). Nothing here is reentrant:
 * callers serialise (the console does so per device).
 */
#ifndef UK_VIRTIO_H
#define UK_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Device types (virtio 1.x, "Device Types"). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_CONSOLE 3

/* Feature bits shared by every device type. */
#define VIRTIO_F_VERSION_1 32

/*
 * Split virtqueue layout (virtio 1.x, "Split Virtqueues"). Fields are
 * little-endian, which is native here. The descriptor table is 16-byte
 * aligned, the available ring 2-byte, the used ring 4-byte.
 */
struct uk_vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;		/* VRING_DESC_F_* */
	uint16_t next;		/* valid with VRING_DESC_F_NEXT */
};
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2	/* the device writes this buffer */

struct uk_vring_avail {
	uint16_t flags;		/* VRING_AVAIL_F_* */
	uint16_t idx;		/* free-running count of heads offered */
	uint16_t ring[];	/* num entries, then uint16_t used_event */
};
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct uk_vring_used_elem {
	uint32_t id;		/* head descriptor of the chain */
	uint32_t len;		/* bytes the device wrote into the chain */
};

struct uk_vring_used {
	uint16_t flags;		/* VRING_USED_F_* */
	uint16_t idx;		/* free-running count of chains returned */
	struct uk_vring_used_elem ring[]; /* num, then uint16_t avail_event */
};
#define VRING_USED_F_NO_NOTIFY 1

/*
 * One split virtqueue. The ring fields are shared with the device; the
 * rest is the driver's. Descriptors not in flight form a free list linked
 * through desc[].next, and a chain reuses those links, so adding and
 * freeing a chain never rewrites them.
 */
struct uk_vq {
	struct uk_vring_desc *desc;
	struct uk_vring_avail *avail;
	struct uk_vring_used *used;
	void **cookies;		/* per head: the caller's token */
	uint16_t *chain;	/* per head: chain length, 0 when not in flight */
	uint16_t num;		/* entries, a power of two */
	uint16_t index;		/* queue number on its device */
	uint16_t free_head;	/* first free descriptor */
	uint16_t num_free;
	uint16_t avail_idx;	/* next available slot (free-running) */
	uint16_t kicked_idx;	/* avail_idx at the last notification */
	uint16_t last_used;	/* next used slot to consume (free-running) */
	void (*notify)(struct uk_vq *vq); /* NULL: a private ring (tests) */
	void *transport;	/* the notify function's device */
};

/* A buffer of a chain. */
struct uk_vq_seg {
	const void *buf;
	uint32_t len;
	bool device_writes;	/* device-writable (receive) buffer */
};

static inline uint64_t uk_virtio_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p; /* identity-mapped */
}

/*
 * Bytes a queue of num entries needs in one block: the ring (shared with
 * the device) followed by the driver's per-head arrays. Give a device the
 * block 4096-aligned; tests may use any 16-byte-aligned memory.
 */
size_t uk_vq_mem_size(uint16_t num);

/* Format mem as an empty queue of num entries (a power of two, at most
 * 32768). 0, or -EINVAL for a bad num or misaligned mem. */
int uk_vq_init(struct uk_vq *vq, uint16_t num, void *mem);

/*
 * Put a chain of nseg buffers on the available ring (not yet visible to
 * the device: see uk_vq_kick). cookie comes back from uk_vq_get_used.
 * Returns the head descriptor (>= 0), -ENOSPC when fewer than nseg
 * descriptors are free (nothing is changed), -EINVAL for nseg 0 or more
 * than the queue holds.
 */
int uk_vq_add(struct uk_vq *vq, const struct uk_vq_seg *segs, unsigned nseg,
	      void *cookie);

/*
 * Publish the chains added since the last kick, then notify the device
 * unless it asked not to be (VRING_USED_F_NO_NOTIFY). Returns true when it
 * notified.
 */
bool uk_vq_kick(struct uk_vq *vq);

/*
 * Take the next chain the device returned: its cookie and the bytes the
 * device wrote. 0; -EAGAIN when the device returned nothing new; -EIO when
 * the device returned something that was never given to it (the entry is
 * skipped, the free list stays intact).
 */
int uk_vq_get_used(struct uk_vq *vq, void **cookie, uint32_t *len);

static inline uint16_t uk_vq_num_free(const struct uk_vq *vq)
{
	return vq->num_free;
}

/* Chains the device has returned and uk_vq_get_used not yet taken. */
static inline uint16_t uk_vq_used_count(const struct uk_vq *vq)
{
	return (uint16_t)(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) -
			  vq->last_used);
}

/* Nothing in flight: every descriptor is free. */
static inline bool uk_vq_idle(const struct uk_vq *vq)
{
	return vq->num_free == vq->num;
}

/* ---- transport: virtio-mmio ---------------------------------------------- */

/* A device found by the probe. */
struct uk_virtio_dev {
	uintptr_t base;		/* register window */
	unsigned slot;		/* microvm transport number */
	uint32_t device_id;	/* VIRTIO_ID_* */
	uint32_t vendor_id;
	uint64_t features;	/* negotiated (uk_virtio_dev_begin) */
};

/* Devices found at boot, in slot order; NULL past the end. */
struct uk_virtio_dev *uk_virtio_dev_get(unsigned i);

/*
 * Reset the device and negotiate: the driver accepts VIRTIO_F_VERSION_1
 * and whichever of want the device offers. *got gets the result (also in
 * d->features). 0; -ENOTSUP when the device is not a virtio 1.x device;
 * -EIO when it refuses the features (FEATURES_OK does not stick). On
 * failure the device is marked FAILED.
 */
int uk_virtio_dev_begin(struct uk_virtio_dev *d, uint64_t want, uint64_t *got);

/*
 * Allocate and enable queue index with at most num_max entries (fewer if
 * the device's maximum is lower; rounded down to a power of two). Between
 * uk_virtio_dev_begin and uk_virtio_dev_ready. 0; -ENOENT: no such queue;
 * -EBUSY: already enabled; -ENOMEM; -EINVAL: num_max 0.
 */
int uk_virtio_vq_setup(struct uk_virtio_dev *d, uint16_t index,
		       uint16_t num_max, struct uk_vq **out);

/* DRIVER_OK: the device may start. 0, or -EIO when it reports an error. */
int uk_virtio_dev_ready(struct uk_virtio_dev *d);

/* Give up on the device (FAILED status). */
void uk_virtio_dev_fail(struct uk_virtio_dev *d);

/* A field of the device-specific configuration, read with its own width
 * and consistently (configuration generation). */
uint32_t uk_virtio_cfg_read32(const struct uk_virtio_dev *d, unsigned offset);
uint16_t uk_virtio_cfg_read16(const struct uk_virtio_dev *d, unsigned offset);
uint8_t uk_virtio_cfg_read8(const struct uk_virtio_dev *d, unsigned offset);

/* Interrupt status bits (InterruptStatus). */
#define VIRTIO_ISR_USED 1	/* a used ring was written */
#define VIRTIO_ISR_CONFIG 2	/* the configuration changed */

/*
 * Read the device's interrupt status and acknowledge those bits, so it
 * lowers its interrupt line (call from its interrupt handler before the
 * end of interrupt). Returns the bits; 0 means it was not this device.
 */
uint32_t uk_virtio_irq_ack(struct uk_virtio_dev *d);

/*
 * Probe the transports and attach the configured drivers. Registered with
 * UK_DRIVER_INIT, so the boot sequence runs it after the allocator; later
 * calls do nothing. With no device it prints nothing and costs a few
 * register reads.
 */
#if CONFIG_VIRTIO
void uk_virtio_init(void);
#else
static inline void uk_virtio_init(void)
{
}
#endif

#endif
