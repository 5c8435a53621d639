/* SPDX-License-Identifier: BSD-3-Clause */
#include "tptable.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unitune/abi.h>

#include "count.h"
#include "strbuf.h"

/* Copy len bytes at virtual address addr of the loaded image from the
 * section holding them. 0, or -ENOENT (not in any section's data). */
static int read_vaddr(Elf *elf, uint64_t addr, void *buf, size_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_type == SHT_NOBITS || addr < sh.sh_addr ||
		    addr - sh.sh_addr >= sh.sh_size ||
		    len > sh.sh_size - (addr - sh.sh_addr))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || addr - sh.sh_addr + len > d->d_size)
			return -ENOENT;
		memcpy(buf, (const char *)d->d_buf + (addr - sh.sh_addr), len);
		return 0;
	}
	return -ENOENT;
}

/* The values of the table's two bounding symbols. */
static int find_bounds(Elf *elf, uint64_t *start, uint64_t *end)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int found = 0;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	if (!scn)
		return -ENOENT;
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t i, n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;

	for (i = 0; d && i < n && found != 3; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(d, (int)i, &sym))
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (name && !strcmp(name, UT_TP_TABLE_START)) {
			*start = sym.st_value;
			found |= 1;
		} else if (name && !strcmp(name, UT_TP_TABLE_END)) {
			*end = sym.st_value;
			found |= 2;
		}
	}
	return found == 3 && *start <= *end ? 0 : -ENOENT;
}

static int read_names(Elf *elf, uint64_t start, uint64_t end,
		      struct tptable *t)
{
	size_t i, n = (size_t)((end - start) / UT_TP_ENTRY_SIZE);

	if (!n)
		return 0;
	t->names = calloc(n, sizeof(*t->names));
	if (!t->names)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned char ptr[8];
		char name[UT_TP_NAME_MAX + 1];
		uint64_t at;
		size_t k;

		if (read_vaddr(elf, start + i * UT_TP_ENTRY_SIZE, ptr, 8))
			return -ENOENT;
		at = 0;
		for (k = 8; k-- > 0;)
			at = at << 8 | ptr[k];
		for (k = 0; k < UT_TP_NAME_MAX; k++)
			if (read_vaddr(elf, at + k, name + k, 1) || !name[k])
				break;
		if (k == UT_TP_NAME_MAX || name[k])
			return -ENOENT;
		t->names[i] = strdup(name);
		if (!t->names[i])
			return -ENOMEM;
		t->n = i + 1;
	}
	return 0;
}

int tptable_read(const char *path, struct tptable *t, char *why,
		 size_t why_len)
{
	uint64_t start = 0, end = 0;
	Elf *elf = NULL;
	int fd, err;

	memset(t, 0, sizeof(*t));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "cannot open %s: %s", path,
			 strerror(-err));
		return err;
	}
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) ||
	    elf_kind(elf) != ELF_K_ELF) {
		snprintf(why, why_len, "%s is not an ELF file: %s", path,
			 elf_errmsg(-1));
		err = -ENOEXEC;
		goto out;
	}
	err = find_bounds(elf, &start, &end);
	if (err) {
		snprintf(why, why_len, "%s has no trace-point table (no "
			 "symbols %s and %s)", path, UT_TP_TABLE_START,
			 UT_TP_TABLE_END);
		err = -ENOEXEC;
		goto out;
	}
	err = read_names(elf, start, end, t);
	if (err == -ENOENT) {
		snprintf(why, why_len, "%s: the trace-point table at 0x%llx "
			 "is unreadable", path, (unsigned long long)start);
		err = -ENOEXEC;
	} else if (err) {
		snprintf(why, why_len, "out of memory");
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}

static size_t count_matches(const struct tptable *t, const char *pat)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		n += !fnmatch(pat, t->names[i], 0);
	return n;
}

/* "a, b, c" (all of them), or "none" for an image without any. */
static void list_names(const struct tptable *t, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strbuf_addf(&sb, "%s%s", i ? ", " : "", t->names[i]))
			break;
	snprintf(buf, len, "%s", t->n ? (sb.buf ? sb.buf : "") :
		 "none (was it built with CONFIG_UKTRACE?)");
	strbuf_release(&sb);
}

int tptable_check_spec(const struct tptable *t, const char *spec, char *why,
		       size_t why_len)
{
	char pat[UT_TP_NAME_MAX * 4], names[1024];
	const char *p = spec;

	if (spec[0] == '0' && spec[1] == 'x') {
		uint64_t mask;
		int err = count_parse_hex(spec + 2, &mask);

		/* The syntax is the caller's to check (record does): here
		 * only which ids the mask names matters. */
		if (err)
			mask = err == -ERANGE ? UINT64_MAX : 0;
		if (t->n >= 64 || !(mask >> t->n))
			return 0;
		list_names(t, names, sizeof(names));
		snprintf(why, why_len, "mask %s names trace-point ids up to "
			 "%d, but the image has %zu (ids 0..%zu: %s)", spec,
			 63 - __builtin_clzll(mask), t->n,
			 t->n ? t->n - 1 : 0, names);
		return -ENOENT;
	}
	while (*p) {
		size_t len = strcspn(p, ",");

		snprintf(pat, sizeof(pat), "%.*s", (int)len, p);
		if (!strcmp(pat, "all"))
			strcpy(pat, "*");
		if (len && !count_matches(t, pat)) {
			list_names(t, names, sizeof(names));
			snprintf(why, why_len, "'%.*s' matches no trace point "
				 "of the image (it has: %s)", (int)len, p,
				 names);
			return -ENOENT;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

void tptable_free(struct tptable *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	memset(t, 0, sizeof(*t));
}
