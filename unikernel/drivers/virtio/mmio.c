/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-mmio transport (virtio 1.x, "Virtio Over MMIO"), register
 * layout version 2 only.
 *
 * QEMU's microvm machine puts its transports at 0xfeb00000 + 512 * n: 8
 * of them, or 24 when it has a second IOAPIC. Every transport answers with
 * the magic value; an empty one has device id 0. The runner disables
 * auto-kernel-cmdline, so nothing lists them: the probe reads the magic of
 * each slot (the window is mapped uncached by boot.S, and a read of a slot
 * QEMU did not create returns 0).
 *
 * Version 1 is the legacy layout (guest page size, queue PFN), which QEMU
 * uses unless told `-global virtio-mmio.force-legacy=false`; it is refused
 * with a warning that says so.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/trace.h>
#include <uk/virtio.h>

#include "virtio_impl.h"

#if CONFIG_VIRTIO_TRACEPOINTS
UK_TRACEPOINT(virtio_notify, 2, UT_ARG_HEX, UT_ARG_U64);
#else
UK_TRACEPOINT_OFF(virtio_notify, 2);
#endif

#define MICROVM_VIRTIO_BASE 0xfeb00000UL
#define MICROVM_VIRTIO_STRIDE 0x200UL
#define MICROVM_VIRTIO_SLOTS 24

#define MMIO_MAGIC_VALUE 0x74726976 /* "virt" */
#define MMIO_VERSION_MODERN 2

/* Registers (32-bit each). */
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_VENDOR_ID 0x00c
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INTERRUPT_STATUS 0x060
#define R_INTERRUPT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC_LO 0x080
#define R_QUEUE_DESC_HI 0x084
#define R_QUEUE_DRIVER_LO 0x090
#define R_QUEUE_DRIVER_HI 0x094
#define R_QUEUE_DEVICE_LO 0x0a0
#define R_QUEUE_DEVICE_HI 0x0a4
#define R_CONFIG_GEN 0x0fc
#define R_CONFIG 0x100

/* Device status bits. */
#define S_ACKNOWLEDGE 0x01
#define S_DRIVER 0x02
#define S_DRIVER_OK 0x04
#define S_FEATURES_OK 0x08
#define S_NEEDS_RESET 0x40
#define S_FAILED 0x80

/* Bounds for loops that wait on a register: a device that never settles
 * must not hang the boot. */
#define RESET_POLLS 100000
#define CONFIG_GEN_TRIES 1000

static struct {
	unsigned n;
	struct uk_virtio_dev dev[MICROVM_VIRTIO_SLOTS];
} found;

static inline uint32_t rd(uintptr_t base, unsigned reg)
{
	return *(volatile uint32_t *)(base + reg);
}

static inline void wr(uintptr_t base, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(base + reg) = v;
}

unsigned virtio_mmio_probe(void)
{
	for (unsigned slot = 0; slot < MICROVM_VIRTIO_SLOTS; slot++) {
		uintptr_t base = MICROVM_VIRTIO_BASE + slot * MICROVM_VIRTIO_STRIDE;
		uint32_t id;

		if (rd(base, R_MAGIC) != MMIO_MAGIC_VALUE)
			continue;
		id = rd(base, R_DEVICE_ID);
		if (!id)
			continue; /* an empty transport */
		if (rd(base, R_VERSION) != MMIO_VERSION_MODERN) {
			uk_pr_warn("virtio: device type %u at 0x%lx is a legacy "
				   "(version %u) virtio-mmio device; ignored (run "
				   "QEMU with -global "
				   "virtio-mmio.force-legacy=false)\n",
				   id, (unsigned long)base, rd(base, R_VERSION));
			continue;
		}
		found.dev[found.n++] = (struct uk_virtio_dev){
			.base = base,
			.slot = slot,
			.device_id = id,
			.vendor_id = rd(base, R_VENDOR_ID),
		};
	}
	return found.n;
}

struct uk_virtio_dev *uk_virtio_dev_get(unsigned i)
{
	return i < found.n ? &found.dev[i] : NULL;
}

static uint64_t dev_features(uintptr_t base)
{
	uint64_t f;

	wr(base, R_DEV_FEATURES_SEL, 0);
	f = rd(base, R_DEV_FEATURES);
	wr(base, R_DEV_FEATURES_SEL, 1);
	return f | (uint64_t)rd(base, R_DEV_FEATURES) << 32;
}

int uk_virtio_dev_begin(struct uk_virtio_dev *d, uint64_t want, uint64_t *got)
{
	uint64_t offered, use;
	int polls = 0, err = 0;

	/* A reset is complete when the status reads back 0. */
	wr(d->base, R_STATUS, 0);
	while (rd(d->base, R_STATUS) && ++polls < RESET_POLLS)
		;
	if (polls == RESET_POLLS) {
		err = -EIO;
		goto out;
	}
	wr(d->base, R_STATUS, S_ACKNOWLEDGE);
	wr(d->base, R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
	offered = dev_features(d->base);
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1))) {
		err = -ENOTSUP;
		goto out;
	}
	use = offered & (want | 1ULL << VIRTIO_F_VERSION_1);
	wr(d->base, R_DRV_FEATURES_SEL, 0);
	wr(d->base, R_DRV_FEATURES, (uint32_t)use);
	wr(d->base, R_DRV_FEATURES_SEL, 1);
	wr(d->base, R_DRV_FEATURES, (uint32_t)(use >> 32));
	wr(d->base, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	/* The device clears FEATURES_OK when it cannot work with them. */
	if (!(rd(d->base, R_STATUS) & S_FEATURES_OK)) {
		err = -EIO;
		goto out;
	}
	d->features = use;
	*got = use;
out:
	if (err)
		uk_virtio_dev_fail(d);
	return err;
}

