/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The descriptor table through the syscalls: the console's descriptors,
 * lowest-free allocation, dup/dup2/dup3/UK_F_DUPFD, close and EBADF, EMFILE,
 * descriptor and status flags, references shared by duplicates.
 */
#include <uk/test.h>
#include "fdtest.h"

#define TIOCGWINSZ 0x5413
#define TCGETS 0x5401

UK_TESTCASE(ukfd, console_descriptors_keep_their_behaviour)
{
	char c = 'x';
	unsigned short ws[4] = { 0 };
	int n = -1;

	UK_EXPECT_EQ(SYS3(read, 0, &c, 1), 0);
	UK_EXPECT_EQ(SYS3(write, 1, "", 0), 0);
	UK_EXPECT_EQ(SYS3(write, 2, "", 0), 0);
	UK_EXPECT_EQ(SYS3(fcntl, 0, UK_F_GETFL, 0), UK_O_RDONLY);
	UK_EXPECT_EQ(SYS3(fcntl, 1, UK_F_GETFL, 0), UK_O_WRONLY);
	/* The wrong direction is EBADF, as for any file opened that way. */
	UK_EXPECT_EQ(SYS3(read, 1, &c, 1), -EBADF);
	UK_EXPECT_EQ(SYS3(write, 0, &c, 1), -EBADF);
	UK_EXPECT_EQ(SYS3(ioctl, 1, TIOCGWINSZ, ws), 0);
	UK_EXPECT_EQ(ws[0], 25);
	UK_EXPECT_EQ(ws[1], 80);
	UK_EXPECT_EQ(SYS3(ioctl, 2, TCGETS, 0), -ENOTTY);
	UK_EXPECT_EQ(SYS3(ioctl, 0, UK_FIONREAD, &n), 0);
	UK_EXPECT_EQ(n, 0);
	UK_EXPECT_EQ(SYS3(ioctl, 1, UK_FIONREAD, &n), -ENOTTY);
	UK_EXPECT_EQ(SYS3(lseek, 0, 0, 0), -ESPIPE);
	/* 1 and 2 are one open file, as a terminal's are. */
	UK_EXPECT(uk_fd_get(1) == uk_fd_get(2));
	uk_file_put(uk_fd_get(1));
	uk_file_put(uk_fd_get(1));
}

UK_TESTCASE(ukfd, new_descriptors_take_the_lowest_free_number)
{
	long a = SYS1(dup, 1), b = SYS1(dup, 1), c;

	UK_ASSERT_TRUE(a >= 3 && b > a);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	c = SYS1(dup, 2);
	UK_EXPECT_EQ(c, a);
	/* UK_F_DUPFD: the lowest free at or above its argument. */
	UK_EXPECT_EQ(SYS3(fcntl, 1, UK_F_DUPFD, b), b + 1);
	UK_EXPECT_EQ(SYS1(close, b + 1), 0);
	UK_EXPECT_EQ(SYS3(fcntl, 1, UK_F_DUPFD, UK_FD_MAX), -EINVAL);
	UK_EXPECT_EQ(SYS3(fcntl, 1, UK_F_DUPFD, -1), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	UK_EXPECT_EQ(SYS1(close, c), 0);
}

UK_TESTCASE(ukfd, closed_and_unknown_descriptors_are_ebadf)
{
	char c;
	long fd = SYS1(dup, 1);

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS1(close, fd), -EBADF);
	UK_EXPECT_EQ(SYS3(write, fd, "x", 1), -EBADF);
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), -EBADF);
	UK_EXPECT_EQ(SYS1(dup, fd), -EBADF);
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_GETFD, 0), -EBADF);
	UK_EXPECT_EQ(SYS3(ioctl, fd, TIOCGWINSZ, 0), -EBADF);
	UK_EXPECT_EQ(SYS1(close, -1), -EBADF);
	UK_EXPECT_EQ(SYS1(close, UK_FD_MAX), -EBADF);
	UK_EXPECT_EQ(SYS3(write, 100000, "x", 1), -EBADF);
}

