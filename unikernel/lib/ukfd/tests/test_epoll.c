/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll on eventfds through the syscalls: level- and edge-triggered
 * reports, one-shot, DEL, closing, nesting, fairness across waits,
 * argument errors, timeouts and memory.
 */
#include <uk/epoll.h>
#include <uk/eventfd.h>
#include <uk/poll.h>
#include <uk/test.h>
#include "fdtest.h"

static long efd(void)
{
	return SYS2(eventfd2, 0, UK_EFD_NONBLOCK);
}

static long put(long fd, uint64_t v)
{
	return SYS3(write, fd, &v, sizeof(v));
}

static long drain(long fd)
{
	uint64_t v;

	return SYS3(read, fd, &v, sizeof(v));
}

static long add(long ep, long fd, uint32_t events, uint64_t data)
{
	struct uk_epoll_event ev = { events, data };

	return SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, fd, &ev);
}

static long mod(long ep, long fd, uint32_t events, uint64_t data)
{
	struct uk_epoll_event ev = { events, data };

	return SYS4(epoll_ctl, ep, UK_EPOLL_CTL_MOD, fd, &ev);
}

static long wait0(long ep, struct uk_epoll_event *ev, int max)
{
	return SYS4(epoll_wait, ep, ev, max, 0);
}

UK_TESTCASE(ukfd, epoll_event_is_packed)
{
	UK_EXPECT_EQ(sizeof(struct uk_epoll_event), 12);
}

