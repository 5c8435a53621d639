/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generic layer over every backend: argument checks, C semantics
 * (malloc(0), realloc(NULL, n), calloc overflow), and the statistics, kept
 * here once rather than in each backend.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>

/* What malloc promises: alignment for any type, SSE included. */
#define UK_ALLOC_MIN_ALIGN 16

static void account_alloc(struct uk_alloc *a, size_t size)
{
	a->stats.nr_allocs++;
	a->stats.cur_blocks++;
	a->stats.cur_bytes += size;
	if (a->stats.cur_bytes > a->stats.peak_bytes)
		a->stats.peak_bytes = a->stats.cur_bytes;
}

static void account_free(struct uk_alloc *a, size_t size)
{
	a->stats.nr_frees++;
	a->stats.cur_blocks--;
	/* The usable size may exceed what was asked; never underflow. */
	a->stats.cur_bytes -= size < a->stats.cur_bytes ? size : a->stats.cur_bytes;
}

void *uk_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	void *p;

	if (align < UK_ALLOC_MIN_ALIGN)
		align = UK_ALLOC_MIN_ALIGN;
	if (align & (align - 1)) {
		a->stats.nr_failures++;
		return NULL;
	}
	/* malloc(0) returns a unique pointer that free() accepts. */
	if (size == 0)
		size = 1;
	p = a->ops->memalign(a, align, size);
	if (!p) {
		a->stats.nr_failures++;
		return NULL;
	}
	account_alloc(a, a->ops->usable_size(a, p));
	return p;
}

void *uk_malloc(struct uk_alloc *a, size_t size)
{
	return uk_memalign(a, UK_ALLOC_MIN_ALIGN, size);
}

void *uk_calloc(struct uk_alloc *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total)) {
		a->stats.nr_failures++;
		return NULL;
	}
	p = uk_malloc(a, total);
	if (p)
		memset(p, 0, total);
	return p;
}

void uk_free(struct uk_alloc *a, void *ptr)
{
	if (!ptr)
		return;
	account_free(a, a->ops->usable_size(a, ptr));
	a->ops->free(a, ptr);
}

void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	size_t old;
	void *p;

	if (!ptr)
		return uk_malloc(a, size);
	if (size == 0)
		size = 1;
	old = a->ops->usable_size(a, ptr);
	if (a->ops->realloc) {
		p = a->ops->realloc(a, ptr, size);
		if (!p) {
			a->stats.nr_failures++;
			return NULL;
		}
		account_free(a, old);
		account_alloc(a, a->ops->usable_size(a, p));
		/* In place is not a new allocation. */
		if (p == ptr) {
			a->stats.nr_allocs--;
			a->stats.nr_frees--;
		}
		return p;
	}
	if (size <= old)
		return ptr;
	p = uk_malloc(a, size);
	if (!p)
		return NULL; /* the old block stays valid, as C requires */
	memcpy(p, ptr, old);
	uk_free(a, ptr);
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

void uk_alloc_stats_get(struct uk_alloc *a, struct uk_alloc_stats *out)
{
	*out = a->stats;
	out->free_bytes = a->ops->free_bytes(a);
}

void uk_alloc_stats_reset_peak(struct uk_alloc *a)
{
	a->stats.peak_bytes = a->stats.cur_bytes;
}
