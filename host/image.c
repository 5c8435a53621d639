/* SPDX-License-Identifier: BSD-3-Clause */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "le.h"

/* QEMU's multiboot loader (hw/i386/multiboot.c) looks for the header in
 * the first 8 KiB, at a 4-byte boundary; without one QEMU takes the file
 * for a Linux kernel and fails with a message about PVH notes. */
#define MB_SEARCH 8192u
#define MB_MAGIC 0x1BADB002u
#define MB_AOUT_KLUDGE 0x00010000u

/* The file QEMU's multiboot loader accepts: a multiboot header with a
 * valid checksum, and with the a.out kludge (bit 16) the range it copies
 * inside the file. Without the kludge QEMU loads the ELF itself, which it
 * refuses for a 64-bit one. */
static int check_multiboot(int fd, uint64_t size, bool elf64,
			   const char *path, char *why, size_t why_len)
{
	unsigned char buf[MB_SEARCH];
	uint32_t flags, header_addr, load_addr, load_end;
	uint64_t text_off, load_size;
	ssize_t n = pread(fd, buf, sizeof(buf), 0);
	size_t off;

	if (n < 0) {
		int e = errno;

		snprintf(why, why_len, "cannot read %s: %s", path,
			 strerror(e));
		return -e;
	}
	for (off = 0; off + 12 <= (size_t)n; off += 4)
		if (le_get32(buf + off) == MB_MAGIC &&
		    le_get32(buf + off) + le_get32(buf + off + 4) +
				    le_get32(buf + off + 8) == 0)
			break;
	if (off + 12 > (size_t)n) {
		snprintf(why, why_len, "%s has no multiboot header in its "
			 "first %u bytes (QEMU's loader needs one)", path,
			 MB_SEARCH);
		return -ENOEXEC;
	}
	flags = le_get32(buf + off + 4);
	if (!(flags & MB_AOUT_KLUDGE)) {
		if (!elf64)
			return 0;
		snprintf(why, why_len, "%s: a 64-bit ELF needs the multiboot "
			 "header's address fields (flag bit 16); QEMU loads "
			 "only 32-bit ELFs without them", path);
		return -ENOEXEC;
	}
	if (off + 32 > (size_t)n) {
		snprintf(why, why_len, "%s: multiboot header at offset %zu is "
			 "cut short", path, off);
		return -ENOEXEC;
	}
	header_addr = le_get32(buf + off + 12);
	load_addr = le_get32(buf + off + 16);
	load_end = le_get32(buf + off + 20);
	/* As QEMU computes them: the file offset of load_addr, and the
	 * bytes it copies from there (to the end of file when 0). */
	if (header_addr < load_addr || header_addr - load_addr > off ||
	    (load_end && load_end < load_addr)) {
		snprintf(why, why_len, "%s: multiboot header at offset %zu "
			 "has inconsistent addresses (header 0x%x, load "
			 "0x%x..0x%x)", path, off, header_addr, load_addr,
			 load_end);
		return -ENOEXEC;
	}
	text_off = off - (header_addr - load_addr);
	load_size = load_end ? (uint64_t)(load_end - load_addr)
			     : size - text_off;
	if (text_off + load_size > size) {
		snprintf(why, why_len, "%s is truncated: its multiboot header "
			 "loads %llu bytes from offset %llu, but the file has "
			 "%llu", path, (unsigned long long)load_size,
			 (unsigned long long)text_off,
			 (unsigned long long)size);
		return -ENOEXEC;
	}
	return 0;
}

/* libelf's reason for the last failure; it has none for some cuts. */
static const char *elf_why(void)
{
	int e = elf_errno();

	return e ? elf_errmsg(e) : "truncated or damaged";
}

/* An x86 executable (64-bit, or 32-bit as a multiboot kernel may be)
 * whose loadable segments all lie inside the file. */
