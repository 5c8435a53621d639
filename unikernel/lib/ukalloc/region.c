/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Region (bump) allocator: one pointer moves forward, free does nothing.
 * The cheapest possible malloc, and the right one for an application that
 * allocates at start-up and runs to completion. A small header keeps each
 * block's size so realloc and malloc_usable_size work.
 */
#include <uk/alloc.h>
#include <uk/compiler.h>
#include <uk/errno.h>

struct region {
	uintptr_t next, end;
};

struct region_hdr {
	uint64_t size;
	uint64_t pad; /* keeps the payload 16-aligned after an aligned header */
};

static void *region_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct region *r = a->priv;
	uintptr_t payload, end;

	if (__builtin_add_overflow(r->next, sizeof(struct region_hdr), &payload) ||
	    __builtin_add_overflow(payload, align - 1, &payload))
		return NULL;
	payload &= ~(uintptr_t)(align - 1);
	if (__builtin_add_overflow(payload, size, &end) || end > r->end)
		return NULL;
	((struct region_hdr *)payload - 1)->size = size;
	r->next = ALIGN_UP(end, 16);
	return (void *)payload;
}

static void region_free(struct uk_alloc *a, void *ptr)
{
	(void)a;
	(void)ptr;
}

static size_t region_usable_size(struct uk_alloc *a, void *ptr)
{
	(void)a;
	return ((struct region_hdr *)ptr - 1)->size;
}

static uint64_t region_free_bytes(struct uk_alloc *a)
{
	struct region *r = a->priv;
	return r->end - r->next;
}

static const struct uk_alloc_ops region_ops = {
	.name = "region",
	.memalign = region_memalign,
	.free = region_free,
	.realloc = NULL,
	.usable_size = region_usable_size,
	.free_bytes = region_free_bytes,
};

int uk_alloc_region_init(struct uk_alloc *a, void *base, size_t len)
{
	uintptr_t start = ALIGN_UP((uintptr_t)base, 16);
	struct region *r = (struct region *)start;

	if (len < sizeof(*r) + ((uintptr_t)base & 15) + 64)
		return -ENOMEM;
	*a = (struct uk_alloc){ .ops = &region_ops, .priv = r };
	r->next = ALIGN_UP(start + sizeof(*r), 16);
	r->end = (uintptr_t)base + len;
	a->stats.pool_bytes = len;
	return 0;
}
