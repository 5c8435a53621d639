/* SPDX-License-Identifier: BSD-3-Clause */
#include "symbols.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intern.h"
#include "paths.h"
#include "stream.h"
#include "why.h"

struct sym {
	uint64_t addr;
	uint64_t size;	/* 0: up to the next symbol */
	const char *name;
	int rank;	/* among aliases at one address, the higher wins */
};

struct cache_slot {
	uint64_t pc;
	struct sym_loc *loc;	/* NULL: empty slot */
};

struct symbolizer {
	int fd;
	Elf *elf;
	Dwarf *dwarf;		/* NULL when the image has no DWARF */
	struct intern *strings;
	struct sym *syms;	/* sorted by addr, one per address */
	size_t nsyms;
	uint8_t build_id[UT_BUILD_ID_MAX];
	size_t build_id_len;
	char *path;
	struct cache_slot *cache;	/* open addressing, power of two */
	size_t cache_cap, cache_n;
	uint64_t hits, lookups;
};

/* Fill id from the first NT_GNU_BUILD_ID note in a SHT_NOTE section, or
 * failing that a PT_NOTE segment (a stripped image may have no sections). */
static int note_build_id(Elf_Data *data, uint8_t *id, size_t cap, size_t *len)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	while ((next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp((const char *)data->d_buf + name_off, "GNU", 4)) {
			*len = nh.n_descsz < cap ? nh.n_descsz : cap;
			memcpy(id, (const char *)data->d_buf + desc_off, *len);
			return 1;
		}
		off = next;
	}
	return 0;
}

static void elf_build_id(Elf *elf, uint8_t *id, size_t cap, size_t *len)
{
	Elf_Scn *scn = NULL;
	size_t n, i;

	*len = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		d = elf_getdata(scn, NULL);
		if (d && note_build_id(d, id, cap, len))
			return;
	}
	if (elf_getphdrnum(elf, &n))
		return;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		Elf_Data *d;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz,
					 ELF_T_NHDR);
		if (d && note_build_id(d, id, cap, len))
			return;
	}
}

static int open_elf(const char *path, int *fd, Elf **elf, char *why,
		    size_t why_len)
{
	char open_why[UNITUNE_WHY_MAX];
	int e;

	*elf = NULL;
	/* A FIFO would block elf_begin; /dev/zero would never end. */
	*fd = paths_open_regular(path, NULL, open_why, sizeof(open_why));
	if (*fd < 0) {
		e = *fd;
		snprintf(why, why_len, "cannot open %s", open_why);
		return e;
	}
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(*elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL)) ||
	    elf_kind(*elf) != ELF_K_ELF) {
		snprintf(why, why_len, "%s is not an ELF file: %s", path,
			 elf_errmsg(-1));
		if (*elf)
			elf_end(*elf);
		*elf = NULL;
		close(*fd);
		*fd = -1;
		return -ENOEXEC;
	}
	return 0;
}

int symbols_read_build_id(const char *path, uint8_t *id, size_t cap,
			  size_t *len, char *why, size_t why_len)
{
	Elf *elf;
	int fd, e;

	*len = 0;
	e = open_elf(path, &fd, &elf, why, why_len);
	if (e)
		return e;
	elf_build_id(elf, id, cap, len);
	elf_end(elf);
	close(fd);
	return 0;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Functions of the symbol table. Assembly labels in code sections are
 * often STT_NOTYPE (boot.S, isr.S), so those count too, ranked below a
 * proper function at the same address; global beats local beats weak.
 */
static int load_symbols(struct symbolizer *s, char *why, size_t why_len)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh, symsh = { 0 };
	Elf_Data *data;
	size_t i, n, j;
	struct sym *v;

	while ((scn = elf_nextscn(s->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB ||
		    (sh.sh_type == SHT_DYNSYM && !symscn)) {
			symscn = scn;
			symsh = sh;
		}
	}
	if (!symscn)
		return 0;	/* stripped: every address is unknown */
	data = elf_getdata(symscn, NULL);
	if (!data || !symsh.sh_entsize)
		return 0;
	n = symsh.sh_size / symsh.sh_entsize;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0, j = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		int type;
		Elf_Scn *sec;
		GElf_Shdr secsh;

		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
			continue;
		if (type != STT_FUNC && type != STT_NOTYPE)
			continue;
		name = elf_strptr(s->elf, symsh.sh_link, sym.st_name);
		if (!name || !*name || name[0] == '.' || name[0] == '$')
			continue;
		if (type == STT_NOTYPE) {
			sec = elf_getscn(s->elf, sym.st_shndx);
			if (!sec || !gelf_getshdr(sec, &secsh) ||
			    !(secsh.sh_flags & SHF_EXECINSTR))
				continue;
		}
		v[j].addr = sym.st_value;
		v[j].size = sym.st_size;
		v[j].rank = (type == STT_FUNC ? 4 : 0) +
			    (GELF_ST_BIND(sym.st_info) == STB_GLOBAL ? 2 :
			     GELF_ST_BIND(sym.st_info) == STB_LOCAL ? 1 : 0);
		v[j].name = intern_str(s->strings, name);
		if (!v[j].name) {
			free(v);
			snprintf(why, why_len, "out of memory");
			return -ENOMEM;
		}
		j++;
	}
	qsort(v, j, sizeof(*v), cmp_sym);
	/* Keep the best-ranked alias at each address. */
	for (i = 0, n = 0; i < j; i++)
		if (!n || v[n - 1].addr != v[i].addr)
			v[n++] = v[i];
	s->syms = v;
	s->nsyms = n;
	return 0;
}

