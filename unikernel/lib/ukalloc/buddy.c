/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Buddy allocator: every block is a power of two in size and sits at an
 * offset from the heap start that is a multiple of its size, so a block's
 * buddy is found by flipping one bit of its offset and a freed block merges
 * with its buddy in O(1) per level. Allocation is O(log pool).
 *
 * Layout of the pool:
 *
 *   base: struct buddy (state)   heap start: block, block, ...   end
 *
 * The heap need not be a power of two: it is carved into the largest
 * blocks whose offsets are multiples of their sizes (its binary
 * decomposition). Any block whose buddy lies wholly inside the heap then
 * has a real buddy that starts a block, so coalescing only has to check the
 * buddy's header (see buddy_of).
 *
 * Every block starts with a 16-byte header: a guard word mixed with the
 * header's own address, the state, the order, and the payload offset. A
 * plain allocation puts its payload right after that header. An aligned
 * one puts it further in, with a copy of the header just below the payload
 * so free() finds the block from the pointer it gets.
 *
 * A free of a pointer that does not lead to a live block (double free, a
 * pointer into the middle of a block, one from another allocator) stops the
 * kernel with uk_panic: carrying on would hide a memory-safety bug in the
 * application, and the crash report names the caller. Nothing is written
 * before the check, so the heap is never corrupted by such a call.
 */
#include <uk/alloc.h>
#include <uk/compiler.h>
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/string.h>

#define BUDDY_HDR 16u
/* 32 bytes: a free block must hold its header and two list links. */
#define BUDDY_MIN_ORDER 5u
#define BUDDY_MAX_ORDER 62u
/* The alignment malloc promises; a plain payload sits right after the
 * header, so the header size is also the smallest payload offset. */
#define BUDDY_ALIGN 16u

#define BUDDY_GUARD 0xb0dd1e5au

enum buddy_state {
	BUDDY_USED = 0x5e,  /* allocated; header valid */
	BUDDY_FREE = 0xf4,  /* on a free list */
	BUDDY_STALE = 0xd3, /* freed and merged into a larger block */
};

struct buddy_hdr {
	uint32_t guard;
	uint8_t state;
	uint8_t order;
	uint16_t unused;
	uint64_t offset; /* payload - block start */
};

struct buddy_free {
	struct buddy_hdr hdr;
	struct buddy_free *next, *prev;
};

_Static_assert(sizeof(struct buddy_hdr) == BUDDY_HDR, "header size");
_Static_assert(sizeof(struct buddy_free) <= (1u << BUDDY_MIN_ORDER),
	       "a free block must fit in the smallest block");

struct buddy {
	uintptr_t start; /* first block; offsets are relative to it */
	uint64_t len;	 /* heap bytes after start, a multiple of 2^MIN */
	uint64_t free_bytes;
	uint64_t nonempty; /* bit k: free list k has a block */
	unsigned max_order;
	struct buddy_free *free_list[BUDDY_MAX_ORDER + 1];
};

static uint32_t guard_for(const struct buddy_hdr *h)
{
	/* Mixing in the address makes a header copied elsewhere invalid. */
	return BUDDY_GUARD ^ (uint32_t)((uintptr_t)h >> 4);
}

static void hdr_set(struct buddy_hdr *h, enum buddy_state state,
		    unsigned order, uint64_t offset)
{
	h->guard = guard_for(h);
	h->state = state;
	h->order = order;
	h->unused = 0;
	h->offset = offset;
}

static uint64_t order_size(unsigned order)
{
	return (uint64_t)1 << order;
}

/* Smallest order whose block holds n bytes, or max_order + 1. */
static unsigned order_for(const struct buddy *b, uint64_t n)
{
	unsigned order;

	if (n <= order_size(BUDDY_MIN_ORDER))
		return BUDDY_MIN_ORDER;
	if (n > order_size(b->max_order))
		return b->max_order + 1;
	order = 64 - __builtin_clzll(n - 1);
	return order;
}

static void list_push(struct buddy *b, uintptr_t block, unsigned order)
{
	struct buddy_free *f = (struct buddy_free *)block;

	hdr_set(&f->hdr, BUDDY_FREE, order, 0);
	f->prev = NULL;
	f->next = b->free_list[order];
	if (f->next)
		f->next->prev = f;
	b->free_list[order] = f;
	b->nonempty |= (uint64_t)1 << order;
	b->free_bytes += order_size(order);
}

static void list_remove(struct buddy *b, struct buddy_free *f)
{
	unsigned order = f->hdr.order;

	if (f->prev)
		f->prev->next = f->next;
	else
		b->free_list[order] = f->next;
	if (f->next)
		f->next->prev = f->prev;
	if (!b->free_list[order])
		b->nonempty &= ~((uint64_t)1 << order);
	b->free_bytes -= order_size(order);
}

