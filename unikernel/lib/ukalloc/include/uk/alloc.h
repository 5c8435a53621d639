/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One allocator interface, several backends (region, buddy, TLSF) chosen
 * in Kconfig. A backend fills an ops table; callers use the uk_*
 * functions, which keep the statistics and turn every failure into NULL
 * (never corruption). Requests are in the caller's sizes; the statistics
 * count usable sizes (what uk_usable_size answers, at least what was
 * asked), so a backend's rounding shows in them.
 */
#ifndef UK_ALLOC_H
#define UK_ALLOC_H

#include <stddef.h>
#include <stdint.h>

struct uk_alloc;

struct uk_alloc_stats {
	uint64_t pool_bytes;	/* memory handed to the allocator */
	uint64_t cur_bytes;	/* usable bytes of the live allocations */
	uint64_t peak_bytes;	/* high-water mark of cur_bytes */
	uint64_t cur_blocks;	/* live allocations */
	uint64_t nr_allocs;	/* successful allocations (incl. realloc moves) */
	uint64_t nr_frees;	/* incl. the old block of a realloc move */
	uint64_t nr_failures;	/* requests answered with NULL */
	uint64_t free_bytes;	/* what the backend could still hand out,
				 * ignoring fragmentation (backend-reported) */
	uint64_t max_bytes;	/* the highest peak_bytes ever, whatever
				 * uk_alloc_stats_reset_peak started */
};

/*
 * What a backend provides. Each call that touches a block also reports
 * the block's usable size, so the generic layer keeps its statistics
 * without asking again: one validation of a pointer per operation.
 * "Usable size" is always what usable_size would answer for the pointer.
 */
struct uk_alloc_ops {
	const char *name;
	/*
	 * A block of at least size bytes aligned to align, or NULL when none
	 * can be served (nothing changes then). align is a power of two of
	 * at least 16, size > 0. On success *usable is set.
	 */
	void *(*memalign)(struct uk_alloc *a, size_t align, size_t size,
			  size_t *usable);
	/*
	 * Free ptr (never NULL) and return the usable size it had. A pointer
	 * that is not a live block of this allocator (double free, one from
	 * elsewhere) is checked for before anything is written and stops the
	 * kernel with uk_panic, for the backends that can tell (buddy, TLSF).
	 */
	size_t (*free)(struct uk_alloc *a, void *ptr);
	/*
	 * Resize ptr (never NULL, checked like free) to at least size > 0
	 * bytes, keeping the contents up to the smaller of the two sizes and
	 * the alignment malloc promises (16). Returns the block, ptr itself
	 * when resized in place; on success *old_usable is ptr's usable size
	 * before the call and *new_usable the result's. NULL when it cannot
	 * be served: ptr is then left as it was and stays valid.
	 */
	void *(*realloc)(struct uk_alloc *a, void *ptr, size_t size,
			 size_t *old_usable, size_t *new_usable);
	/* Bytes usable at ptr (>= the size asked for); for
	 * malloc_usable_size, not on the allocation paths. */
	size_t (*usable_size)(struct uk_alloc *a, void *ptr);
	/* Bytes the backend can still hand out. */
	uint64_t (*free_bytes)(struct uk_alloc *a);
	/*
	 * A prediction of the least pool length, counted from the base the
	 * backend was built over, with which the requests served so far
	 * would all have been served: its state and the highest block it
	 * handed out, at the same offsets, where its choices do not depend
	 * on the pool's length; where they do, at least max_bytes (the
	 * most usable bytes ever live at once) and its state. Never less
	 * than its init accepts. Called at exit, so it may be slow; the
	 * allocation paths keep nothing for it.
	 */
	uint64_t (*pool_need)(struct uk_alloc *a, uint64_t max_bytes);
};

struct uk_alloc {
	const struct uk_alloc_ops *ops;
	struct uk_alloc_stats stats;
	void *priv;		/* backend state, inside the pool */
	uintptr_t base;		/* the pool's first byte, as given to init */
};

/* Backends: build an allocator over [base, base + len). 0 or -errno. */
int uk_alloc_region_init(struct uk_alloc *a, void *base, size_t len);
int uk_alloc_buddy_init(struct uk_alloc *a, void *base, size_t len);
int uk_alloc_tlsf_init(struct uk_alloc *a, void *base, size_t len);

/* The allocator Kconfig selected, over the heap (set up at boot); NULL
 * before that. Inline: malloc and free ask for it on every call. */
extern struct uk_alloc *uk__alloc_default;

static inline struct uk_alloc *uk_alloc_default(void)
{
	return uk__alloc_default;
}

int uk_alloc_default_init(void *base, size_t len);

/*
 * Generic layer (alloc.c): statistics, NULL on failure, C semantics:
 * malloc(0) and realloc(p, 0) give a unique pointer free() accepts,
 * realloc(NULL, n) is malloc(n), a failed realloc keeps the old block,
 * calloc checks n * size for overflow. Every NULL counts in nr_failures.
 */
void *uk_malloc(struct uk_alloc *a, size_t size);
void *uk_calloc(struct uk_alloc *a, size_t n, size_t size);
void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size);
/* align below 16 is raised to 16; one that is not a power of two fails. */
void *uk_memalign(struct uk_alloc *a, size_t align, size_t size);
/* posix_memalign semantics: 0, EINVAL or ENOMEM (positive, as POSIX). */
int uk_posix_memalign(struct uk_alloc *a, void **out, size_t align, size_t size);
void uk_free(struct uk_alloc *a, void *ptr);
size_t uk_usable_size(struct uk_alloc *a, void *ptr);
void uk_alloc_stats_get(struct uk_alloc *a, struct uk_alloc_stats *out);
/* ops->pool_need: the least pool length (bytes) the requests so far
 * would have needed, predicted; see struct uk_alloc_ops. */
uint64_t uk_alloc_pool_need(struct uk_alloc *a);
/* Start a new high-water mark from what is allocated now (benchmarks
 * report the peak of each phase). */
void uk_alloc_stats_reset_peak(struct uk_alloc *a);

#endif
