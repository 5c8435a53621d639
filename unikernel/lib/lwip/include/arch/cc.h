/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's compiler and platform glue. lwIP is kernel code here: its
 * sources see musl's headers for the C library functions they call
 * (the kernel links musl's libc.a), and report through the kernel's
 * console and panic.
 */
#ifndef UK_LWIP_ARCH_CC_H
#define UK_LWIP_ARCH_CC_H

#include <limits.h>
#include <uk/debug.h>
#include <uk/print.h>
#include <uk/switch.h>

/* ssize_t as Linux and musl have it (lwIP would make it an int); not
 * from sys/types.h, which brings musl's struct timeval and fd_set, which
 * lwIP's sockets.h defines its own way. */
typedef long ssize_t;
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif
#define LWIP_NO_UNISTD_H 1

/* Linux's errno numbers (musl's list) without libc's errno, which lives
 * in the application thread's TLS: the socket calls set uk_lwip_errno
 * (see uk/lwip.h). */
#define LWIP_ERRNO_INCLUDE <bits/errno.h>
extern int uk_lwip_errno;
#define set_errno(err)                                                         \
	do {                                                                   \
		if (err)                                                       \
			uk_lwip_errno = (err);                                 \
	} while (0)

#define LWIP_PLATFORM_DIAG(x)                                                  \
	do {                                                                   \
		uk_printk x;                                                   \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                \
	uk_panic("lwIP assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)

/* lwIP's short critical sections (pool and statistics updates, which
 * interrupt handlers may also reach) disable interrupts: one CPU, and
 * threads only switch when they block. */
typedef unsigned long sys_prot_t;
#define SYS_ARCH_DECL_PROTECT(lev) sys_prot_t lev
#define SYS_ARCH_PROTECT(lev) ((lev) = arch_irq_save())
#define SYS_ARCH_UNPROTECT(lev) arch_irq_restore(lev)

/* Port numbers and the like; a generator seeded from the TSC when lwIP
 * starts, so deterministic runs (-icount) repeat. */
unsigned uk_lwip_rand(void);
#define LWIP_RAND() ((u32_t)uk_lwip_rand())

#endif