UK_TESTCASE(ukfd, epoll_level_triggered_reports_while_ready)
{
	long ep = SYS1(epoll_create1, 0), a = efd();
	struct uk_epoll_event ev[4];

	UK_ASSERT_TRUE(ep >= 3 && a >= 3);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN, 0x1122334455667788ULL), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	for (int i = 0; i < 3; i++) {
		UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
		UK_EXPECT_EQ(ev[0].events, UK_EPOLLIN);
		UK_EXPECT_EQ(ev[0].data, 0x1122334455667788ULL);
	}
	UK_EXPECT_EQ(drain(a), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	/* Interest in OUT too: an eventfd is writable. */
	UK_EXPECT_EQ(mod(ep, a, UK_EPOLLIN | UK_EPOLLOUT, 7), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	UK_EXPECT_EQ(ev[0].events, UK_EPOLLOUT);
	UK_EXPECT_EQ(ev[0].data, 7);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

UK_TESTCASE(ukfd, epoll_edge_triggered_reports_once_per_event)
{
	long ep = SYS1(epoll_create1, 0), a = efd();
	struct uk_epoll_event ev[4];

	UK_ASSERT_TRUE(ep >= 3 && a >= 3);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN | UK_EPOLLET, 1), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	/* Still readable, but nothing new happened. */
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	/* A new write is a new event, even though it was readable. */
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	/* Two events before one wait: one report. */
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	/* A read notifies writers only: no IN report. */
	UK_EXPECT_EQ(drain(a), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

UK_TESTCASE(ukfd, epoll_oneshot_disarms_until_mod)
{
	long ep = SYS1(epoll_create1, 0), a = efd();
	struct uk_epoll_event ev[4];

	UK_ASSERT_TRUE(ep >= 3 && a >= 3);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN | UK_EPOLLONESHOT, 3), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	/* Still registered: ADD is EEXIST, MOD re-arms. */
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN, 3), -EEXIST);
	UK_EXPECT_EQ(mod(ep, a, UK_EPOLLIN | UK_EPOLLONESHOT, 4), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	UK_EXPECT_EQ(ev[0].data, 4);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

UK_TESTCASE(ukfd, epoll_del_and_close_stop_reports)
{
	long ep = SYS1(epoll_create1, 0), a = efd(), b = efd(), b2;
	struct uk_epoll_event ev[4];

	UK_ASSERT_TRUE(ep >= 3 && a >= 3 && b >= 3);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN, 1), 0);
	UK_EXPECT_EQ(add(ep, b, UK_EPOLLIN, 2), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(put(b, 1), 8);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 2);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_DEL, a, NULL), 0);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_DEL, a, NULL), -ENOENT);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	UK_EXPECT_EQ(ev[0].data, 2);
	/* A duplicate keeps the file, and so the entry (as on Linux). */
	b2 = SYS1(dup, b);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 1);
	UK_EXPECT_EQ(ev[0].data, 2);
	/* The last descriptor closed: the entry is gone. */
	UK_EXPECT_EQ(SYS1(close, b2), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

/* maxevents smaller than what is ready: the rest come next, and a
 * level-triggered entry that was reported queues behind them. */
UK_TESTCASE(ukfd, epoll_ready_entries_take_turns)
{
	long ep = SYS1(epoll_create1, 0), fd[3];
	struct uk_epoll_event ev[4];

	UK_ASSERT_TRUE(ep >= 3);
	for (int i = 0; i < 3; i++) {
		fd[i] = efd();
		UK_EXPECT_EQ(add(ep, fd[i], UK_EPOLLIN, (uint64_t)i), 0);
		UK_EXPECT_EQ(put(fd[i], 1), 8);
	}
	UK_EXPECT_EQ(wait0(ep, ev, 2), 2);
	UK_EXPECT_EQ(ev[0].data, 0);
	UK_EXPECT_EQ(ev[1].data, 1);
	UK_EXPECT_EQ(wait0(ep, ev, 2), 2);
	UK_EXPECT_EQ(ev[0].data, 2);
	UK_EXPECT_EQ(ev[1].data, 0);
	for (int i = 0; i < 3; i++)
		UK_EXPECT_EQ(SYS1(close, fd[i]), 0);
	UK_EXPECT_EQ(wait0(ep, ev, 4), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

static int no_poll_open(struct uk_file *f)
{
	static const struct uk_file_ops ops = { 0 };

	uk_file_init(f, &ops, UK_O_RDWR);
	return uk_fd_alloc(f, 0, 0);
}

UK_TESTCASE(ukfd, epoll_ctl_errors)
{
	static struct uk_file plain;
	long ep = SYS1(epoll_create1, 0), ep2 = SYS1(epoll_create, 1), a = efd();
	int p = no_poll_open(&plain);
	struct uk_epoll_event ev = { UK_EPOLLIN, 0 };

	UK_ASSERT_TRUE(ep >= 3 && ep2 >= 3 && a >= 3 && p >= 3);
	UK_EXPECT_EQ(SYS4(epoll_ctl, 999, UK_EPOLL_CTL_ADD, a, &ev), -EBADF);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, 999, &ev), -EBADF);
	UK_EXPECT_EQ(SYS4(epoll_ctl, a, UK_EPOLL_CTL_ADD, ep, &ev), -EINVAL);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, ep, &ev), -EINVAL);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, p, &ev), -EPERM);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_ADD, a, NULL), -EFAULT);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, 99, a, &ev), -EINVAL);
	UK_EXPECT_EQ(SYS4(epoll_ctl, ep, UK_EPOLL_CTL_MOD, a, &ev), -ENOENT);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN | UK_EPOLLEXCLUSIVE | UK_EPOLLONESHOT, 0),
		     -EINVAL);
	UK_EXPECT_EQ(add(ep, ep2, UK_EPOLLIN | UK_EPOLLEXCLUSIVE, 0), -EINVAL);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN | UK_EPOLLEXCLUSIVE, 0), 0);
	UK_EXPECT_EQ(mod(ep, a, UK_EPOLLIN | UK_EPOLLEXCLUSIVE, 0), -EINVAL);
	UK_EXPECT_EQ(mod(ep, a, UK_EPOLLIN, 0), -EINVAL);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN, 0), -EEXIST);
	/* Sets nest, but never in a cycle. */
	UK_EXPECT_EQ(add(ep2, ep, UK_EPOLLIN, 0), 0);
	UK_EXPECT_EQ(add(ep, ep2, UK_EPOLLIN, 0), -ELOOP);
	UK_EXPECT_EQ(SYS1(epoll_create1, 1), -EINVAL);
	UK_EXPECT_EQ(SYS1(epoll_create, 0), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, p), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep2), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

