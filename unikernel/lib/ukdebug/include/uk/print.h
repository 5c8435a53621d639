/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel formatted output. The kernel keeps its own small formatter so it
 * can print before libc is set up and from inside a crash.
 * Conversions: %d %i %u %x %X %o %c %s %p %%, flags '-' '0', width,
 * precision for %s, length modifiers hh h l ll z.
 */
#ifndef UK_PRINT_H
#define UK_PRINT_H

#include <stdarg.h>
#include <stddef.h>
#include <uk/compiler.h>

/* Like vsnprintf: returns the length the output would have had. */
int uk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int uk_snprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);

/* Format to the console; lines longer than 512 bytes are cut. */
void uk_printk(const char *fmt, ...) __printf_like(1, 2);
void uk_vprintk(const char *fmt, va_list ap);

/* A kernel message line: UNITUNE_MSG_PREFIX, then the text. */
#define uk_pr_info(fmt, ...) uk_printk("[uk] " fmt, ##__VA_ARGS__)
#define uk_pr_warn(fmt, ...) uk_printk("[uk] warning: " fmt, ##__VA_ARGS__)

#endif
