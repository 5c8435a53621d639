/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the allocator tests share: a pool of each test file's own
 * (POOL_SIZE bytes: define it before including), never the default
 * heap, which boot and the other tests use; a backend freshly made on
 * it; its free bytes; a reproducible pseudo-random sequence.
 */
#ifndef UK_ALLOC_TEST_FIXTURE_H
#define UK_ALLOC_TEST_FIXTURE_H

#include <stdint.h>
#include <uk/alloc.h>

static uint8_t pool[POOL_SIZE] __attribute__((aligned(4096)));

typedef int (*backend_init_fn)(struct uk_alloc *a, void *base, size_t len);

/* The backend init made over the whole pool, or NULL. Each call starts
 * again: whatever the last one held is forgotten. */
static inline struct uk_alloc *fresh_on(backend_init_fn init)
{
	static struct uk_alloc a;

	return init(&a, pool, sizeof(pool)) == 0 ? &a : NULL;
}

static inline uint64_t free_bytes(struct uk_alloc *a)
{
	struct uk_alloc_stats st;

	uk_alloc_stats_get(a, &st);
	return st.free_bytes;
}

/* xorshift64: the same sequence from the same seed, run after run. */
static inline uint64_t xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

#endif
