/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLSF, two-level segregated fit: malloc and free in O(1) whatever the
 * heap holds, which is why real-time and embedded kernels use it.
 *
 * Free blocks sit on lists indexed by size class. The first level is the
 * power of two of the size, the second splits each power of two into 32
 * equal ranges; below 512 bytes every 16-byte size has its own list. Two
 * bitmaps say which lists are non-empty, so finding the smallest class
 * that fits is a couple of find-first-set instructions, not a walk.
 *
 * Every block starts with a 16-byte header: the physically preceding
 * block's address and this block's size with a free bit. Free blocks keep
 * their list links in the first payload bytes, so the smallest block is
 * 32 bytes. A zero-size "used" sentinel ends the heap so the last block
 * always has a next neighbour. Free merges with both neighbours at once,
 * so no two free blocks are ever adjacent.
 *
 * A free of a pointer that is not a live block (double free, or a pointer
 * this allocator never returned) stops the kernel with uk_panic. The check
 * is structural and O(1): the free bit, the size, and both neighbours
 * pointing back at the block. Nothing is written before it passes.
 */
#include <uk/alloc.h>
#include <uk/compiler.h>
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/string.h>

#define TLSF_ALIGN 16u
#define TLSF_HDR 16u
#define TLSF_MIN_BLOCK 32u
#define TLSF_FREE_BIT 1u
#define TLSF_FLAG_MASK (TLSF_ALIGN - 1)

#define TLSF_SL_LOG2 5u
#define TLSF_SL_COUNT (1u << TLSF_SL_LOG2)
/* Below this every size class is one 16-byte step wide. */
#define TLSF_SMALL (TLSF_SL_COUNT * TLSF_ALIGN)
#define TLSF_SMALL_LOG2 9u
/* First-level index of a 2^63-byte block, plus one. */
#define TLSF_FL_MAX (63u - TLSF_SMALL_LOG2 + 2u)

_Static_assert(TLSF_SMALL == 1u << TLSF_SMALL_LOG2, "small limit");

struct tlsf_block {
	struct tlsf_block *prev_phys; /* NULL for the first block */
	uint64_t size_flags;	      /* whole block, header included */
	/* Free blocks only: */
	struct tlsf_block *next_free, *prev_free;
};

_Static_assert(__builtin_offsetof(struct tlsf_block, next_free) == TLSF_HDR,
	       "header size");
_Static_assert(sizeof(struct tlsf_block) == TLSF_MIN_BLOCK, "minimum block");

struct tlsf {
	uintptr_t heap_start;
	struct tlsf_block *sentinel;
	uint64_t heap_len;
	uint64_t free_bytes;
	uint64_t fl_bitmap;
	unsigned fl_count;
	uint32_t sl_bitmap[TLSF_FL_MAX];
	/* fl_count rows, sized to the pool at init. */
	struct tlsf_block *heads[][TLSF_SL_COUNT];
};

static uint64_t block_size(const struct tlsf_block *b)
{
	return b->size_flags & ~(uint64_t)TLSF_FLAG_MASK;
}

static int block_is_free(const struct tlsf_block *b)
{
	return b->size_flags & TLSF_FREE_BIT;
}

static struct tlsf_block *block_next(const struct tlsf_block *b)
{
	return (struct tlsf_block *)((uintptr_t)b + block_size(b));
}

static void *block_payload(struct tlsf_block *b)
{
	return (char *)b + TLSF_HDR;
}

static unsigned msb64(uint64_t x)
{
	return 63 - __builtin_clzll(x);
}

static void size_class(uint64_t size, unsigned *fl, unsigned *sl)
{
	unsigned msb;

	if (size < TLSF_SMALL) {
		*fl = 0;
		*sl = size / TLSF_ALIGN;
		return;
	}
	msb = msb64(size);
	*fl = msb - TLSF_SMALL_LOG2 + 1;
	*sl = (size >> (msb - TLSF_SL_LOG2)) - TLSF_SL_COUNT;
}

/* The size whose class holds only blocks of at least size bytes. */
static uint64_t round_to_class(uint64_t size)
{
	if (size < TLSF_SMALL)
		return size;
	return size + ((uint64_t)1 << (msb64(size) - TLSF_SL_LOG2)) - 1;
}

static void list_insert(struct tlsf *t, struct tlsf_block *b)
{
	unsigned fl, sl;

	size_class(block_size(b), &fl, &sl);
	b->size_flags |= TLSF_FREE_BIT;
	b->prev_free = NULL;
	b->next_free = t->heads[fl][sl];
	if (b->next_free)
		b->next_free->prev_free = b;
	t->heads[fl][sl] = b;
	t->fl_bitmap |= (uint64_t)1 << fl;
	t->sl_bitmap[fl] |= 1u << sl;
	t->free_bytes += block_size(b);
}

