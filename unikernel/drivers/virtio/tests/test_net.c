/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net's ring work on private rings: the test plays the device
 * (reads the available rings, writes the used rings) and the stack (lends
 * buffers, takes frames, gets cookies back), so receive, refill, recycling,
 * transmit and every drop counter are checked without QEMU.
 */
#include <uk/errno.h>
#include <uk/netdev.h>
#include <uk/string.h>
#include <uk/test.h>

#include "../net_impl.h"
#include "fake_device.h"

#define NUM 8			/* descriptors per ring: 4 chains */
#define SLOTS (NUM / 2)
#define BUF_LEN 1536
#define POOL 12

static uint8_t rx_mem[4096] __attribute__((aligned(4096)));
static uint8_t tx_mem[4096] __attribute__((aligned(4096)));
static uint8_t bufs[POOL][BUF_LEN];

/* The stack's side. */
static struct stack {
	unsigned lendable;		/* buffers rx_alloc may still lend */
	unsigned next;			/* next buffer of the pool to lend */
	unsigned alloc_calls;
	unsigned accept;		/* frames rx takes per call */
	struct uk_netbuf got[16];
	unsigned ngot;
	void *done[16];
	unsigned ndone;
	unsigned notified;
} st;

static unsigned t_rx_alloc(void *arg, struct uk_netbuf *b, unsigned n)
{
	unsigned i;

	(void)arg;
	st.alloc_calls++;
	for (i = 0; i < n && st.lendable && st.next < POOL; i++, st.lendable--) {
		b[i].data = bufs[st.next];
		b[i].cookie = (void *)(uintptr_t)(st.next + 1);
		st.next++;
	}
	return i;
}

static unsigned t_rx(void *arg, struct uk_netbuf *b, unsigned n)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < n && i < st.accept && st.ngot < 16; i++)
		st.got[st.ngot++] = b[i];
	return i;
}

static void t_tx_done(void *arg, void *const *c, unsigned n)
{
	(void)arg;
	for (unsigned i = 0; i < n && st.ndone < 16; i++)
		st.done[st.ndone++] = c[i];
}

static void count_notify(struct uk_vq *vq)
{
	(void)vq;
	st.notified++;
}

/* The buffer descriptor of the receive chain at head. */
static const struct uk_vring_desc *rx_buf_desc(const struct uk_vq *vq,
					       uint16_t head)
{
	return &vq->desc[vq->desc[head].next];
}

struct rig {
	struct uk_vq rxq, txq;
	struct vnet n;
};

/* A started device with lendable buffers on offer; 0 or -errno. */
static int rig_start(struct rig *r, unsigned lendable)
{
	struct uk_netdev_conf c = {
		.rx_alloc = t_rx_alloc, .rx = t_rx, .tx_done = t_tx_done,
		.rx_buf_len = BUF_LEN,
	};
	int err;

	memset(&st, 0, sizeof(st));
	st.lendable = lendable;
	st.accept = 16;
	err = uk_vq_init(&r->rxq, NUM, rx_mem);
	if (!err)
		err = uk_vq_init(&r->txq, NUM, tx_mem);
	if (err)
		return err;
	r->rxq.notify = r->txq.notify = count_notify;
	r->rxq.index = 0;
	r->txq.index = 1;
	err = vnet_init(&r->n, &r->rxq, &r->txq, VNET_HDR_LEN);
	if (!err)
		err = uk_netdev_configure(&r->n.nd, &c);
	if (!err)
		err = uk_netdev_start(&r->n.nd);
	return err;
}

static struct uk_netdev_stats stats(struct rig *r)
{
	return uk_netdev_stats_get(&r->n.nd);
}

