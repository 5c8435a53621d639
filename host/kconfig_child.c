/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The only file that touches libkconfig-parser. It runs in a forked child
 * (see kconfig.h): global state and exit() on errors stay in there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kconfig/lkc.h>

#include "kconfig.h"
#include "strbuf.h"

/*
 * conf_parse() exit()s on syntax errors. Handlers registered at exit run
 * in reverse order, so this one runs before a sanitizer's leak check
 * (registered at startup) and ends the child without it: the library's
 * allocations are not our leaks.
 */
static void quick_exit_handler(void)
{
	fflush(stderr);
	_exit(1);
}

static const char *type_name(enum symbol_type t)
{
	switch (t) {
	case S_BOOLEAN:
		return "bool";
	case S_TRISTATE:
		return "tristate";
	case S_INT:
		return "int";
	case S_HEX:
		return "hex";
	case S_STRING:
		return "string";
	default:
		return NULL;
	}
}

/* Fields are tab-separated and records newline-terminated. */
static int add_field(struct strbuf *sb, const char *s)
{
	int err = strbuf_addc(sb, '\t');

	for (; !err && s && *s; s++)
		err = strbuf_addc(sb, *s == '\t' || *s == '\n' ? ' ' : *s);
	return err;
}

static int add_expr(struct strbuf *sb, struct expr *e)
{
	struct gstr gs;
	int err;

	if (!e)
		return add_field(sb, "");
	gs = str_new();
	expr_gstr_print(e, &gs);
	err = add_field(sb, str_get(&gs));
	str_free(&gs);
	return err;
}

/* Mirrors symbol.c's sym_get_range_prop(), which the library keeps static:
 * the first range whose condition holds. */
static struct property *active_range(struct symbol *sym)
{
	struct property *prop;

	for_all_properties(sym, prop, P_RANGE) {
		prop->visible.tri = expr_calc_value(prop->visible.expr);
		if (prop->visible.tri != no)
			return prop;
	}
	return NULL;
}

static const char *range_end(struct symbol *s)
{
	sym_calc_value(s);
	return sym_get_string_value(s);
}

static int dump_sym(struct strbuf *sb, struct symbol *sym)
{
	const char *tn = type_name(sym->type);
	struct property *prop, *range = NULL;
	char flags[4] = "-";
	int err, nf = 0;

	if (!sym->name || !tn || (sym->flags & SYMBOL_CONST))
		return 0;
	for_all_prompts(sym, prop) {
		flags[nf++] = 'p';
		break;
	}
	if (sym_is_choice_value(sym))
		flags[nf++] = 'c';
	if (nf)
		flags[nf] = '\0';
	if (sym->type == S_INT || sym->type == S_HEX)
		range = active_range(sym);
	err = strbuf_addf(sb, "S\t%s\t%s\t%s", sym->name, tn, flags);
	if (!err)
		err = add_field(sb, range ? range_end(range->expr->left.sym) : "");
	if (!err)
		err = add_field(sb, range ? range_end(range->expr->right.sym) : "");
	if (!err)
		err = add_expr(sb, sym->dir_dep.expr);
	if (!err)
		err = add_expr(sb, sym->rev_dep.expr);
	if (!err)
		err = strbuf_addc(sb, '\n');
	return err;
}

/* "F\tpath\n": a file the parser read (names hold no tab or newline:
 * add_field() would blank them, and the name would not match). */
static int add_file(struct strbuf *sb, const char *name)
{
	int err = strbuf_addc(sb, 'F');

	if (!err)
		err = add_field(sb, name);
	return err ? err : strbuf_addc(sb, '\n');
}

/* Load the requested values quietly: we validate them ourselves and the
 * library's warnings would only repeat ours. */
static void load_config(const char *text)
{
	char path[64];
	int fd, null_fd, saved_err;
	size_t len = strlen(text);

	fd = memfd_create("unitune-config", MFD_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, text, len) != (ssize_t)len)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fflush(stderr);
	saved_err = dup(2);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved_err < 0 || null_fd < 0 || dup2(null_fd, 2) < 0)
		goto restore;
	conf_read_simple(path, S_DEF_USER);
	fflush(stderr);
restore:
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
	}
	if (null_fd >= 0)
		close(null_fd);
out:
	close(fd);
}

int kconfig_child_dump(const char *srctree, const char *root,
		       const char *config_text, int fd)
{
	struct strbuf sb = STRBUF_INIT;
	struct symbol *sym;
	struct file *file;
	size_t off = 0;
	int i, err = 0;

	atexit(quick_exit_handler);
	if (chdir(srctree) < 0) {
		fprintf(stderr, "cannot enter %s: %s\n", srctree,
			strerror(errno));
		return 1;
	}
	/* kconfig resolves `source` against $srctree. */
	setenv(SRCTREE, srctree, 1);
	conf_parse(root);
	if (config_text)
		load_config(config_text);
	for_all_symbols(i, sym) {
		err = dump_sym(&sb, sym);
		if (err)
			break;
	}
	for (file = file_list; !err && file; file = file->next)
		if (file->name && *file->name)
			err = add_file(&sb, file->name);
	if (!err)
		err = strbuf_adds(&sb, "END\n");
	if (err) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	while (off < sb.len) {
		ssize_t n = write(fd, sb.buf + off, sb.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		off += (size_t)n;
	}
	strbuf_release(&sb);
	return 0;
}