static void list_remove(struct tlsf *t, struct tlsf_block *b)
{
	unsigned fl, sl;

	size_class(block_size(b), &fl, &sl);
	if (b->prev_free)
		b->prev_free->next_free = b->next_free;
	else
		t->heads[fl][sl] = b->next_free;
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (!t->heads[fl][sl]) {
		t->sl_bitmap[fl] &= ~(1u << sl);
		if (!t->sl_bitmap[fl])
			t->fl_bitmap &= ~((uint64_t)1 << fl);
	}
	b->size_flags &= ~(uint64_t)TLSF_FREE_BIT;
	t->free_bytes -= block_size(b);
}

/* A free block of at least need bytes, still on its list, or NULL. */
static struct tlsf_block *find_free(struct tlsf *t, uint64_t need)
{
	struct tlsf_block *head;
	unsigned fl, sl;
	uint32_t sl_map;

	size_class(round_to_class(need), &fl, &sl);
	if (fl < t->fl_count) {
		sl_map = t->sl_bitmap[fl] & (~0u << sl);
		if (!sl_map) {
			uint64_t above = ~(uint64_t)0 << (fl + 1);
			uint64_t fl_map = t->fl_bitmap & above;

			if (fl_map) {
				fl = __builtin_ctzll(fl_map);
				sl_map = t->sl_bitmap[fl];
			}
		}
		if (sl_map)
			return t->heads[fl][__builtin_ctz(sl_map)];
	}
	/*
	 * Every larger class is empty. The request's own class mixes sizes
	 * just above and below it; its first block may still fit, which
	 * matters most for one large request into a nearly empty heap.
	 */
	size_class(need, &fl, &sl);
	if (fl >= t->fl_count)
		return NULL;
	head = t->heads[fl][sl];
	return head && block_size(head) >= need ? head : NULL;
}

/* Put a block that is not on a list back, merged with free neighbours. */
static void release(struct tlsf *t, struct tlsf_block *b)
{
	struct tlsf_block *prev = b->prev_phys, *next = block_next(b);

	/* Set first, so the header left inside a merged block still reads
	 * as freed and a second free of it is caught. */
	b->size_flags |= TLSF_FREE_BIT;
	if (prev && block_is_free(prev)) {
		list_remove(t, prev);
		prev->size_flags += block_size(b);
		b = prev;
	}
	if (block_is_free(next)) {
		list_remove(t, next);
		next->size_flags |= TLSF_FREE_BIT;
		b->size_flags += block_size(next);
	}
	block_next(b)->prev_phys = b;
	list_insert(t, b);
}

/* Give the part of b beyond size bytes back as a free block, if it is
 * large enough to be one. b is in use. */
static void trim_tail(struct tlsf *t, struct tlsf_block *b, uint64_t size)
{
	uint64_t have = block_size(b);
	struct tlsf_block *tail;

	if (have - size < TLSF_MIN_BLOCK)
		return;
	tail = (struct tlsf_block *)((uintptr_t)b + size);
	tail->prev_phys = b;
	tail->size_flags = have - size;
	block_next(tail)->prev_phys = tail;
	b->size_flags = size | (b->size_flags & TLSF_FLAG_MASK);
	release(t, tail);
}

/* Block size for a payload of size bytes, or 0 when it cannot exist. */
static uint64_t block_size_for(const struct tlsf *t, size_t size)
{
	uint64_t need;

	if (size > t->heap_len)
		return 0;
	need = ALIGN_UP((uint64_t)size + TLSF_HDR, TLSF_ALIGN);
	return need < TLSF_MIN_BLOCK ? TLSF_MIN_BLOCK : need;
}

static void *tlsf_malloc(struct tlsf *t, size_t size)
{
	uint64_t need = block_size_for(t, size);
	struct tlsf_block *b;

	if (!need || !(b = find_free(t, need)))
		return NULL;
	list_remove(t, b);
	trim_tail(t, b, need);
	return block_payload(b);
}

static void *tlsf_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct tlsf *t = a->priv;
	uint64_t need = block_size_for(t, size), total, gap;
	struct tlsf_block *b, *aligned;
	uintptr_t payload;

	if (align <= TLSF_ALIGN)
		return tlsf_malloc(t, size);
	if (!need || align & (align - 1) || align > t->heap_len)
		return NULL;
	/* A leading gap is either empty or a whole free block, so it can
	 * take up to align + TLSF_MIN_BLOCK bytes. */
	if (__builtin_add_overflow(need, (uint64_t)align + TLSF_MIN_BLOCK,
				   &total))
		return NULL;
	b = find_free(t, total);
	if (!b)
		return NULL;
	list_remove(t, b);
	payload = ALIGN_UP((uintptr_t)b + TLSF_HDR, (uintptr_t)align);
	gap = payload - TLSF_HDR - (uintptr_t)b;
	if (gap && gap < TLSF_MIN_BLOCK) {
		payload += align;
		gap += align;
	}
	if (gap) {
		aligned = (struct tlsf_block *)(payload - TLSF_HDR);
		aligned->prev_phys = b;
		aligned->size_flags = block_size(b) - gap;
		block_next(aligned)->prev_phys = aligned;
		b->size_flags = gap;
		/* b's neighbour before it is in use: no merge to do. */
		release(t, b);
		b = aligned;
	}
	trim_tail(t, b, need);
	return block_payload(b);
}

