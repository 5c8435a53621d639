/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The behaviours every backend owes the generic layer, checked for each of
 * them over a private pool (never the default heap, which boot and the
 * other tests share): alignment, realloc keeping contents, exhaustion,
 * statistics, coalescing, and a seeded random stress that writes a
 * pattern into every block and checks it before the block goes, so two
 * blocks that overlap are caught.
 */
#include <stdint.h>
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/test.h>

#define POOL_SIZE (256 * 1024)

#include "alloc_fixture.h"

/* What differs between the backends under the same checks. */
struct backend {
	backend_init_fn init;
	int reuses_freed;	/* region never does */
	unsigned largest_pct;	/* one block of this share of the pool fits */
};

static const struct backend region = { uk_alloc_region_init, 0, 90 };
/* A power-of-two pool less the state in it: the largest block is half. */
static const struct backend buddy = { uk_alloc_buddy_init, 1, 45 };
static const struct backend tlsf = { uk_alloc_tlsf_init, 1, 90 };

static uint8_t pattern_byte(uint32_t tag, size_t i)
{
	return (uint8_t)(tag * 167u + i * 31u + (i >> 8));
}

static void fill(void *p, size_t n, uint32_t tag)
{
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = pattern_byte(tag, i);
}

static int intact(const void *p, size_t n, uint32_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i] != pattern_byte(tag, i))
			return 0;
	return 1;
}

/* The largest single allocation that succeeds now (binary search). */
static size_t largest_alloc(struct uk_alloc *a)
{
	size_t lo = 0, hi = POOL_SIZE;

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		void *p = uk_malloc(a, mid);

		if (p) {
			uk_free(a, p);
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	return lo;
}

static void check_alignment(struct uktest_ctx *uk_test_ctx,
			    const struct backend *be)
{
	static const size_t sizes[] = { 1, 100, 3000 };
	void *small[64], *aligned[9 * ARRAY_SIZE(sizes)];
	struct uk_alloc *a = fresh_on(be->init);
	unsigned n = 0, bad = 0;
	void *p;

	UK_ASSERT_TRUE(a != NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(small); i++) {
		size_t size = 1 + (i * 37) % 300;

		small[i] = uk_malloc(a, size);
		UK_ASSERT_TRUE(small[i] != NULL);
		bad += (uintptr_t)small[i] % 16 != 0;
		bad += uk_usable_size(a, small[i]) < size;
		fill(small[i], size, i);
	}
	UK_EXPECT_EQ(bad, 0);
	for (size_t align = 16; align <= 4096; align <<= 1) {
		for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++, n++) {
			aligned[n] = uk_memalign(a, align, sizes[s]);
			UK_ASSERT_TRUE(aligned[n] != NULL);
			UK_EXPECT_EQ((uintptr_t)aligned[n] % align, 0);
			UK_EXPECT(uk_usable_size(a, aligned[n]) >= sizes[s]);
			fill(aligned[n], sizes[s], 100 + n);
		}
	}
	UK_EXPECT_EQ(uk_posix_memalign(a, &p, 64, 10), 0);
	UK_EXPECT_EQ((uintptr_t)p % 64, 0);
	uk_free(a, p);
	UK_EXPECT_EQ(uk_posix_memalign(a, &p, 24, 10), EINVAL);
	UK_EXPECT_EQ(uk_posix_memalign(a, &p, 4, 10), EINVAL);

	for (unsigned i = 0; i < ARRAY_SIZE(small); i++) {
		bad += !intact(small[i], 1 + (i * 37) % 300, i);
		uk_free(a, small[i]);
	}
	for (unsigned i = 0; i < n; i++) {
		size_t size = sizes[i % ARRAY_SIZE(sizes)];

		bad += !intact(aligned[i], size, 100 + i);
		uk_free(a, aligned[i]);
	}
	UK_EXPECT_EQ(bad, 0);
}

