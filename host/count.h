/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counts as users type them on the command line (--jobs, --limit, --top).
 */
#ifndef UNITUNE_COUNT_H
#define UNITUNE_COUNT_H

/* Decimal digits only (no sign, no space), at most max. 0 or -EINVAL. */
int count_parse(const char *s, unsigned long max, unsigned long *out);

#endif
