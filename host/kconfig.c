/* SPDX-License-Identifier: BSD-3-Clause */
#include "kconfig.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "count.h"
#include "spawn.h"

#define CHILD_ERR_MAX (64u << 10)

const char *kconfig_type_name(enum kconfig_type t)
{
	switch (t) {
	case KCONFIG_BOOL:
		return "bool";
	case KCONFIG_TRISTATE:
		return "tristate";
	case KCONFIG_INT:
		return "int";
	case KCONFIG_HEX:
		return "hex";
	case KCONFIG_STRING:
		return "string";
	}
	return "?";
}

void kconfig_free(struct kconfig *kc)
{
	size_t i;

	if (!kc)
		return;
	for (i = 0; i < kc->n; i++) {
		free(kc->syms[i].name);
		free(kc->syms[i].depends);
		free(kc->syms[i].selected_by);
	}
	free(kc->syms);
	for (i = 0; i < kc->n_files; i++)
		free(kc->files[i]);
	free(kc->files);
	free(kc);
}

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct kconfig_sym *)a)->name,
		      ((const struct kconfig_sym *)b)->name);
}

const struct kconfig_sym *kconfig_find(const struct kconfig *kc,
				       const char *name)
{
	struct kconfig_sym key = { .name = (char *)name };

	if (!kc || !kc->n)
		return NULL;
	return bsearch(&key, kc->syms, kc->n, sizeof(key), cmp_sym);
}

static bool ident_char(char c)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

bool kconfig_depends_on(const struct kconfig_sym *sym, const char *word)
{
	const char *text = sym->depends, *p;
	size_t n = strlen(word);

	if (!n)
		return false;
	for (p = text; (p = strstr(p, word)); p += n)
		if ((p == text || !ident_char(p[-1])) && !ident_char(p[n]))
			return true;
	return false;
}

bool kconfig_is_choice_name(const struct kconfig *kc, const char *name)
{
	size_t i;

	for (i = 0; i < kc->n; i++)
		if (kc->syms[i].choice_value &&
		    kconfig_depends_on(&kc->syms[i], name))
			return true;
	return false;
}

/* Range ends as kconfig prints them: decimal for int, hex for hex (with
 * or without 0x). Anything else leaves the symbol without a range. */
static const char *skip_0x(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
}

static void parse_range(struct kconfig_sym *s, const char *lo, const char *hi)
{
	if (s->type == KCONFIG_INT)
		s->has_range = !count_parse_signed(lo, &s->min) &&
			       !count_parse_signed(hi, &s->max);
	else if (s->type == KCONFIG_HEX)
		s->has_range = !count_parse_hex(skip_0x(lo), &s->umin) &&
			       !count_parse_hex(skip_0x(hi), &s->umax);
}

static int parse_type(const char *t, enum kconfig_type *out)
{
	static const enum kconfig_type all[] = { KCONFIG_BOOL, KCONFIG_TRISTATE,
						 KCONFIG_INT, KCONFIG_HEX,
						 KCONFIG_STRING };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(t, kconfig_type_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	}
	return -EINVAL;
}

/* "S\tname\ttype\tflags\tmin\tmax\tdepends\tselected_by" */
static int parse_line(char *line, struct kconfig_sym *s)
{
	char *f[8];
	int i;

	for (i = 0; i < 8; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if (!line && i < 7)
			return -EINVAL;
		if (line)
			*line++ = '\0';
	}
	if (strcmp(f[0], "S") || !*f[1] || parse_type(f[2], &s->type))
		return -EINVAL;
	s->has_prompt = strchr(f[3], 'p') != NULL;
	s->choice_value = strchr(f[3], 'c') != NULL;
	parse_range(s, f[4], f[5]);
	s->name = strdup(f[1]);
	s->depends = strdup(f[6]);
	s->selected_by = strdup(f[7]);
	return s->name && s->depends && s->selected_by ? 0 : -ENOMEM;
}