static void check_realloc(struct uktest_ctx *uk_test_ctx,
			  const struct backend *be)
{
	struct uk_alloc *a = fresh_on(be->init);
	void *p, *q, *neighbour;

	UK_ASSERT_TRUE(a != NULL);
	p = uk_malloc(a, 40);
	UK_ASSERT_TRUE(p != NULL);
	fill(p, 40, 1);
	/* A neighbour behind it, so growing may have to move. */
	neighbour = uk_malloc(a, 64);
	fill(neighbour, 64, 9);

	p = uk_realloc(a, p, 4000);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT(intact(p, 40, 1));
	UK_EXPECT(uk_usable_size(a, p) >= 4000);
	fill(p, 4000, 2);

	p = uk_realloc(a, p, 10);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT(intact(p, 10, 2));
	UK_EXPECT(uk_usable_size(a, p) >= 10);

	p = uk_realloc(a, p, 3000);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT(intact(p, 10, 2));
	fill(p, 3000, 3);

	/* Within the usable size nothing moves. */
	UK_EXPECT(uk_realloc(a, p, uk_usable_size(a, p)) == p);

	/* A failed realloc leaves the block as it was. */
	UK_EXPECT(uk_realloc(a, p, (size_t)-1 / 2) == NULL);
	UK_EXPECT(uk_realloc(a, p, (size_t)-1) == NULL);
	UK_EXPECT(intact(p, 3000, 3));

	q = uk_realloc(a, NULL, 64);
	UK_EXPECT(q != NULL);
	UK_EXPECT(intact(neighbour, 64, 9));
	uk_free(a, q);
	uk_free(a, p);
	uk_free(a, neighbour);
}

static void check_exhaustion(struct uktest_ctx *uk_test_ctx,
			     const struct backend *be)
{
	static void *blocks[POOL_SIZE / 1000 + 1];
	struct uk_alloc *a = fresh_on(be->init);
	unsigned n = 0, bad = 0;
	void *p;

	UK_ASSERT_TRUE(a != NULL);
	/* Sizes near the top of size_t must not wrap into small ones. */
	UK_EXPECT(uk_malloc(a, POOL_SIZE) == NULL);
	UK_EXPECT(uk_malloc(a, (size_t)-1) == NULL);
	UK_EXPECT(uk_malloc(a, (size_t)-1 - 15) == NULL);
	UK_EXPECT(uk_memalign(a, 4096, (size_t)-1 - 4095) == NULL);
	UK_EXPECT(uk_memalign(a, (size_t)1 << 62, 16) == NULL);
	UK_EXPECT(uk_calloc(a, (size_t)1 << 33, (size_t)1 << 33) == NULL);
	UK_EXPECT_EQ(a->stats.nr_failures, 6);
	UK_EXPECT_EQ(a->stats.nr_allocs, 0);

	while (n < ARRAY_SIZE(blocks) && (p = uk_malloc(a, 1000))) {
		fill(p, 1000, n);
		blocks[n++] = p;
	}
	UK_EXPECT(n > 0 && n < ARRAY_SIZE(blocks)); /* it ran out */
	UK_EXPECT_EQ(a->stats.nr_failures, 7);
	UK_EXPECT_EQ(a->stats.cur_blocks, n);
	UK_EXPECT(uk_malloc(a, 1000) == NULL);
	UK_EXPECT_EQ(a->stats.nr_failures, 8);
	for (unsigned i = 0; i < n; i++)
		bad += !intact(blocks[i], 1000, i);
	UK_EXPECT_EQ(bad, 0);

	if (be->reuses_freed) {
		/* Every other block back: the heap serves again. */
		for (unsigned i = 0; i < n; i += 2)
			uk_free(a, blocks[i]);
		for (unsigned i = 0; i < n; i += 2) {
			blocks[i] = uk_malloc(a, 1000);
			UK_ASSERT_TRUE(blocks[i] != NULL);
			fill(blocks[i], 1000, i);
		}
		for (unsigned i = 0; i < n; i++)
			bad += !intact(blocks[i], 1000, i);
		UK_EXPECT_EQ(bad, 0);
	}
	for (unsigned i = 0; i < n; i++)
		uk_free(a, blocks[i]);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
	UK_EXPECT_EQ(a->stats.cur_bytes, 0);
}

