/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cheap checks on an image file before QEMU is started, so a typo in a
 * path is reported as such and not as a QEMU failure.
 */
#ifndef UNITUNE_IMAGE_H
#define UNITUNE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * 0 if path is an image QEMU's multiboot loader can boot: a readable
 * regular file that is an x86 executable ELF (ELFCLASS64 with EM_X86_64,
 * or ELFCLASS32 with EM_386; ET_EXEC) whose PT_LOAD segments lie inside
 * the file, with a multiboot header (magic, checksum) at a 4-byte
 * boundary in its first 8 KiB. A 64-bit ELF must use the header's a.out
 * address fields (flag bit 16), and the range they load must lie inside
 * the file too. Otherwise -errno (-ENOENT, -EACCES, -EISDIR ...) or
 * -ENOEXEC (not such an image: another machine, a program, truncated),
 * with a one-line explanation in why.
 */
int image_check(const char *path, char *why, size_t why_len);

/*
 * The highest physical address any PT_LOAD segment of the ELF at path
 * occupies (p_paddr + p_memsz, .bss included), read with libelf: the least
 * memory QEMU must give the guest before it can even load it.
 * 0, or -ENOEXEC (not a readable ELF, no PT_LOAD) with why filled in.
 */
int image_load_end(const char *path, uint64_t *end, char *why, size_t why_len);

/*
 * What the loadable segments of an ELF hold: load_end as above, and the
 * bytes QEMU copies in (sum of p_filesz: code and data, the "image size"
 * the tuner records). 0, or -ENOEXEC with why filled in.
 */
struct image_layout {
	uint64_t load_end;
	uint64_t file_bytes;
};
int image_layout(const char *path, struct image_layout *out, char *why,
		 size_t why_len);

#endif
