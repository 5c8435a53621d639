/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ring-0 syscall shim: musl's `syscall` instructions enter through
 * MSR LSTAR (arch/x86_64/syscall_entry.S), move to the current thread's
 * syscall stack (the caller's red zone is never touched) and dispatch here.
 */
#ifndef UK_SYSCALL_H
#define UK_SYSCALL_H

#include <stdint.h>

/* Program STAR/LSTAR/FMASK; main's syscall stack is static. */
void uk_syscall_init(void);

/*
 * The stack the next syscall runs on. A scheduler sets it on every switch
 * to the incoming thread's own syscall stack: a thread that blocks inside a
 * syscall keeps its frames there while others make syscalls of their own.
 */
void uk_syscall_set_stack(uintptr_t top);
uintptr_t uk_syscall_main_stack(void);

#endif
