/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split-virtqueue arithmetic on a private ring: the test plays the device
 * (reads the available ring, writes the used ring), so everything is
 * checked without QEMU providing one.
 */
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/test.h>
#include <uk/virtio.h>

#include "fake_device.h"

#define NUM 8

/* Room for the largest ring used here, 16-byte aligned. */
static uint8_t ring_mem[8192] __attribute__((aligned(4096)));
static unsigned notified;

static void count_notify(struct uk_vq *vq)
{
	(void)vq;
	notified++;
}

static int ring_init(struct uk_vq *vq, uint16_t num)
{
	int err = uk_vq_init(vq, num, ring_mem);

	vq->notify = count_notify;
	notified = 0;
	return err;
}

static bool free_list_whole(const struct uk_vq *vq)
{
	uint8_t seen[NUM * 8] = { 0 };
	uint16_t i = vq->free_head;

	for (uint16_t k = 0; k < vq->num_free; k++) {
		if (i >= vq->num || seen[i])
			return false;
		seen[i] = 1;
		i = vq->desc[i].next;
	}
	return true;
}

UK_TESTCASE(virtio, ring_layout)
{
	struct uk_vq vq;

	UK_EXPECT_EQ(uk_vq_mem_size(0), 0);
	UK_EXPECT_EQ(uk_vq_mem_size(6), 0);
	UK_EXPECT(uk_vq_mem_size(NUM) > 16 * NUM + 6 + 2 * NUM + 6 + 8 * NUM);
	UK_EXPECT(uk_vq_mem_size(NUM) <= sizeof(ring_mem));
	UK_EXPECT_EQ(uk_vq_init(&vq, 3, ring_mem), -EINVAL);
	UK_EXPECT_EQ(uk_vq_init(&vq, NUM, ring_mem + 8), -EINVAL);
	UK_ASSERT_TRUE(ring_init(&vq, NUM) == 0);
	UK_EXPECT_EQ((uintptr_t)vq.desc, (uintptr_t)ring_mem);
	UK_EXPECT_EQ((uintptr_t)vq.avail, (uintptr_t)ring_mem + 16 * NUM);
	UK_EXPECT_EQ((uintptr_t)vq.used % 4, 0);
	UK_EXPECT((uintptr_t)vq.used >= (uintptr_t)&vq.avail->ring[NUM + 1]);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), NUM);
	UK_EXPECT(uk_vq_idle(&vq));
	UK_EXPECT(free_list_whole(&vq));
	UK_EXPECT_EQ(vq.avail->idx, 0);
	UK_EXPECT_EQ(vq.used->idx, 0);
}

UK_TESTCASE(virtio, add_publishes_on_kick_only)
{
	struct uk_vq vq;
	char buf[32];
	struct uk_vq_seg seg = { buf, sizeof(buf), false };
	void *cookie = NULL;
	uint32_t len = 99;
	int head;

	UK_ASSERT_TRUE(ring_init(&vq, NUM) == 0);
	head = uk_vq_add(&vq, &seg, 1, buf);
	UK_ASSERT_TRUE(head >= 0 && head < NUM);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), NUM - 1);
	UK_EXPECT_EQ(vq.desc[head].addr, (uintptr_t)buf);
	UK_EXPECT_EQ(vq.desc[head].len, sizeof(buf));
	UK_EXPECT_EQ(vq.desc[head].flags, 0);
	/* Invisible to the device until the kick. */
	UK_EXPECT_EQ(vq.avail->idx, 0);
	UK_EXPECT(uk_vq_kick(&vq));
	UK_EXPECT_EQ(vq.avail->idx, 1);
	UK_EXPECT_EQ(dev_avail(&vq, 0), head);
	UK_EXPECT_EQ(notified, 1);
	/* Nothing new: no second notification. */
	UK_EXPECT(!uk_vq_kick(&vq));
	UK_EXPECT_EQ(notified, 1);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, &cookie, &len), -EAGAIN);
	dev_use(&vq, (uint16_t)head, 0);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, &cookie, &len), 0);
	UK_EXPECT(cookie == buf);
	UK_EXPECT_EQ(len, 0);
	UK_EXPECT(uk_vq_idle(&vq));
	UK_EXPECT(free_list_whole(&vq));
}

