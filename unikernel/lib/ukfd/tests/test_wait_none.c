/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_NONE: no other thread can make a file ready, so progress hooks
 * do (a run-to-completion network stack polls its NIC from one). Here a
 * hook makes an eventfd ready on its Nth call while epoll_wait and a
 * blocking read wait with no timeout.
 */
#include <uk/poll.h>
#include <uk/test.h>
#include "fdtest.h"

#if CONFIG_UKFD_EPOLL && CONFIG_UKFD_EVENTFD
#include <uk/epoll.h>
#include <uk/eventfd.h>

struct ticker {
	struct uk_poll_hook hook;
	long fd;
	unsigned calls, at;
};

/* Progress each call (a NIC that had packets), the write on call `at`. */
static int tick(void *arg, uint64_t *next_ns)
{
	struct ticker *t = arg;
	uint64_t one = 1;

	(void)next_ns;
	if (++t->calls == t->at)
		SYS3(write, t->fd, &one, sizeof(one));
	return t->calls <= t->at;
}

UK_TESTCASE(ukfd, none_hook_makes_epoll_wait_return)
{
	static struct ticker t;
	long ep = SYS1(epoll_create1, 0), a = SYS2(eventfd2, 0, 0);
	struct uk_epoll_event ev = { UK_EPOLLIN | UK_EPOLLET, 8 }, got[2];
	uint64_t v;

	UK_ASSERT_TRUE(ep >= 3 && a >= 3);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, a, &ev), 0);
	t = (struct ticker){ .fd = a, .at = 7 };
	uk_poll_hook_register(&t.hook, tick, &t, 0);
	UK_EXPECT_EQ(SYS4(epoll_wait, ep, got, 2, -1), 1);
	UK_EXPECT_EQ(t.calls, 7);
	UK_EXPECT_EQ(got[0].data, 8);
	/* The blocking read the same way. */
	UK_EXPECT_EQ(SYS3(read, a, &v, sizeof(v)), 8);
	t.calls = 0;
	t.at = 3;
	UK_EXPECT_EQ(SYS3(read, a, &v, sizeof(v)), 8);
	UK_EXPECT_EQ(t.calls, 3);
	uk_poll_hook_unregister(&t.hook);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}
#endif

static long never(void *arg)
{
	(void)arg;
	return -EAGAIN;
}

/* Without hooks a timed wait halts until its deadline, and ends. */
UK_TESTCASE(ukfd, none_timed_wait_halts_and_ends)
{
	struct uk_poll_waiter w;
	uint64_t start = rdtsc();

	uk_poll_waiter_init(&w);
	UK_EXPECT_EQ(uk_poll_wait(&w, never, NULL, uk_poll_deadline_ns(2 * MS)),
		     -EAGAIN);
	UK_EXPECT(ns_since(start) >= 2 * MS);
}
