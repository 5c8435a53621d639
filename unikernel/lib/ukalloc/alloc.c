/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generic layer over every backend: argument checks, C semantics
 * (malloc(0), realloc(NULL, n), calloc overflow), and the statistics, kept
 * here once rather than in each backend. The backend reports the usable
 * size of every block it hands out, frees or resizes in the same call, so
 * each operation costs one backend call and one check of the pointer.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/trace.h>

#if CONFIG_UKALLOC_TRACEPOINTS
UK_TRACEPOINT(alloc_malloc, 2, UT_ARG_U64, UT_ARG_U64);
UK_TRACEPOINT(alloc_malloc_ret, 2, UT_ARG_HEX, UT_ARG_U64);
UK_TRACEPOINT(alloc_free, 1, UT_ARG_HEX);
#else
UK_TRACEPOINT_OFF(alloc_malloc, 2);
UK_TRACEPOINT_OFF(alloc_malloc_ret, 2);
UK_TRACEPOINT_OFF(alloc_free, 1);
#endif

/* What malloc promises: alignment for any type, SSE included. */
#define UK_ALLOC_MIN_ALIGN 16

#define unlikely(x) __builtin_expect(!!(x), 0)

static inline void account_alloc(struct uk_alloc *a, size_t usable)
{
	a->stats.nr_allocs++;
	a->stats.cur_blocks++;
	a->stats.cur_bytes += usable;
	if (a->stats.cur_bytes > a->stats.peak_bytes)
		a->stats.peak_bytes = a->stats.cur_bytes;
}

/* cur_bytes less usable, never below zero. Every block is counted with
 * the usable size the backend reported for it, so the clamp only guards
 * against a backend that broke that rule. */
static inline void uncount_bytes(struct uk_alloc *a, size_t usable)
{
	a->stats.cur_bytes -=
		usable < a->stats.cur_bytes ? usable : a->stats.cur_bytes;
}

static inline void account_free(struct uk_alloc *a, size_t usable)
{
	a->stats.nr_frees++;
	a->stats.cur_blocks--;
	uncount_bytes(a, usable);
}

/* align is a power of two >= UK_ALLOC_MIN_ALIGN. */
static inline void *alloc_aligned(struct uk_alloc *a, size_t align, size_t size)
{
	size_t usable;
	void *p;

	/* malloc(0) returns a unique pointer that free() accepts. */
	if (unlikely(size == 0))
		size = 1;
	uk_tp_alloc_malloc(size, align);
	p = a->ops->memalign(a, align, size, &usable);
	if (unlikely(!p)) {
		a->stats.nr_failures++;
		uk_tp_alloc_malloc_ret(0, 0);
		return NULL;
	}
	account_alloc(a, usable);
	uk_tp_alloc_malloc_ret((uint64_t)(uintptr_t)p, usable);
	return p;
}

void *uk_malloc(struct uk_alloc *a, size_t size)
{
	return alloc_aligned(a, UK_ALLOC_MIN_ALIGN, size);
}

void *uk_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	if (align < UK_ALLOC_MIN_ALIGN)
		align = UK_ALLOC_MIN_ALIGN;
	if (align & (align - 1)) {
		a->stats.nr_failures++;
		return NULL;
	}
	return alloc_aligned(a, align, size);
}

void *uk_calloc(struct uk_alloc *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total)) {
		a->stats.nr_failures++;
		return NULL;
	}
	p = alloc_aligned(a, UK_ALLOC_MIN_ALIGN, total);
	if (p)
		memset(p, 0, total);
	return p;
}

void uk_free(struct uk_alloc *a, void *ptr)
{
	if (!ptr)
		return;
	uk_tp_alloc_free((uint64_t)(uintptr_t)ptr);
	/* The backend checks ptr before it counts anything. */
	account_free(a, a->ops->free(a, ptr));
}

void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	size_t old, new;
	void *p;

	if (!ptr)
		return uk_malloc(a, size);
	if (size == 0)
		size = 1;
	p = a->ops->realloc(a, ptr, size, &old, &new);
	if (!p) {
		/* The old block stays valid, as C requires. */
		a->stats.nr_failures++;
		return NULL;
	}
	if (p == ptr) {
		/* In place is not a new allocation: only the bytes change. */
		uncount_bytes(a, old);
		a->stats.cur_bytes += new;
		if (a->stats.cur_bytes > a->stats.peak_bytes)
			a->stats.peak_bytes = a->stats.cur_bytes;
	} else {
		account_free(a, old);
		account_alloc(a, new);
	}
	return p;
}

int uk_posix_memalign(struct uk_alloc *a, void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = uk_memalign(a, align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

size_t uk_usable_size(struct uk_alloc *a, void *ptr)
{
	return ptr ? a->ops->usable_size(a, ptr) : 0;
}

/* The highest peak_bytes ever, folded in when a phase's peak is reset
 * rather than tracked on every allocation. */
static uint64_t max_bytes(const struct uk_alloc *a)
{
	return a->stats.peak_bytes > a->stats.max_bytes ? a->stats.peak_bytes
							 : a->stats.max_bytes;
}

void uk_alloc_stats_get(struct uk_alloc *a, struct uk_alloc_stats *out)
{
	*out = a->stats;
	out->free_bytes = a->ops->free_bytes(a);
	out->max_bytes = max_bytes(a);
}

uint64_t uk_alloc_pool_need(struct uk_alloc *a)
{
	return a->ops->pool_need(a, max_bytes(a));
}

void uk_alloc_stats_reset_peak(struct uk_alloc *a)
{
	a->stats.max_bytes = max_bytes(a);
	a->stats.peak_bytes = a->stats.cur_bytes;
}
