/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to drivers/virtio: the virtio-net device record, shared by
 * net.c and its tests, which run the rings without a transport and play
 * the device themselves.
 */
#ifndef VIRTIO_NET_IMPL_H
#define VIRTIO_NET_IMPL_H

#include <uk/netdev_driver.h>
#include <uk/virtio.h>

/* virtio 1.x "struct virtio_net_hdr" with num_buffers: 12 bytes. Legacy
 * devices without mergeable buffers use the first 10. */
struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};
#define VNET_HDR_LEN sizeof(struct vnet_hdr)
#define VNET_HDR_LEN_LEGACY 10

/* A receive chain: the driver's header, then the stack's buffer. */
struct vnet_rx_slot {
	struct vnet_hdr hdr;
	struct uk_netbuf buf;
};

/* A transmit chain: what tx_done needs back. */
struct vnet_tx_slot {
	void *cookie;
	uint32_t len;
};

struct vnet {
	struct uk_netdev nd;		/* first: the generic record */
	struct uk_virtio_dev *vdev;	/* NULL: private rings (tests) */
	struct uk_vq *rxq, *txq;
	uint16_t hdr_len;
	uint16_t refill_min;		/* empty slots worth a refill */
	uint16_t rx_nslots, rx_nfree;
	bool rx_starved;		/* the ring was left with no buffer */
	uint16_t tx_nslots, tx_nfree;
	struct vnet_rx_slot *rx_slots;
	uint16_t *rx_free;		/* stack of free slot numbers */
	struct vnet_tx_slot *tx_slots;
	uint16_t *tx_free;
	struct uk_netbuf *lent;		/* rx_alloc's answer, rx_nslots long */
};

/*
 * Set up n over two formatted queues: slots, the ops table and info
 * (mtu 1500, no MAC, no link status; the caller corrects them). 0 or
 * -ENOMEM.
 */
int vnet_init(struct vnet *n, struct uk_vq *rxq, struct uk_vq *txq,
	      uint16_t hdr_len);

/* Free what vnet_init allocated (tests). */
void vnet_release(struct vnet *n);

#endif
