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
 * pointing back at the block. Nothing is written before it passes. A
 * header left inside a larger free block by a merge keeps its free bit,
 * so a second free of it is caught too.
 *
 * free_bytes changes only when a block is handed out or comes back (by
 * that block's size), not with every split and merge on the way.
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

/*
 * Second-level classes per power of two: more classes waste less memory
 * to rounding but give the search more lists to skip. The tuner varies it.
 */
#ifdef CONFIG_UKALLOC_TLSF_SL_LOG2
#define TLSF_SL_LOG2 ((unsigned)CONFIG_UKALLOC_TLSF_SL_LOG2)
#else /* built, but not the selected backend: the option is hidden */
#define TLSF_SL_LOG2 5u
#endif
#define TLSF_SL_COUNT (1u << TLSF_SL_LOG2)
/* Below this every size class is one 16-byte step wide. */
#define TLSF_SMALL (TLSF_SL_COUNT * TLSF_ALIGN)
#define TLSF_SMALL_LOG2 (TLSF_SL_LOG2 + 4u)
/* First-level index of a 2^63-byte block, plus one. */
#define TLSF_FL_MAX (63u - TLSF_SMALL_LOG2 + 2u)

_Static_assert(TLSF_SMALL == 1u << TLSF_SMALL_LOG2, "small limit");
_Static_assert(TLSF_SL_LOG2 >= 2 && TLSF_SL_LOG2 <= 5,
	       "sl_bitmap holds at most 32 classes");

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
	uint64_t free_bytes; /* sum of the free blocks, headers included */
	uint64_t fl_bitmap;
	unsigned fl_count;
	uint32_t sl_bitmap[TLSF_FL_MAX];
	/* fl_count rows, sized to the pool at init. */
	struct tlsf_block *heads[][TLSF_SL_COUNT];
};

#define unlikely(x) __builtin_expect(!!(x), 0)
/* The malloc and free entry points are each one function with all the
 * list work inlined (FLAT): no calls, one prologue. What they rarely need
 * stays out of line (COLD); the other paths leave inlining to the
 * compiler. */
#define FLAT __attribute__((flatten))
#define COLD static __attribute__((noinline, cold))

static uint64_t block_size(const struct tlsf_block *b)
{
	return b->size_flags & ~(uint64_t)TLSF_FLAG_MASK;
}

static int block_is_free(const struct tlsf_block *b)
{
	return b->size_flags & TLSF_FREE_BIT;
}

static struct tlsf_block *block_at(const struct tlsf_block *b, uint64_t off)
{
	return (struct tlsf_block *)((uintptr_t)b + off);
}

