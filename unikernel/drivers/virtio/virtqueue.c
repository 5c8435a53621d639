/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueues (virtio 1.x, "Split Virtqueues"): the ring arithmetic
 * only, with no knowledge of a transport, so the tests can drive a private
 * ring and play the device themselves.
 *
 * Ordering on x86: stores are not reordered with other stores and loads
 * not with other loads, so publishing a chain (ring entry, then idx) and
 * consuming one (idx, then entry) need only compiler barriers. A store
 * followed by a load of another location can be reordered, which is why
 * the kick fences between publishing avail->idx and reading used->flags.
 */
#include <uk/compiler.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/trace.h>
#include <uk/virtio.h>

#if CONFIG_VIRTIO_TRACEPOINTS
UK_TRACEPOINT(virtio_used, 2, UT_ARG_U64, UT_ARG_U64);
#else
UK_TRACEPOINT_OFF(virtio_used, 2);
#endif

#define VQ_NUM_MAX 32768

/* Byte offsets of the parts of a queue's memory block. */
struct vq_layout {
	size_t avail, used, cookies, chain, end;
};

static void vq_layout(uint16_t num, struct vq_layout *l)
{
	size_t desc = sizeof(struct uk_vring_desc) * num;
	/* flags, idx, ring[num], used_event */
	size_t avail = 2 * sizeof(uint16_t) + sizeof(uint16_t) * num +
		       sizeof(uint16_t);
	/* flags, idx, ring[num], avail_event */
	size_t used = 2 * sizeof(uint16_t) +
		      sizeof(struct uk_vring_used_elem) * num +
		      sizeof(uint16_t);

	l->avail = desc;
	l->used = ALIGN_UP(l->avail + avail, 4);
	l->cookies = ALIGN_UP(l->used + used, sizeof(void *));
	l->chain = l->cookies + sizeof(void *) * num;
	l->end = l->chain + sizeof(uint16_t) * num;
}

static bool vq_num_valid(uint16_t num)
{
	return num && num <= VQ_NUM_MAX && !(num & (num - 1));
}

size_t uk_vq_mem_size(uint16_t num)
{
	struct vq_layout l;

	if (!vq_num_valid(num))
		return 0;
	vq_layout(num, &l);
	return l.end;
}

int uk_vq_init(struct uk_vq *vq, uint16_t num, void *mem)
{
	struct vq_layout l;
	uint8_t *base = mem;

	if (!vq_num_valid(num) || !mem || ((uintptr_t)mem & 15))
		return -EINVAL;
	vq_layout(num, &l);
	memset(mem, 0, l.end);
	memset(vq, 0, sizeof(*vq));
	vq->desc = (struct uk_vring_desc *)base;
	vq->avail = (struct uk_vring_avail *)(base + l.avail);
	vq->used = (struct uk_vring_used *)(base + l.used);
	vq->cookies = (void **)(base + l.cookies);
	vq->chain = (uint16_t *)(base + l.chain);
	vq->num = num;
	vq->num_free = num;
	/* The last link points past the table; num_free keeps it unused. */
	for (uint16_t i = 0; i < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	return 0;
}

int uk_vq_add(struct uk_vq *vq, const struct uk_vq_seg *segs, unsigned nseg,
	      void *cookie)
{
	uint16_t head = vq->free_head, i = head;

	if (!nseg || nseg > vq->num)
		return -EINVAL;
	if (nseg > vq->num_free)
		return -ENOSPC;
	/* Free descriptors are already linked through next: the chain takes
	 * the first nseg of them as they are, and only the flags say where
	 * it ends. */
	for (unsigned k = 0; k < nseg; k++) {
		struct uk_vring_desc *d = &vq->desc[i];

		d->addr = uk_virtio_phys(segs[k].buf);
		d->len = segs[k].len;
		d->flags = (uint16_t)((segs[k].device_writes ? VRING_DESC_F_WRITE
							      : 0) |
				      (k + 1 < nseg ? VRING_DESC_F_NEXT : 0));
		i = d->next;
	}
	vq->free_head = i;
	vq->num_free = (uint16_t)(vq->num_free - nseg);
	vq->cookies[head] = cookie;
	vq->chain[head] = (uint16_t)nseg;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	vq->avail_idx++;
	return head;
}

bool uk_vq_kick(struct uk_vq *vq)
{
	if (vq->avail_idx == vq->kicked_idx)
		return false;
	/* The ring entries are written; make them visible, then the index. */
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	vq->kicked_idx = vq->avail_idx;
	/* The device must see the new idx before we read its flags, or both
	 * sides may decide the other will act (a lost notification). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) &
	    VRING_USED_F_NO_NOTIFY)
		return false;
	if (vq->notify)
		vq->notify(vq);
	return true;
}

int uk_vq_get_used(struct uk_vq *vq, void **cookie, uint32_t *len)
{
	uint16_t used_idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	struct uk_vring_used_elem e;
	uint16_t head, last, n;

	if (used_idx == vq->last_used)
		return -EAGAIN;
	/* The entry is read after idx (acquire): the device wrote it first. */
	e = vq->used->ring[vq->last_used & (vq->num - 1)];
	vq->last_used++;
	/* Trust nothing the device says: only a head in flight is freed. */
	if ((uint16_t)(used_idx - vq->last_used) >= vq->num ||
	    e.id >= vq->num || !vq->chain[e.id])
		return -EIO;
	head = (uint16_t)e.id;
	n = vq->chain[head];
	last = head;
	for (uint16_t k = 1; k < n; k++)
		last = vq->desc[last].next;
	vq->desc[last].next = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + n);
	vq->chain[head] = 0;
	if (cookie)
		*cookie = vq->cookies[head];
	if (len)
		*len = e.len;
	vq->cookies[head] = NULL;
	uk_tp_virtio_used(vq->index, e.len);
	return 0;
}