int symbolizer_open(struct symbolizer **out, const char *image, char *why,
		    size_t why_len)
{
	struct symbolizer *s;
	int e;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	s->fd = -1;
	s->strings = intern_new();
	s->path = strdup(image);
	s->cache_cap = 1024;
	s->cache = calloc(s->cache_cap, sizeof(*s->cache));
	if (!s->strings || !s->path || !s->cache) {
		snprintf(why, why_len, "out of memory");
		e = -ENOMEM;
		goto fail;
	}
	e = open_elf(image, &s->fd, &s->elf, why, why_len);
	if (e)
		goto fail;
	elf_build_id(s->elf, s->build_id, sizeof(s->build_id),
		     &s->build_id_len);
	e = load_symbols(s, why, why_len);
	if (e)
		goto fail;
	/* No DWARF is not an error: names still come from the symtab. */
	s->dwarf = dwarf_begin_elf(s->elf, DWARF_C_READ, NULL);
	*out = s;
	return 0;
fail:
	symbolizer_close(s);
	return e;
}

const uint8_t *symbolizer_build_id(const struct symbolizer *s, size_t *len)
{
	*len = s->build_id_len;
	return s->build_id;
}

int symbolizer_check_build_id(const struct symbolizer *s, const uint8_t *id,
			      size_t len, char *why, size_t why_len)
{
	char a[2 * UT_BUILD_ID_MAX + 1], b[2 * UT_BUILD_ID_MAX + 1];

	stream_build_id_hex(id, len, a, sizeof(a));
	stream_build_id_hex(s->build_id, s->build_id_len, b, sizeof(b));
	if (!s->build_id_len) {
		snprintf(why, why_len,
			 "%s has no GNU build-id note, so the trace (build-id "
			 "%s) cannot be matched to it",
			 s->path, len ? a : "none");
		return -ESRCH;
	}
	if (!len) {
		snprintf(why, why_len,
			 "trace carries no build-id, so it cannot be matched "
			 "to %s (build-id %s)",
			 s->path, b);
		return -ESRCH;
	}
	if (len != s->build_id_len || memcmp(id, s->build_id, len)) {
		snprintf(why, why_len,
			 "trace was recorded from build-id %s, %s has %s", a,
			 s->path, b);
		return -ESRCH;
	}
	return 0;
}

