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
 * Every block starts with a 16-byte header: a tag word (a guard mixed
 * with the header's own address, the state and the order, so one compare
 * checks a header) and the payload offset. A plain allocation puts its
 * payload right after that header. An aligned one puts it further in, with
 * a copy of the header just below the payload so free() finds the block
 * from the pointer it gets.
 *
 * free_bytes changes only when a block is handed out or comes back (by
 * that block's size), not with every split and merge on the way.
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
/*
 * At least 32 bytes: a free block must hold its header and two list
 * links. Larger minimum blocks waste memory on small requests but split
 * and coalesce less; the tuner varies it.
 */
#ifdef CONFIG_UKALLOC_BUDDY_MIN_ORDER
#define BUDDY_MIN_ORDER ((unsigned)CONFIG_UKALLOC_BUDDY_MIN_ORDER)
#else /* built, but not the selected backend: the option is hidden */
#define BUDDY_MIN_ORDER 5u
#endif
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

/* The tag: guard in bits 0-31, state in 32-39, order in 40-47, the rest
 * zero. */
#define TAG_STATE_SHIFT 32
#define TAG_ORDER_SHIFT 40
#define TAG_ORDER_MASK ((uint64_t)0xff << TAG_ORDER_SHIFT)

struct buddy_hdr {
	uint64_t tag;
	uint64_t offset; /* payload - block start; kept for used blocks only */
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

#define unlikely(x) __builtin_expect(!!(x), 0)
/* The malloc and free entry points are each one function with all the
 * list work inlined (FLAT): no calls, one prologue. What they rarely need
 * stays out of line (COLD); the other paths leave inlining to the
 * compiler. */
#define FLAT __attribute__((flatten))
#define COLD static __attribute__((noinline, cold))

static uint64_t tag_for(const struct buddy_hdr *h, enum buddy_state state,
			unsigned order)
{
	/* Mixing in the address makes a header copied elsewhere invalid. */
	uint32_t guard = BUDDY_GUARD ^ (uint32_t)((uintptr_t)h >> 4);

	return guard | (uint64_t)state << TAG_STATE_SHIFT |
	       (uint64_t)order << TAG_ORDER_SHIFT;
}

/* h's tag says state, whatever the order. */
static int tag_is(const struct buddy_hdr *h, uint64_t tag,
		  enum buddy_state state)
{
	return (tag & ~TAG_ORDER_MASK) == tag_for(h, state, 0);
}

static unsigned tag_order(uint64_t tag)
{
	return (tag & TAG_ORDER_MASK) >> TAG_ORDER_SHIFT;
}

static uint64_t order_size(unsigned order)
{
	return (uint64_t)1 << order;
}

/* Smallest order whose block holds n > 0 bytes; compare with max_order. */
static unsigned order_for(uint64_t n)
{
	return 64 -
	       __builtin_clzll((n - 1) | (order_size(BUDDY_MIN_ORDER) - 1));
}

/* Free lists. The callers keep free_bytes: it changes only when a block
 * is handed out or comes back, not with every split and merge. */
static void list_push(struct buddy *b, uintptr_t block, unsigned order)
{
	struct buddy_free *f = (struct buddy_free *)block, *next;

	f->hdr.tag = tag_for(&f->hdr, BUDDY_FREE, order);
	next = b->free_list[order];
	f->prev = NULL;
	f->next = next;
	if (next)
		next->prev = f;
	b->free_list[order] = f;
	b->nonempty |= (uint64_t)1 << order;
}

static void list_remove(struct buddy *b, struct buddy_free *f, unsigned order)
{
	if (f->prev)
		f->prev->next = f->next;
	else if (!(b->free_list[order] = f->next))
		b->nonempty &= ~((uint64_t)1 << order);
	if (f->next)
		f->next->prev = f->prev;
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
	return f->hdr.tag == tag_for(&f->hdr, BUDDY_FREE, order) ? f : NULL;
}

COLD __noreturn void foreign_panic(void *ptr)
{
	uk_panic("buddy: %p is not a live block (header overwritten, or a "
		 "pointer this allocator did not return)", ptr);
}

/* The start header of an aligned block whose payload ptr has the header
 * copy h (tag checked) below it; panics when the two do not agree. */
COLD struct buddy_hdr *aligned_start(const struct buddy *b, void *ptr,
				     const struct buddy_hdr *h, unsigned order)
{
	uintptr_t p = (uintptr_t)ptr;
	struct buddy_hdr *start;

	if (h->offset % BUDDY_ALIGN || h->offset >= order_size(order) ||
	    h->offset > p - b->start)
		foreign_panic(ptr);
	start = (struct buddy_hdr *)(p - h->offset);
	if (start->tag != tag_for(start, BUDDY_USED, order) ||
	    start->offset != h->offset)
		foreign_panic(ptr);
	return start;
}

COLD __noreturn void bad_header_panic(void *ptr, const struct buddy_hdr *h,
				      uint64_t tag)
{
	if (tag_is(h, tag, BUDDY_FREE) || tag_is(h, tag, BUDDY_STALE))
		uk_panic("buddy: double free of %p", ptr);
	foreign_panic(ptr);
}

/* The header at a block's start, for a pointer that must be a live
 * payload, and the block's order; panics otherwise. Every free and
 * realloc passes here once, so the plain case (payload right after the
 * block's own header) is short. */
static struct buddy_hdr *block_of(const struct buddy *b, void *ptr,
				  unsigned *order_out)
{
	uintptr_t p = (uintptr_t)ptr;
	struct buddy_hdr *h = (struct buddy_hdr *)(p - BUDDY_HDR), *start = h;
	uint64_t tag, off, size;
	unsigned order;

	/* One unsigned compare also catches p below the heap. */
	if (unlikely(p % BUDDY_ALIGN || p - BUDDY_HDR - b->start >= b->len))
		uk_panic("buddy: %p is not a pointer this allocator returned",
			 ptr);
	tag = h->tag;
	if (unlikely(!tag_is(h, tag, BUDDY_USED)))
		bad_header_panic(ptr, h, tag);
	order = tag_order(tag);
	/* One unsigned compare for MIN <= order <= max_order. */
	if (unlikely(order - BUDDY_MIN_ORDER > b->max_order - BUDDY_MIN_ORDER))
		foreign_panic(ptr);
	if (unlikely(h->offset != BUDDY_HDR))
		start = aligned_start(b, ptr, h, order);
	size = order_size(order);
	off = (uintptr_t)start - b->start;
	if (unlikely(off & (size - 1) || off + size > b->len))
		foreign_panic(ptr);
	*order_out = order;
	return start;
}

static void hdr_set_used(uintptr_t at, unsigned order, uint64_t offset)
{
	struct buddy_hdr *h = (struct buddy_hdr *)at;

	h->tag = tag_for(h, BUDDY_USED, order);
	h->offset = offset;
}

static void hdr_set_stale(uintptr_t at, unsigned order)
{
	struct buddy_hdr *h = (struct buddy_hdr *)at;

	h->tag = tag_for(h, BUDDY_STALE, order);
}

/* Headers of a live block: at its start and, when aligned, below the
 * payload. */
static void mark_used(uintptr_t block, unsigned order, uint64_t offset)
{
	hdr_set_used(block, order, offset);
	if (offset != BUDDY_HDR)
		hdr_set_used(block + offset - BUDDY_HDR, order, offset);
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
	list_remove(b, f, have);
	block = (uintptr_t)f;
	/* Give back the upper halves until the block is the size asked. */
	while (have > order) {
		have--;
		list_push(b, block + order_size(have), have);
	}
	return block;
}

/* Hand out a block of order order with the payload offset bytes in. */
static void *alloc_block(struct buddy *b, unsigned order, size_t align,
			 size_t *usable)
{
	uintptr_t block = take_block(b, order);
	uint64_t offset = BUDDY_HDR;

	if (!block)
		return NULL;
	b->free_bytes -= order_size(order);
	/*
	 * Blocks are only 16-aligned in general, so the payload goes at the
	 * first multiple of align past the header: at most align bytes in,
	 * as the block is at least that large.
	 */
	if (align > BUDDY_HDR)
		offset = ALIGN_UP(block + BUDDY_HDR, (uintptr_t)align) - block;
	mark_used(block, order, offset);
	*usable = order_size(order) - offset;
	return (void *)(block + offset);
}

static __attribute__((noinline)) void *
buddy_malloc_aligned(struct buddy *b, size_t align, size_t size, size_t *usable)
{
	uint64_t need;
	unsigned order;

	if (__builtin_add_overflow((uint64_t)size, (uint64_t)align, &need))
		return NULL;
	order = order_for(need);
	if (order > b->max_order)
		return NULL;
	return alloc_block(b, order, align, usable);
}

FLAT static void *buddy_memalign(struct uk_alloc *a, size_t align, size_t size,
				 size_t *usable)
{
	struct buddy *b = a->priv;
	uint64_t need;
	unsigned order;

	if (unlikely(align > BUDDY_HDR))
		return buddy_malloc_aligned(b, align, size, usable);
	if (unlikely(__builtin_add_overflow((uint64_t)size, BUDDY_HDR, &need)))
		return NULL;
	order = order_for(need);
	if (unlikely(order > b->max_order))
		return NULL;
	return alloc_block(b, order, BUDDY_ALIGN, usable);
}

static void release(struct buddy *b, uintptr_t block, unsigned order)
{
	struct buddy_free *buddy;

	while ((buddy = buddy_of(b, block, order))) {
		uintptr_t other = (uintptr_t)buddy;

		list_remove(b, buddy, order);
		/* The upper header is now inside a larger block. */
		if (other > block) {
			hdr_set_stale(other, order);
		} else {
			hdr_set_stale(block, order);
			block = other;
		}
		order++;
	}
	list_push(b, block, order);
}

/* Free the checked block h (payload ptr, order order): its usable size. */
static size_t free_block(struct buddy *b, struct buddy_hdr *h, void *ptr,
			 unsigned order)
{
	uint64_t offset = h->offset;

	if (offset != BUDDY_HDR)
		hdr_set_stale((uintptr_t)ptr - BUDDY_HDR, order);
	b->free_bytes += order_size(order);
	release(b, (uintptr_t)h, order);
	return order_size(order) - offset;
}

FLAT static size_t buddy_free(struct uk_alloc *a, void *ptr)
{
	struct buddy *b = a->priv;
	unsigned order;
	struct buddy_hdr *h = block_of(b, ptr, &order);

	return free_block(b, h, ptr, order);
}

static size_t buddy_usable_size(struct uk_alloc *a, void *ptr)
{
	unsigned order;
	struct buddy_hdr *h = block_of(a->priv, ptr, &order);

	return order_size(order) - h->offset;
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

		list_remove(b, upper, o);
		hdr_set_stale((uintptr_t)upper, o);
	}
	return 1;
}

static void *buddy_realloc(struct uk_alloc *a, void *ptr, size_t size,
			   size_t *old_usable, size_t *new_usable)
{
	struct buddy *b = a->priv;
	unsigned order, want;
	struct buddy_hdr *h = block_of(b, ptr, &order);
	uintptr_t block = (uintptr_t)h;
	uint64_t offset = h->offset, need;
	void *moved;

	if (__builtin_add_overflow((uint64_t)size, offset, &need))
		return NULL;
	/* need > offset, so the payload stays inside even the shrunk block. */
	want = order_for(need);
	if (want <= order) {
		/* Shrink: the upper halves go back; their buddies (our lower
		 * halves) are in use, so they cannot merge further. */
		if (want < order) {
			b->free_bytes += order_size(order) - order_size(want);
			for (unsigned o = order; o > want;) {
				o--;
				list_push(b, block + order_size(o), o);
			}
			mark_used(block, want, offset);
		}
		*old_usable = order_size(order) - offset;
		*new_usable = order_size(want) - offset;
		return ptr;
	}
	if (want <= b->max_order && grow_in_place(b, block, order, want)) {
		b->free_bytes -= order_size(want) - order_size(order);
		mark_used(block, want, offset);
		*old_usable = order_size(order) - offset;
		*new_usable = order_size(want) - offset;
		return ptr;
	}
	/* Moving costs a copy anyway: the ops entries, not another inlined
	 * copy of the malloc and free paths (free checks ptr again). */
	moved = a->ops->memalign(a, BUDDY_ALIGN, size, new_usable);
	if (!moved)
		return NULL;
	memcpy(moved, ptr, order_size(order) - offset);
	*old_usable = a->ops->free(a, ptr);
	return moved;
}

static uint64_t buddy_free_bytes(struct uk_alloc *a)
{
	return ((struct buddy *)a->priv)->free_bytes;
}

/*
 * A lower bound: the state and room for the most bytes ever live. Which
 * block a request gets depends on the pool's length (its binary
 * decomposition), and so does the room lost between blocks, so where a
 * smaller pool would run dry cannot be told from this run.
 */
static uint64_t buddy_pool_need(struct uk_alloc *a, uint64_t max_bytes)
{
	struct buddy *b = a->priv;
	uint64_t blocks = ALIGN_UP(max_bytes, order_size(BUDDY_MIN_ORDER));

	if (blocks < order_size(BUDDY_MIN_ORDER))
		blocks = order_size(BUDDY_MIN_ORDER);
	return b->start - a->base + blocks;
}

static const struct uk_alloc_ops buddy_ops = {
	.name = "buddy",
	.memalign = buddy_memalign,
	.free = buddy_free,
	.realloc = buddy_realloc,
	.usable_size = buddy_usable_size,
	.free_bytes = buddy_free_bytes,
	.pool_need = buddy_pool_need,
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
		b->free_bytes += order_size(order);
		off += order_size(order);
	}

	*a = (struct uk_alloc){ .ops = &buddy_ops, .priv = b,
				.base = (uintptr_t)base };
	a->stats.pool_bytes = len;
	return 0;
}
