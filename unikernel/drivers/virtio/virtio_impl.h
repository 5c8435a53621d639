/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to drivers/virtio: what init.c needs from the transport and the
 * device drivers. */
#ifndef VIRTIO_IMPL_H
#define VIRTIO_IMPL_H

#include <uk/virtio.h>

/* Scan microvm's virtio-mmio slots; returns the devices found. */
unsigned virtio_mmio_probe(void);

/* Take over a console device (console.c). 0 or -errno; on failure the
 * device is marked FAILED and left alone. */
int vcon_attach(struct uk_virtio_dev *d);

/* Take over a network device (net.c) and register it with uknetdev.
 * 0 or -errno, as vcon_attach. */
int vnet_attach(struct uk_virtio_dev *d);

#endif