static const struct sym *find_sym(const struct symbolizer *s, uint64_t pc)
{
	size_t lo = 0, hi = s->nsyms;
	const struct sym *f;

	/* The last symbol at or below pc. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->syms[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	f = &s->syms[lo - 1];
	if (f->size)
		return pc - f->addr < f->size ? f : NULL;
	/* Sizeless assembly labels reach up to the next symbol. */
	return lo < s->nsyms || pc == f->addr ? f : NULL;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	/* Integrate: an inlined instance names its abstract origin. */
	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

/* Fill frames from DWARF; returns how many (0: DWARF does not know pc). */
static int dwarf_frames(struct symbolizer *s, uint64_t pc, struct sym_loc *l)
{
	Dwarf_Die cudie, *scopes = NULL, *fn[SYM_FRAMES_MAX];
	Dwarf_Files *files = NULL;
	Dwarf_Line *line;
	const char *leaf_file = NULL;
	int leaf_line = 0, nscopes, i, k = 0, j, ret = 0;

	if (!s->dwarf || !dwarf_addrdie(s->dwarf, pc, &cudie))
		return 0;
	line = dwarf_getsrc_die(&cudie, pc);
	if (line) {
		leaf_file = dwarf_linesrc(line, NULL, NULL);
		dwarf_lineno(line, &leaf_line);
	}
	/*
	 * dwarf_getscopes() continues from an inlined instance into its
	 * abstract definition, not into the function it was inlined into;
	 * the concrete chain comes from the innermost scope's parents.
	 */
	nscopes = dwarf_getscopes(&cudie, pc, &scopes);
	if (nscopes > 0) {
		Dwarf_Die inner = scopes[0];

		free(scopes);
		scopes = NULL;
		nscopes = dwarf_getscopes_die(&inner, &scopes);
	}
	/* Innermost first; keep the outermost SYM_FRAMES_MAX functions. */
	for (i = 0; i < nscopes; i++) {
		int tag = dwarf_tag(&scopes[i]);

		if (tag != DW_TAG_subprogram &&
		    tag != DW_TAG_inlined_subroutine)
			continue;
		if (k == SYM_FRAMES_MAX) {
			memmove(fn, fn + 1, sizeof(fn[0]) * (k - 1));
			k--;
		}
		fn[k++] = &scopes[i];
	}
	if (k == 0) {
		/* An assembly file: only a line. */
		if (!leaf_file)
			goto out;
		l->frames[0].file = intern_str(s->strings, leaf_file);
		l->frames[0].line = leaf_line;
		ret = -1;	/* caller names it from the symtab */
		goto out;
	}
	dwarf_getsrcfiles(&cudie, &files, NULL);
	/* fn[k-1] is the outermost; frame index from the outside in. */
	for (j = k - 1; j >= 0; j--) {
		struct sym_frame *f = &l->frames[k - 1 - j];
		const char *name = die_name(fn[j]);
		const char *decl = dwarf_decl_file(fn[j]);
		const char *file = NULL;
		int ln = 0;

		if (j == 0) {
			file = leaf_file;
			ln = leaf_line;
		} else {
			/* Where this frame called the one inlined into it. */
			Dwarf_Attribute a;
			Dwarf_Word v;

			if (files && !dwarf_formudata(dwarf_attr(fn[j - 1],
						DW_AT_call_file, &a), &v))
				file = dwarf_filesrc(files, v, NULL, NULL);
			if (!dwarf_formudata(dwarf_attr(fn[j - 1],
						DW_AT_call_line, &a), &v))
				ln = (int)v;
		}
		f->func = name ? intern_str(s->strings, name) : NULL;
		f->file = file ? intern_str(s->strings, file) : NULL;
		f->decl_file = decl ? intern_str(s->strings, decl) : NULL;
		f->line = ln;
		f->inlined = dwarf_tag(fn[j]) == DW_TAG_inlined_subroutine &&
			     j != k - 1;
	}
	ret = k;
out:
	free(scopes);
	return ret;
}

static struct sym_loc *resolve(struct symbolizer *s, uint64_t pc)
{
	struct sym_loc *l = calloc(1, sizeof(*l));
	const struct sym *sym;
	int n;

	if (!l)
		return NULL;
	l->pc = pc;
	sym = find_sym(s, pc);
	n = dwarf_frames(s, pc, l);
	if (n <= 0)
		n = 1;
	l->nframes = (unsigned)n;
	/* The outermost name: DWARF's (without clone suffixes such as
	 * ".part.0"), else the symbol's, else unknown. */
	if (!l->frames[0].func)
		l->frames[0].func = sym ? sym->name :
					  intern_str(s->strings, SYM_UNKNOWN);
	for (n = 1; n < (int)l->nframes; n++)
		if (!l->frames[n].func)
			l->frames[n].func = intern_str(s->strings, SYM_UNKNOWN);
	for (n = 0; n < (int)l->nframes; n++) {
		if (!l->frames[n].func) {
			free(l);
			return NULL;
		}
	}
	return l;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static int cache_grow(struct symbolizer *s)
{
	size_t cap = s->cache_cap * 2, i, j;
	struct cache_slot *c = calloc(cap, sizeof(*c));

	if (!c)
		return -ENOMEM;
	for (i = 0; i < s->cache_cap; i++) {
		if (!s->cache[i].loc)
			continue;
		j = mix(s->cache[i].pc) & (cap - 1);
		while (c[j].loc)
			j = (j + 1) & (cap - 1);
		c[j] = s->cache[i];
	}
	free(s->cache);
	s->cache = c;
	s->cache_cap = cap;
	return 0;
}

const struct sym_loc *symbolizer_lookup(struct symbolizer *s, uint64_t pc)
{
	size_t i;
	struct sym_loc *l;

	s->lookups++;
	if ((s->cache_n + 1) * 2 > s->cache_cap && cache_grow(s))
		return NULL;
	i = mix(pc) & (s->cache_cap - 1);
	while (s->cache[i].loc) {
		if (s->cache[i].pc == pc) {
			s->hits++;
			return s->cache[i].loc;
		}
		i = (i + 1) & (s->cache_cap - 1);
	}
	l = resolve(s, pc);
	if (!l)
		return NULL;
	s->cache[i].pc = pc;
	s->cache[i].loc = l;
	s->cache_n++;
	return l;
}

int symbolizer_function(const struct symbolizer *s, const char *name,
			uint64_t *addr, uint64_t *size)
{
	size_t i;

	for (i = 0; i < s->nsyms; i++) {
		if (!strcmp(s->syms[i].name, name)) {
			*addr = s->syms[i].addr;
			*size = s->syms[i].size;
			return 0;
		}
	}
	return -ENOENT;
}

void symbolizer_cache_stats(const struct symbolizer *s, uint64_t *hits,
			    uint64_t *lookups)
{
	*hits = s->hits;
	*lookups = s->lookups;
}

void symbolizer_close(struct symbolizer *s)
{
	size_t i;

	if (!s)
		return;
	if (s->cache)
		for (i = 0; i < s->cache_cap; i++)
			free(s->cache[i].loc);
	free(s->cache);
	if (s->dwarf)
		dwarf_end(s->dwarf);
	if (s->elf)
		elf_end(s->elf);
	if (s->fd >= 0)
		close(s->fd);
	free(s->syms);
	intern_free(s->strings);
	free(s->path);
	free(s);
}
