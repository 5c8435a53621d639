/* SPDX-License-Identifier: BSD-3-Clause */
/* Hand-over to musl: the process start-up a Linux kernel would do. */
#ifndef UK_LIBC_H
#define UK_LIBC_H

#include <uk/compiler.h>

/*
 * Lay out argv, envp and the auxiliary vector the way Linux does on a new
 * process's stack, and enter musl's __libc_start_main, which sets up TLS,
 * the stack protector and stdio, runs constructors, calls main() and
 * exit()s with its result.
 */
__noreturn void uk_libc_start(int argc, char **argv, char **envp);

#endif
