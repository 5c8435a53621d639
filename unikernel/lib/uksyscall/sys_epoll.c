/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait over
 * lib/ukfd's epoll (uk/epoll.h). epoll_pwait's signal mask is checked
 * (its size must be 8) and changes nothing: signals are never delivered.
 */
#include <uk/epoll.h>
#include <uk/errno.h>
#include <uk/poll.h>
#include <uk/syscall_impl.h>

#define SIGSET_BYTES 8

long uk_sys_epoll_create(long size, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if ((int)size <= 0)
		return -EINVAL;
	return uk_epoll_create(0);
}

long uk_sys_epoll_create1(long flags, long a1, long a2, long a3, long a4,
			  long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_epoll_create((int)flags);
}

long uk_sys_epoll_ctl(long epfd, long op, long fd, long ev, long a4, long a5)
{
	(void)a4, (void)a5;
	return uk_epoll_ctl((int)epfd, (int)op, (int)fd,
			    (const struct uk_epoll_event *)ev);
}

long uk_sys_epoll_wait(long epfd, long events, long max, long timeout, long a4,
		       long a5)
{
	(void)a4, (void)a5;
	return uk_epoll_wait((int)epfd, (struct uk_epoll_event *)events,
			     (int)max, uk_poll_deadline_ms((int)timeout));
}

long uk_sys_epoll_pwait(long epfd, long events, long max, long timeout,
			long sigmask, long sigsize)
{
	if (sigmask && sigsize != SIGSET_BYTES)
		return -EINVAL;
	return uk_sys_epoll_wait(epfd, events, max, timeout, 0, 0);
}