static int add_file(struct kconfig *kc, const char *name)
{
	char **v = realloc(kc->files, (kc->n_files + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	kc->files = v;
	v[kc->n_files] = strdup(name);
	if (!v[kc->n_files])
		return -ENOMEM;
	kc->n_files++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int parse_table(char *text, struct kconfig *kc)
{
	char *line = text, *nl;
	size_t cap = 0;
	bool ended = false;
	int err = 0;

	while (!ended && (nl = strchr(line, '\n'))) {
		*nl = '\0';
		if (!strcmp(line, "END")) {
			ended = true;
		} else if (!strncmp(line, "F\t", 2)) {
			err = add_file(kc, line + 2);
			if (err)
				return err;
		} else {
			if (kc->n == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				struct kconfig_sym *v;

				v = realloc(kc->syms, ncap * sizeof(*v));
				if (!v)
					return -ENOMEM;
				kc->syms = v;
				cap = ncap;
			}
			memset(&kc->syms[kc->n], 0, sizeof(kc->syms[0]));
			/* Count it before parsing so kconfig_free() frees a
			 * half-parsed entry. */
			kc->n++;
			err = parse_line(line, &kc->syms[kc->n - 1]);
			if (err)
				return err;
		}
		line = nl + 1;
	}
	if (!ended)
		return -EPROTO;
	qsort(kc->syms, kc->n, sizeof(kc->syms[0]), cmp_sym);
	if (kc->n_files)
		qsort(kc->files, kc->n_files, sizeof(kc->files[0]), cmp_str);
	return 0;
}

struct child_args {
	const char *srctree;
	const char *root;
	const char *config_text;
};

static int child_main(void *arg)
{
	const struct child_args *a = arg;

	return kconfig_child_dump(a->srctree, a->root, a->config_text, 1);
}

struct sinks {
	struct strbuf out;
	struct strbuf err;
};

static int collect_out(void *ctx, const char *buf, size_t n)
{
	return strbuf_sink(&((struct sinks *)ctx)->out, buf, n);
}

static int collect_err(void *ctx, const char *buf, size_t n)
{
	struct sinks *s = ctx;

	if (s->err.len + n > CHILD_ERR_MAX)
		return 0;
	return strbuf_sink(&s->err, buf, n);
}

int kconfig_load(const char *srctree, const char *root,
		 const char *config_text, struct kconfig **out,
		 struct strbuf *err)
{
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_PIPE,
				       .err = SPAWN_PIPE };
	struct child_args args = { srctree, root, config_text };
	struct sinks s = { STRBUF_INIT, STRBUF_INIT };
	struct spawn_wait_cfg wc = { .on_out = collect_out,
				     .on_err = collect_err,
				     .ctx = &s };
	struct kconfig *kc = NULL;
	struct spawn_exit ex;
	struct spawn sp;
	char path[PATH_MAX], desc[128];
	int ret;

	*out = NULL;
	/* Check here: the library would print and exit() in the child. */
	if (snprintf(path, sizeof(path), "%s/%s", srctree, root) >=
	    (int)sizeof(path)) {
		ret = -ENAMETOOLONG;
		goto out;
	}
	if (access(path, R_OK) < 0) {
		ret = -errno;
		strbuf_addf(err, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	kc = calloc(1, sizeof(*kc));
	if (!kc) {
		ret = -ENOMEM;
		goto out;
	}
	ret = spawn_fn(&sp, child_main, &args, &cfg);
	if (ret)
		goto out;
	ret = spawn_wait(&sp, &wc, &ex);
	if (ret)
		goto out;
	if (!WIFEXITED(ex.wstatus) || WEXITSTATUS(ex.wstatus) != 0) {
		spawn_describe(ex.wstatus, desc, sizeof(desc));
		while (s.err.len && s.err.buf[s.err.len - 1] == '\n')
			s.err.buf[--s.err.len] = '\0';
		strbuf_addf(err, "%s does not parse (parser %s)%s%s", path,
			    desc, s.err.len ? ":\n" : "",
			    s.err.len ? s.err.buf : "");
		ret = -EINVAL;
		goto out;
	}
	ret = s.out.buf ? parse_table(s.out.buf, kc) : -EPROTO;
	if (ret == -EPROTO || ret == -EINVAL)
		strbuf_addf(err, "garbled symbol table from the Kconfig "
			    "parser for %s", path);
out:
	if (ret) {
		kconfig_free(kc);
		kc = NULL;
	}
	*out = kc;
	strbuf_release(&s.out);
	strbuf_release(&s.err);
	return ret;
}
