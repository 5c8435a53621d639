/* SPDX-License-Identifier: BSD-3-Clause */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int image_check(const char *path, char *why, size_t why_len)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };
	unsigned char head[4];
	struct stat st;
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
out:
	if (fd >= 0)
		close(fd);
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
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return err;
}
