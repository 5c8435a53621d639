/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: the device's side of a private split virtqueue, so guest
 * tests can play the device (read what the driver published, return
 * chains) without QEMU.
 */
#ifndef VIRTIO_TEST_FAKE_DEVICE_H
#define VIRTIO_TEST_FAKE_DEVICE_H

#include <uk/virtio.h>

/* The n-th available entry, as published. */
static inline uint16_t dev_avail(const struct uk_vq *vq, uint16_t n)
{
	return vq->avail->ring[n & (vq->num - 1)];
}

/* Return head with len bytes written. */
static inline void dev_use(struct uk_vq *vq, uint16_t head, uint32_t len)
{
	uint16_t i = vq->used->idx;

	vq->used->ring[i & (vq->num - 1)] = (struct uk_vring_used_elem){ head, len };
	__atomic_store_n(&vq->used->idx, (uint16_t)(i + 1), __ATOMIC_RELEASE);
}

#endif
