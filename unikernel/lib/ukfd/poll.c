/* SPDX-License-Identifier: BSD-3-Clause */
/* poll(2) on descriptors (uk/poll.h). */
#include <uk/errno.h>
#include <uk/fd.h>
#include "pollset.h"

long uk_poll_fds(struct uk_pollfd *fds, unsigned long nfds, uint64_t deadline)
{
	struct pollset s;
	long r;

	if (nfds > UK_FD_MAX)
		return -EINVAL;
	if (nfds && !fds)
		return -EFAULT;
	r = pollset_init(&s, nfds);
	if (r)
		return r;
	for (unsigned long i = 0; i < nfds; i++) {
		struct pollent *e = &s.e[i];

		if (fds[i].fd < 0)
			continue;
		e->file = uk_fd_get(fds[i].fd);
		if (!e->file)
			e->got = UK_EPOLLNVAL;
		e->want = (uint16_t)fds[i].events | UK_EPOLL_ALWAYS;
	}
	r = pollset_wait(&s, deadline);
	for (unsigned long i = 0; i < nfds; i++)
		fds[i].revents = (short)s.e[i].got;
	pollset_fini(&s);
	return r;
}