UK_TESTCASE(ukfd, epoll_wait_errors_and_timeout)
{
	long ep = SYS1(epoll_create1, UK_EPOLL_CLOEXEC), a = efd();
	struct uk_epoll_event ev[2];
	uint64_t mask = 0, start;

	UK_ASSERT_TRUE(ep >= 3 && a >= 3);
	UK_EXPECT_EQ(SYS3(fcntl, ep, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_EXPECT_EQ(SYS4(epoll_wait, ep, ev, 0, 0), -EINVAL);
	UK_EXPECT_EQ(SYS4(epoll_wait, a, ev, 2, 0), -EINVAL);
	UK_EXPECT_EQ(SYS4(epoll_wait, 999, ev, 2, 0), -EBADF);
	UK_EXPECT_EQ(SYS4(epoll_wait, ep, NULL, 2, 0), -EFAULT);
	UK_EXPECT_EQ(SYS6(epoll_pwait, ep, ev, 2, 0, &mask, 4), -EINVAL);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN, 5), 0);
	start = rdtsc();
	UK_EXPECT_EQ(SYS6(epoll_pwait, ep, ev, 2, 3, &mask, 8), 0);
	UK_EXPECT(ns_since(start) >= 3 * MS);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(SYS4(epoll_wait, ep, ev, 2, -1), 1);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, ep), 0);
}

UK_TESTCASE(ukfd, epoll_sets_nest_and_poll)
{
	long inner = SYS1(epoll_create1, 0), outer = SYS1(epoll_create1, 0);
	long a = efd();
	struct uk_epoll_event ev[2];
	struct uk_pollfd p = { (int)inner, UK_EPOLLIN, 0 };
	struct uk_file *f;

	UK_ASSERT_TRUE(inner >= 3 && outer >= 3 && a >= 3);
	UK_EXPECT_EQ(add(inner, a, UK_EPOLLIN | UK_EPOLLET, 1), 0);
	UK_EXPECT_EQ(add(outer, inner, UK_EPOLLIN, 2), 0);
	UK_EXPECT_EQ(wait0(outer, ev, 2), 0);
	f = uk_fd_get((int)inner);
	UK_EXPECT_EQ(uk_file_poll(f), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(uk_file_poll(f), UK_EPOLLIN | UK_EPOLLRDNORM);
	uk_file_put(f);
	UK_EXPECT_EQ(wait0(outer, ev, 2), 1);
	UK_EXPECT_EQ(ev[0].data, 2);
	UK_EXPECT_EQ(ev[0].events, UK_EPOLLIN);
	if (IS_ENABLED(CONFIG_UKFD_POLL))
		UK_EXPECT_EQ(SYS3(poll, &p, 1, 0), 1);
	UK_EXPECT_EQ(wait0(inner, ev, 2), 1);
	UK_EXPECT_EQ(ev[0].data, 1);
	/* The inner set reported its edge: nothing left for the outer one. */
	UK_EXPECT_EQ(wait0(outer, ev, 2), 0);
	UK_EXPECT_EQ(SYS1(close, inner), 0);
	UK_EXPECT_EQ(wait0(outer, ev, 2), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, outer), 0);
}

UK_TESTCASE(ukfd, epoll_frees_its_memory)
{
	uint64_t before = live_blocks();
	long ep = SYS1(epoll_create1, 0), a = efd(), b = efd();

	UK_ASSERT_TRUE(ep >= 3 && a >= 3 && b >= 3);
	UK_EXPECT_EQ(add(ep, a, UK_EPOLLIN, 0), 0);
	UK_EXPECT_EQ(add(ep, b, UK_EPOLLIN, 0), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	/* The set first: its entries go with it, the targets stay. */
	UK_EXPECT_EQ(SYS1(close, ep), 0);
	UK_EXPECT_EQ(live_blocks(), before + 2);
	UK_EXPECT_EQ(put(b, 1), 8);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	UK_EXPECT_EQ(live_blocks(), before);
}
