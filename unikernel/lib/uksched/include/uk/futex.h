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

/* Wake up to n threads waiting on the word at addr (any bitset); returns
 * how many were woken. */
int uk_futex_wake(const uint32_t *addr, int n);

#endif