static struct tlsf_block *block_next(const struct tlsf_block *b)
{
	return block_at(b, block_size(b));
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

/* Make b a free block of size bytes and put it on its list. */
static void insert_free(struct tlsf *t, struct tlsf_block *b, uint64_t size)
{
	struct tlsf_block *head;
	unsigned fl, sl;

	size_class(size, &fl, &sl);
	b->size_flags = size | TLSF_FREE_BIT;
	head = t->heads[fl][sl];
	b->prev_free = NULL;
	b->next_free = head;
	if (head)
		head->prev_free = b;
	t->heads[fl][sl] = b;
	t->fl_bitmap |= (uint64_t)1 << fl;
	t->sl_bitmap[fl] |= 1u << sl;
}

/* The list (fl, sl) lost its last block. */
static void class_emptied(struct tlsf *t, unsigned fl, unsigned sl)
{
	t->sl_bitmap[fl] &= ~(1u << sl);
	if (!t->sl_bitmap[fl])
		t->fl_bitmap &= ~((uint64_t)1 << fl);
}

/* Take the free block b (size bytes) off its list. Its header keeps the
 * free bit: the caller rewrites it when the block is used, and a header
 * merged into a neighbour keeps reading as freed. */
static void remove_free(struct tlsf *t, struct tlsf_block *b, uint64_t size)
{
	struct tlsf_block *next = b->next_free, *prev = b->prev_free;
	unsigned fl, sl;

	if (prev) {
		prev->next_free = next;
	} else {
		size_class(size, &fl, &sl);
		t->heads[fl][sl] = next;
		if (!next)
			class_emptied(t, fl, sl);
	}
	if (next)
		next->prev_free = prev;
}

/*
 * Every class that surely fits is empty. The request's own class mixes
 * sizes just above and below it; its first block may still fit, which
 * matters most for one large request into a nearly empty heap.
 */
COLD struct tlsf_block *find_in_own_class(struct tlsf *t, uint64_t need,
					  unsigned *flp, unsigned *slp)
{
	struct tlsf_block *head;
	unsigned fl, sl;

	size_class(need, &fl, &sl);
	if (fl >= t->fl_count)
		return NULL;
	head = t->heads[fl][sl];
	if (!head || block_size(head) < need)
		return NULL;
	*flp = fl;
	*slp = sl;
	return head;
}

/*
 * The head of a free list whose blocks all hold need bytes, or NULL; the
 * list's class goes to *flp, *slp.
 */
static struct tlsf_block *find_free(struct tlsf *t, uint64_t need,
				    unsigned *flp, unsigned *slp)
{
	unsigned fl, sl;
	uint32_t sl_map;

	size_class(round_to_class(need), &fl, &sl);
	if (unlikely(fl >= t->fl_count))
		return find_in_own_class(t, need, flp, slp);
	sl_map = t->sl_bitmap[fl] & (~0u << sl);
	if (unlikely(!sl_map)) {
		uint64_t fl_map = t->fl_bitmap & (~(uint64_t)0 << (fl + 1));

		if (!fl_map)
			return find_in_own_class(t, need, flp, slp);
		fl = __builtin_ctzll(fl_map);
		sl_map = t->sl_bitmap[fl];
	}
	sl = __builtin_ctz(sl_map);
	*flp = fl;
	*slp = sl;
	return t->heads[fl][sl];
}

/* Take the head b of list (fl, sl) off it. */
static void pop_head(struct tlsf *t, struct tlsf_block *b, unsigned fl,
		     unsigned sl)
{
	struct tlsf_block *next = b->next_free;

	t->heads[fl][sl] = next;
	if (next)
		next->prev_free = NULL;
	else
		class_emptied(t, fl, sl);
}

/*
 * Make b, have bytes long and off the lists, a used block of need <= have
 * bytes: the rest goes back as a free block when it is large enough to be
 * one, merged with the block after b when merge_next says that one may be
 * free (a block that was free has no free neighbour). Returns b's size.
 * The block after b must already point back at b.
 */
static uint64_t use_block(struct tlsf *t, struct tlsf_block *b, uint64_t have,
			  uint64_t need, int merge_next)
{
	struct tlsf_block *tail, *next;
	uint64_t rest = have - need;

	if (rest < TLSF_MIN_BLOCK) {
		b->size_flags = have;
		return have;
	}
	b->size_flags = need;
	tail = block_at(b, need);
	tail->prev_phys = b;
	next = block_at(b, have);
	if (merge_next && block_is_free(next)) {
		uint64_t nsize = block_size(next);

		remove_free(t, next, nsize);
		rest += nsize;
		next = block_at(next, nsize);
	}
	next->prev_phys = tail;
	insert_free(t, tail, rest);
	return need;
}

/* Put the used block b (size bytes) back, merged with free neighbours. */
static void release(struct tlsf *t, struct tlsf_block *b, uint64_t size)
{
	struct tlsf_block *prev = b->prev_phys, *next = block_at(b, size);

	/* Set first, so the header left inside a merged block still reads
	 * as freed and a second free of it is caught. */
	b->size_flags = size | TLSF_FREE_BIT;
	if (prev && block_is_free(prev)) {
		uint64_t psize = block_size(prev);

		remove_free(t, prev, psize);
		size += psize;
		b = prev;
	}
	if (block_is_free(next)) {
		uint64_t nsize = block_size(next);

		remove_free(t, next, nsize);
		size += nsize;
		next = block_at(next, nsize);
	}
	next->prev_phys = b;
	insert_free(t, b, size);
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

/* A 16-aligned block for size bytes; its usable size to *usable. */
static void *tlsf_malloc(struct tlsf *t, size_t size, size_t *usable)
{
	uint64_t need = block_size_for(t, size), got;
	struct tlsf_block *b;
	unsigned fl, sl;

	if (unlikely(!need) || !(b = find_free(t, need, &fl, &sl)))
		return NULL;
	pop_head(t, b, fl, sl);
	got = use_block(t, b, block_size(b), need, 0);
	t->free_bytes -= got;
	*usable = got - TLSF_HDR;
	return block_payload(b);
}

/* A block whose payload is aligned to align > TLSF_ALIGN. */
static __attribute__((noinline)) void *
tlsf_malloc_aligned(struct tlsf *t, size_t align, size_t size, size_t *usable)
{
	uint64_t need, total, gap, have, got;
	struct tlsf_block *b, *aligned;
	uintptr_t payload;
	unsigned fl, sl;

	need = block_size_for(t, size);
	if (!need || align > t->heap_len)
		return NULL;
	/* A leading gap is either empty or a whole free block, so it can
	 * take up to align + TLSF_MIN_BLOCK bytes. */
	if (__builtin_add_overflow(need, (uint64_t)align + TLSF_MIN_BLOCK,
				   &total))
		return NULL;
	b = find_free(t, total, &fl, &sl);
	if (!b)
		return NULL;
	pop_head(t, b, fl, sl);
	have = block_size(b);
	payload = ALIGN_UP((uintptr_t)b + TLSF_HDR, (uintptr_t)align);
	gap = payload - TLSF_HDR - (uintptr_t)b;
	if (gap && gap < TLSF_MIN_BLOCK) {
		payload += align;
		gap += align;
	}
	if (gap) {
		aligned = (struct tlsf_block *)(payload - TLSF_HDR);
		aligned->prev_phys = b;
		have -= gap;
		block_at(aligned, have)->prev_phys = aligned;
		/* The gap goes back as it is: the block before b is in use
		 * (b was free) and the one after it is aligned. */
		insert_free(t, b, gap);
		b = aligned;
	}
	got = use_block(t, b, have, need, 0);
	t->free_bytes -= got;
	*usable = got - TLSF_HDR;
	return block_payload(b);
}

FLAT static void *tlsf_memalign(struct uk_alloc *a, size_t align, size_t size,
				size_t *usable)
{
	struct tlsf *t = a->priv;

	if (unlikely(align > TLSF_ALIGN))
		return tlsf_malloc_aligned(t, align, size, usable);
	return tlsf_malloc(t, size, usable);
}

/* The block of a pointer that must be a live payload, and its size;
 * panics otherwise. */
static struct tlsf_block *block_of(const struct tlsf *t, void *ptr,
				   uint64_t *size_out)
{
	uintptr_t p = (uintptr_t)ptr, sentinel = (uintptr_t)t->sentinel;
	struct tlsf_block *b, *prev;
	uint64_t size;

	/* One unsigned compare also catches p below the heap. */
	if (unlikely(p % TLSF_ALIGN ||
		     p - TLSF_HDR - t->heap_start >
			 sentinel - TLSF_MIN_BLOCK - t->heap_start))
		uk_panic("tlsf: %p is not a pointer this allocator returned",
			 ptr);
	b = (struct tlsf_block *)(p - TLSF_HDR);
	size = b->size_flags;
	/* A used block's header has no flag bit set. */
	if (unlikely(size & TLSF_FLAG_MASK)) {
		if (size & TLSF_FREE_BIT)
			uk_panic("tlsf: double free of %p (or a pointer into "
				 "free memory)", ptr);
		goto foreign;
	}
	/* MIN_BLOCK <= size <= sentinel - b in one compare (the range check
	 * above keeps sentinel - b >= MIN_BLOCK), and the next block must
	 * point back. */
	if (unlikely(size - TLSF_MIN_BLOCK >
		     sentinel - (uintptr_t)b - TLSF_MIN_BLOCK) ||
	    unlikely(block_at(b, size)->prev_phys != b))
		goto foreign;
	prev = b->prev_phys;
	if (unlikely((uintptr_t)b == t->heap_start)) {
		if (prev)
			goto foreign;
	} else if (unlikely((uintptr_t)prev < t->heap_start ||
			    (uintptr_t)prev > (uintptr_t)b - TLSF_MIN_BLOCK ||
			    block_next(prev) != b)) {
		/* A block ending at b (sizes are multiples of 16) is also
		 * aligned. */
		goto foreign;
	}
	*size_out = size;
	return b;
foreign:
	uk_panic("tlsf: %p is not a live block (header overwritten, or a "
		 "pointer this allocator did not return)", ptr);
}

FLAT static size_t tlsf_free(struct uk_alloc *a, void *ptr)
{
	struct tlsf *t = a->priv;
	uint64_t size;
	struct tlsf_block *b = block_of(t, ptr, &size);

	t->free_bytes += size;
	release(t, b, size);
	return size - TLSF_HDR;
}

static size_t tlsf_usable_size(struct uk_alloc *a, void *ptr)
{
	uint64_t size;

	block_of(a->priv, ptr, &size);
	return size - TLSF_HDR;
}

static void *tlsf_realloc(struct uk_alloc *a, void *ptr, size_t size,
			  size_t *old_usable, size_t *new_usable)
{
	struct tlsf *t = a->priv;
	uint64_t have, need, got;
	struct tlsf_block *b = block_of(t, ptr, &have), *next;
	void *moved;

	need = block_size_for(t, size);
	if (!need)
		return NULL;
	next = block_at(b, have);
	if (need <= have) {
		/* Shrink (or stay): the tail may join a free next block. */
		got = use_block(t, b, have, need, 1);
		t->free_bytes += have - got;
		goto in_place;
	}
	if (block_is_free(next) && have + block_size(next) >= need) {
		uint64_t joined = have + block_size(next);

		remove_free(t, next, block_size(next));
		/* next was free, so the block after it is in use. */
		block_at(b, joined)->prev_phys = b;
		got = use_block(t, b, joined, need, 0);
		t->free_bytes -= got - have;
		goto in_place;
	}
	/* Moving costs a copy anyway: the ops entries, not another inlined
	 * copy of the malloc and free paths (free checks ptr again). */
	moved = a->ops->memalign(a, TLSF_ALIGN, size, new_usable);
	if (!moved)
		return NULL;
	memcpy(moved, ptr, have - TLSF_HDR);
	*old_usable = a->ops->free(a, ptr);
	return moved;
in_place:
	*old_usable = have - TLSF_HDR;
	*new_usable = got - TLSF_HDR;
	return ptr;
}

static uint64_t tlsf_free_bytes(struct uk_alloc *a)
{
	return ((struct tlsf *)a->priv)->free_bytes;
}

static uint64_t tlsf_pool_need(struct uk_alloc *a, uint64_t max_bytes);

static const struct uk_alloc_ops tlsf_ops = {
	.name = "tlsf",
	.memalign = tlsf_memalign,
	.free = tlsf_free,
	.realloc = tlsf_realloc,
	.usable_size = tlsf_usable_size,
	.free_bytes = tlsf_free_bytes,
	.pool_need = tlsf_pool_need,
};

/* Rows of free-list heads a pool of len bytes needs: no block is larger
 * than the pool, so its class bounds them. */
static unsigned tlsf_rows(uint64_t len)
{
	unsigned fl, sl;

	size_class(len, &fl, &sl);
	return fl + 1;
}

/* Where the first block goes after a state of rows rows at first. */
static uintptr_t tlsf_state_end(uintptr_t first, unsigned rows)
{
	return ALIGN_UP(first + sizeof(struct tlsf) +
				rows * sizeof(((struct tlsf *)0)->heads[0]),
			(uintptr_t)TLSF_ALIGN);
}

/*
 * The end of the highest block ever handed out: the sentinel when the
 * block before it is in use. Otherwise nothing past that end was ever
 * written (the guest's RAM starts zeroed) but the sentinel, while the
 * header of what was left free after it (its address and size, both
 * non-zero) sits right at it, so the last non-zero word below the
 * sentinel is that header's. Scanning at exit keeps the allocation paths
 * free of bookkeeping.
 */
static uintptr_t highest_block_end(const struct tlsf *t)
{
	const uint64_t *w = (const uint64_t *)t->sentinel;
	const uint64_t *low = (const uint64_t *)t->heap_start;

	if (!block_is_free(t->sentinel->prev_phys))
		return (uintptr_t)t->sentinel;
	/* Most of it is zero: 64 bytes a step, then word by word. */
	while (w - low >= 8 && !(w[-1] | w[-2] | w[-3] | w[-4] | w[-5] |
				 w[-6] | w[-7] | w[-8]))
		w -= 8;
	while (w > low && !w[-1])
		w--;
	if (w == low)
		return t->heap_start;
	/* w[-1] is the header's size word, or one of its free-list links
	 * after it; blocks and headers are 16-aligned. */
	return ((uintptr_t)(w - 1) - TLSF_ALIGN / 2) & ~(uintptr_t)(TLSF_ALIGN - 1);
}

/*
 * The blocks handed out keep their offsets from the first block in a
 * smaller pool, whose state has fewer rows: the least length whose state,
 * blocks and sentinel fit. A guess where the free lists would choose
 * otherwise in a pool that small, or an aligned request would land
 * elsewhere.
 */
static uint64_t tlsf_pool_need(struct uk_alloc *a, uint64_t max_bytes)
{
	struct tlsf *t = a->priv;
	uintptr_t first = ALIGN_UP(a->base, (uintptr_t)TLSF_ALIGN);
	uint64_t used = highest_block_end(t) - t->heap_start, len = 0;
	unsigned rows;

	(void)max_bytes;
	/* init wants room for one block, and the sentinel ends the pool. */
	if (used < TLSF_MIN_BLOCK)
		used = TLSF_MIN_BLOCK;
	used += TLSF_HDR;
	/* More rows never shorten it, so the first count that suffices for
	 * its own length is the least. */
	for (rows = 1; rows <= TLSF_FL_MAX; rows++) {
		len = tlsf_state_end(first, rows) + used - a->base;
		if (tlsf_rows(len) <= rows)
			break;
	}
	return len < TLSF_SMALL ? TLSF_SMALL : len;
}

int uk_alloc_tlsf_init(struct uk_alloc *a, void *base, size_t len)
{
	uintptr_t first = ALIGN_UP((uintptr_t)base, (uintptr_t)TLSF_ALIGN);
	uintptr_t end, heap_start;
	struct tlsf_block *block;
	unsigned rows;
	struct tlsf *t;

	if (__builtin_add_overflow((uintptr_t)base, len, &end))
		return -EINVAL;
	end &= ~(uintptr_t)(TLSF_ALIGN - 1);
	if (len < TLSF_SMALL)
		return -ENOMEM;
	rows = tlsf_rows(len);
	heap_start = tlsf_state_end(first, rows);
	if (heap_start <= first || heap_start >= end ||
	    end - heap_start < TLSF_MIN_BLOCK + TLSF_HDR)
		return -ENOMEM;

	t = (struct tlsf *)first;
	memset(t, 0, sizeof(*t) + rows * sizeof(t->heads[0]));
	t->fl_count = rows;
	t->heap_start = heap_start;
	t->heap_len = end - heap_start;
	t->sentinel = (struct tlsf_block *)(end - TLSF_HDR);

	block = (struct tlsf_block *)heap_start;
	block->prev_phys = NULL;
	t->sentinel->prev_phys = block;
	t->sentinel->size_flags = 0;
	t->free_bytes = (uintptr_t)t->sentinel - heap_start;
	insert_free(t, block, t->free_bytes);

	*a = (struct uk_alloc){ .ops = &tlsf_ops, .priv = t,
				.base = (uintptr_t)base };
	a->stats.pool_bytes = len;
	return 0;
}
