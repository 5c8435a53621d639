/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The contract between the generic layer and the backends: every call
 * that hands out, frees or resizes a block reports the usable size that
 * usable_size gives for it, and the statistics follow from those sizes
 * alone. Checked for each backend over a private pool: the ops called
 * directly, the statistics against a model after every operation, the C
 * corner cases, and a fixed sequence whose statistics are pinned.
 */
#include <stdint.h>
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/test.h>

#define POOL_SIZE (128 * 1024)

#include "alloc_fixture.h"

/* Sizes around every boundary the backends round at: 16-byte steps,
 * TLSF's 512-byte small limit and class edges, buddy's powers of two. */
static const size_t edge_sizes[] = {
	1,    2,    15,   16,   17,   24,   31,   32,   33,   48,   63,
	64,   65,   100,  111,  112,  113,  127,  128,  129,  240,  255,
	256,  257,  480,  495,  496,  497,  511,  512,  513,  1000, 1008,
	1009, 2032, 2048, 2049, 4080, 4096, 5000, 8176, 12000, 16368,
};

static const size_t aligns[] = { 16, 32, 64, 256, 4096 };

/*
 * memalign, realloc and free called directly: the usable sizes they
 * report are usable_size's answer for the same pointer, before the block
 * goes for free and realloc's old size, after for the others.
 */
static void check_reported_usable(struct uktest_ctx *uk_test_ctx,
				  backend_init_fn init)
{
	static void *live[ARRAY_SIZE(edge_sizes) * ARRAY_SIZE(aligns)];
	struct uk_alloc *a = fresh_on(init);
	unsigned n = 0, mismatch = 0, short_blocks = 0, misaligned = 0;
	unsigned served = 0;

	UK_ASSERT_TRUE(a != NULL);
	for (unsigned k = 0; k < ARRAY_SIZE(aligns); k++) {
		for (unsigned i = 0; i < ARRAY_SIZE(edge_sizes); i++) {
			size_t usable = 0xdead, size = edge_sizes[i];
			void *p = a->ops->memalign(a, aligns[k], size, &usable);

			if (!p)
				continue; /* region runs out; that is fine */
			served++;
			mismatch += usable != a->ops->usable_size(a, p);
			short_blocks += usable < size;
			misaligned += (uintptr_t)p % aligns[k] != 0;
			/* Every other one stays, so frees meet both free and
			 * used neighbours. */
			if (i % 2) {
				live[n++] = p;
				continue;
			}
			usable = a->ops->usable_size(a, p);
			mismatch += a->ops->free(a, p) != usable;
		}
	}
	UK_EXPECT(served > ARRAY_SIZE(edge_sizes));
	UK_EXPECT_EQ(mismatch, 0);
	UK_EXPECT_EQ(short_blocks, 0);
	UK_EXPECT_EQ(misaligned, 0);

	/* realloc from each live block to the next edge size: up, down, in
	 * place or moved, the two sizes it reports are usable_size's. */
	for (unsigned i = 0; i < n; i++) {
		size_t size = edge_sizes[(i * 7 + 3) % ARRAY_SIZE(edge_sizes)];
		size_t before = a->ops->usable_size(a, live[i]);
		size_t old = 0xdead, new = 0xdead;
		void *q = a->ops->realloc(a, live[i], size, &old, &new);

		if (!q) {
			/* Still the block it was. */
			mismatch += a->ops->usable_size(a, live[i]) != before;
			continue;
		}
		live[i] = q;
		mismatch += old != before;
		mismatch += new != a->ops->usable_size(a, q);
		short_blocks += new < size;
		misaligned += (uintptr_t)q % 16 != 0;
	}
	for (unsigned i = 0; i < n; i++) {
		size_t usable = a->ops->usable_size(a, live[i]);

		mismatch += a->ops->free(a, live[i]) != usable;
	}
	UK_EXPECT_EQ(mismatch, 0);
	UK_EXPECT_EQ(short_blocks, 0);
	UK_EXPECT_EQ(misaligned, 0);
}

/* What the statistics must say, kept from the C semantics and the usable
 * sizes alone. */
struct model {
	uint64_t cur_bytes, peak_bytes, cur_blocks;
	uint64_t nr_allocs, nr_frees, nr_failures;
};