static void check_stats(struct uktest_ctx *uk_test_ctx,
			const struct backend *be)
{
	struct uk_alloc *a = fresh_on(be->init);
	struct uk_alloc_stats st;
	uint64_t initial_free, u1, u2, u3, peak;
	void *p1, *p2, *p3;

	UK_ASSERT_TRUE(a != NULL);
	uk_alloc_stats_get(a, &st);
	UK_EXPECT_EQ(st.pool_bytes, POOL_SIZE);
	UK_EXPECT_EQ(st.nr_allocs, 0);
	UK_EXPECT_EQ(st.cur_blocks, 0);
	UK_EXPECT(st.free_bytes > 0 && st.free_bytes <= POOL_SIZE);
	initial_free = st.free_bytes;

	p1 = uk_malloc(a, 100);
	p2 = uk_malloc(a, 200);
	UK_ASSERT_TRUE(p1 && p2);
	u1 = uk_usable_size(a, p1);
	u2 = uk_usable_size(a, p2);
	uk_free(a, p1);
	p3 = uk_malloc(a, 50);
	UK_ASSERT_TRUE(p3 != NULL);
	u3 = uk_usable_size(a, p3);
	peak = u1 + u2 > u2 + u3 ? u1 + u2 : u2 + u3;

	uk_alloc_stats_get(a, &st);
	UK_EXPECT_EQ(st.nr_allocs, 3);
	UK_EXPECT_EQ(st.nr_frees, 1);
	UK_EXPECT_EQ(st.cur_blocks, 2);
	UK_EXPECT_EQ(st.cur_bytes, u2 + u3);
	UK_EXPECT_EQ(st.peak_bytes, peak);
	UK_EXPECT_EQ(st.nr_failures, 0);
	UK_EXPECT(st.free_bytes + st.cur_bytes <= st.pool_bytes);
	UK_EXPECT(st.free_bytes < initial_free);

	UK_EXPECT(uk_malloc(a, (size_t)-1) == NULL);
	uk_alloc_stats_get(a, &st);
	UK_EXPECT_EQ(st.nr_failures, 1);
	UK_EXPECT_EQ(st.nr_allocs, 3);

	uk_free(a, p2);
	uk_free(a, p3);
	uk_free(a, NULL);
	uk_alloc_stats_get(a, &st);
	UK_EXPECT_EQ(st.nr_frees, 3);
	UK_EXPECT_EQ(st.cur_blocks, 0);
	UK_EXPECT_EQ(st.cur_bytes, 0);
	UK_EXPECT_EQ(st.peak_bytes, peak);
	if (be->reuses_freed)
		UK_EXPECT_EQ(st.free_bytes, initial_free);
}

/* Fill the pool with pieces of mixed sizes, free them in a shuffled
 * order, and expect the heap as it was at the start. */
static void check_coalescing(struct uktest_ctx *uk_test_ctx,
			     const struct backend *be)
{
	static const size_t sizes[] = { 24, 100, 256, 1000, 3000, 48, 500 };
	static void *pieces[POOL_SIZE / 32];
	struct uk_alloc *a = fresh_on(be->init);
	uint64_t initial_free, rng = 0x2545f4914f6cdd1dull;
	unsigned n = 0;
	size_t largest;
	void *p;

	UK_ASSERT_TRUE(a != NULL);
	initial_free = free_bytes(a);
	largest = largest_alloc(a);
	UK_EXPECT(largest >= (size_t)POOL_SIZE * be->largest_pct / 100);

	while (n < ARRAY_SIZE(pieces) &&
	       (p = uk_malloc(a, sizes[n % ARRAY_SIZE(sizes)])))
		pieces[n++] = p;
	while (n < ARRAY_SIZE(pieces) && (p = uk_malloc(a, 1)))
		pieces[n++] = p;
	UK_EXPECT(n < ARRAY_SIZE(pieces));
	UK_EXPECT(free_bytes(a) < 64);

	for (unsigned i = n; i > 1; i--) {
		unsigned j = xorshift(&rng) % i;

		p = pieces[i - 1];
		pieces[i - 1] = pieces[j];
		pieces[j] = p;
	}
	for (unsigned i = 0; i < n; i++)
		uk_free(a, pieces[i]);

	UK_EXPECT_EQ(free_bytes(a), initial_free);
	p = uk_malloc(a, largest);
	UK_EXPECT(p != NULL);
	uk_free(a, p);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
}

struct stress_slot {
	uint8_t *p;
	size_t size;
	uint32_t tag;
};

static int slot_intact(const struct stress_slot *s)
{
	return intact(s->p, s->size, s->tag);
}

