/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_NONE + UKSCHED_THREADS: run to completion has one thread, so
 * clone always fails with -EAGAIN, which pthread_create returns as is
 * (musl maps every clone failure to EAGAIN). exit, gettid and
 * set_tid_address keep lib/uksyscall's one-thread answers.
 */
#include <uk/errno.h>
#include <uk/syscall_impl.h>

long uk_sys_clone(long flags, long stack, long ptid, long ctid, long tls,
		  long a5)
{
	(void)flags, (void)stack, (void)ptid, (void)ctid, (void)tls, (void)a5;
	return -EAGAIN;
}