static void model_alloc(struct model *m, size_t usable)
{
	m->nr_allocs++;
	m->cur_blocks++;
	m->cur_bytes += usable;
	if (m->cur_bytes > m->peak_bytes)
		m->peak_bytes = m->cur_bytes;
}

static void model_free(struct model *m, size_t usable)
{
	m->nr_frees++;
	m->cur_blocks--;
	m->cur_bytes -= usable;
}

static int model_matches(struct uk_alloc *a, const struct model *m)
{
	struct uk_alloc_stats st;

	uk_alloc_stats_get(a, &st);
	return st.cur_bytes == m->cur_bytes && st.peak_bytes == m->peak_bytes &&
	       st.cur_blocks == m->cur_blocks && st.nr_allocs == m->nr_allocs &&
	       st.nr_frees == m->nr_frees && st.nr_failures == m->nr_failures;
}

/*
 * A seeded mix of every generic call, failing ones included, with the
 * statistics compared to the model after each: cur_bytes is the sum of
 * the live blocks' usable sizes, a realloc in place is no allocation, a
 * move is one allocation and one free, every NULL is one failure.
 */
static void check_stats_model(struct uktest_ctx *uk_test_ctx,
			      backend_init_fn init)
{
	static struct {
		uint8_t *p;
		size_t usable;
	} slots[48];
	struct uk_alloc *a = fresh_on(init);
	uint64_t rng = 0x853c49e6748fea9bull;
	struct model m = { 0 };
	unsigned diverged = 0, first_bad = 0, lost = 0;

	UK_ASSERT_TRUE(a != NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
		slots[i].p = NULL;
	for (unsigned op = 1; op <= 4000; op++) {
		uint64_t r = xorshift(&rng);
		unsigned s = r % ARRAY_SIZE(slots), kind = (r >> 8) % 16;
		size_t size = (r >> 16) % 16 == 0 ? (r >> 24) % 6000
						   : (r >> 24) % 200;
		uint8_t *p = slots[s].p, *q;

		if (kind == 15) {
			/* Too large for any pool: NULL, counted. */
			q = (r >> 50) & 1 ? uk_malloc(a, (size_t)-1 - (r >> 60))
				     : uk_memalign(a, 64, POOL_SIZE * 2);
			lost += q != NULL;
			m.nr_failures++;
		} else if (!p) {
			if (kind < 3)
				q = uk_memalign(a, (size_t)16 << (r >> 40) % 8,
						size);
			else if (kind < 5)
				q = uk_calloc(a, 1 + (r >> 44) % 3, size);
			else if (kind < 7)
				q = uk_realloc(a, NULL, size);
			else
				q = uk_malloc(a, size);
			if (q) {
				slots[s].p = q;
				slots[s].usable = uk_usable_size(a, q);
				model_alloc(&m, slots[s].usable);
			} else {
				m.nr_failures++;
			}
		} else if (kind < 8) {
			uk_free(a, p);
			model_free(&m, slots[s].usable);
			slots[s].p = NULL;
		} else if (kind == 8) {
			/* A failed realloc keeps the block as it was. */
			q = uk_realloc(a, p, (size_t)-1 / 2);
			lost += q != NULL ||
				uk_usable_size(a, p) != slots[s].usable;
			m.nr_failures++;
		} else {
			q = uk_realloc(a, p, size);
			if (!q) {
				m.nr_failures++;
			} else if (q == p) {
				m.cur_bytes -= slots[s].usable;
				slots[s].usable = uk_usable_size(a, q);
				m.cur_bytes += slots[s].usable;
				if (m.cur_bytes > m.peak_bytes)
					m.peak_bytes = m.cur_bytes;
			} else {
				model_free(&m, slots[s].usable);
				slots[s].p = q;
				slots[s].usable = uk_usable_size(a, q);
				model_alloc(&m, slots[s].usable);
			}
		}
		if (!model_matches(a, &m) && !diverged++)
			first_bad = op;
		if (op % 1000 == 0) {
			uk_alloc_stats_reset_peak(a);
			m.peak_bytes = m.cur_bytes;
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++) {
		if (!slots[i].p)
			continue;
		uk_free(a, slots[i].p);
		model_free(&m, slots[i].usable);
	}
	UK_EXPECT_EQ(first_bad, 0);
	UK_EXPECT_EQ(diverged, 0);
	UK_EXPECT_EQ(lost, 0);
	UK_EXPECT(model_matches(a, &m));
	UK_EXPECT_EQ(a->stats.cur_bytes, 0);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
	UK_EXPECT(m.nr_allocs > 100);
}

/* malloc(0), calloc, posix_memalign and realloc at their edges. */
static void check_c_semantics(struct uktest_ctx *uk_test_ctx,
			      backend_init_fn init)
{
	struct uk_alloc *a = fresh_on(init);
	uint64_t failures;
	void *p, *q, *out;
	uint8_t *z;

	UK_ASSERT_TRUE(a != NULL);
	/* malloc(0): unique pointers, each usable and freeable. */
	p = uk_malloc(a, 0);
	q = uk_malloc(a, 0);
	UK_ASSERT_TRUE(p != NULL && q != NULL);
	UK_EXPECT(p != q);
	UK_EXPECT(uk_usable_size(a, p) >= 1);
	UK_EXPECT_EQ(a->stats.cur_bytes,
		     uk_usable_size(a, p) + uk_usable_size(a, q));
	uk_free(a, p);
	uk_free(a, q);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
	UK_EXPECT_EQ(a->stats.cur_bytes, 0);
	UK_EXPECT_EQ(uk_usable_size(a, NULL), 0);

	/* calloc zeroes, even memory that held something. */
	p = uk_malloc(a, 300);
	UK_ASSERT_TRUE(p != NULL);
	for (unsigned i = 0; i < 300; i++)
		((uint8_t *)p)[i] = 0xa5;
	uk_free(a, p);
	z = uk_calloc(a, 3, 100);
	UK_ASSERT_TRUE(z != NULL);
	for (unsigned i = 0; i < 300; i++)
		if (z[i])
			UK_EXPECT_EQ(z[i], 0);
	uk_free(a, z);

	/* posix_memalign: EINVAL for a bad alignment (not a failure of the
	 * allocator), ENOMEM with the failure counted; *out untouched. */
	failures = a->stats.nr_failures;
	out = &out;
	UK_EXPECT_EQ(uk_posix_memalign(a, &out, 48, 16), EINVAL);
	UK_EXPECT_EQ(uk_posix_memalign(a, &out, 0, 16), EINVAL);
	UK_EXPECT_EQ(uk_posix_memalign(a, &out, 64, POOL_SIZE * 2), ENOMEM);
	UK_EXPECT_EQ(uk_posix_memalign(a, &out, 64, (size_t)-1), ENOMEM);
	UK_EXPECT(out == &out);
	UK_EXPECT_EQ(a->stats.nr_failures, failures + 2);
	UK_EXPECT_EQ(uk_posix_memalign(a, &out, 8, 16), 0);
	UK_EXPECT(out != &out && (uintptr_t)out % 16 == 0);
	uk_free(a, out);

	/* memalign: small alignments become 16, bad ones fail. */
	p = uk_memalign(a, 1, 10);
	UK_EXPECT(p != NULL && (uintptr_t)p % 16 == 0);
	uk_free(a, p);
	failures = a->stats.nr_failures;
	UK_EXPECT(uk_memalign(a, 48, 10) == NULL);
	UK_EXPECT_EQ(a->stats.nr_failures, failures + 1);

	/* realloc(p, 0) keeps a valid block; realloc(NULL, n) allocates. */
	p = uk_realloc(a, NULL, 40);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT_EQ(a->stats.nr_allocs, a->stats.nr_frees + 1);
	p = uk_realloc(a, p, 0);
	UK_ASSERT_TRUE(p != NULL);
	UK_EXPECT_EQ(a->stats.cur_bytes, uk_usable_size(a, p));
	uk_free(a, p);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
	UK_EXPECT_EQ(a->stats.cur_bytes, 0);
}

/*
 * A fixed sequence of malloc, memalign, calloc and free (and realloc for
 * the backends that have their own) with the statistics after each step
 * folded into one hash: a change of any count, of any usable size or of
 * free_bytes at any step shows. The values were recorded with the
 * allocators before the ops table reported usable sizes (one pointer
 * check per operation); a deliberate change of a backend's rounding or
 * placement must record them again.
 */
struct pinned {
	uint64_t hash, peak_bytes, nr_allocs, nr_failures, free_bytes;
};

static uint64_t fold(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static void run_pinned(struct uk_alloc *a, int with_realloc,
		       struct pinned *out)
{
	static void *slots[40];
	uint64_t rng = 0x243f6a8885a308d3ull, h = 0xcbf29ce484222325ull;
	struct uk_alloc_stats st;

	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
		slots[i] = NULL;
	for (unsigned op = 0; op < 3000; op++) {
		uint64_t r = xorshift(&rng);
		unsigned s = r % ARRAY_SIZE(slots), kind = (r >> 8) % 8;
		size_t size = (r >> 16) % 8 == 0 ? (r >> 24) % 5000
						  : 1 + (r >> 24) % 300;

		if (!slots[s]) {
			if (kind == 0)
				slots[s] = uk_memalign(
					a, (size_t)16 << (r >> 40) % 9, size);
			else if (kind == 1)
				slots[s] = uk_calloc(a, 2, size);
			else
				slots[s] = uk_malloc(a, size);
		} else if (with_realloc && kind >= 5) {
			void *q = uk_realloc(a, slots[s], size);

			if (q)
				slots[s] = q;
		} else {
			uk_free(a, slots[s]);
			slots[s] = NULL;
		}
		uk_alloc_stats_get(a, &st);
		h = fold(h, st.cur_bytes);
		h = fold(h, st.peak_bytes);
		h = fold(h, st.cur_blocks);
		h = fold(h, st.nr_allocs);
		h = fold(h, st.nr_frees);
		h = fold(h, st.nr_failures);
		h = fold(h, st.free_bytes);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
		uk_free(a, slots[i]);
	uk_alloc_stats_get(a, &st);
	out->hash = h;
	out->peak_bytes = st.peak_bytes;
	out->nr_allocs = st.nr_allocs;
	out->nr_failures = st.nr_failures;
	out->free_bytes = st.free_bytes;
}

static void check_pinned(struct uktest_ctx *uk_test_ctx, backend_init_fn init,
			 int with_realloc, const struct pinned *want)
{
	struct uk_alloc *a = fresh_on(init);
	struct pinned got;

	UK_ASSERT_TRUE(a != NULL);
	run_pinned(a, with_realloc, &got);
	UK_EXPECT_EQ(got.peak_bytes, want->peak_bytes);
	UK_EXPECT_EQ(got.nr_allocs, want->nr_allocs);
	UK_EXPECT_EQ(got.nr_failures, want->nr_failures);
	UK_EXPECT_EQ(got.free_bytes, want->free_bytes);
	UK_EXPECT(got.hash == want->hash);
	UK_EXPECT_EQ(a->stats.cur_bytes, 0);
	UK_EXPECT_EQ(a->stats.cur_blocks, 0);
}

/* Recorded values (see run_pinned): hash, peak_bytes, nr_allocs,
 * nr_failures, free_bytes. Region's realloc now grows its last block in
 * place, so its sequence has no realloc; it runs out of the pool early,
 * which the failures count. */
static const struct pinned pinned_region = {
	0xc61277b528ff999aull, 24134, 181, 2638, 0
};
static const struct pinned pinned_buddy = {
	0x0e9ffa834b2f9b4dull, 42384, 1381, 0, 130528
};
static const struct pinned pinned_tlsf = {
	0x8cdc1a5aa6d47945ull, 26192, 1387, 0, 128224
};

#define CONTRACT_CASES(backend, with_realloc)                                  \
	UK_TESTCASE(ukalloc, backend##_reported_usable)                        \
	{                                                                      \
		check_reported_usable(uk_test_ctx, uk_alloc_##backend##_init); \
	}                                                                      \
	UK_TESTCASE(ukalloc, backend##_stats_model)                            \
	{                                                                      \
		check_stats_model(uk_test_ctx, uk_alloc_##backend##_init);     \
	}                                                                      \
	UK_TESTCASE(ukalloc, backend##_c_semantics)                            \
	{                                                                      \
		check_c_semantics(uk_test_ctx, uk_alloc_##backend##_init);     \
	}                                                                      \
	UK_TESTCASE(ukalloc, backend##_pinned_stats)                           \
	{                                                                      \
		check_pinned(uk_test_ctx, uk_alloc_##backend##_init,           \
			     with_realloc, &pinned_##backend);                 \
	}

CONTRACT_CASES(region, 0)
CONTRACT_CASES(buddy, 1)
CONTRACT_CASES(tlsf, 1)
