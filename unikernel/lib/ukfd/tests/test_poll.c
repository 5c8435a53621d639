/* SPDX-License-Identifier: BSD-3-Clause */
/* poll, ppoll, select, pselect6 on eventfds: readiness, skipped and
 * closed descriptors, timeouts and what they write back, argument
 * errors. */
#include <uk/eventfd.h>
#include <uk/poll.h>
#include <uk/test.h>
#include "fdtest.h"

struct ts_abi {
	long sec, nsec;
};

struct tv_abi {
	long sec, usec;
};

static long efd(void)
{
	return SYS2(eventfd2, 0, UK_EFD_NONBLOCK);
}

static long put(long fd, uint64_t v)
{
	return SYS3(write, fd, &v, sizeof(v));
}

UK_TESTCASE(ukfd, poll_reports_eventfd_readiness)
{
	long a = efd(), b = efd();
	struct uk_pollfd p[4] = {
		{ (int)a, UK_EPOLLIN | UK_EPOLLOUT, -1 },
		{ (int)b, UK_EPOLLIN, -1 },
		{ -1, UK_EPOLLIN, -1 },	 /* skipped */
		{ 999, UK_EPOLLIN, -1 }, /* not open */
	};

	UK_ASSERT_TRUE(a >= 3 && b >= 3);
	UK_EXPECT_EQ(SYS3(poll, p, 4, 0), 2);
	UK_EXPECT_EQ(p[0].revents, UK_EPOLLOUT);
	UK_EXPECT_EQ(p[1].revents, 0);
	UK_EXPECT_EQ(p[2].revents, 0);
	UK_EXPECT_EQ(p[3].revents, UK_EPOLLNVAL);
	UK_EXPECT_EQ(put(b, 1), 8);
	UK_EXPECT_EQ(SYS3(poll, p, 2, -1), 2);
	UK_EXPECT_EQ(p[1].revents, UK_EPOLLIN);
	/* Nothing asked, nothing but ERR and HUP could be told. */
	p[1].events = 0;
	UK_EXPECT_EQ(SYS3(poll, &p[1], 1, 0), 0);
	UK_EXPECT_EQ(p[1].revents, 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, b), 0);
}

UK_TESTCASE(ukfd, poll_timeout_passes)
{
	long a = efd();
	struct uk_pollfd p = { (int)a, UK_EPOLLIN, -1 };
	uint64_t start = rdtsc();

	UK_ASSERT_TRUE(a >= 3);
	UK_EXPECT_EQ(SYS3(poll, &p, 1, 3), 0);
	UK_EXPECT(ns_since(start) >= 3 * MS);
	UK_EXPECT_EQ(p.revents, 0);
	/* No descriptors at all: a sleep. */
	start = rdtsc();
	UK_EXPECT_EQ(SYS3(poll, NULL, 0, 2), 0);
	UK_EXPECT(ns_since(start) >= 2 * MS);
	UK_EXPECT_EQ(SYS1(close, a), 0);
}

UK_TESTCASE(ukfd, poll_many_descriptors)
{
	long a = efd();
	struct uk_pollfd p[20];

	UK_ASSERT_TRUE(a >= 3);
	for (int i = 0; i < 20; i++)
		p[i] = (struct uk_pollfd){ (int)SYS1(dup, a), UK_EPOLLIN, 0 };
	UK_EXPECT_EQ(SYS3(poll, p, 20, 0), 0);
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(SYS3(poll, p, 20, 0), 20);
	for (int i = 0; i < 20; i++)
		SYS1(close, p[i].fd);
	UK_EXPECT_EQ(SYS3(poll, p, UK_FD_MAX + 1, 0), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, a), 0);
}