UK_TESTCASE(virtio, device_may_suppress_notifications)
{
	struct uk_vq vq;
	char buf[4];
	struct uk_vq_seg seg = { buf, sizeof(buf), false };

	UK_ASSERT_TRUE(ring_init(&vq, NUM) == 0);
	vq.used->flags = VRING_USED_F_NO_NOTIFY;
	UK_EXPECT(uk_vq_add(&vq, &seg, 1, NULL) >= 0);
	UK_EXPECT(!uk_vq_kick(&vq));
	UK_EXPECT_EQ(notified, 0);
	UK_EXPECT_EQ(vq.avail->idx, 1); /* published all the same */
}

UK_TESTCASE(virtio, chain_links_flags_and_lengths)
{
	struct uk_vq vq;
	char hdr[8], body[100], status[1];
	struct uk_vq_seg segs[3] = { { hdr, sizeof(hdr), false },
				     { body, sizeof(body), false },
				     { status, sizeof(status), true } };
	uint16_t i;
	int head;

	UK_ASSERT_TRUE(ring_init(&vq, NUM) == 0);
	head = uk_vq_add(&vq, segs, 3, (void *)0x1234);
	UK_ASSERT_TRUE(head >= 0);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), NUM - 3);
	i = (uint16_t)head;
	UK_EXPECT_EQ(vq.desc[i].addr, (uintptr_t)hdr);
	UK_EXPECT_EQ(vq.desc[i].flags, VRING_DESC_F_NEXT);
	i = vq.desc[i].next;
	UK_EXPECT_EQ(vq.desc[i].addr, (uintptr_t)body);
	UK_EXPECT_EQ(vq.desc[i].len, 100);
	UK_EXPECT_EQ(vq.desc[i].flags, VRING_DESC_F_NEXT);
	i = vq.desc[i].next;
	UK_EXPECT_EQ(vq.desc[i].addr, (uintptr_t)status);
	UK_EXPECT_EQ(vq.desc[i].flags, VRING_DESC_F_WRITE);
	/* The head alone goes on the available ring. */
	uk_vq_kick(&vq);
	UK_EXPECT_EQ(vq.avail->idx, 1);
	UK_EXPECT_EQ(dev_avail(&vq, 0), head);
	/* Too long for what is left: refused, nothing changes. */
	struct uk_vq_seg many[NUM];
	for (unsigned k = 0; k < NUM; k++)
		many[k] = (struct uk_vq_seg){ body, 1, false };
	UK_EXPECT_EQ(uk_vq_add(&vq, many, NUM - 2, NULL), -ENOSPC);
	UK_EXPECT_EQ(uk_vq_add(&vq, many, NUM + 1, NULL), -EINVAL);
	UK_EXPECT_EQ(uk_vq_add(&vq, many, 0, NULL), -EINVAL);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), NUM - 3);
	/* What is left fits exactly. */
	UK_EXPECT(uk_vq_add(&vq, many, NUM - 3, NULL) >= 0);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), 0);
	UK_EXPECT_EQ(uk_vq_add(&vq, many, 1, NULL), -ENOSPC);
	/* The device writes one byte of status into the first chain. */
	void *cookie;
	uint32_t len;
	dev_use(&vq, (uint16_t)head, 1);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, &cookie, &len), 0);
	UK_EXPECT(cookie == (void *)0x1234);
	UK_EXPECT_EQ(len, 1);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), 3);
	UK_EXPECT(free_list_whole(&vq));
}

UK_TESTCASE(virtio, out_of_order_completion_keeps_free_list)
{
	struct uk_vq vq;
	char b[NUM];
	int heads[NUM];
	void *cookie;

	UK_ASSERT_TRUE(ring_init(&vq, NUM) == 0);
	for (unsigned k = 0; k < NUM / 2; k++) {
		struct uk_vq_seg s[2] = { { &b[2 * k], 1, false },
					  { &b[2 * k + 1], 1, true } };
		heads[k] = uk_vq_add(&vq, s, 2, &b[2 * k]);
		UK_ASSERT_TRUE(heads[k] >= 0);
	}
	uk_vq_kick(&vq);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), 0);
	/* Return them backwards, 3 1 2 0 style. */
	dev_use(&vq, (uint16_t)heads[3], 0);
	dev_use(&vq, (uint16_t)heads[1], 0);
	dev_use(&vq, (uint16_t)heads[2], 0);
	dev_use(&vq, (uint16_t)heads[0], 0);
	for (unsigned k = 0; k < 4; k++) {
		UK_EXPECT_EQ(uk_vq_get_used(&vq, &cookie, NULL), 0);
		UK_EXPECT(free_list_whole(&vq));
	}
	UK_EXPECT(uk_vq_idle(&vq));
	/* Every descriptor is usable again, as one long chain. */
	struct uk_vq_seg all[NUM];
	for (unsigned k = 0; k < NUM; k++)
		all[k] = (struct uk_vq_seg){ &b[k], 1, false };
	UK_EXPECT(uk_vq_add(&vq, all, NUM, NULL) >= 0);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), 0);
}