UK_TESTCASE(ukfd, dup2_and_dup3)
{
	long a = SYS1(dup, 1), b = SYS1(dup, 0);

	UK_ASSERT_TRUE(a >= 3 && b >= 3);
	/* Onto an open descriptor: it is replaced, silently. */
	UK_EXPECT_EQ(SYS2(dup2, a, b), b);
	UK_EXPECT_EQ(SYS3(fcntl, b, UK_F_GETFL, 0), UK_O_WRONLY);
	UK_EXPECT_EQ(SYS2(dup2, a, a), a);
	UK_EXPECT_EQ(SYS2(dup2, 999, a), -EBADF);
	UK_EXPECT_EQ(SYS2(dup2, 999, 999), -EBADF);
	UK_EXPECT_EQ(SYS2(dup2, a, UK_FD_MAX), -EBADF);
	UK_EXPECT_EQ(SYS2(dup2, a, -1), -EBADF);
	UK_EXPECT_EQ(SYS3(dup3, a, a, 0), -EINVAL);
	UK_EXPECT_EQ(SYS3(dup3, a, b, 1), -EINVAL);
	UK_EXPECT_EQ(SYS3(dup3, a, b, UK_O_CLOEXEC), b);
	UK_EXPECT_EQ(SYS3(fcntl, b, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	/* dup2 clears it on the new descriptor. */
	UK_EXPECT_EQ(SYS2(dup2, a, b), b);
	UK_EXPECT_EQ(SYS3(fcntl, b, UK_F_GETFD, 0), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, b), 0);
}

UK_TESTCASE(ukfd, descriptor_flags)
{
	long a = SYS1(dup, 1), b;

	UK_ASSERT_TRUE(a >= 3);
	UK_EXPECT_EQ(SYS3(fcntl, a, UK_F_GETFD, 0), 0);
	UK_EXPECT_EQ(SYS3(fcntl, a, UK_F_SETFD, UK_FD_CLOEXEC), 0);
	UK_EXPECT_EQ(SYS3(fcntl, a, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_EXPECT_EQ(SYS3(ioctl, a, UK_FIONCLEX, 0), 0);
	UK_EXPECT_EQ(SYS3(fcntl, a, UK_F_GETFD, 0), 0);
	UK_EXPECT_EQ(SYS3(ioctl, a, UK_FIOCLEX, 0), 0);
	UK_EXPECT_EQ(SYS3(fcntl, a, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	/* A duplicate does not inherit it, unless asked. */
	b = SYS1(dup, a);
	UK_EXPECT_EQ(SYS3(fcntl, b, UK_F_GETFD, 0), 0);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	b = SYS3(fcntl, a, UK_F_DUPFD_CLOEXEC, 0);
	UK_EXPECT_EQ(SYS3(fcntl, b, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_EXPECT_EQ(SYS3(fcntl, a, 9999, 0), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	UK_EXPECT_EQ(SYS1(close, a), 0);
}

/* Status flags belong to the open file, so duplicates share them. */
UK_TESTCASE(ukfd, status_flags_are_shared_by_duplicates)
{
	static struct tfile t;
	int fd = tfile_open(&t, 0), d, on = 1, off = 0;

	UK_ASSERT_TRUE(fd >= 3);
	d = (int)SYS1(dup, fd);
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_GETFL, 0), UK_O_RDWR);
	/* Access mode bits are ignored, O_NONBLOCK changes. */
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_SETFL, UK_O_NONBLOCK | UK_O_WRONLY), 0);
	UK_EXPECT_EQ(SYS3(fcntl, d, UK_F_GETFL, 0), UK_O_RDWR | UK_O_NONBLOCK);
	UK_EXPECT_EQ(SYS3(ioctl, d, UK_FIONBIO, &off), 0);
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_GETFL, 0), UK_O_RDWR);
	UK_EXPECT_EQ(SYS3(ioctl, d, UK_FIONBIO, &on), 0);
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_GETFL, 0), UK_O_RDWR | UK_O_NONBLOCK);
	/* No SIGIO: asking for it is refused, not ignored. */
	UK_EXPECT_EQ(SYS3(fcntl, fd, UK_F_SETFL, 020000), -EINVAL);
	UK_EXPECT_EQ(SYS3(ioctl, fd, UK_FIOASYNC, &on), -EINVAL);
	/* The kind has no ioctl of its own. */
	UK_EXPECT_EQ(SYS3(ioctl, fd, UK_FIONREAD, &on), -ENOTTY);
	/* The file goes with its last descriptor, once. */
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(t.released, 0);
	UK_EXPECT_EQ(SYS1(close, d), 0);
	UK_EXPECT_EQ(t.released, 1);
}

UK_TESTCASE(ukfd, nonblocking_read_is_eagain)
{
	static struct tfile t;
	int fd = tfile_open(&t, UK_O_NONBLOCK);
	char c = 0;

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), -EAGAIN);
	tfile_feed(&t, 1);
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), 1);
	UK_EXPECT_EQ(c, 'x');
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), -EAGAIN);
	/* No write op: EINVAL, as Linux says of a file that cannot. */
	UK_EXPECT_EQ(SYS3(write, fd, &c, 1), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, iovec_counts_are_checked)
{
	struct uk_iovec iov[2] = { { "ab", 2 }, { "c", 1 } };

	UK_EXPECT_EQ(SYS3(writev, 1, iov, 0), 0);
	UK_EXPECT_EQ(SYS3(writev, 1, iov, -1), -EINVAL);
	UK_EXPECT_EQ(SYS3(writev, 1, iov, UK_IOV_MAX + 1), -EINVAL);
	UK_EXPECT_EQ(SYS3(readv, 0, iov, 2), 0);
	iov[1].len = (size_t)-1;
	UK_EXPECT_EQ(SYS3(writev, 1, iov, 2), -EINVAL);
	UK_EXPECT_EQ(SYS3(write, 1, "x", -1), -EINVAL);
	UK_EXPECT_EQ(SYS3(writev, 9999, iov, 1), -EBADF);
}

UK_TESTCASE(ukfd, table_full_is_emfile)
{
	static uint64_t mine[UK_FD_MAX / 64 + 1];
	unsigned int open_before = uk_fd_count();
	int first = -1, last = -1;
	long fd;
	unsigned n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(mine); i++)
		mine[i] = 0;
	while ((fd = SYS1(dup, 1)) >= 0) {
		if (first < 0)
			first = (int)fd;
		last = (int)fd;
		mine[fd / 64] |= 1ULL << (fd % 64);
		n++;
	}
	UK_EXPECT_EQ(fd, -EMFILE);
	UK_EXPECT_EQ(n, UK_FD_MAX - open_before);
	UK_EXPECT_EQ(uk_fd_count(), UK_FD_MAX);
	UK_EXPECT_EQ(last, UK_FD_MAX - 1);
	UK_EXPECT_EQ(SYS3(fcntl, 1, UK_F_DUPFD, 0), -EMFILE);
	/* dup2 onto an open descriptor needs no free one. */
	UK_EXPECT_EQ(SYS2(dup2, 0, last), last);
	for (fd = first; fd <= last; fd++)
		if (mine[fd / 64] >> (fd % 64) & 1)
			UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(uk_fd_count(), open_before);
	UK_EXPECT_EQ(SYS1(dup, 1), first);
	UK_EXPECT_EQ(SYS1(close, first), 0);
}
