/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Futexes (UKSCHED_THREADS, futex.c): the futex system call's wait queues,
 * one per 32-bit word, found through a hash of the word's address.
 * Waiting and waking happen in thread context only, never from interrupt
 * handlers.
 */
#ifndef UK_FUTEX_H
#define UK_FUTEX_H

#include <stdint.h>

/* The futex call's operations and flags, as Linux numbers them (the
 * guest has no kernel headers; futex.c and the tests share these). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

/* Wake up to n threads waiting on the word at addr (any bitset); returns
 * how many were woken. */
int uk_futex_wake(const uint32_t *addr, int n);

#endif
