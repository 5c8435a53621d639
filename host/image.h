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
 * 0 if path is a readable regular file starting with the ELF magic;
 * otherwise -errno (-ENOENT, -EACCES, -EISDIR ...) or -ENOEXEC (not an
 * ELF), with a one-line explanation in why.
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
