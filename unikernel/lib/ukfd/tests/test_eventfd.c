/* SPDX-License-Identifier: BSD-3-Clause */
/* eventfd through the syscalls: sizes, counter, semaphore mode, overflow,
 * flags, readiness. */
#include <uk/eventfd.h>
#include <uk/test.h>
#include "fdtest.h"

#define MAXCOUNT (UINT64_MAX - 1)

static long put(long fd, uint64_t v)
{
	return SYS3(write, fd, &v, sizeof(v));
}

/* The value read, or the error as a (negative) value. */
static int64_t take(long fd)
{
	uint64_t v = 0;
	long r = SYS3(read, fd, &v, sizeof(v));

	return r == sizeof(v) ? (int64_t)v : r;
}

static uint32_t ready(long fd)
{
	struct uk_file *f = uk_fd_get((int)fd);
	uint32_t events = f ? uk_file_poll(f) : 0;

	if (f)
		uk_file_put(f);
	return events;
}

UK_TESTCASE(ukfd, eventfd_counts_and_resets)
{
	long fd = SYS2(eventfd2, 2, UK_EFD_NONBLOCK);
	uint32_t small = 0;

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(ready(fd), UK_EPOLLIN | UK_EPOLLOUT);
	UK_EXPECT_EQ(put(fd, 3), 8);
	UK_EXPECT_EQ(put(fd, 0), 8);
	UK_EXPECT_EQ(take(fd), 5);
	UK_EXPECT_EQ(take(fd), -EAGAIN);
	UK_EXPECT_EQ(ready(fd), UK_EPOLLOUT);
	/* Less than 8 bytes is EINVAL, before anything else. */
	UK_EXPECT_EQ(SYS3(read, fd, &small, 4), -EINVAL);
	UK_EXPECT_EQ(SYS3(write, fd, &small, 4), -EINVAL);
	/* More is fine: 8 are used. */
	uint64_t big[2] = { 7, 99 };
	UK_EXPECT_EQ(SYS3(write, fd, big, sizeof(big)), 8);
	big[0] = 0;
	UK_EXPECT_EQ(SYS3(read, fd, big, sizeof(big)), 8);
	UK_EXPECT_EQ(big[0], 7);
	UK_EXPECT_EQ(big[1], 99);
	/* The 8 bytes may be spread over iovecs. */
	uint32_t lo = 4, hi = 0;
	struct uk_iovec iov[2] = { { &lo, 4 }, { &hi, 4 } };
	UK_EXPECT_EQ(SYS3(writev, fd, iov, 2), 8);
	lo = 0;
	UK_EXPECT_EQ(SYS3(readv, fd, iov, 2), 8);
	UK_EXPECT_EQ(lo, 4);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, eventfd_semaphore_mode)
{
	long fd = SYS2(eventfd2, 3, UK_EFD_SEMAPHORE | UK_EFD_NONBLOCK);

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(take(fd), 1);
	UK_EXPECT_EQ(take(fd), 1);
	UK_EXPECT_EQ(put(fd, 2), 8);
	UK_EXPECT_EQ(take(fd), 1);
	UK_EXPECT_EQ(take(fd), 1);
	UK_EXPECT_EQ(take(fd), 1);
	UK_EXPECT_EQ(take(fd), -EAGAIN);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, eventfd_overflow_rules)
{
	long fd = SYS2(eventfd2, 0, UK_EFD_NONBLOCK);

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(put(fd, UINT64_MAX), -EINVAL);
	UK_EXPECT_EQ(put(fd, MAXCOUNT), 8);
	/* Full: not writable, and one more would pass the limit. */
	UK_EXPECT_EQ(ready(fd), UK_EPOLLIN);
	UK_EXPECT_EQ(put(fd, 1), -EAGAIN);
	UK_EXPECT_EQ(put(fd, 0), 8);
	UK_EXPECT_EQ(take(fd), (int64_t)MAXCOUNT);
	UK_EXPECT_EQ(put(fd, 10), 8);
	UK_EXPECT_EQ(put(fd, MAXCOUNT - 10), 8);
	UK_EXPECT_EQ(put(fd, 1), -EAGAIN);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, eventfd_flags)
{
	long fd = SYS2(eventfd2, 0, UK_EFD_CLOEXEC), old;
	int n;

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_GETFL, 0), UK_O_RDWR);
	/* Blocking by default: made non-blocking afterwards, it says so. */
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_SETFL, UK_O_NONBLOCK), 0);
	UK_EXPECT_EQ(take(fd), -EAGAIN);
	UK_EXPECT_EQ(SYS2(eventfd2, 0, 0x40), -EINVAL);
	/* The old call, without flags. */
	old = SYS1(eventfd, 9);
	UK_ASSERT_TRUE(old >= 3);
	UK_EXPECT_EQ(SYS3(fcntl, old, UK_F_GETFD, 0), 0);
	UK_EXPECT_EQ(take(old), 9);
	UK_EXPECT_EQ(SYS3(ioctl, old, UK_FIONREAD, &n), -ENOTTY);
	UK_EXPECT_EQ(SYS3(lseek, old, 0, 0), -ESPIPE);
	UK_EXPECT_EQ(SYS1(close, old), 0);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, eventfd_frees_its_memory)
{
	uint64_t before = live_blocks();
	long a = SYS2(eventfd2, 0, 0), b = SYS1(dup, a);

	UK_ASSERT_TRUE(a >= 3 && b >= 3);
	UK_EXPECT_EQ(live_blocks(), before + 1);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(live_blocks(), before + 1);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	UK_EXPECT_EQ(live_blocks(), before);
}
