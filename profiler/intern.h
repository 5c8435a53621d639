/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * String interning: one copy of each distinct string, so names and file
 * paths met many times (every sample repeats them) cost one allocation,
 * and equal strings compare equal as pointers. The pool owns the copies;
 * they live until intern_free().
 */
#ifndef UNITUNE_PROF_INTERN_H
#define UNITUNE_PROF_INTERN_H

#include <stddef.h>

struct intern;

struct intern *intern_new(void);

/* The pooled copy of s (or of its first n bytes), NULL on -ENOMEM. */
const char *intern_str(struct intern *in, const char *s);
const char *intern_strn(struct intern *in, const char *s, size_t n);

void intern_free(struct intern *in);

#endif