UK_TESTCASE(virtio_net, start_posts_header_then_buffer)
{
	struct rig r;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	UK_EXPECT_EQ(r.n.nd.info.rx_bufs, SLOTS);
	UK_EXPECT_EQ(r.n.nd.info.max_frame, 1514);
	UK_EXPECT_EQ(r.n.nd.info.tx_segs_max, NUM - 1);
	/* One bulk request fills the ring, one notification publishes it. */
	UK_EXPECT_EQ(st.alloc_calls, 1);
	UK_EXPECT_EQ(r.rxq.avail->idx, SLOTS);
	UK_EXPECT_EQ(st.notified, 1);
	for (uint16_t k = 0; k < SLOTS; k++) {
		uint16_t h = dev_avail(&r.rxq, k);
		const struct uk_vring_desc *d = rx_buf_desc(&r.rxq, h);

		UK_EXPECT_EQ(r.rxq.desc[h].len, VNET_HDR_LEN);
		UK_EXPECT_EQ(r.rxq.desc[h].flags,
			     VRING_DESC_F_WRITE | VRING_DESC_F_NEXT);
		UK_EXPECT_EQ(d->addr, (uintptr_t)bufs[k]);
		UK_EXPECT_EQ(d->len, BUF_LEN);
		UK_EXPECT_EQ(d->flags, VRING_DESC_F_WRITE);
	}
	UK_EXPECT(!uk_netdev_pending(&r.n.nd));
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, configure_checks_buffers_and_callbacks)
{
	struct rig r;
	struct uk_netdev_conf c = {
		.rx_alloc = t_rx_alloc, .rx = t_rx, .tx_done = t_tx_done,
		.rx_buf_len = 1513,
	};

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	/* Started: no more configuring or starting. */
	UK_EXPECT_EQ(uk_netdev_configure(&r.n.nd, &c), -EBUSY);
	UK_EXPECT_EQ(uk_netdev_start(&r.n.nd), -EBUSY);
	vnet_release(&r.n);
	UK_ASSERT_TRUE(vnet_init(&r.n, &r.rxq, &r.txq, VNET_HDR_LEN) == 0);
	UK_EXPECT_EQ(uk_netdev_start(&r.n.nd), -EINVAL);
	/* A buffer one byte short of a whole frame. */
	UK_EXPECT_EQ(uk_netdev_configure(&r.n.nd, &c), -EINVAL);
	c.rx_buf_len = BUF_LEN;
	c.tx_done = NULL;
	UK_EXPECT_EQ(uk_netdev_configure(&r.n.nd, &c), -EINVAL);
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 0);
	UK_EXPECT_EQ(uk_netdev_wait(&r.n.nd, 0), -ENOTCONN);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, frames_go_up_in_order_and_the_ring_refills)
{
	struct rig r;
	struct uk_netdev_stats s;
	uint16_t h0, h1;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	h0 = dev_avail(&r.rxq, 0);
	h1 = dev_avail(&r.rxq, 1);
	dev_use(&r.rxq, h0, VNET_HDR_LEN + 60);
	dev_use(&r.rxq, h1, VNET_HDR_LEN + 1514);
	UK_EXPECT(uk_netdev_pending(&r.n.nd));
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 2);
	UK_ASSERT_TRUE(st.ngot == 2);
	UK_EXPECT(st.got[0].data == bufs[0]);
	UK_EXPECT_EQ(st.got[0].len, 60);
	UK_EXPECT(st.got[0].cookie == (void *)1);
	UK_EXPECT(st.got[1].data == bufs[1]);
	UK_EXPECT_EQ(st.got[1].len, 1514);
	s = stats(&r);
	UK_EXPECT_EQ(s.rx_packets, 2);
	UK_EXPECT_EQ(s.rx_bytes, 60 + 1514);
	/* Two empty slots are worth a refill (a quarter of the ring): two
	 * new buffers in one request, one notification. */
	UK_EXPECT_EQ(st.alloc_calls, 2);
	UK_EXPECT_EQ(r.rxq.avail->idx, SLOTS + 2);
	UK_EXPECT_EQ(rx_buf_desc(&r.rxq, dev_avail(&r.rxq, SLOTS))->addr,
		     (uintptr_t)bufs[SLOTS]);
	UK_EXPECT_EQ(st.notified, 2);
	for (unsigned i = 0; i < UK_NETDEV_DROP_COUNT; i++)
		UK_EXPECT_EQ(s.drops[i], 0);
	UK_EXPECT(!uk_netdev_pending(&r.n.nd));
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, budget_limits_a_poll)
{
	struct rig r;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	for (uint16_t k = 0; k < 3; k++)
		dev_use(&r.rxq, dev_avail(&r.rxq, k), VNET_HDR_LEN + 64);
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 2), 2);
	UK_EXPECT_EQ(st.ngot, 2);
	UK_EXPECT(uk_netdev_pending(&r.n.nd));
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 2), 1);
	UK_EXPECT_EQ(st.ngot, 3);
	UK_EXPECT(st.got[2].data == bufs[2]);
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 0), 0);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, refused_frames_go_back_on_the_ring)
{
	struct rig r;
	struct uk_netdev_stats s;
	uint16_t idx;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	st.accept = 1;
	dev_use(&r.rxq, dev_avail(&r.rxq, 0), VNET_HDR_LEN + 64);
	dev_use(&r.rxq, dev_avail(&r.rxq, 1), VNET_HDR_LEN + 70);
	st.lendable = 0; /* so only the refused buffer can come back */
	idx = r.rxq.avail->idx;
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 2);
	UK_EXPECT_EQ(st.ngot, 1);
	s = stats(&r);
	UK_EXPECT_EQ(s.rx_packets, 1);
	UK_EXPECT_EQ(s.rx_bytes, 64);
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_STACK_FULL], 1);
	/* The second buffer is posted again, as it was, with no alloc. */
	UK_EXPECT_EQ(r.rxq.avail->idx, (uint16_t)(idx + 1));
	UK_EXPECT_EQ(rx_buf_desc(&r.rxq, dev_avail(&r.rxq, idx))->addr,
		     (uintptr_t)bufs[1]);
	/* The stack had nothing to lend for the other empty slot, but the
	 * ring still holds buffers: lending fewer is not a drop. */
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_NO_BUFFER], 0);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, full_ring_and_empty_ring_are_counted)
{
	struct rig r;
	struct uk_netdev_stats s;

	/* Three buffers for four slots: a short refill is not a drop. */
	UK_ASSERT_TRUE(rig_start(&r, 3) == 0);
	UK_EXPECT_EQ(r.rxq.avail->idx, 3);
	UK_EXPECT_EQ(stats(&r).drops[UK_NETDEV_DROP_RX_NO_BUFFER], 0);
	/* The device fills all three (the ring was full) and the stack lends
	 * nothing back: the ring is left empty, counted once. */
	for (uint16_t k = 0; k < 3; k++)
		dev_use(&r.rxq, dev_avail(&r.rxq, k), VNET_HDR_LEN + 64);
	st.lendable = 0;
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 3);
	s = stats(&r);
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_RING_FULL], 1);
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_NO_BUFFER], 1);
	UK_EXPECT_EQ(r.rxq.avail->idx, 3);
	/* Still empty at the next poll: the same spell, not counted again. */
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 0);
	UK_EXPECT_EQ(stats(&r).drops[UK_NETDEV_DROP_RX_NO_BUFFER], 1);
	/* The pool recovers: refilled to the whole ring. */
	st.lendable = SLOTS;
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 0);
	UK_EXPECT_EQ(r.rxq.avail->idx, 3 + SLOTS);
	/* Not full any more: nothing counted by the next poll. */
	dev_use(&r.rxq, dev_avail(&r.rxq, 3), VNET_HDR_LEN + 64);
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 1);
	s = stats(&r);
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_RING_FULL], 1);
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_NO_BUFFER], 1);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, malformed_completions_are_dropped)
{
	struct rig r;
	uint16_t h = 0;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	/* Shorter than header plus Ethernet header; longer than the buffer;
	 * a head that is not in flight (a header descriptor's successor). */
	dev_use(&r.rxq, dev_avail(&r.rxq, 0), VNET_HDR_LEN + 13);
	dev_use(&r.rxq, dev_avail(&r.rxq, 1), VNET_HDR_LEN + BUF_LEN + 1);
	h = r.rxq.desc[dev_avail(&r.rxq, 2)].next;
	dev_use(&r.rxq, h, VNET_HDR_LEN + 64);
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 0);
	UK_EXPECT_EQ(st.ngot, 0);
	UK_EXPECT_EQ(stats(&r).drops[UK_NETDEV_DROP_RX_BAD], 3);
	UK_EXPECT_EQ(stats(&r).rx_packets, 0);
	/* The two real buffers went back on the ring. */
	UK_EXPECT_EQ(rx_buf_desc(&r.rxq, dev_avail(&r.rxq, SLOTS))->addr,
		     (uintptr_t)bufs[0]);
	UK_EXPECT_EQ(rx_buf_desc(&r.rxq, dev_avail(&r.rxq, SLOTS + 1))->addr,
		     (uintptr_t)bufs[1]);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, tx_is_header_then_pieces_and_returns_the_cookie)
{
	struct rig r;
	static uint8_t hdrs[42], payload[56];
	struct uk_netdev_seg segs[2] = { { hdrs, sizeof(hdrs) },
					 { payload, sizeof(payload) } };
	const struct uk_vring_desc *d;
	uint16_t h;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, segs, 2, (void *)0xc0), 0);
	UK_EXPECT_EQ(r.txq.avail->idx, 1);
	h = dev_avail(&r.txq, 0);
	d = &r.txq.desc[h];
	UK_EXPECT_EQ(d->len, VNET_HDR_LEN);
	UK_EXPECT_EQ(d->flags, VRING_DESC_F_NEXT); /* the device reads it */
	for (unsigned i = 0; i < VNET_HDR_LEN; i++)
		UK_EXPECT_EQ(((const uint8_t *)(uintptr_t)d->addr)[i], 0);
	d = &r.txq.desc[d->next];
	UK_EXPECT_EQ(d->addr, (uintptr_t)hdrs); /* in place: no copy */
	UK_EXPECT_EQ(d->flags, VRING_DESC_F_NEXT);
	d = &r.txq.desc[d->next];
	UK_EXPECT_EQ(d->addr, (uintptr_t)payload);
	UK_EXPECT_EQ(d->len, sizeof(payload));
	UK_EXPECT_EQ(d->flags, 0);
	UK_EXPECT_EQ(st.ndone, 0);
	dev_use(&r.txq, h, 0);
	UK_EXPECT(uk_netdev_pending(&r.n.nd));
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 0);
	UK_ASSERT_TRUE(st.ndone == 1);
	UK_EXPECT(st.done[0] == (void *)0xc0);
	UK_EXPECT_EQ(stats(&r).tx_packets, 1);
	UK_EXPECT_EQ(stats(&r).tx_bytes, 98);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, tx_refuses_bad_frames_and_a_full_ring)
{
	struct rig r;
	static uint8_t f[1600];
	struct uk_netdev_seg one = { f, 60 }, many[NUM];
	uintptr_t k;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	for (unsigned i = 0; i < NUM; i++)
		many[i] = (struct uk_netdev_seg){ f, 14 };
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, many, NUM, NULL), -EINVAL);
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, many, 0, NULL), -EINVAL);
	one.len = 13;
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, &one, 1, NULL), -EINVAL);
	one.len = 1515;
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, &one, 1, NULL), -EINVAL);
	one.len = 1514;
	/* Four chains of two descriptors fill the ring. */
	for (k = 1; k <= SLOTS; k++)
		UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, &one, 1, (void *)k), 0);
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, &one, 1, (void *)k), -EAGAIN);
	UK_EXPECT_EQ(stats(&r).drops[UK_NETDEV_DROP_TX_RING_FULL], 1);
	UK_EXPECT_EQ(st.ndone, 0);
	/* Once the device has sent one, the next tx takes it back first. */
	dev_use(&r.txq, dev_avail(&r.txq, 0), 0);
	UK_EXPECT_EQ(uk_netdev_tx(&r.n.nd, &one, 1, (void *)k), 0);
	UK_ASSERT_TRUE(st.ndone == 1);
	UK_EXPECT(st.done[0] == (void *)1);
	UK_EXPECT_EQ(stats(&r).tx_bytes, 1514);
	UK_EXPECT_EQ(stats(&r).drops[UK_NETDEV_DROP_TX_RING_FULL], 1);
	vnet_release(&r.n);
}

