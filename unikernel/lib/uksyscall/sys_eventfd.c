/* SPDX-License-Identifier: BSD-3-Clause */
/* eventfd and eventfd2 over lib/ukfd's eventfd (uk/eventfd.h). */
#include <uk/eventfd.h>
#include <uk/syscall_impl.h>

long uk_sys_eventfd(long initval, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_eventfd((unsigned int)initval, 0);
}

long uk_sys_eventfd2(long initval, long flags, long a2, long a3, long a4,
		     long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return uk_eventfd((unsigned int)initval, (int)flags);
}