static void mmio_notify(struct uk_vq *vq)
{
	const struct uk_virtio_dev *d = vq->transport;

	uk_tp_virtio_notify(d->base, vq->index);
	wr(d->base, R_QUEUE_NOTIFY, vq->index);
}

int uk_virtio_vq_setup(struct uk_virtio_dev *d, uint16_t index,
		       uint16_t num_max, struct uk_vq **out)
{
	struct uk_alloc *a = uk_alloc_default();
	struct uk_vq *vq = NULL;
	void *mem = NULL;
	uint32_t max;
	uint16_t num;
	int err;

	if (!num_max)
		return -EINVAL;
	wr(d->base, R_QUEUE_SEL, index);
	if (rd(d->base, R_QUEUE_READY))
		return -EBUSY;
	max = rd(d->base, R_QUEUE_NUM_MAX);
	if (!max)
		return -ENOENT;
	if (max > num_max)
		max = num_max;
	for (num = 1; (uint32_t)num * 2 <= max && num < 32768; num *= 2)
		;
	vq = uk_malloc(a, sizeof(*vq));
	mem = uk_memalign(a, 4096, uk_vq_mem_size(num));
	if (!vq || !mem) {
		err = -ENOMEM;
		goto out;
	}
	err = uk_vq_init(vq, num, mem);
	if (err)
		goto out;
	vq->index = index;
	vq->notify = mmio_notify;
	vq->transport = d;
	/* Polled driver: interrupts would only cost the device work. */
	vq->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	wr(d->base, R_QUEUE_NUM, num);
	wr(d->base, R_QUEUE_DESC_LO, (uint32_t)uk_virtio_phys(vq->desc));
	wr(d->base, R_QUEUE_DESC_HI, (uint32_t)(uk_virtio_phys(vq->desc) >> 32));
	wr(d->base, R_QUEUE_DRIVER_LO, (uint32_t)uk_virtio_phys(vq->avail));
	wr(d->base, R_QUEUE_DRIVER_HI,
	   (uint32_t)(uk_virtio_phys(vq->avail) >> 32));
	wr(d->base, R_QUEUE_DEVICE_LO, (uint32_t)uk_virtio_phys(vq->used));
	wr(d->base, R_QUEUE_DEVICE_HI, (uint32_t)(uk_virtio_phys(vq->used) >> 32));
	wr(d->base, R_QUEUE_READY, 1);
	*out = vq;
out:
	if (err) {
		uk_free(a, mem);
		uk_free(a, vq);
	}
	return err;
}

int uk_virtio_dev_ready(struct uk_virtio_dev *d)
{
	wr(d->base, R_STATUS,
	   S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	if (rd(d->base, R_STATUS) & (S_NEEDS_RESET | S_FAILED))
		return -EIO;
	return 0;
}

void uk_virtio_dev_fail(struct uk_virtio_dev *d)
{
	wr(d->base, R_STATUS, rd(d->base, R_STATUS) | S_FAILED);
}

static uint32_t cfg_read(const struct uk_virtio_dev *d, unsigned offset,
			 unsigned width)
{
	uintptr_t a = d->base + R_CONFIG + offset;
	uint32_t gen, v;
	int tries = 0;

	/* A field read while the device changes it is read again. */
	do {
		gen = rd(d->base, R_CONFIG_GEN);
		if (width == 1)
			v = *(volatile uint8_t *)a;
		else if (width == 2)
			v = *(volatile uint16_t *)a;
		else
			v = *(volatile uint32_t *)a;
	} while (gen != rd(d->base, R_CONFIG_GEN) && ++tries < CONFIG_GEN_TRIES);
	return v;
}

uint32_t uk_virtio_cfg_read32(const struct uk_virtio_dev *d, unsigned offset)
{
	return cfg_read(d, offset, 4);
}

uint16_t uk_virtio_cfg_read16(const struct uk_virtio_dev *d, unsigned offset)
{
	return (uint16_t)cfg_read(d, offset, 2);
}

uint8_t uk_virtio_cfg_read8(const struct uk_virtio_dev *d, unsigned offset)
{
	return (uint8_t)cfg_read(d, offset, 1);
}

uint32_t uk_virtio_irq_ack(struct uk_virtio_dev *d)
{
	uint32_t isr = rd(d->base, R_INTERRUPT_STATUS);

	if (isr)
		wr(d->base, R_INTERRUPT_ACK, isr);
	return isr;
}
