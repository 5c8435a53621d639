/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Region (bump) allocator: one pointer moves forward, free does nothing.
 * The cheapest possible malloc, and the right one for an application that
 * allocates at start-up and runs to completion. A small header keeps each
 * block's size so realloc and malloc_usable_size work; the usable size is
 * the size asked for. realloc of the most recent block grows it in place
 * (a buffer grown step by step costs no copies and no dead space);
 * growing any other block moves it.
 *
 * Nothing is freed, so nothing is checked on free: a double free, or a
 * pointer from elsewhere, is not detected (its header is read for the
 * statistics).
 */
#include <uk/alloc.h>
#include <uk/compiler.h>
#include <uk/errno.h>
#include <uk/string.h>

#define REGION_ALIGN 16u

struct region {
	uintptr_t next, end;
};

struct region_hdr {
	uint64_t size;
	uint64_t pad; /* keeps the payload 16-aligned after an aligned header */
};

static struct region_hdr *hdr_of(void *ptr)
{
	return (struct region_hdr *)ptr - 1;
}

static void *region_memalign(struct uk_alloc *a, size_t align, size_t size,
			     size_t *usable)
{
	struct region *r = a->priv;
	uintptr_t payload, end;

	if (__builtin_add_overflow(r->next, sizeof(struct region_hdr), &payload) ||
	    __builtin_add_overflow(payload, align - 1, &payload))
		return NULL;
	payload &= ~(uintptr_t)(align - 1);
	if (__builtin_add_overflow(payload, size, &end) || end > r->end)
		return NULL;
	hdr_of((void *)payload)->size = size;
	r->next = ALIGN_UP(end, REGION_ALIGN);
	*usable = size;
	return (void *)payload;
}

static size_t region_free(struct uk_alloc *a, void *ptr)
{
	(void)a;
	return hdr_of(ptr)->size;
}

static void *region_realloc(struct uk_alloc *a, void *ptr, size_t size,
			    size_t *old_usable, size_t *new_usable)
{
	struct region *r = a->priv;
	struct region_hdr *h = hdr_of(ptr);
	uintptr_t payload = (uintptr_t)ptr;
	size_t old = h->size;
	void *moved;

	if (size <= old) {
		/* Nothing to give back: the block keeps its size. */
		*old_usable = *new_usable = old;
		return ptr;
	}
	/* The last block ends where the next one would start. */
	if (ALIGN_UP(payload + old, REGION_ALIGN) == r->next &&
	    size <= r->end - payload) {
		h->size = size;
		r->next = ALIGN_UP(payload + size, REGION_ALIGN);
		*old_usable = old;
		*new_usable = size;
		return ptr;
	}
	moved = region_memalign(a, REGION_ALIGN, size, new_usable);
	if (!moved)
		return NULL;
	memcpy(moved, ptr, old);
	*old_usable = old;
	return moved;
}

static size_t region_usable_size(struct uk_alloc *a, void *ptr)
{
	(void)a;
	return hdr_of(ptr)->size;
}

static uint64_t region_free_bytes(struct uk_alloc *a)
{
	struct region *r = a->priv;

	/* The bump pointer is aligned up past the last block, so it may
	 * pass an unaligned end. */
	return r->next < r->end ? r->end - r->next : 0;
}

/* The smallest pool init accepts, for a base with this misalignment. */
static size_t region_min_len(uintptr_t base)
{
	return sizeof(struct region) + (base & 15) + 64;
}

/* Blocks sit where the bump pointer was, whatever the pool's end, and
 * it never moves back: a pool ending there serves the same requests the
 * same way (the last block's end may be up to 15 bytes lower). */
static uint64_t region_pool_need(struct uk_alloc *a, uint64_t max_bytes)
{
	struct region *r = a->priv;
	uint64_t used = r->next - a->base;
	uint64_t min = region_min_len(a->base);

	(void)max_bytes;
	return used > min ? used : min;
}

static const struct uk_alloc_ops region_ops = {
	.name = "region",
	.memalign = region_memalign,
	.free = region_free,
	.realloc = region_realloc,
	.usable_size = region_usable_size,
	.free_bytes = region_free_bytes,
	.pool_need = region_pool_need,
};

int uk_alloc_region_init(struct uk_alloc *a, void *base, size_t len)
{
	uintptr_t start = ALIGN_UP((uintptr_t)base, REGION_ALIGN);
	struct region *r = (struct region *)start;

	if (len < region_min_len((uintptr_t)base))
		return -ENOMEM;
	*a = (struct uk_alloc){ .ops = &region_ops, .priv = r,
				.base = (uintptr_t)base };
	r->next = ALIGN_UP(start + sizeof(*r), REGION_ALIGN);
	r->end = (uintptr_t)base + len;
	a->stats.pool_bytes = len;
	return 0;
}