UK_TESTCASE(virtio, indices_wrap_around)
{
	struct uk_vq vq;
	char b[4];
	struct uk_vq_seg seg = { b, sizeof(b), false };
	void *cookie;
	unsigned rounds = 70000, bad = 0;

	/* A 4-entry ring, two chains in flight at a time, past 65535. */
	UK_ASSERT_TRUE(ring_init(&vq, 4) == 0);
	for (unsigned r = 0; r < rounds; r++) {
		uint16_t before = vq.avail->idx;
		int h1 = uk_vq_add(&vq, &seg, 1, (void *)(uintptr_t)(2 * r + 1));
		int h2 = uk_vq_add(&vq, &seg, 1, (void *)(uintptr_t)(2 * r + 2));

		uk_vq_kick(&vq);
		if (h1 < 0 || h2 < 0 || vq.avail->idx != (uint16_t)(before + 2) ||
		    dev_avail(&vq, before) != h1 ||
		    dev_avail(&vq, (uint16_t)(before + 1)) != h2) {
			bad++;
			break;
		}
		dev_use(&vq, (uint16_t)h2, 0);
		dev_use(&vq, (uint16_t)h1, 0);
		if (uk_vq_get_used(&vq, &cookie, NULL) ||
		    cookie != (void *)(uintptr_t)(2 * r + 2) ||
		    uk_vq_get_used(&vq, &cookie, NULL) ||
		    cookie != (void *)(uintptr_t)(2 * r + 1) ||
		    uk_vq_get_used(&vq, &cookie, NULL) != -EAGAIN) {
			bad++;
			break;
		}
	}
	UK_EXPECT_EQ(bad, 0);
	UK_EXPECT_EQ(vq.avail->idx, (uint16_t)(2 * rounds));
	UK_EXPECT_EQ(vq.used->idx, (uint16_t)(2 * rounds));
	UK_EXPECT_EQ(vq.last_used, (uint16_t)(2 * rounds));
	UK_EXPECT(uk_vq_idle(&vq));
	UK_EXPECT(free_list_whole(&vq));
	UK_EXPECT_EQ(notified, rounds);
}

UK_TESTCASE(virtio, bogus_used_entries_are_rejected)
{
	struct uk_vq vq;
	char b[4];
	struct uk_vq_seg seg = { b, sizeof(b), false };
	int head;

	UK_ASSERT_TRUE(ring_init(&vq, NUM) == 0);
	head = uk_vq_add(&vq, &seg, 1, b);
	UK_ASSERT_TRUE(head >= 0);
	uk_vq_kick(&vq);
	/* An id past the table, then one that was never handed out. */
	dev_use(&vq, NUM + 3, 0);
	dev_use(&vq, (uint16_t)((head + 1) % NUM), 0);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, NULL, NULL), -EIO);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, NULL, NULL), -EIO);
	UK_EXPECT_EQ(uk_vq_num_free(&vq), NUM - 1);
	UK_EXPECT(free_list_whole(&vq));
	/* The same head twice: the second is refused. */
	dev_use(&vq, (uint16_t)head, 0);
	dev_use(&vq, (uint16_t)head, 0);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, NULL, NULL), 0);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, NULL, NULL), -EIO);
	UK_EXPECT(uk_vq_idle(&vq));
	UK_EXPECT(free_list_whole(&vq));
	/* A used idx running ahead of what could be in flight. */
	vq.used->idx = (uint16_t)(vq.used->idx + NUM + 5);
	UK_EXPECT_EQ(uk_vq_get_used(&vq, NULL, NULL), -EIO);
}
