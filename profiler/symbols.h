/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Addresses of an image to names, source lines and inlined frames.
 *
 * Images are static ELF files loaded at their link addresses, so an
 * address in the trace is an address in the file's symbol table and
 * DWARF, with no relocation. Names come from the ELF symbol table (libelf)
 * and, where DWARF exists, from the subprogram and inlined-subroutine DIEs
 * (libdw), which also give file:line for every frame: the innermost from
 * the line table, each enclosing one from its inlined callee's call site.
 * An image without DWARF still gets function names.
 *
 * The trace's build-id must match the image's GNU build-id note, or the
 * profile would name the wrong functions without anyone noticing:
 * symbolizer_check_build_id() is the gate.
 *
 * Look-ups are cached per address (profiles repeat the same PCs).
 * Returned pointers (strings and locations) live as long as the handle.
 */
#ifndef UNITUNE_PROF_SYMBOLS_H
#define UNITUNE_PROF_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#define SYM_FRAMES_MAX 16	/* a function and its inlined callees */
#define SYM_UNKNOWN "[unknown]"	/* name of an address outside any symbol */

struct sym_frame {
	const char *func;	/* never NULL; SYM_UNKNOWN when unknown */
	const char *file;	/* source file, or NULL without DWARF */
	int line;		/* 0 when unknown */
	const char *decl_file;	/* where func is defined (tells apart two
				 * static functions of one name), or NULL */
	int inlined;		/* 1: inlined into the frame before it */
};

/* frames[0] is the real (out-of-line) function, then the functions
 * inlined into it, innermost last. */
struct sym_loc {
	uint64_t pc;
	unsigned nframes;	/* >= 1 */
	struct sym_frame frames[SYM_FRAMES_MAX];
};

struct symbolizer;

/*
 * Open image (symbols, DWARF when present, build-id). 0, or -errno /
 * -ENOEXEC with a one-line reason in why.
 */
int symbolizer_open(struct symbolizer **out, const char *image, char *why,
		    size_t why_len);

/* The image's GNU build-id (len 0 when it has none). */
const uint8_t *symbolizer_build_id(const struct symbolizer *s, size_t *len);

/*
 * 0 if the trace's build-id equals the image's; otherwise -ESRCH with
 * "trace was recorded from build-id X, IMAGE has Y" (or says which side
 * has none) in why.
 */
int symbolizer_check_build_id(const struct symbolizer *s, const uint8_t *id,
			      size_t len, char *why, size_t why_len);

/* The location of pc; NULL only when memory runs out. */
const struct sym_loc *symbolizer_lookup(struct symbolizer *s, uint64_t pc);

/* Address and size of the function symbol name (first match). 0 or
 * -ENOENT. */
int symbolizer_function(const struct symbolizer *s, const char *name,
			uint64_t *addr, uint64_t *size);

/* How many look-ups were served from the cache, and in all. */
void symbolizer_cache_stats(const struct symbolizer *s, uint64_t *hits,
			    uint64_t *lookups);

void symbolizer_close(struct symbolizer *s);

/*
 * The GNU build-id note of the ELF file at path, read with libelf, into
 * id[0..cap): *len is 0 when the file has none. 0, or -errno / -ENOEXEC
 * with a reason in why.
 */
int symbols_read_build_id(const char *path, uint8_t *id, size_t cap,
			  size_t *len, char *why, size_t why_len);

#endif
