/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Kconfig symbol table of a source tree, as the host tools need it to
 * validate requested values: each symbol's type, active range, whether the
 * user can set it, and its dependencies (for explaining why olddefconfig
 * changed a value).
 *
 * The tree is parsed with kconfig-frontends' libkconfig-parser, the same
 * parser kconfig-conf uses. That library keeps its state in globals, can
 * parse only once per process and calls exit() on a syntax error, so the
 * parse runs in a forked child that sends the table back over a pipe; the
 * handle the caller gets is plain data, and any number can coexist.
 */
#ifndef UNITUNE_KCONFIG_H
#define UNITUNE_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum kconfig_type {
	KCONFIG_BOOL,
	KCONFIG_TRISTATE,
	KCONFIG_INT,
	KCONFIG_HEX,
	KCONFIG_STRING,
};

struct kconfig_sym {
	char *name;		/* without the CONFIG_ prefix */
	enum kconfig_type type;
	bool has_prompt;	/* settable by the user (else computed) */
	bool choice_value;	/* a member of a choice */
	bool has_range;		/* int/hex only */
	int64_t min, max;	/* int range */
	uint64_t umin, umax;	/* hex range */
	char *depends;		/* "A && !B", or "" when unconditional */
	char *selected_by;	/* reverse dependencies, or "" */
};

struct kconfig {
	struct kconfig_sym *syms;	/* sorted by name */
	size_t n;
	/* Every file the parser read (the root and each `source`), as the
	 * parser names them: relative to srctree unless written absolute.
	 * Sorted, so a hash over them does not depend on parse order. */
	char **files;
	size_t n_files;
};

/*
 * Parse root (e.g. "Config.uk") in srctree, where `source` paths are
 * resolved. Ranges that depend on other symbols are evaluated against
 * config_text (a .config body; NULL for defaults only).
 * 0, -ENOENT (no such root), -EINVAL (the tree does not parse; err holds
 * the parser's messages) or -ENOMEM/-errno.
 */
int kconfig_load(const char *srctree, const char *root,
		 const char *config_text, struct kconfig **out,
		 struct strbuf *err);

/* Look a symbol up by name (without CONFIG_); NULL if unknown. */
const struct kconfig_sym *kconfig_find(const struct kconfig *kc,
				       const char *name);

/* Does the dependency text of sym name word as a whole symbol? */
bool kconfig_depends_on(const struct kconfig_sym *sym, const char *word);

/* Is name a named choice: some choice member depends on it? A choice's
 * own name never appears in a .config. */
bool kconfig_is_choice_name(const struct kconfig *kc, const char *name);

void kconfig_free(struct kconfig *kc);

const char *kconfig_type_name(enum kconfig_type t);

/*
 * Internal: the child side, in kconfig_child.c. Writes the table to fd
 * (one "S\t..." line per symbol, one "F\tPATH" line per file read, then
 * "END\n") and returns an exit status.
 */
int kconfig_child_dump(const char *srctree, const char *root,
		       const char *config_text, int fd);

#endif