/*
 * The buddy of the block at block (order order) when it is free and whole,
 * else NULL. A buddy range inside the heap always starts a block of the
 * same or a smaller order, so its header is a real one.
 */
static struct buddy_free *buddy_of(const struct buddy *b, uintptr_t block,
				   unsigned order)
{
	uint64_t off = (block - b->start) ^ order_size(order);
	struct buddy_free *f;

	if (order >= b->max_order || off + order_size(order) > b->len)
		return NULL;
	f = (struct buddy_free *)(b->start + off);
	if (f->hdr.guard != guard_for(&f->hdr) || f->hdr.state != BUDDY_FREE ||
	    f->hdr.order != order)
		return NULL;
	return f;
}

static int hdr_is(const struct buddy_hdr *h, enum buddy_state state)
{
	return h->guard == guard_for(h) && h->state == state;
}

/* The header at a block's start, for a pointer that must be a live
 * payload; panics otherwise. Every allocation and free passes here, so
 * the plain case (payload right after the block's own header) is short. */
static struct buddy_hdr *block_of(const struct buddy *b, void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	struct buddy_hdr *h = (struct buddy_hdr *)(p - BUDDY_HDR), *start = h;
	uint64_t off, size;

	/* One unsigned compare also catches p below the heap. */
	if (p % BUDDY_ALIGN || p - BUDDY_HDR - b->start >= b->len)
		uk_panic("buddy: %p is not a pointer this allocator returned",
			 ptr);
	if (!hdr_is(h, BUDDY_USED)) {
		if (hdr_is(h, BUDDY_FREE) || hdr_is(h, BUDDY_STALE))
			uk_panic("buddy: double free of %p", ptr);
		goto foreign;
	}
	if (h->order < BUDDY_MIN_ORDER || h->order > b->max_order)
		goto foreign;
	size = order_size(h->order);
	if (h->offset != BUDDY_HDR) {
		if (h->offset % BUDDY_ALIGN || h->offset >= size ||
		    h->offset > p - b->start)
			goto foreign;
		start = (struct buddy_hdr *)(p - h->offset);
		if (!hdr_is(start, BUDDY_USED) || start->order != h->order ||
		    start->offset != h->offset)
			goto foreign;
	}
	off = (uintptr_t)start - b->start;
	if (off & (size - 1) || off + size > b->len)
		goto foreign;
	return start;
foreign:
	uk_panic("buddy: %p is not a live block (header overwritten, or a "
		 "pointer this allocator did not return)", ptr);
}

/* Headers of a live block: at its start and, when aligned, below the
 * payload. */
static void mark_used(uintptr_t block, unsigned order, uint64_t offset)
{
	hdr_set((struct buddy_hdr *)block, BUDDY_USED, order, offset);
	if (offset != BUDDY_HDR)
		hdr_set((struct buddy_hdr *)(block + offset - BUDDY_HDR),
			BUDDY_USED, order, offset);
}

static uintptr_t take_block(struct buddy *b, unsigned order)
{
	uint64_t candidates = b->nonempty & ~(order_size(order) - 1);
	struct buddy_free *f;
	unsigned have;
	uintptr_t block;

	if (!candidates)
		return 0;
	have = __builtin_ctzll(candidates);
	f = b->free_list[have];
	list_remove(b, f);
	block = (uintptr_t)f;
	/* Give back the upper halves until the block is the size asked. */
	while (have > order) {
		have--;
		list_push(b, block + order_size(have), have);
	}
	return block;
}

static void *buddy_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct buddy *b = a->priv;
	uint64_t offset, need;
	uintptr_t block;
	unsigned order;

	if (align < BUDDY_ALIGN)
		align = BUDDY_ALIGN;
	if (align & (align - 1))
		return NULL;
	/* An empty payload could start at the block's end. */
	if (!size)
		size = 1;
	/*
	 * Blocks are only 16-aligned in general, so the payload goes at the
	 * first multiple of align past the header: at most align bytes in.
	 */
	offset = align > BUDDY_HDR ? align : BUDDY_HDR;
	if (__builtin_add_overflow((uint64_t)size, offset, &need))
		return NULL;
	order = order_for(b, need);
	if (order > b->max_order)
		return NULL;
	block = take_block(b, order);
	if (!block)
		return NULL;
	offset = ALIGN_UP(block + BUDDY_HDR, (uintptr_t)align) - block;
	mark_used(block, order, offset);
	return (void *)(block + offset);
}