UK_TESTCASE(virtio_net, arming_asks_for_interrupts_and_rechecks)
{
	struct rig r;

	UK_ASSERT_TRUE(rig_start(&r, POOL) == 0);
	/* A private ring has no interrupt: waiters must poll. */
	UK_EXPECT_EQ(uk_netdev_arm(&r.n.nd), -ENOTSUP);
	UK_EXPECT_EQ(r.rxq.avail->flags, 0);
	r.rxq.avail->flags = r.txq.avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	UK_EXPECT_EQ(r.n.nd.ops->arm(&r.n.nd), 0);
	UK_EXPECT_EQ(r.rxq.avail->flags, 0);
	UK_EXPECT_EQ(r.txq.avail->flags, 0);
	dev_use(&r.rxq, dev_avail(&r.rxq, 0), VNET_HDR_LEN + 64);
	UK_EXPECT_EQ(r.n.nd.ops->arm(&r.n.nd), 1);
	/* Pending: a wait returns at once, whatever the mode. */
	UK_EXPECT_EQ(uk_netdev_wait(&r.n.nd, UK_NETDEV_WAIT_FOREVER), 1);
	UK_EXPECT_EQ(uk_netdev_poll(&r.n.nd, 8), 1);
	UK_EXPECT_EQ(uk_netdev_wait(&r.n.nd, 1000000), 0);
	vnet_release(&r.n);
}
