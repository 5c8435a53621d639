/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll with Linux's semantics, O(ready) per wait: a file's notification
 * (uk_file_notify) puts its entry on the set's ready list, and a wait
 * looks only at that list.
 *
 * - Level-triggered entries stay on the list after they are reported and
 *   are polled again at the next wait (dropped once no longer ready).
 * - Edge-triggered ones (UK_EPOLLET) leave it when reported: one report
 *   per notification, however many happened before the wait.
 * - UK_EPOLLONESHOT disarms the entry after one report until EPOLL_CTL_MOD.
 * - UK_EPOLLERR and UK_EPOLLHUP are always reported. UK_EPOLLEXCLUSIVE is
 *   accepted with ADD and has no further effect (waiters are woken all at
 *   once); UK_EPOLLWAKEUP is ignored, as Linux does without the capability.
 * - An entry is (fd, file): it lives until EPOLL_CTL_DEL or until the file
 *   itself is released, i.e. its last descriptor closed (a dup keeps it).
 * - Sets nest; adding one to itself is EINVAL, a cycle or nesting deeper
 *   than UK_EPOLL_MAX_NESTS is ELOOP.
 */
#ifndef UK_EPOLL_H
#define UK_EPOLL_H

#include <uk/file.h>

/* struct epoll_event, which is packed on x86_64 (12 bytes). */
struct uk_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

#define UK_EPOLL_CTL_ADD 1
#define UK_EPOLL_CTL_DEL 2
#define UK_EPOLL_CTL_MOD 3
#define UK_EPOLL_CLOEXEC UK_O_CLOEXEC
#define UK_EPOLL_MAX_NESTS 4
/* Linux's bound on maxevents (INT_MAX / sizeof(struct epoll_event)). */
#define UK_EPOLL_MAX_EVENTS (0x7fffffff / (int)sizeof(struct uk_epoll_event))

/* epoll_create1(2): a descriptor, or -EINVAL (unknown flags), -ENOMEM,
 * -EMFILE. */
int uk_epoll_create(int flags);

/*
 * epoll_ctl(2): 0, or -EBADF (a descriptor not open), -EINVAL (epfd not
 * an epoll set, fd == epfd, unknown op, EXCLUSIVE with MOD or on a set),
 * -EPERM (the file cannot be polled), -EEXIST (ADD twice), -ENOENT (MOD or
 * DEL of what is not there), -ELOOP, -EFAULT (ev NULL for ADD or MOD),
 * -ENOMEM.
 */
int uk_epoll_ctl(int epfd, int op, int fd, const struct uk_epoll_event *ev);

/*
 * epoll_wait(2) until deadline (uk/poll.h): the number of events written
 * to events (0 at the deadline), or -EINVAL (maxevents out of range, epfd
 * not a set), -EFAULT (events NULL), -EBADF.
 */
long uk_epoll_wait(int epfd, struct uk_epoll_event *events, int maxevents,
		   uint64_t deadline);

#endif