UK_TESTCASE(ukfd, ppoll_timespec_and_sigmask)
{
	long a = efd();
	struct uk_pollfd p = { (int)a, UK_EPOLLIN, 0 };
	struct ts_abi ts = { 0, 2 * MS };
	uint64_t mask = 0, start = rdtsc();

	UK_ASSERT_TRUE(a >= 3);
	UK_EXPECT_EQ(SYS6(ppoll, &p, 1, &ts, &mask, 8, 0), 0);
	UK_EXPECT(ns_since(start) >= 2 * MS);
	/* The time left is written back: none. */
	UK_EXPECT_EQ(ts.sec, 0);
	UK_EXPECT_EQ(ts.nsec, 0);
	/* Ready at once: most of the time is left. */
	ts = (struct ts_abi){ 100, 0 };
	UK_EXPECT_EQ(put(a, 1), 8);
	UK_EXPECT_EQ(SYS6(ppoll, &p, 1, &ts, 0, 0, 0), 1);
	UK_EXPECT(ts.sec >= 99 && ts.sec <= 100);
	UK_EXPECT_EQ(SYS6(ppoll, &p, 1, NULL, 0, 0, 0), 1);
	ts = (struct ts_abi){ 0, 1000000000 };
	UK_EXPECT_EQ(SYS6(ppoll, &p, 1, &ts, 0, 0, 0), -EINVAL);
	ts = (struct ts_abi){ -1, 0 };
	UK_EXPECT_EQ(SYS6(ppoll, &p, 1, &ts, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(SYS6(ppoll, &p, 1, NULL, &mask, 4, 0), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, a), 0);
}

UK_TESTCASE(ukfd, select_sets)
{
	long a = efd(), b = efd();
	unsigned long r[1], w[1], e[1]; /* a, b < 64: one word */
	struct tv_abi tv = { 0, 0 };
	int n;

	UK_ASSERT_TRUE(a >= 3 && b >= 3 && a < 64 && b < 64);
	n = (int)(a > b ? a : b) + 1;
	r[0] = 1UL << a | 1UL << b;
	w[0] = 1UL << a;
	e[0] = 1UL << a;
	/* Only a is writable; nothing readable. */
	UK_EXPECT_EQ(SYS6(select, n, r, w, e, &tv, 0), 1);
	UK_EXPECT_EQ(r[0], 0);
	UK_EXPECT_EQ(w[0], 1UL << a);
	UK_EXPECT_EQ(e[0], 0);
	r[0] = 1UL << a | 1UL << b;
	UK_EXPECT_EQ(put(b, 1), 8);
	UK_EXPECT_EQ(SYS6(select, n, r, NULL, NULL, NULL, 0), 1);
	UK_EXPECT_EQ(r[0], 1UL << b);
	/* A closed descriptor in a set is EBADF. */
	r[0] = 1UL << 60;
	UK_EXPECT_EQ(SYS6(select, 61, r, NULL, NULL, &tv, 0), -EBADF);
	UK_EXPECT_EQ(SYS6(select, -1, NULL, NULL, NULL, &tv, 0), -EINVAL);
	tv.usec = 1000000;
	UK_EXPECT_EQ(SYS6(select, 0, NULL, NULL, NULL, &tv, 0), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, b), 0);
}

UK_TESTCASE(ukfd, select_timeouts_write_back)
{
	long a = efd();
	unsigned long r;
	struct tv_abi tv = { 0, 3000 };
	struct ts_abi ts = { 0, 2 * MS };
	uint64_t mask = 0, start = rdtsc();
	struct {
		const void *set;
		unsigned long size;
	} sig = { &mask, 8 };

	UK_ASSERT_TRUE(a >= 3 && a < 64);
	r = 1UL << a;
	UK_EXPECT_EQ(SYS6(select, a + 1, &r, NULL, NULL, &tv, 0), 0);
	UK_EXPECT(ns_since(start) >= 3 * MS);
	UK_EXPECT_EQ(r, 0);
	UK_EXPECT_EQ(tv.sec, 0);
	UK_EXPECT_EQ(tv.usec, 0);
	r = 1UL << a;
	start = rdtsc();
	UK_EXPECT_EQ(SYS6(pselect6, a + 1, &r, NULL, NULL, &ts, &sig), 0);
	UK_EXPECT(ns_since(start) >= 2 * MS);
	UK_EXPECT_EQ(ts.nsec, 0);
	sig.size = 4;
	UK_EXPECT_EQ(SYS6(pselect6, a + 1, &r, NULL, NULL, &ts, &sig), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, a), 0);
}
