/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP: blocked callers sleep on wait queues and other threads
 * wake them through the files: epoll_wait woken by an eventfd write, a
 * blocking read woken by a write, a blocking write woken by a read, a
 * wait woken by uk_poll_kick.
 */
#include <uk/poll.h>
#include <uk/sched.h>
#include <uk/test.h>
#include "fdtest.h"

#if CONFIG_UKFD_EPOLL && CONFIG_UKFD_EVENTFD
#include <uk/epoll.h>
#include <uk/eventfd.h>

struct writer {
	long fd;
	uint64_t value;
	unsigned yields;
	long result;
	bool done;
};

/* Yields a few times first, so the other side is surely blocked. */
static void writer_fn(void *p)
{
	struct writer *w = p;

	for (unsigned i = 0; i < w->yields; i++)
		uk_thread_yield();
	w->result = SYS3(write, w->fd, &w->value, sizeof(w->value));
	w->done = true;
}

UK_TESTCASE(ukfd, coop_epoll_wait_woken_by_eventfd_write)
{
	long ep = SYS1(epoll_create1, 0), a = SYS2(eventfd2, 0, 0);
	struct uk_epoll_event ev = { UK_EPOLLIN, 42 }, got[2];
	static struct writer w;
	struct uk_thread *t;

	UK_ASSERT_TRUE(ep >= 3 && a >= 3);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, a, &ev), 0);
	w = (struct writer){ .fd = a, .value = 5, .yields = 3 };
	t = uk_thread_create("writer", writer_fn, &w, 0);
	UK_ASSERT_TRUE(t != NULL);
	/* No timeout: only the writer can end this. */
	UK_EXPECT_EQ(SYS4(epoll_wait, ep, got, 2, -1), 1);
	UK_EXPECT(w.done);
	UK_EXPECT_EQ(w.result, 8);
	UK_EXPECT_EQ(got[0].data, 42);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

UK_TESTCASE(ukfd, coop_blocking_eventfd_read_and_write)
{
	long a = SYS2(eventfd2, 0, 0);
	static struct writer w;
	struct uk_thread *t;
	uint64_t v = 0;

	UK_ASSERT_TRUE(a >= 3);
	w = (struct writer){ .fd = a, .value = 9, .yields = 2 };
	t = uk_thread_create("writer", writer_fn, &w, 0);
	UK_ASSERT_TRUE(t != NULL);
	UK_EXPECT_EQ(SYS3(read, a, &v, sizeof(v)), 8);
	UK_EXPECT_EQ(v, 9);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	/* Full counter: the writer blocks until this thread reads. */
	v = UINT64_MAX - 1;
	UK_EXPECT_EQ(SYS3(write, a, &v, sizeof(v)), 8);
	w = (struct writer){ .fd = a, .value = 1, .yields = 0 };
	t = uk_thread_create("writer", writer_fn, &w, 0);
	UK_ASSERT_TRUE(t != NULL);
	uk_thread_yield();
	UK_EXPECT(!w.done);
	UK_EXPECT_EQ(SYS3(read, a, &v, sizeof(v)), 8);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT(w.done);
	UK_EXPECT_EQ(w.result, 8);
	UK_EXPECT_EQ(SYS3(read, a, &v, sizeof(v)), 8);
	UK_EXPECT_EQ(v, 1);
	UK_EXPECT_EQ(SYS1(close, a), 0);
}
#endif

struct kicker {
	volatile bool flag;
};

static void kicker_fn(void *p)
{
	struct kicker *k = p;

	uk_thread_yield();
	k->flag = true;
	uk_poll_kick();
}

static long flag_cond(void *arg)
{
	return ((struct kicker *)arg)->flag ? 1 : -EAGAIN;
}

UK_TESTCASE(ukfd, coop_kick_wakes_sleeping_waiters)
{
	static struct kicker k;
	struct uk_poll_waiter w;
	struct uk_thread *t;

	k.flag = false;
	uk_poll_waiter_init(&w);
	t = uk_thread_create("kicker", kicker_fn, &k, 0);
	UK_ASSERT_TRUE(t != NULL);
	/* No file is watched: only the kick can wake this waiter. */
	UK_EXPECT_EQ(uk_poll_wait(&w, flag_cond, &k, UK_POLL_FOREVER), 1);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
}
