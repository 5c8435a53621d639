/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Space file loading: reading libyaml's nodes (scalars, mappings, lists,
 * integers, booleans, symbols), each error naming the node's line.
 */
#include "space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

unsigned sp_line_of(const yaml_node_t *n)
{
	return n ? (unsigned)n->start_mark.line + 1 : 0;
}

/*
 * Keep a message on one line whatever the file holds: a value quoted in it
 * may span lines (YAML folds line breaks, \r included, into plain and
 * quoted scalars) or hold other control characters. They are shown as
 * \n, \r, \t or \xNN.
 */
static int one_line(struct strbuf *sb)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; i < sb->len && !r; i++) {
		unsigned char ch = (unsigned char)sb->buf[i];

		if (ch == '\n')
			r = strbuf_adds(&out, "\\n");
		else if (ch == '\r')
			r = strbuf_adds(&out, "\\r");
		else if (ch == '\t')
			r = strbuf_adds(&out, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			r = strbuf_addf(&out, "\\x%02x", ch);
		else
			r = strbuf_addc(&out, (char)ch);
	}
	if (!r) {
		sb->len = 0;
		r = strbuf_add(sb, out.buf ? out.buf : "", out.len);
	}
	strbuf_release(&out);
	return r;
}

/*
 * Put "PATH:LINE: [CONFIG_SYM: ]message" in c->why (sym without
 * CONFIG_, or NULL) and return -EINVAL (-ENOMEM if even that fails).
 */
int sp_fail(struct space_ctx *c, const yaml_node_t *at, const char *sym,
		const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	int r;

	r = at ? strbuf_addf(&msg, "%s:%u: ", c->path, sp_line_of(at))
	       : strbuf_addf(&msg, "%s: ", c->path);
	if (!r && sym)
		r = strbuf_addf(&msg, CONFIG_PREFIX "%s: ", sym);
	if (!r) {
		va_start(ap, fmt);
		r = strbuf_vaddf(&msg, fmt, ap);
		va_end(ap);
	}
	if (!r)
		r = one_line(&msg);
	if (!r)
		snprintf(c->why, c->why_len, "%s", msg.buf);
	strbuf_release(&msg);
	return r ? -ENOMEM : -EINVAL;
}

int sp_oom(struct space_ctx *c)
{
	c->oom = 1;
	return -ENOMEM;
}

yaml_node_t *sp_node(struct space_ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

const char *sp_node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

/* The scalar's text, or NULL (error reported) when n is not a scalar or
 * holds a NUL byte. */
const char *sp_scalar(struct space_ctx *c, yaml_node_t *n, const char *sym,
			  const char *what)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE) {
		sp_fail(c, n, sym, "%s must be a scalar, not %s", what,
			sp_node_kind(n));
		return NULL;
	}
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length) {
		sp_fail(c, n, sym, "%s contains a NUL byte", what);
		return NULL;
	}
	return v;
}

int sp_dup_scalar(struct space_ctx *c, yaml_node_t *n, const char *sym,
		      const char *what, char **out)
{
	const char *v = sp_scalar(c, n, sym, what);

	if (!v)
		return -EINVAL;
	if (!*v)
		return sp_fail(c, n, sym, "%s is empty", what);
	*out = strdup(v);
	return *out ? 0 : sp_oom(c);
}

/*
 * Match a mapping's keys against keys[] (terminated by a NULL name):
 * unknown, duplicate and missing required keys are errors. what names the
 * mapping in messages.
 */
int sp_get_map(struct space_ctx *c, yaml_node_t *map, const char *sym,
		   const char *what, struct key *keys)
{
	yaml_node_pair_t *p;
	struct key *k;

	if (map->type != YAML_MAPPING_NODE)
		return sp_fail(c, map, sym, "%s must be a mapping, not %s", what,
			       sp_node_kind(map));
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = sp_node(c, p->key);
		const char *name = sp_scalar(c, kn, sym, "a key");

		if (!name)
			return -EINVAL;
		for (k = keys; k->name && strcmp(k->name, name); k++)
			;
		if (!k->name) {
			struct strbuf list = STRBUF_INIT;
			struct key *e;
			int r = 0;

			for (e = keys; e->name && !r; e++)
				r = strbuf_addf(&list, "%s%s",
						e == keys ? "" : ", ", e->name);
			if (r) {
				strbuf_release(&list);
				return sp_oom(c);
			}
			r = sp_fail(c, kn, sym, "unknown key '%s' in %s "
				    "(expected one of: %s)", name, what,
				    list.buf);
			strbuf_release(&list);
			return r;
		}
		if (k->key)
			return sp_fail(c, kn, sym, "duplicate key '%s' in %s "
				       "(first at line %u)", name, what,
				       sp_line_of(k->key));
		k->key = kn;
		k->val = sp_node(c, p->value);
	}
	for (k = keys; k->name; k++)
		if (k->required && !k->val)
			return sp_fail(c, map, sym, "%s lacks the required key "
				       "'%s'", what, k->name);
	return 0;
}