/* The block of a pointer that must be a live payload; panics otherwise. */
static struct tlsf_block *block_of(const struct tlsf *t, void *ptr)
{
	uintptr_t p = (uintptr_t)ptr, sentinel = (uintptr_t)t->sentinel;
	struct tlsf_block *b, *prev;
	uint64_t size;

	/* One unsigned compare also catches p below the heap. */
	if (p % TLSF_ALIGN || p - TLSF_HDR - t->heap_start >
				      sentinel - TLSF_MIN_BLOCK - t->heap_start)
		uk_panic("tlsf: %p is not a pointer this allocator returned",
			 ptr);
	b = (struct tlsf_block *)(p - TLSF_HDR);
	if (block_is_free(b))
		uk_panic("tlsf: double free of %p (or a pointer into free "
			 "memory)", ptr);
	size = block_size(b);
	if (b->size_flags & TLSF_FLAG_MASK || size < TLSF_MIN_BLOCK ||
	    size > sentinel - (uintptr_t)b || block_next(b)->prev_phys != b)
		goto foreign;
	prev = b->prev_phys;
	if ((uintptr_t)b == t->heap_start) {
		if (prev)
			goto foreign;
	} else if ((uintptr_t)prev < t->heap_start ||
		   (uintptr_t)prev > (uintptr_t)b - TLSF_MIN_BLOCK ||
		   (uintptr_t)prev % TLSF_ALIGN || block_next(prev) != b) {
		goto foreign;
	}
	return b;
foreign:
	uk_panic("tlsf: %p is not a live block (header overwritten, or a "
		 "pointer this allocator did not return)", ptr);
}

static void tlsf_free(struct uk_alloc *a, void *ptr)
{
	struct tlsf *t = a->priv;

	release(t, block_of(t, ptr));
}

static size_t tlsf_usable_size(struct uk_alloc *a, void *ptr)
{
	return block_size(block_of(a->priv, ptr)) - TLSF_HDR;
}

static void *tlsf_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	struct tlsf *t = a->priv;
	struct tlsf_block *b = block_of(t, ptr), *next;
	uint64_t need = block_size_for(t, size), have = block_size(b);
	void *moved;

	if (!need)
		return NULL;
	if (need <= have) {
		trim_tail(t, b, need);
		return ptr;
	}
	next = block_next(b);
	if (block_is_free(next) && have + block_size(next) >= need) {
		list_remove(t, next);
		b->size_flags += block_size(next);
		block_next(b)->prev_phys = b;
		trim_tail(t, b, need);
		return ptr;
	}
	moved = tlsf_malloc(t, size);
	if (!moved)
		return NULL;
	memcpy(moved, ptr, have - TLSF_HDR);
	release(t, b);
	return moved;
}

static uint64_t tlsf_free_bytes(struct uk_alloc *a)
{
	return ((struct tlsf *)a->priv)->free_bytes;
}

static const struct uk_alloc_ops tlsf_ops = {
	.name = "tlsf",
	.memalign = tlsf_memalign,
	.free = tlsf_free,
	.realloc = tlsf_realloc,
	.usable_size = tlsf_usable_size,
	.free_bytes = tlsf_free_bytes,
};

int uk_alloc_tlsf_init(struct uk_alloc *a, void *base, size_t len)
{
	uintptr_t first = ALIGN_UP((uintptr_t)base, (uintptr_t)TLSF_ALIGN);
	uintptr_t end, heap_start;
	struct tlsf_block *block;
	unsigned fl, sl;
	size_t state;
	struct tlsf *t;

	if (__builtin_add_overflow((uintptr_t)base, len, &end))
		return -EINVAL;
	end &= ~(uintptr_t)(TLSF_ALIGN - 1);
	if (len < TLSF_SMALL)
		return -ENOMEM;
	/* No block can be larger than the pool, so its class bounds the
	 * rows the state needs. */
	size_class(len, &fl, &sl);
	state = sizeof(struct tlsf) + (fl + 1) * sizeof(t->heads[0]);
	heap_start = ALIGN_UP(first + state, (uintptr_t)TLSF_ALIGN);
	if (heap_start <= first || heap_start >= end ||
	    end - heap_start < TLSF_MIN_BLOCK + TLSF_HDR)
		return -ENOMEM;

	t = (struct tlsf *)first;
	memset(t, 0, state);
	t->fl_count = fl + 1;
	t->heap_start = heap_start;
	t->heap_len = end - heap_start;
	t->sentinel = (struct tlsf_block *)(end - TLSF_HDR);

	block = (struct tlsf_block *)heap_start;
	block->prev_phys = NULL;
	block->size_flags = (uintptr_t)t->sentinel - heap_start;
	t->sentinel->prev_phys = block;
	t->sentinel->size_flags = 0;
	list_insert(t, block);

	*a = (struct uk_alloc){ .ops = &tlsf_ops, .priv = t };
	a->stats.pool_bytes = len;
	return 0;
}
