/* SPDX-License-Identifier: BSD-3-Clause */
/* Leaving the guest. The status encoding is the one in unitune/abi.h, and
 * this is the only place the guest applies it. */
#ifndef UK_EXIT_H
#define UK_EXIT_H

#include <uk/compiler.h>

/* Application exit: status is reduced to 8 bits, as on POSIX. */
__noreturn void uk_exit(int status);
/*
 * Crash exit with a UNITUNE_CRASH_* status (unitune/abi.h); the caller has
 * already printed the "[uk] crash:" line and its report.
 */
__noreturn void uk_exit_crash(int status);

#endif
