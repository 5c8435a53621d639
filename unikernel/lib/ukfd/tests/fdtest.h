/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers for lib/ukfd's guest tests: calls go through the syscall
 * dispatcher with musl's numbers, as an application's would, and a small
 * file kind ("tfile") whose readiness a test sets by hand.
 */
#ifndef UKFD_TEST_FDTEST_H
#define UKFD_TEST_FDTEST_H

#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/file.h>
#include <uk/plat.h>
#include <uk/syscall_nr.h>
#include <uk/x86.h>

#define MS 1000000ULL

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5);

#define SYS0(n) uk_syscall_dispatch(SYS_##n, 0, 0, 0, 0, 0, 0)
#define SYS1(n, a) uk_syscall_dispatch(SYS_##n, (long)(a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(n, a, b, c)                                                       \
	uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(n, a, b, c, d)                                                    \
	uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYS6(n, a, b, c, d, e, f)                                              \
	uk_syscall_dispatch(SYS_##n, (long)(a), (long)(b), (long)(c), (long)(d), \
			    (long)(e), (long)(f))

/* A file whose readiness is tfile.ready; reads take one byte of "bytes"
 * (-EAGAIN when there is none), writes are counted. */
struct tfile {
	struct uk_file file;
	uint32_t ready;
	unsigned bytes;
	unsigned reads, released;
};

static inline long tfile_read(struct uk_file *f, const struct uk_iovec *iov,
			      int iovcnt)
{
	struct tfile *t = (struct tfile *)f;
	char c = 'x';

	t->reads++;
	if (!t->bytes)
		return -EAGAIN;
	if (!--t->bytes)
		t->ready &= ~UK_EPOLLIN;
	return (long)uk_iov_copy_out(iov, iovcnt, &c, 1);
}

static inline uint32_t tfile_poll(struct uk_file *f)
{
	return ((struct tfile *)f)->ready;
}

static inline void tfile_release(struct uk_file *f)
{
	((struct tfile *)f)->released++;
}

static const struct uk_file_ops tfile_ops = {
	.read = tfile_read,
	.poll = tfile_poll,
	.release = tfile_release,
};

/* t at a new descriptor (the table holds the one reference). */
static inline int tfile_open(struct tfile *t, unsigned int flags)
{
	*t = (struct tfile){ 0 };
	uk_file_init(&t->file, &tfile_ops, UK_O_RDWR | flags);
	return uk_fd_alloc(&t->file, 0, 0);
}

/* Data arrives: readable now, waiters told. */
static inline void tfile_feed(struct tfile *t, unsigned bytes)
{
	t->bytes += bytes;
	t->ready |= UK_EPOLLIN;
	uk_file_notify(&t->file, UK_EPOLLIN);
}

static inline uint64_t live_blocks(void)
{
	struct uk_alloc_stats st;

	uk_alloc_stats_get(uk_alloc_default(), &st);
	return st.cur_blocks;
}

static inline uint64_t ns_since(uint64_t tsc)
{
	uint64_t d = rdtsc() - tsc, hz = plat_tsc_hz();

	return d / hz * 1000000000ULL + d % hz * 1000000000ULL / hz;
}

#endif
