/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel code is freestanding but links musl's libc.a, so the string
 * functions come from there; this declares the ones kernel code may call. */
#ifndef UK_STRING_H
#define UK_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