struct key *sp_key(struct key *keys, const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	abort(); /* a typo in this file's key tables */
}

int sp_want_seq(struct space_ctx *c, yaml_node_t *n, const char *sym,
		    const char *what)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return sp_fail(c, n, sym, "%s must be a list, not %s", what,
			       sp_node_kind(n));
	if (n->data.sequence.items.start == n->data.sequence.items.top)
		return sp_fail(c, n, sym, "%s is empty", what);
	return 0;
}

size_t sp_seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top -
			n->data.sequence.items.start);
}

int sp_get_i64(struct space_ctx *c, yaml_node_t *n, const char *sym,
		   const char *what, int64_t *out)
{
	const char *v = sp_scalar(c, n, sym, what);
	int r;

	if (!v)
		return -EINVAL;
	r = config_parse_int(v, out);
	if (r == -ERANGE)
		return sp_fail(c, n, sym, "%s '%s' does not fit in 64 bits", what,
			       v);
	if (r)
		return sp_fail(c, n, sym, "%s '%s' is not an integer", what, v);
	return 0;
}

int sp_get_positive(struct space_ctx *c, yaml_node_t *n, const char *what,
			uint64_t *out)
{
	int64_t v;
	int r = sp_get_i64(c, n, NULL, what, &v);

	if (r)
		return r;
	if (v <= 0)
		return sp_fail(c, n, NULL, "%s must be at least 1, not %" PRId64,
			       what, v);
	*out = (uint64_t)v;
	return 0;
}

int sp_get_bool(struct space_ctx *c, yaml_node_t *n, const char *sym,
		    const char *what, bool *out)
{
	const char *v = sp_scalar(c, n, sym, what);

	if (!v)
		return -EINVAL;
	if (!strcmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "false")) {
		*out = false;
		return 0;
	}
	return sp_fail(c, n, sym, "%s must be true or false, not '%s'", what, v);
}

/* Match v against names[0..n); its index or -1. */
int sp_pick(const char *v, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(v, names[i]))
			return i;
	return -1;
}

/*
 * A symbol written CONFIG_NAME: the table entry, or NULL with the error
 * reported. *name points into the node (without the prefix).
 */
const struct kconfig_sym *sp_get_sym(struct space_ctx *c, yaml_node_t *n,
					 const char **name)
{
	const char *v = sp_scalar(c, n, NULL, "a symbol");
	const struct kconfig_sym *ks;
	const char *p;

	if (!v)
		return NULL;
	if (strncmp(v, CONFIG_PREFIX, strlen(CONFIG_PREFIX)) ||
	    !v[strlen(CONFIG_PREFIX)]) {
		sp_fail(c, n, NULL, "'%s' is not a symbol; write it as "
			CONFIG_PREFIX "NAME", v);
		return NULL;
	}
	*name = v + strlen(CONFIG_PREFIX);
	for (p = *name; *p; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
			sp_fail(c, n, NULL, "'%s' is not a symbol name", v);
			return NULL;
		}
	ks = kconfig_find(c->kc, *name);
	if (!ks)
		sp_fail(c, n, *name, "unknown symbol (not in the Kconfig tree)");
	return ks;
}

int sp_syntax_error(struct space_ctx *c, const yaml_parser_t *p)
{
	char context[256] = "";

	if (p->context)
		snprintf(context, sizeof(context), " (%s at line %zu)",
			 p->context, p->context_mark.line + 1);
	snprintf(c->why, c->why_len, "%s:%zu: YAML syntax error: %s%s",
		 c->path, p->problem_mark.line + 1,
		 p->problem ? p->problem : "unknown problem", context);
	return -EINVAL;
}

int sp_parse(struct space_ctx *c, const char *text, size_t len,
	     const char *what, yaml_document_t *doc, yaml_node_t **root)
{
	yaml_document_t extra;
	yaml_parser_t parser;
	int r;

	r = space_check_nesting(text, len, c->path, c->why, c->why_len);
	if (r)
		return r;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(c->why, c->why_len, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc)) {
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM
			: sp_syntax_error(c, &parser);
		goto out_parser;
	}
	c->doc = doc;
	*root = yaml_document_get_root_node(doc);
	if (!*root) {
		r = sp_fail(c, NULL, NULL, "empty %s", what);
		goto out_doc;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM
			: sp_syntax_error(c, &parser);
		goto out_doc;
	}
	if (yaml_document_get_root_node(&extra))
		r = sp_fail(c, yaml_document_get_root_node(&extra), NULL,
			    "a %s holds one YAML document", what);
	yaml_document_delete(&extra);
out_doc:
	if (r) {
		yaml_document_delete(doc);
		c->doc = NULL;
	}
out_parser:
	yaml_parser_delete(&parser);
	if (r == -ENOMEM)
		snprintf(c->why, c->why_len, "%s", strerror(ENOMEM));
	return r;
}
