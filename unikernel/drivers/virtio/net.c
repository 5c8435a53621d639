/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net (virtio 1.x, "Network Device") for uknetdev: one receive and
 * one transmit queue, no control queue, no offloads.
 *
 * Features: MAC, STATUS (link), MTU when offered; nothing else. No
 * checksum or segmentation offload: the stack computes and checks every
 * checksum itself. No MRG_RXBUF: a receive chain is [driver header |
 * stack buffer], and with mergeable buffers the device would write the
 * second and later buffers of a frame from their first byte, the header
 * descriptor included; instead every stack buffer holds a whole frame
 * (uk_netdev_configure checks rx_buf_len >= max_frame). The header is
 * 12 bytes with VIRTIO_F_VERSION_1 (always negotiated: the transport
 * takes modern devices only), 10 for a legacy device.
 *
 * Transmit chains are [header | the stack's pieces]. With no offloads
 * every transmit header is the same all-zero one, so all chains point at
 * one read-only copy; receive headers are written by the device, so each
 * receive slot has its own.
 *
 * Interrupts (CONFIG_UKNETDEV_IRQ): both queues normally ask the device
 * not to interrupt (VRING_AVAIL_F_NO_INTERRUPT). Arming clears the flag
 * and re-checks the used rings, then the waiter halts; the handler
 * acknowledges the device, sets the flag again and wakes, and the next
 * poll does the work. Ordering: the device writes a used entry and then
 * reads the flag; arming writes the flag and then reads the used index;
 * a full fence on our side (QEMU has its own) means one of the two sees
 * the other, so no interrupt is lost.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/trap.h>
#include <uk/virtio.h>

#include "net_impl.h"
#include "virtio_impl.h"

#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1

/* Device configuration (virtio 1.x "struct virtio_net_config"). */
#define CFG_MAC 0
#define CFG_STATUS 6
#define CFG_MTU 10

#define Q_RX 0
#define Q_TX 1

#define ETH_MTU_DEFAULT 1500
#define ETH_MTU_MIN 68
#define TX_SEGS_MAX 16

static const struct vnet_hdr tx_hdr; /* no offloads: all zero */

static inline struct vnet *to_vnet(struct uk_netdev *nd)
{
	return (struct vnet *)nd;
}

/* ---- receive ------------------------------------------------------------ */

/* Put buf on the ring in a free slot (there is one: the caller checked or
 * just freed it). Visible to the device at the next kick. */
static void rx_post(struct vnet *n, const struct uk_netbuf *buf)
{
	uint16_t i = n->rx_free[--n->rx_nfree];
	struct vnet_rx_slot *s = &n->rx_slots[i];
	struct uk_vq_seg segs[2] = {
		{ &s->hdr, n->hdr_len, true },
		{ buf->data, n->nd.conf.rx_buf_len, true },
	};

	s->buf = *buf;
	s->buf.len = 0;
	if (uk_vq_add(n->rxq, segs, 2, s) < 0)
		n->rx_free[n->rx_nfree++] = i; /* cannot happen: 2 per slot */
}

static void rx_slot_free(struct vnet *n, struct vnet_rx_slot *s)
{
	n->rx_free[n->rx_nfree++] = (uint16_t)(s - n->rx_slots);
}

/* Ask the stack for buffers for the empty slots, in one call, when enough
 * are empty (or always, with force, or when none is posted). A stack that
 * lends fewer than asked is normal (it keeps buffers for itself); what
 * counts as rx_no_buffer is a ring left with no buffer at all, once per
 * such spell: the device then cannot receive until a later refill. */
static void rx_refill(struct vnet *n, bool force)
{
	unsigned want = n->rx_nfree, got;

	if (!want || (!force && want < n->refill_min && want < n->rx_nslots))
		return;
	got = n->nd.conf.rx_alloc(n->nd.conf.arg, n->lent, want);
	if (got > want)
		got = want;
	for (unsigned i = 0; i < got; i++)
		rx_post(n, &n->lent[i]);
	if (n->rx_nfree < n->rx_nslots) {
		n->rx_starved = false;
	} else if (!n->rx_starved) {
		n->rx_starved = true;
		uk_netdev_drop(&n->nd, UK_NETDEV_DROP_RX_NO_BUFFER, 1);
	}
}

/*
 * Take one received frame into *buf. 1: a frame; 0: none left; -1: a
 * malformed one (counted, its buffer back on the ring).
 */
static int rx_take(struct vnet *n, struct uk_netbuf *buf)
{
	struct vnet_rx_slot *s;
	void *cookie;
	uint32_t len;
	int err = uk_vq_get_used(n->rxq, &cookie, &len);

	if (err == -EAGAIN)
		return 0;
	if (err) {
		uk_netdev_drop(&n->nd, UK_NETDEV_DROP_RX_BAD, 1);
		return -1;
	}
	s = cookie;
	*buf = s->buf;
	rx_slot_free(n, s);
	if (len < (uint32_t)n->hdr_len + UK_NETDEV_ETH_HLEN ||
	    len - n->hdr_len > n->nd.conf.rx_buf_len) {
		uk_netdev_drop(&n->nd, UK_NETDEV_DROP_RX_BAD, 1);
		rx_post(n, buf);
		return -1;
	}
	buf->len = (uint16_t)(len - n->hdr_len);
	return 1;
}

/* Hand up at most budget frames, UK_NETDEV_BURST at a time; what the
 * stack refuses goes back on the ring. */
static unsigned rx_harvest(struct vnet *n, unsigned budget)
{
	struct uk_netbuf batch[UK_NETDEV_BURST];
	uint16_t posted = (uint16_t)(n->rx_nslots - n->rx_nfree);
	unsigned done = 0, k, took;
	int r = 1;

	if (posted && uk_vq_used_count(n->rxq) >= posted)
		uk_netdev_drop(&n->nd, UK_NETDEV_DROP_RX_RING_FULL, 1);
	while (r && done < budget) {
		for (k = 0; k < UK_NETDEV_BURST && done + k < budget;) {
			r = rx_take(n, &batch[k]);
			if (!r)
				break;
			if (r > 0)
				k++;
		}
		took = uk_netdev_rx_deliver(&n->nd, batch, k);
		for (unsigned i = took; i < k; i++)
			rx_post(n, &batch[i]);
		done += k;
	}
	return done;
}

/* ---- transmit ----------------------------------------------------------- */

/* Return every frame the device has sent to the stack, a burst at a time. */
static void tx_reclaim(struct vnet *n)
{
	void *cookies[UK_NETDEV_BURST];
	unsigned k = 0;
	uint64_t bytes = 0;
	void *cookie;
	int err;

	while ((err = uk_vq_get_used(n->txq, &cookie, NULL)) != -EAGAIN) {
		struct vnet_tx_slot *s = cookie;

		if (err)
			continue; /* a head never given: nothing to return */
		cookies[k++] = s->cookie;
		bytes += s->len;
		n->tx_free[n->tx_nfree++] = (uint16_t)(s - n->tx_slots);
		if (k == UK_NETDEV_BURST) {
			uk_netdev_tx_done(&n->nd, cookies, k, bytes);
			k = 0;
			bytes = 0;
		}
	}
	uk_netdev_tx_done(&n->nd, cookies, k, bytes);
}

static bool tx_room(const struct vnet *n, unsigned nseg)
{
	return n->tx_nfree && uk_vq_num_free(n->txq) >= nseg + 1;
}

static int vnet_tx(struct uk_netdev *nd, const struct uk_netdev_seg *segs,
		   unsigned nseg, uint32_t len, void *cookie)
{
	struct vnet *n = to_vnet(nd);
	struct uk_vq_seg vs[1 + TX_SEGS_MAX];
	struct vnet_tx_slot *s;
	uint16_t i;

	if (!tx_room(n, nseg)) {
		tx_reclaim(n);
		if (!tx_room(n, nseg))
			return -EAGAIN;
	}
	vs[0] = (struct uk_vq_seg){ &tx_hdr, n->hdr_len, false };
	for (unsigned k = 0; k < nseg; k++)
		vs[k + 1] = (struct uk_vq_seg){ segs[k].data, segs[k].len, false };
	i = n->tx_free[--n->tx_nfree];
	s = &n->tx_slots[i];
	s->cookie = cookie;
	s->len = len;
	if (uk_vq_add(n->txq, vs, nseg + 1, s) < 0) {
		n->tx_free[n->tx_nfree++] = i; /* cannot happen: room checked */
		return -EAGAIN;
	}
	uk_vq_kick(n->txq);
	return 0;
}

/* ---- the rest of the ops ------------------------------------------------ */

static unsigned vnet_poll(struct uk_netdev *nd, unsigned budget)
{
	struct vnet *n = to_vnet(nd);
	unsigned got;

	tx_reclaim(n);
	got = rx_harvest(n, budget);
	rx_refill(n, false);
	uk_vq_kick(n->rxq);
	return got;
}

static bool vnet_pending(struct uk_netdev *nd)
{
	struct vnet *n = to_vnet(nd);

	return uk_vq_used_count(n->rxq) || uk_vq_used_count(n->txq);
}

static void set_interrupts(struct vnet *n, bool on)
{
	uint16_t f = on ? 0 : VRING_AVAIL_F_NO_INTERRUPT;

	__atomic_store_n(&n->rxq->avail->flags, f, __ATOMIC_RELAXED);
	__atomic_store_n(&n->txq->avail->flags, f, __ATOMIC_RELAXED);
}

static int vnet_arm(struct uk_netdev *nd)
{
	struct vnet *n = to_vnet(nd);

	set_interrupts(n, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return vnet_pending(nd) ? 1 : 0;
}

static void vnet_irq(struct trap_frame *frame, void *arg)
{
	struct vnet *n = arg;
	(void)frame;

	if (!uk_virtio_irq_ack(n->vdev))
		return;
	set_interrupts(n, false);
	uk_netdev_irq(&n->nd);
}

static void vnet_irq_route(struct vnet *n)
{
	int gsi = plat_virtio_mmio_gsi(n->vdev->slot);
	int err = gsi < 0 ? gsi : plat_irq_attach((unsigned)gsi, vnet_irq, n);

	if (err) {
		uk_pr_warn("virtio-net at 0x%lx: no interrupt (error %d); "
			   "polling\n", (unsigned long)n->vdev->base, err);
		return;
	}
	n->nd.info.irq = true;
	/* A thread blocked on the device is not a deadlock. */
	uk_sched_irq_waker_add();
	uk_pr_info("virtio-net at 0x%lx: interrupt on GSI %d\n",
		   (unsigned long)n->vdev->base, gsi);
}

static int vnet_start(struct uk_netdev *nd)
{
	struct vnet *n = to_vnet(nd);

	rx_refill(n, true);
	uk_vq_kick(n->rxq);
	if (IS_ENABLED(CONFIG_UKNETDEV_IRQ) && n->vdev)
		vnet_irq_route(n);
	return 0;
}

static bool vnet_link_up(struct uk_netdev *nd)
{
	struct vnet *n = to_vnet(nd);

	if (!n->vdev || !(n->vdev->features & (1ULL << VIRTIO_NET_F_STATUS)))
		return true;
	return uk_virtio_cfg_read16(n->vdev, CFG_STATUS) & VIRTIO_NET_S_LINK_UP;
}

static const struct uk_netdev_ops vnet_ops = {
	.start = vnet_start,
	.link_up = vnet_link_up,
	.poll = vnet_poll,
	.tx = vnet_tx,
	.pending = vnet_pending,
	.arm = vnet_arm,
};

/* ---- set-up ------------------------------------------------------------- */

int vnet_init(struct vnet *n, struct uk_vq *rxq, struct uk_vq *txq,
	      uint16_t hdr_len)
{
	struct uk_alloc *a = uk_alloc_default();

	memset(n, 0, sizeof(*n));
	n->rxq = rxq;
	n->txq = txq;
	n->hdr_len = hdr_len;
	/* Two descriptors per chain at least: header and one piece. */
	n->rx_nslots = n->rx_nfree = rxq->num / 2;
	n->tx_nslots = n->tx_nfree = txq->num / 2;
	n->refill_min = n->rx_nslots / 4 ? n->rx_nslots / 4 : 1;
	n->rx_slots = uk_calloc(a, n->rx_nslots, sizeof(*n->rx_slots));
	n->rx_free = uk_calloc(a, n->rx_nslots, sizeof(*n->rx_free));
	n->lent = uk_calloc(a, n->rx_nslots, sizeof(*n->lent));
	n->tx_slots = uk_calloc(a, n->tx_nslots, sizeof(*n->tx_slots));
	n->tx_free = uk_calloc(a, n->tx_nslots, sizeof(*n->tx_free));
	if (!n->rx_slots || !n->rx_free || !n->lent || !n->tx_slots ||
	    !n->tx_free) {
		vnet_release(n);
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < n->rx_nslots; i++)
		n->rx_free[i] = i;
	for (uint16_t i = 0; i < n->tx_nslots; i++)
		n->tx_free[i] = i;
	n->nd.ops = &vnet_ops;
	n->nd.info = (struct uk_netdev_info){
		.driver = "virtio-net",
		.mtu = ETH_MTU_DEFAULT,
		.max_frame = ETH_MTU_DEFAULT + UK_NETDEV_ETH_HLEN,
		.rx_bufs = n->rx_nslots,
		.tx_segs_max = txq->num - 1 < TX_SEGS_MAX ? txq->num - 1
							   : TX_SEGS_MAX,
	};
	return 0;
}

void vnet_release(struct vnet *n)
{
	struct uk_alloc *a = uk_alloc_default();

	uk_free(a, n->rx_slots);
	uk_free(a, n->rx_free);
	uk_free(a, n->lent);
	uk_free(a, n->tx_slots);
	uk_free(a, n->tx_free);
	n->rx_slots = NULL;
	n->rx_free = NULL;
	n->lent = NULL;
	n->tx_slots = NULL;
	n->tx_free = NULL;
}

/* MAC, MTU and link reporting from the device's configuration. */
static void vnet_read_config(struct vnet *n)
{
	struct uk_virtio_dev *d = n->vdev;
	struct uk_netdev_info *info = &n->nd.info;

	if (d->features & (1ULL << VIRTIO_NET_F_MAC)) {
		for (unsigned i = 0; i < UK_NETDEV_MAC_LEN; i++)
			info->mac[i] = uk_virtio_cfg_read8(d, CFG_MAC + i);
	} else {
		/* Locally administered, fixed per slot: runs repeat. */
		static const uint8_t base[UK_NETDEV_MAC_LEN] = { 0x02 };

		memcpy(info->mac, base, sizeof(base));
		info->mac[5] = (uint8_t)(d->slot + 1);
	}
	if (d->features & (1ULL << VIRTIO_NET_F_MTU)) {
		uint16_t mtu = uk_virtio_cfg_read16(d, CFG_MTU);

		if (mtu >= ETH_MTU_MIN && mtu <= UINT16_MAX - UK_NETDEV_ETH_HLEN)
			info->mtu = mtu;
	}
	info->max_frame = info->mtu + UK_NETDEV_ETH_HLEN;
	info->link_status = d->features & (1ULL << VIRTIO_NET_F_STATUS);
}

int vnet_attach(struct uk_virtio_dev *d)
{
	const uint64_t want = 1ULL << VIRTIO_NET_F_MAC |
			      1ULL << VIRTIO_NET_F_STATUS |
			      1ULL << VIRTIO_NET_F_MTU;
	struct uk_vq *rxq, *txq;
	struct vnet *n = NULL;
	uint64_t got;
	const uint8_t *m;
	int err;

	err = uk_virtio_dev_begin(d, want, &got);
	if (err)
		return err;
	err = uk_virtio_vq_setup(d, Q_RX, CONFIG_VIRTIO_NET_RX_RING, &rxq);
	if (!err)
		err = uk_virtio_vq_setup(d, Q_TX, CONFIG_VIRTIO_NET_TX_RING, &txq);
	if (!err && (rxq->num < 2 || txq->num < 2))
		err = -ENOSPC;
	if (!err)
		n = uk_malloc(uk_alloc_default(), sizeof(*n));
	if (!err && !n)
		err = -ENOMEM;
	if (!err)
		err = vnet_init(n, rxq, txq,
				got & (1ULL << VIRTIO_F_VERSION_1) ?
					VNET_HDR_LEN : VNET_HDR_LEN_LEGACY);
	if (err)
		goto out;
	n->vdev = d;
	vnet_read_config(n);
	err = uk_virtio_dev_ready(d);
	if (!err)
		err = uk_netdev_register(&n->nd);
	if (err)
		goto out;
	m = n->nd.info.mac;
	uk_pr_info("virtio-net at 0x%lx: mac %02x:%02x:%02x:%02x:%02x:%02x, "
		   "mtu %u, link %s, %u rx buffers\n", (unsigned long)d->base,
		   m[0], m[1], m[2], m[3], m[4], m[5], n->nd.info.mtu,
		   vnet_link_up(&n->nd) ? "up" : "down", n->nd.info.rx_bufs);
out:
	if (err) {
		uk_virtio_dev_fail(d);
		if (n && n->rx_slots)
			vnet_release(n);
		uk_free(uk_alloc_default(), n);
	}
	return err;
}
