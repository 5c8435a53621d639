/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Random bytes for the kernel (getrandom(2), /dev/random and /dev/urandom
 * share it): RDRAND when the CPU has it, else a generator seeded by the
 * TSC (sys_random.c says when each applies). Never blocks, never fails.
 */
#ifndef UK_RANDOM_H
#define UK_RANDOM_H

#include <stddef.h>

/* CONFIG_UKVFS only (devfs is its one user besides getrandom). */
void uk_random_fill(void *buf, size_t len);

#endif
