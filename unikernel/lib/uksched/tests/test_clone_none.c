/* SPDX-License-Identifier: BSD-3-Clause */
/* UKSCHED_NONE + UKSCHED_THREADS: one thread, so clone says EAGAIN (what
 * pthread_create then returns) and the tid is the pid. */
#include <uk/errno.h>
#include <uk/syscall_impl.h>
#include <uk/test.h>

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5);

/* What musl 1.2.3's pthread_create passes. */
#define MUSL_THREAD_FLAGS 0x7d0f00L

UK_TESTCASE(clone, none_fails_with_eagain)
{
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_clone, MUSL_THREAD_FLAGS, 4096, 0,
					 0, 0, 0), -EAGAIN);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_gettid, 0, 0, 0, 0, 0, 0), 1);
}
