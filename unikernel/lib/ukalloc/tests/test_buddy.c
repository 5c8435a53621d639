/* SPDX-License-Identifier: BSD-3-Clause */
/* What is particular to the buddy backend: power-of-two blocks with a
 * 16-byte header, free bytes counted in whole blocks, realloc that gives
 * halves back and takes free buddies in place, and large alignments. */
#include <stdint.h>
#include <uk/alloc.h>
#include <uk/test.h>

#define POOL_SIZE (64 * 1024)

#include "alloc_fixture.h"

static struct uk_alloc *fresh(void)
{
	return fresh_on(uk_alloc_buddy_init);
}

UK_TESTCASE(ukalloc, buddy_block_sizes)
{
	struct uk_alloc *a = fresh();
	uint64_t before;
	void *p;

	UK_ASSERT_TRUE(a != NULL);
	/* The heap is the pool less the allocator's state, all free. */
	before = free_bytes(a);
	UK_EXPECT(before <= POOL_SIZE && before >= POOL_SIZE - 1024);

	/* Header 16 bytes, smallest block 32. */
	p = uk_malloc(a, 1);
	UK_EXPECT_EQ(uk_usable_size(a, p), 16);
	UK_EXPECT_EQ(before - free_bytes(a), 32);
	uk_free(a, p);
	UK_EXPECT_EQ(free_bytes(a), before);

	p = uk_malloc(a, 17);
	UK_EXPECT_EQ(uk_usable_size(a, p), 48);
	uk_free(a, p);

	p = uk_malloc(a, 1000);
	UK_EXPECT_EQ(uk_usable_size(a, p), 1008);
	UK_EXPECT_EQ(before - free_bytes(a), 1024);
	uk_free(a, p);
	UK_EXPECT_EQ(free_bytes(a), before);
}

UK_TESTCASE(ukalloc, buddy_realloc_in_place)
{
	struct uk_alloc *a = fresh();
	uint64_t before;
	uint8_t *p;

	UK_ASSERT_TRUE(a != NULL);
	before = free_bytes(a);
	p = uk_malloc(a, 4000); /* a 4 KiB block */
	UK_ASSERT_TRUE(p != NULL);
	for (unsigned i = 0; i < 100; i++)
		p[i] = (uint8_t)i;

	/* Shrinking hands the upper halves back. */
	UK_EXPECT(uk_realloc(a, p, 100) == p);
	UK_EXPECT_EQ(uk_usable_size(a, p), 112);
	UK_EXPECT_EQ(before - free_bytes(a), 128);

	/* Those halves are still free, so growing takes them back. */
	UK_EXPECT(uk_realloc(a, p, 4000) == p);
	UK_EXPECT_EQ(uk_usable_size(a, p), 4080);
	UK_EXPECT_EQ(before - free_bytes(a), 4096);
	for (unsigned i = 0; i < 100; i++)
		if (p[i] != (uint8_t)i)
			UK_EXPECT_EQ(p[i], i);
	uk_free(a, p);
	UK_EXPECT_EQ(free_bytes(a), before);
}

UK_TESTCASE(ukalloc, buddy_large_alignment)
{
	struct uk_alloc *a = fresh();
	uint64_t before;
	void *p, *q;

	UK_ASSERT_TRUE(a != NULL);
	before = free_bytes(a);
	p = uk_memalign(a, 16384, 1000);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT_EQ((uintptr_t)p % 16384, 0);
	q = uk_memalign(a, 8192, 8192);
	UK_ASSERT_TRUE(q != NULL);
	UK_EXPECT_EQ((uintptr_t)q % 8192, 0);
	/* An alignment no block can serve is refused, not mis-served. */
	UK_EXPECT(uk_memalign(a, 65536, 16) == NULL);
	uk_free(a, p);
	UK_EXPECT(uk_realloc(a, q, 100) == q);
	uk_free(a, q);
	UK_EXPECT_EQ(free_bytes(a), before);
}

UK_TESTCASE(ukalloc, buddy_init_rejects_tiny_pools)
{
	struct uk_alloc a;

	UK_EXPECT(uk_alloc_buddy_init(&a, pool, 16) < 0);
	UK_EXPECT(uk_alloc_buddy_init(&a, pool + 1, 600) < 0);
	/* An unaligned, odd-sized pool still gives aligned blocks. */
	UK_ASSERT_TRUE(uk_alloc_buddy_init(&a, pool + 3, 10003) == 0);
	for (unsigned i = 0; i < 20; i++) {
		void *p = uk_malloc(&a, 100);

		UK_ASSERT_TRUE(p != NULL);
		UK_EXPECT_EQ((uintptr_t)p % 16, 0);
		UK_EXPECT((uint8_t *)p >= pool + 3);
		UK_EXPECT((uint8_t *)p + 100 <= pool + 3 + 10003);
	}
}