static size_t stress_size(uint64_t *rng)
{
	uint64_t r = xorshift(rng);

	switch (r % 16) {
	case 0 ... 9:
		return 1 + (r >> 8) % 128;
	case 10 ... 13:
		return 1 + (r >> 8) % 1024;
	default:
		return 1 + (r >> 8) % 8192;
	}
}

/*
 * Thousands of mixed malloc/memalign/realloc/free with a fixed seed. For
 * backends that reuse memory the live set (at most 64 blocks, mostly
 * small) stays far below the pool even after buddy's rounding, so a
 * failure means memory was lost; region runs out and must say so with NULL.
 */
static void check_stress(struct uktest_ctx *uk_test_ctx,
			 const struct backend *be)
{
	static struct stress_slot slots[64];
	struct uk_alloc *a = fresh_on(be->init);
	uint64_t initial_free, rng = 0x9e3779b97f4a7c15ull;
	unsigned failures = 0, corrupt = 0, misaligned = 0;
	uint32_t next_tag = 1;

	UK_ASSERT_TRUE(a != NULL);
	initial_free = free_bytes(a);
	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
		slots[i] = (struct stress_slot){ 0 };

	for (unsigned op = 0; op < 6000; op++) {
		uint64_t r = xorshift(&rng);
		struct stress_slot *s = &slots[r % ARRAY_SIZE(slots)];
		unsigned action = (r >> 8) % 8;

		if (!s->p) {
			size_t size = stress_size(&rng);
			size_t align = (size_t)16 << ((r >> 16) % 9);

			s->p = action == 0 ? uk_memalign(a, align, size)
					   : uk_malloc(a, size);
			if (!s->p) {
				failures++;
				continue;
			}
			if (action != 0)
				align = 16;
			misaligned += (uintptr_t)s->p % align != 0;
			s->size = size;
			s->tag = next_tag++;
			fill(s->p, size, s->tag);
			continue;
		}
		corrupt += !slot_intact(s);
		if (action < 4) {
			uk_free(a, s->p);
			s->p = NULL;
		} else if (action < 7) {
			size_t size = stress_size(&rng);
			uint8_t *q = uk_realloc(a, s->p, size);

			if (!q) {
				failures++;
				continue;
			}
			s->p = q;
			if (size < s->size)
				s->size = size; /* only what was kept */
			corrupt += !slot_intact(s);
			s->size = size;
			s->tag = next_tag++;
			fill(q, size, s->tag);
		}
		/* Every so often, every live block: overlaps show here. */
		if (op % 500 == 0)
			for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
				if (slots[i].p)
					corrupt += !slot_intact(&slots[i]);
	}

	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++) {
		if (!slots[i].p)
			continue;
		corrupt += !slot_intact(&slots[i]);
		uk_free(a, slots[i].p);
	}
	UK_EXPECT_EQ(corrupt, 0);
	UK_EXPECT_EQ(misaligned, 0);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
	UK_EXPECT_EQ(a->stats.cur_bytes, 0);
	UK_EXPECT_EQ(a->stats.nr_failures, failures);
	if (be->reuses_freed) {
		UK_EXPECT_EQ(failures, 0);
		UK_EXPECT_EQ(free_bytes(a), initial_free);
	} else {
		UK_EXPECT(failures > 0);
	}
}

/* One case per backend and check, named <backend>_<check>. */
#define BACKEND_CASE(backend, check)                                           \
	UK_TESTCASE(ukalloc, backend##_##check)                                \
	{                                                                      \
		check_##check(uk_test_ctx, &backend);                          \
	}

BACKEND_CASE(region, alignment)
BACKEND_CASE(region, realloc)
BACKEND_CASE(region, exhaustion)
BACKEND_CASE(region, stats)
BACKEND_CASE(region, stress)

BACKEND_CASE(buddy, alignment)
BACKEND_CASE(buddy, realloc)
BACKEND_CASE(buddy, exhaustion)
BACKEND_CASE(buddy, stats)
BACKEND_CASE(buddy, coalescing)
BACKEND_CASE(buddy, stress)

BACKEND_CASE(tlsf, alignment)
BACKEND_CASE(tlsf, realloc)
BACKEND_CASE(tlsf, exhaustion)
BACKEND_CASE(tlsf, stats)
BACKEND_CASE(tlsf, coalescing)
BACKEND_CASE(tlsf, stress)
