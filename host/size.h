/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory sizes as users type them: decimal digits with an optional K, M or
 * G suffix (either case) in binary units (K = 1024). No sign, no spaces, no
 * fractions.
 */
#ifndef UNITUNE_SIZE_H
#define UNITUNE_SIZE_H

#include <stdint.h>

/*
 * Parse s into bytes. A number without a suffix is in unit bytes (pass 1
 * for plain bytes, 1 << 20 for QEMU's MiB convention).
 * 0, -EINVAL (malformed) or -ERANGE (does not fit in 64 bits).
 */
int size_parse(const char *s, uint64_t unit, uint64_t *bytes);

/*
 * Parse a --mem value into KiB: like size_parse with MiB as the
 * bare-number unit (QEMU's -m convention), rounded up to whole KiB, and
 * not zero. KiB, not MiB: the smallest memory an image runs in is a
 * figure worth measuring finer than a MiB. Accepts at most
 * UNITUNE_MEM_MAX_KIB. 0, -EINVAL or -ERANGE.
 */
#define UNITUNE_MEM_MAX_KIB (1ULL << 40) /* 1 PiB, far above any host */
int size_parse_mem_kib(const char *s, uint64_t *kib);

#endif
