/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eventfd: a 64-bit counter as a file, with Linux's semantics. A write of
 * 8 bytes adds its value (UINT64_MAX itself is EINVAL); a sum that would
 * pass UINT64_MAX - 1 blocks, or is EAGAIN when non-blocking. A read of at
 * least 8 bytes returns the counter and zeroes it, or in semaphore mode
 * returns 1 and decrements it; an empty counter blocks, or is EAGAIN.
 * Shorter buffers are EINVAL. Readable while the counter is not 0,
 * writable while it is below UINT64_MAX - 1. Every successful write
 * notifies readers (so an edge-triggered epoll reports each one), every
 * read notifies writers.
 */
#ifndef UK_EVENTFD_H
#define UK_EVENTFD_H

#include <uk/file.h>

#define UK_EFD_SEMAPHORE 1
#define UK_EFD_NONBLOCK UK_O_NONBLOCK
#define UK_EFD_CLOEXEC UK_O_CLOEXEC

/* eventfd2(2): a new descriptor, or -EINVAL (unknown flags), -ENOMEM,
 * -EMFILE. */
int uk_eventfd(unsigned int initval, int flags);

#endif
