/* SPDX-License-Identifier: BSD-3-Clause */
/* What is particular to TLSF: realloc in place into the next free block,
 * the leading gap of an aligned block going back to the heap, merging
 * with both neighbours, and a request for every free byte succeeding. */
#include <stdint.h>
#include <uk/alloc.h>
#include <uk/test.h>

#define POOL_SIZE (64 * 1024)

#include "alloc_fixture.h"

static struct uk_alloc *fresh(void)
{
	return fresh_on(uk_alloc_tlsf_init);
}

UK_TESTCASE(ukalloc, tlsf_realloc_in_place)
{
	struct uk_alloc *a = fresh();
	uint8_t *p, *q, *moved;
	uint64_t before;

	UK_ASSERT_TRUE(a != NULL);
	before = free_bytes(a);
	p = uk_malloc(a, 100);
	UK_ASSERT_TRUE(p != NULL);
	for (unsigned i = 0; i < 100; i++)
		p[i] = (uint8_t)i;
	/* The rest of the heap follows p, free: growing stays in place. */
	UK_EXPECT(uk_realloc(a, p, 5000) == p);
	UK_EXPECT_EQ(uk_usable_size(a, p), 5008);
	UK_EXPECT(uk_realloc(a, p, 200) == p);
	UK_EXPECT_EQ(uk_usable_size(a, p), 208);
	UK_EXPECT_EQ(before - free_bytes(a), 224);

	/* With a block right behind it, growing has to move. */
	q = uk_malloc(a, 16);
	UK_ASSERT_TRUE(q == p + 208 + 16);
	moved = uk_realloc(a, p, 5000);
	UK_ASSERT_TRUE(moved != NULL);
	UK_EXPECT(moved != p);
	for (unsigned i = 0; i < 100; i++)
		if (moved[i] != (uint8_t)i)
			UK_EXPECT_EQ(moved[i], i);
	uk_free(a, q);
	uk_free(a, moved);
	UK_EXPECT_EQ(free_bytes(a), before);
}

UK_TESTCASE(ukalloc, tlsf_memalign_gap_returns)
{
	struct uk_alloc *a = fresh();
	uint64_t before;
	void *p;

	UK_ASSERT_TRUE(a != NULL);
	before = free_bytes(a);
	p = uk_memalign(a, 4096, 100);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT_EQ((uintptr_t)p % 4096, 0);
	/* Only the block itself is taken: gap and tail stay free. */
	UK_EXPECT_EQ(before - free_bytes(a), 128);
	uk_free(a, p);
	UK_EXPECT_EQ(free_bytes(a), before);
	p = uk_malloc(a, before - 16);
	UK_EXPECT(p != NULL);
	uk_free(a, p);
}

UK_TESTCASE(ukalloc, tlsf_merges_both_neighbours)
{
	struct uk_alloc *a = fresh();
	uint8_t *x, *y, *z, *fence, *p;

	UK_ASSERT_TRUE(a != NULL);
	x = uk_malloc(a, 112);
	y = uk_malloc(a, 112);
	z = uk_malloc(a, 112);
	fence = uk_malloc(a, 112);
	UK_ASSERT_TRUE(x && y && z && fence);
	UK_EXPECT(y == x + 128 && z == y + 128);
	uk_free(a, x);
	uk_free(a, z);
	uk_free(a, y); /* joins x before it and z after it */
	p = uk_malloc(a, 3 * 128 - 16);
	UK_EXPECT(p == x);
	uk_free(a, p);
	uk_free(a, fence);
}

UK_TESTCASE(ukalloc, tlsf_whole_heap_in_one_block)
{
	struct uk_alloc *a = fresh();
	uint64_t before;
	void *p;

	UK_ASSERT_TRUE(a != NULL);
	before = free_bytes(a);
	UK_EXPECT(before >= POOL_SIZE - 4096);
	UK_EXPECT(uk_malloc(a, before - 15) == NULL);
	p = uk_malloc(a, before - 16);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT_EQ(free_bytes(a), 0);
	UK_EXPECT(uk_malloc(a, 1) == NULL);
	uk_free(a, p);
	UK_EXPECT_EQ(free_bytes(a), before);
}