static void release(struct buddy *b, uintptr_t block, unsigned order)
{
	struct buddy_free *buddy;

	while ((buddy = buddy_of(b, block, order))) {
		uintptr_t other = (uintptr_t)buddy;
		uintptr_t upper = other > block ? other : block;

		list_remove(b, buddy);
		/* The upper header is now inside a larger block. */
		hdr_set((struct buddy_hdr *)upper, BUDDY_STALE, order, 0);
		block = other < block ? other : block;
		order++;
	}
	list_push(b, block, order);
}

static void buddy_free(struct uk_alloc *a, void *ptr)
{
	struct buddy *b = a->priv;
	struct buddy_hdr *h = block_of(b, ptr);
	uintptr_t block = (uintptr_t)h;

	if (h->offset != BUDDY_HDR)
		hdr_set((struct buddy_hdr *)((uintptr_t)ptr - BUDDY_HDR),
			BUDDY_STALE, h->order, 0);
	release(b, block, h->order);
}

static size_t buddy_usable_size(struct uk_alloc *a, void *ptr)
{
	struct buddy_hdr *h = block_of(a->priv, ptr);

	return order_size(h->order) - h->offset;
}

/* Grow in place when the block is the lower half at every level up to
 * want and each upper half is free; nothing changes otherwise. */
static int grow_in_place(struct buddy *b, uintptr_t block, unsigned order,
			 unsigned want)
{
	uint64_t off = block - b->start;

	for (unsigned o = order; o < want; o++)
		if (off & order_size(o) || !buddy_of(b, block, o))
			return 0;
	for (unsigned o = order; o < want; o++) {
		struct buddy_free *upper = buddy_of(b, block, o);

		list_remove(b, upper);
		hdr_set(&upper->hdr, BUDDY_STALE, o, 0);
	}
	return 1;
}

static void *buddy_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	struct buddy *b = a->priv;
	struct buddy_hdr *h = block_of(b, ptr);
	uintptr_t block = (uintptr_t)h;
	uint64_t offset = h->offset, need;
	unsigned order = h->order, want;
	void *moved;

	if (!size)
		size = 1;
	if (__builtin_add_overflow((uint64_t)size, offset, &need))
		return NULL;
	/* need > offset, so the payload stays inside even the shrunk block. */
	want = order_for(b, need);
	if (want <= order) {
		/* Shrink: the upper halves go back; their buddies (our lower
		 * halves) are in use, so they cannot merge further. */
		while (order > want) {
			order--;
			list_push(b, block + order_size(order), order);
		}
		mark_used(block, order, offset);
		return ptr;
	}
	if (want <= b->max_order && grow_in_place(b, block, order, want)) {
		mark_used(block, want, offset);
		return ptr;
	}
	moved = buddy_memalign(a, BUDDY_ALIGN, size);
	if (!moved)
		return NULL;
	memcpy(moved, ptr, order_size(order) - offset);
	buddy_free(a, ptr);
	return moved;
}

static uint64_t buddy_free_bytes(struct uk_alloc *a)
{
	return ((struct buddy *)a->priv)->free_bytes;
}

static const struct uk_alloc_ops buddy_ops = {
	.name = "buddy",
	.memalign = buddy_memalign,
	.free = buddy_free,
	.realloc = buddy_realloc,
	.usable_size = buddy_usable_size,
	.free_bytes = buddy_free_bytes,
};

int uk_alloc_buddy_init(struct uk_alloc *a, void *base, size_t len)
{
	uintptr_t first = ALIGN_UP((uintptr_t)base, (uintptr_t)BUDDY_ALIGN);
	uintptr_t end, start;
	struct buddy *b;
	uint64_t off;

	if (__builtin_add_overflow((uintptr_t)base, len, &end))
		return -EINVAL;
	end &= ~(uintptr_t)(order_size(BUDDY_MIN_ORDER) - 1);
	start = ALIGN_UP(first + sizeof(struct buddy),
			 (uintptr_t)order_size(BUDDY_MIN_ORDER));
	if (start <= first || start >= end ||
	    end - start < order_size(BUDDY_MIN_ORDER))
		return -ENOMEM;

	b = (struct buddy *)first;
	memset(b, 0, sizeof(*b));
	b->start = start;
	b->len = end - start;
	b->max_order = 63 - __builtin_clzll(b->len);
	if (b->max_order > BUDDY_MAX_ORDER)
		b->max_order = BUDDY_MAX_ORDER;
	/* The binary decomposition of the heap, largest block first: each
	 * block's offset is then a multiple of its size. */
	for (off = 0; off < b->len;) {
		unsigned order = 63 - __builtin_clzll(b->len - off);

		if (order > b->max_order)
			order = b->max_order;
		list_push(b, start + off, order);
		off += order_size(order);
	}

	*a = (struct uk_alloc){ .ops = &buddy_ops, .priv = b };
	a->stats.pool_bytes = len;
	return 0;
}
