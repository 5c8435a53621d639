/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP + UKSCHED_THREADS: futex waits and wakes between threads:
 * wake counts, FIFO order, bitsets, requeue, a wake before the timeout.
 */
#include <uk/errno.h>
#include <uk/futex.h>
#include <uk/sched.h>
#include <uk/syscall_impl.h>
#include <uk/test.h>

#define NWAITERS 3

struct ts_k {
	long sec, nsec;
};

struct waiter {
	uint32_t *word;
	uint32_t bitset;
	long timeout_ns;	/* 0: none */
	long ret;
	bool done;
	int order;		/* when it woke, among all waiters */
};

static int wake_order;

static void wait_fn(void *p)
{
	struct waiter *w = p;
	struct ts_k ts = { w->timeout_ns / 1000000000L,
			   w->timeout_ns % 1000000000L };

	/* A timeout is relative for WAIT (no bitset), absolute for
	 * WAIT_BITSET: the timed waiters here use WAIT. */
	long op = w->bitset == ~0u ? FUTEX_WAIT : FUTEX_WAIT_BITSET;

	w->ret = uk_sys_futex((long)w->word, op | FUTEX_PRIVATE_FLAG,
			      (long)*w->word,
			      w->timeout_ns ? (long)&ts : 0, 0, w->bitset);
	w->done = true;
	w->order = ++wake_order;
}

static bool start(struct uk_thread **t, struct waiter *w, int n)
{
	for (int i = 0; i < n; i++) {
		t[i] = uk_thread_create("futex-waiter", wait_fn, &w[i], 0);
		if (!t[i])
			return false;
	}
	uk_thread_yield(); /* every one of them waits now */
	return true;
}

static void join(struct uk_thread **t, int n)
{
	for (int i = 0; i < n; i++)
		if (t[i])
			uk_thread_join(t[i]);
}

static long futex(uint32_t *addr, long op, long val, long val2,
		  uint32_t *addr2, long val3)
{
	return uk_sys_futex((long)addr, op, val, val2, (long)addr2, val3);
}

UK_TESTCASE(futex, wake_counts_and_fifo_order)
{
	uint32_t word = 7;
	struct waiter w[NWAITERS];
	struct uk_thread *t[NWAITERS] = { 0 };

	wake_order = 0;
	for (int i = 0; i < NWAITERS; i++)
		w[i] = (struct waiter){ &word, ~0u, 0, -1, false, 0 };
	UK_ASSERT_TRUE(start(t, w, NWAITERS));
	UK_EXPECT(!w[0].done && !w[1].done && !w[2].done);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE, 2, 0, NULL, 0), 2);
	uk_thread_yield();
	UK_EXPECT(w[0].done && w[1].done && !w[2].done);
	UK_EXPECT_EQ(w[0].order, 1);
	UK_EXPECT_EQ(w[1].order, 2);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, 0, NULL,
			   0), 1);
	join(t, NWAITERS);
	UK_EXPECT_EQ(w[0].ret, 0);
	UK_EXPECT_EQ(w[2].ret, 0);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE, 10, 0, NULL, 0), 0);
}

UK_TESTCASE(futex, wake_bitset_picks_matching_waiters)
{
	uint32_t word = 1;
	struct waiter w[2] = { { &word, 1, 0, -1, false, 0 },
			       { &word, 2, 0, -1, false, 0 } };
	struct uk_thread *t[2] = { 0 };

	UK_ASSERT_TRUE(start(t, w, 2));
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE_BITSET, 10, 0, NULL, 2), 1);
	uk_thread_yield();
	UK_EXPECT(!w[0].done && w[1].done);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE_BITSET, 10, 0, NULL, 4), 0);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE_BITSET, 10, 0, NULL, 3), 1);
	join(t, 2);
	UK_EXPECT(w[0].done);
}

UK_TESTCASE(futex, requeue_moves_waiters_to_the_second_word)
{
	uint32_t a = 3, b = 4;
	struct waiter w[NWAITERS];
	struct uk_thread *t[NWAITERS] = { 0 };

	for (int i = 0; i < NWAITERS; i++)
		w[i] = (struct waiter){ &a, ~0u, 0, -1, false, 0 };
	UK_ASSERT_TRUE(start(t, w, NWAITERS));
	/* CMP_REQUEUE checks the first word's value first. */
	UK_EXPECT_EQ(futex(&a, FUTEX_CMP_REQUEUE, 1, 1, &b, 99), -EAGAIN);
	/* Wake one, move the other two: both counted. */
	UK_EXPECT_EQ(futex(&a, FUTEX_CMP_REQUEUE, 1, 10, &b, 3), 3);
	uk_thread_yield();
	UK_EXPECT(w[0].done && !w[1].done && !w[2].done);
	UK_EXPECT_EQ(futex(&a, FUTEX_WAKE, 10, 0, NULL, 0), 0);
	/* Plain REQUEUE back to a, waking none. */
	UK_EXPECT_EQ(futex(&b, FUTEX_REQUEUE, 0, 1, &a, 0), 1);
	UK_EXPECT_EQ(futex(&b, FUTEX_WAKE, 10, 0, NULL, 0), 1);
	UK_EXPECT_EQ(futex(&a, FUTEX_WAKE, 10, 0, NULL, 0), 1);
	join(t, NWAITERS);
	UK_EXPECT(w[1].done && w[2].done);
}

UK_TESTCASE(futex, a_wake_beats_the_timeout)
{
	uint32_t word = 9;
	struct waiter w[2] = { { &word, ~0u, 1000000000L, -1, false, 0 },
			       { &word, ~0u, 1000000L, -1, false, 0 } };
	struct uk_thread *t[2] = { 0 };

	wake_order = 0;
	UK_ASSERT_TRUE(start(t, w, 2));
	/* The second times out (1 ms) while the first still waits. */
	while (!w[1].done)
		uk_sleep_ns(1000000L);
	UK_EXPECT_EQ(w[1].ret, -ETIMEDOUT);
	UK_EXPECT(!w[0].done);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAKE, 10, 0, NULL, 0), 1);
	join(t, 2);
	UK_EXPECT_EQ(w[0].ret, 0);
}
