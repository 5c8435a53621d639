/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers for lib/ukvfs's guest tests: calls go through the syscall
 * dispatcher with musl's numbers, as an application's would. The tree is
 * the one built at boot and shared by every test, so each test works in
 * a directory of its own under /tmp and removes it at the end.
 */
#ifndef UKVFS_TEST_VFSTEST_H
#define UKVFS_TEST_VFSTEST_H

#include <stdint.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/string.h>
#include <uk/syscall_nr.h>
#include <uk/test.h>
#include <uk/vfs.h>

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5);

#define SYS1(n, a) uk_syscall_dispatch(SYS_##n, (long)(a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(n, a, b, c)                                                       \
	uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(n, a, b, c, d)                                                    \
	uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYS5(n, a, b, c, d, e)                                                 \
	uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), (long)(c), (long)(d), \
			    (long)(e), 0)

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT UK_O_CREAT
#define O_EXCL UK_O_EXCL
#define O_TRUNC UK_O_TRUNC
#define O_APPEND UK_O_APPEND
#define O_DIRECTORY UK_O_DIRECTORY
#define AT_FDCWD UK_AT_FDCWD
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* The fields of x86_64's struct stat the tests read. */
struct tstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t times[6];
	int64_t unused[3];
};

/* Create path with text as its contents: 0 or -errno. */
static inline long put(const char *path, const char *text)
{
	long fd = SYS3(open, path, O_WRONLY | O_CREAT | O_TRUNC, 0644), n;

	if (fd < 0)
		return fd;
	n = SYS3(write, fd, text, strlen(text));
	SYS1(close, fd);
	return n == (long)strlen(text) ? 0 : -EIO;
}

/* Read up to len - 1 bytes of path into buf (NUL-terminated). */
static inline long get(const char *path, char *buf, size_t len)
{
	long fd = SYS2(open, path, O_RDONLY), n;

	if (fd < 0)
		return fd;
	n = SYS3(read, fd, buf, len - 1);
	SYS1(close, fd);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

static inline long size_of(const char *path)
{
	struct tstat st;
	long r = SYS2(stat, path, &st);

	return r < 0 ? r : st.size;
}

#endif
