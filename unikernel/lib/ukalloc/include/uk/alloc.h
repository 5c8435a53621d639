/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One allocator interface, several backends (region, buddy, TLSF) chosen
 * in Kconfig. A backend fills an ops table; callers use the inline
 * wrappers or the uk_* functions, which keep the statistics and turn every
 * failure into NULL (never corruption). Sizes are the caller's sizes;
 * overheads show in the statistics.
 */
#ifndef UK_ALLOC_H
#define UK_ALLOC_H

#include <stddef.h>
#include <stdint.h>

struct uk_alloc;

struct uk_alloc_stats {
	uint64_t pool_bytes;	/* memory handed to the allocator */
	uint64_t cur_bytes;	/* requested bytes now allocated */
	uint64_t peak_bytes;	/* high-water mark of cur_bytes */
	uint64_t cur_blocks;	/* live allocations */
	uint64_t nr_allocs;	/* successful allocations (incl. realloc moves) */
	uint64_t nr_frees;
	uint64_t nr_failures;	/* requests answered with NULL */
	uint64_t free_bytes;	/* what the backend could still hand out,
				 * ignoring fragmentation (backend-reported) */
};

struct uk_alloc_ops {
	const char *name;
	/* align is a power of two >= sizeof(void *); size > 0. */
	void *(*memalign)(struct uk_alloc *a, size_t align, size_t size);
	void (*free)(struct uk_alloc *a, void *ptr);
	/* NULL: the generic layer allocates, copies and frees. */
	void *(*realloc)(struct uk_alloc *a, void *ptr, size_t size);
	/* Bytes usable at ptr (>= the size asked for). */
	size_t (*usable_size)(struct uk_alloc *a, void *ptr);
	/* Bytes the backend can still hand out. */
	uint64_t (*free_bytes)(struct uk_alloc *a);
};

struct uk_alloc {
	const struct uk_alloc_ops *ops;
	struct uk_alloc_stats stats;
	void *priv;		/* backend state, inside the pool */
};

/* Backends: build an allocator over [base, base + len). 0 or -errno. */
int uk_alloc_region_init(struct uk_alloc *a, void *base, size_t len);
int uk_alloc_buddy_init(struct uk_alloc *a, void *base, size_t len);
int uk_alloc_tlsf_init(struct uk_alloc *a, void *base, size_t len);

/* The allocator Kconfig selected, over the heap (set up at boot). */
struct uk_alloc *uk_alloc_default(void);
int uk_alloc_default_init(void *base, size_t len);

/* Generic layer (alloc.c): statistics, NULL on failure, C semantics. */
void *uk_malloc(struct uk_alloc *a, size_t size);
void *uk_calloc(struct uk_alloc *a, size_t n, size_t size);
void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size);
void *uk_memalign(struct uk_alloc *a, size_t align, size_t size);
/* posix_memalign semantics: 0, EINVAL or ENOMEM (positive, as POSIX). */
int uk_posix_memalign(struct uk_alloc *a, void **out, size_t align, size_t size);
void uk_free(struct uk_alloc *a, void *ptr);
size_t uk_usable_size(struct uk_alloc *a, void *ptr);
void uk_alloc_stats_get(struct uk_alloc *a, struct uk_alloc_stats *out);
/* Start a new high-water mark from what is allocated now (benchmarks
 * report the peak of each phase). */
void uk_alloc_stats_reset_peak(struct uk_alloc *a);

#endif