static int check_elf(Elf *elf, uint64_t size, bool *elf64, const char *path,
		     char *why, size_t why_len)
{
	GElf_Ehdr eh;
	size_t n, i;
	int cls;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(why, why_len, "%s is not a readable ELF file: %s",
			 path, elf_why());
		return -ENOEXEC;
	}
	/* Checked on the header's own fields: libelf (0.188) reports
	 * success with no count when the table is cut off. */
	if (eh.e_phoff > size ||
	    (uint64_t)eh.e_phnum * eh.e_phentsize > size - eh.e_phoff) {
		snprintf(why, why_len, "%s is truncated: its program headers "
			 "end at %llu, the file has %llu", path,
			 (unsigned long long)(eh.e_phoff + (uint64_t)eh.e_phnum *
							 eh.e_phentsize),
			 (unsigned long long)size);
		return -ENOEXEC;
	}
	n = 0;
	if (elf_getphdrnum(elf, &n)) {
		snprintf(why, why_len, "%s is truncated or damaged: %s", path,
			 elf_why());
		return -ENOEXEC;
	}
	cls = gelf_getclass(elf);
	*elf64 = cls == ELFCLASS64;
	if (!((cls == ELFCLASS64 && eh.e_machine == EM_X86_64) ||
	      (cls == ELFCLASS32 && eh.e_machine == EM_386))) {
		snprintf(why, why_len, "%s is an ELF for another machine "
			 "(class %d, e_machine %u), not x86-64", path, cls,
			 (unsigned)eh.e_machine);
		return -ENOEXEC;
	}
	if (eh.e_type != ET_EXEC) {
		snprintf(why, why_len, "%s is not an executable ELF (e_type "
			 "%u%s): not a unikernel image", path,
			 (unsigned)eh.e_type,
			 eh.e_type == ET_DYN ? ", a shared object or PIE" : "");
		return -ENOEXEC;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph)) {
			snprintf(why, why_len, "%s is truncated or damaged: "
				 "program header %zu is unreadable (%s)", path,
				 i, elf_why());
			return -ENOEXEC;
		}
		if (ph.p_type == PT_LOAD &&
		    (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)) {
			snprintf(why, why_len, "%s is truncated: segment %zu "
				 "needs bytes up to %llu, the file has %llu",
				 path, i,
				 (unsigned long long)(ph.p_offset + ph.p_filesz),
				 (unsigned long long)size);
			return -ENOEXEC;
		}
	}
	return 0;
}

/* What image_check() and image_layout() opened, closed. */
static void elf_release(Elf *elf, int fd)
{
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
}

int image_check(const char *path, char *why, size_t why_len)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };
	unsigned char head[4];
	struct stat st;
	Elf *elf = NULL;
	bool elf64 = false;
	ssize_t n;
	int fd, err = 0;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "cannot open %s: %s", path,
			 strerror(-err));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		snprintf(why, why_len, "cannot stat %s: %s", path,
			 strerror(-err));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC;
		snprintf(why, why_len, "%s is not a regular file", path);
		goto out;
	}
	n = read(fd, head, sizeof(head));
	if (n < 0) {
		err = -errno;
		snprintf(why, why_len, "cannot read %s: %s", path,
			 strerror(-err));
		goto out;
	}
	if (n != (ssize_t)sizeof(head) || memcmp(head, magic, sizeof(magic))) {
		err = -ENOEXEC;
		snprintf(why, why_len, "%s is not an ELF file", path);
		goto out;
	}
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ, NULL))) {
		err = -ENOEXEC;
		snprintf(why, why_len, "%s is not a readable ELF file: %s",
			 path, elf_why());
		goto out;
	}
	err = check_elf(elf, (uint64_t)st.st_size, &elf64, path, why,
			why_len);
	if (!err)
		err = check_multiboot(fd, (uint64_t)st.st_size, elf64, path,
				      why, why_len);
out:
	elf_release(elf, fd);
	return err;
}

int image_load_end(const char *path, uint64_t *end, char *why, size_t why_len)
{
	struct image_layout l;
	int err = image_layout(path, &l, why, why_len);

	*end = err ? 0 : l.load_end;
	return err;
}

int image_layout(const char *path, struct image_layout *out, char *why,
		 size_t why_len)
{
	Elf *elf = NULL;
	size_t n, i;
	uint64_t *end = &out->load_end;
	int fd, err = -ENOEXEC;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ, NULL)) ||
	    elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &n)) {
		snprintf(why, why_len, "%s is not a readable ELF: %s", path,
			 elf_errmsg(-1));
		goto out;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_paddr + ph.p_memsz > *end)
			*end = ph.p_paddr + ph.p_memsz;
		out->file_bytes += ph.p_filesz;
	}
	if (!*end) {
		snprintf(why, why_len, "%s has no loadable segment", path);
		goto out;
	}
	err = 0;
out:
	elf_release(elf, fd);
	return err;
}
