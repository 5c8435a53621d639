/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory sizes as users type them: decimal digits with an optional K, M, G
 * or T suffix (either case) in binary units (K = 1024). No sign, no spaces,
 * no fractions.
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
 * UNITUNE_MEM_MAX_KIB. 0, -EINVAL (malformed, zero) or -ERANGE (above
 * the maximum).
 *
 * The maximum is what the guest can use: it maps only the low 4 GiB of
 * physical memory (unikernel/arch/x86_64/boot.S), and microvm puts the
 * RAM beyond 3 GiB above 4 GiB, so more is never touched.
 */
#define UNITUNE_MEM_MAX_KIB (4ULL << 20)
#define UNITUNE_MEM_MAX_TEXT "4G"
#define UNITUNE_MEM_MAX_WHY "the guest maps only the low 4 GiB of memory"
int size_parse_mem_kib(const char *s, uint64_t *kib);

#endif
