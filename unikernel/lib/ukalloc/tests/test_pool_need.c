/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ops->pool_need, the prediction behind the "[uk] mem: need=" line: a
 * request sequence replayed over a pool of exactly the predicted length
 * gets the same blocks, and one 16 bytes shorter does not. For region
 * that holds for any sequence; for TLSF when the free lists' choices do
 * not depend on the size of the free space at the top (here: nothing is
 * freed; with frees it is a guess, which the tuner checks with runs).
 * Buddy's is a lower bound. Each pool starts zeroed, as guest RAM does.
 */
#include <stdbool.h>
#include <stdint.h>
#include <uk/alloc.h>
#include <uk/string.h>
#include <uk/test.h>

#define POOL_SIZE (256 * 1024)
#define STEPS 400
#define LIVE 32

static uint8_t pool[POOL_SIZE] __attribute__((aligned(4096)));

typedef int (*backend_init_fn)(struct uk_alloc *a, void *base, size_t len);

/* Where each allocation of a seeded malloc/free sequence landed, as an
 * offset from the first one (a smaller TLSF state moves them all), or
 * FAILED. */
#define FAILED INT64_MIN
struct replay {
	int64_t at[STEPS];
	uint64_t need;
};

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Build an allocator over len bytes of a zeroed pool, run the sequence
 * (with frees, or keeping every block), ask for its prediction. 0, or the
 * init's error. */
static int replay(backend_init_fn init, size_t len, bool frees,
		  struct replay *r)
{
	static struct uk_alloc a;
	void *live[LIVE] = { 0 };
	uint64_t seed = 7;
	uintptr_t first = 0;
	int err;

	memset(pool, 0, sizeof(pool));
	err = init(&a, pool, len);
	if (err)
		return err;
	for (unsigned i = 0; i < STEPS; i++) {
		unsigned slot = next_rand(&seed) % LIVE;
		size_t size = 16 + next_rand(&seed) % 1000;
		void *p;

		if (frees)
			uk_free(&a, live[slot]);
		p = live[slot] = uk_malloc(&a, size);
		if (p && !first)
			first = (uintptr_t)p;
		r->at[i] = p ? (int64_t)((uintptr_t)p - first) : FAILED;
		if (p) /* touch its ends, as an application would */
			((char *)p)[0] = ((char *)p)[size - 1] = 1;
	}
	r->need = uk_alloc_pool_need(&a);
	return 0;
}

static int same(const struct replay *x, const struct replay *y)
{
	for (unsigned i = 0; i < STEPS; i++)
		if (x->at[i] != y->at[i])
			return 0;
	return 1;
}

static void check_exact(struct uktest_ctx *uk_test_ctx, backend_init_fn init,
			bool frees)
{
	static struct replay big, fit, short_;

	UK_EXPECT_EQ(replay(init, POOL_SIZE, frees, &big), 0);
	UK_EXPECT(big.at[STEPS - 1] != FAILED);
	UK_EXPECT(big.need > 0 && big.need < POOL_SIZE);
	UK_EXPECT_EQ(replay(init, big.need, frees, &fit), 0);
	UK_EXPECT(same(&big, &fit));
	UK_EXPECT_EQ(fit.need, big.need);
	UK_EXPECT_EQ(replay(init, big.need - 16, frees, &short_), 0);
	UK_EXPECT(!same(&big, &short_));
}

UK_TESTCASE(ukalloc, region_pool_need_exact)
{
	check_exact(uk_test_ctx, uk_alloc_region_init, true);
}

UK_TESTCASE(ukalloc, tlsf_pool_need_exact)
{
	check_exact(uk_test_ctx, uk_alloc_tlsf_init, false);
}

/* Buddy tells only how much it must at least have: the bytes live at the
 * peak fit in its prediction, and a pool of its prediction is no larger
 * than the one that served the sequence. */
UK_TESTCASE(ukalloc, buddy_pool_need_lower_bound)
{
	static struct replay big;
	struct uk_alloc a;

	UK_EXPECT_EQ(replay(uk_alloc_buddy_init, POOL_SIZE, true, &big), 0);
	UK_EXPECT(big.at[STEPS - 1] != FAILED);
	UK_EXPECT(big.need < POOL_SIZE);
	UK_EXPECT_EQ(uk_alloc_buddy_init(&a, pool, POOL_SIZE), 0);
	/* Nothing allocated: the state and one smallest block. */
	UK_EXPECT(uk_alloc_pool_need(&a) > 0);
	UK_EXPECT(uk_alloc_pool_need(&a) <= 1024);
}
