/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Space file loading and validation. See space.h and docs/space-file.md.
 *
 * The file is read with libyaml's document API (the whole tree, anchors
 * and aliases resolved); every node carries its start mark, so each error
 * names the line of the node at fault. The first error wins: the loader
 * stops there and frees everything.
 */
#include "space.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "cmdline.h"
#include "config.h"
#include "runner.h"

static const char *const builtin_metrics[] = {
	"image_size", "boot_cycles", "min_mem",
};

struct ctx {
	const char *path;
	const struct kconfig *kc;
	yaml_document_t *doc;
	struct strbuf *err;
	struct space *s;
	bool check_files;	/* base_config must exist (not for stored text) */
	int oom;
};

/* One expected key of a mapping; val/key filled by get_map(). */
struct key {
	const char *name;
	bool required;
	yaml_node_t *key;
	yaml_node_t *val;
};

#define KEY(n) { .name = (n) }
#define REQ(n) { .name = (n), .required = true }
#define KEY_END { .name = NULL }

static unsigned line_of(const yaml_node_t *n)
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
 * Report "PATH:LINE: [CONFIG_SYM: ]message" (sym without CONFIG_, or NULL)
 * and return -EINVAL (-ENOMEM if even that fails).
 */
__attribute__((format(printf, 4, 5)))
static int fail(struct ctx *c, const yaml_node_t *at, const char *sym,
		const char *fmt, ...)
{
	va_list ap;
	int r;

	c->err->len = 0;
	if (c->err->buf)
		c->err->buf[0] = '\0';
	r = at ? strbuf_addf(c->err, "%s:%u: ", c->path, line_of(at))
	       : strbuf_addf(c->err, "%s: ", c->path);
	if (!r && sym)
		r = strbuf_addf(c->err, CONFIG_PREFIX "%s: ", sym);
	if (!r) {
		va_start(ap, fmt);
		r = strbuf_vaddf(c->err, fmt, ap);
		va_end(ap);
	}
	if (!r)
		r = one_line(c->err);
	return r ? -ENOMEM : -EINVAL;
}

static int oom(struct ctx *c)
{
	c->oom = 1;
	return -ENOMEM;
}

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static const char *node_kind(const yaml_node_t *n)
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
static const char *scalar(struct ctx *c, yaml_node_t *n, const char *sym,
			  const char *what)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE) {
		fail(c, n, sym, "%s must be a scalar, not %s", what,
		     node_kind(n));
		return NULL;
	}
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length) {
		fail(c, n, sym, "%s contains a NUL byte", what);
		return NULL;
	}
	return v;
}

static int dup_scalar(struct ctx *c, yaml_node_t *n, const char *sym,
		      const char *what, char **out)
{
	const char *v = scalar(c, n, sym, what);

	if (!v)
		return -EINVAL;
	if (!*v)
		return fail(c, n, sym, "%s is empty", what);
	*out = strdup(v);
	return *out ? 0 : oom(c);
}

/*
 * Match a mapping's keys against keys[] (terminated by a NULL name):
 * unknown, duplicate and missing required keys are errors. what names the
 * mapping in messages.
 */
static int get_map(struct ctx *c, yaml_node_t *map, const char *sym,
		   const char *what, struct key *keys)
{
	yaml_node_pair_t *p;
	struct key *k;

	if (map->type != YAML_MAPPING_NODE)
		return fail(c, map, sym, "%s must be a mapping, not %s", what,
			    node_kind(map));
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key);
		const char *name = scalar(c, kn, sym, "a key");

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
				return oom(c);
			}
			r = fail(c, kn, sym, "unknown key '%s' in %s "
				 "(expected one of: %s)", name, what,
				 list.buf);
			strbuf_release(&list);
			return r;
		}
		if (k->key)
			return fail(c, kn, sym, "duplicate key '%s' in %s "
				    "(first at line %u)", name, what,
				    line_of(k->key));
		k->key = kn;
		k->val = node(c, p->value);
	}
	for (k = keys; k->name; k++)
		if (k->required && !k->val)
			return fail(c, map, sym, "%s lacks the required key "
				    "'%s'", what, k->name);
	return 0;
}

static struct key *key(struct key *keys, const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	abort(); /* a typo in this file's key tables */
}

static int want_seq(struct ctx *c, yaml_node_t *n, const char *sym,
		    const char *what)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(c, n, sym, "%s must be a list, not %s", what,
			    node_kind(n));
	if (n->data.sequence.items.start == n->data.sequence.items.top)
		return fail(c, n, sym, "%s is empty", what);
	return 0;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top -
			n->data.sequence.items.start);
}

/* Strict decimal integer (optional '-', no '+', no leading zeros). */
static int parse_i64(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	uint64_t v = 0, lim;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9' || (*p == '0' && p[1]) || (neg && *p == '0'))
		return -EINVAL;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		unsigned d;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		d = (unsigned)(*p - '0');
		if (v > (lim - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static int get_i64(struct ctx *c, yaml_node_t *n, const char *sym,
		   const char *what, int64_t *out)
{
	const char *v = scalar(c, n, sym, what);
	int r;

	if (!v)
		return -EINVAL;
	r = parse_i64(v, out);
	if (r == -ERANGE)
		return fail(c, n, sym, "%s '%s' does not fit in 64 bits", what,
			    v);
	if (r)
		return fail(c, n, sym, "%s '%s' is not an integer", what, v);
	return 0;
}

static int get_positive(struct ctx *c, yaml_node_t *n, const char *what,
			uint64_t *out)
{
	int64_t v;
	int r = get_i64(c, n, NULL, what, &v);

	if (r)
		return r;
	if (v <= 0)
		return fail(c, n, NULL, "%s must be at least 1, not %" PRId64,
			    what, v);
	*out = (uint64_t)v;
	return 0;
}

static int get_bool(struct ctx *c, yaml_node_t *n, const char *sym,
		    const char *what, bool *out)
{
	const char *v = scalar(c, n, sym, what);

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
	return fail(c, n, sym, "%s must be true or false, not '%s'", what, v);
}

/* Match v against names[0..n); its index or -1. */
static int pick(const char *v, const char *const *names, int n)
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
static const struct kconfig_sym *get_sym(struct ctx *c, yaml_node_t *n,
					 const char **name)
{
	const char *v = scalar(c, n, NULL, "a symbol");
	const struct kconfig_sym *ks;
	const char *p;

	if (!v)
		return NULL;
	if (strncmp(v, CONFIG_PREFIX, strlen(CONFIG_PREFIX)) ||
	    !v[strlen(CONFIG_PREFIX)]) {
		fail(c, n, NULL, "'%s' is not a symbol; write it as "
		     CONFIG_PREFIX "NAME", v);
		return NULL;
	}
	*name = v + strlen(CONFIG_PREFIX);
	for (p = *name; *p; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
			fail(c, n, NULL, "'%s' is not a symbol name", v);
			return NULL;
		}
	ks = kconfig_find(c->kc, *name);
	if (!ks)
		fail(c, n, *name, "unknown symbol (not in the Kconfig tree)");
	return ks;
}

static int push_value(struct ctx *c, struct space_option *o, const char *v)
{
	char **nv;

	if (o->n_values >= SPACE_MAX_VALUES)
		return -E2BIG;
	nv = realloc(o->values, (o->n_values + 1) * sizeof(*nv));
	if (!nv)
		return oom(c);
	o->values = nv;
	nv[o->n_values] = strdup(v);
	if (!nv[o->n_values])
		return oom(c);
	o->n_values++;
	return 0;
}

/* Explicit values: no value twice in one option. */
static int check_unique(struct ctx *c, struct space_option *o,
			yaml_node_t *at, const char *shown)
{
	size_t i;

	for (i = 0; i + 1 < o->n_values; i++)
		if (!strcmp(o->values[i], o->values[o->n_values - 1]))
			return fail(c, at, o->symbol, "value %s is listed "
				    "twice", shown);
	return 0;
}

static int check_int(struct ctx *c, const struct kconfig_sym *ks,
		     yaml_node_t *at, const char *v)
{
	char why[160];

	if (config_check_value(ks, v, why, sizeof(why)))
		return fail(c, at, ks->name, "%s", why);
	return 0;
}

static int int_range(struct ctx *c, struct space_option *o,
		     const struct kconfig_sym *ks, yaml_node_t *rn)
{
	struct key keys[] = {
		REQ("from"), REQ("to"), KEY("step"),
		KEY("powers_of_two"), KEY_END,
	};
	int64_t from, to, step = 0;
	bool pow2 = false;
	char buf[32];
	int r;

	r = get_map(c, rn, o->symbol, "range", keys);
	if (!r)
		r = get_i64(c, key(keys, "from")->val, o->symbol, "from",
			    &from);
	if (!r)
		r = get_i64(c, key(keys, "to")->val, o->symbol, "to", &to);
	if (!r && key(keys, "step")->val)
		r = get_i64(c, key(keys, "step")->val, o->symbol, "step",
			    &step);
	if (!r && key(keys, "powers_of_two")->val)
		r = get_bool(c, key(keys, "powers_of_two")->val, o->symbol,
			     "powers_of_two", &pow2);
	if (r)
		return r;
	if (key(keys, "step")->val && key(keys, "powers_of_two")->val)
		return fail(c, rn, o->symbol, "range takes step or "
			    "powers_of_two, not both");
	if (!key(keys, "step")->val && !pow2)
		return fail(c, rn, o->symbol, "range needs step: N or "
			    "powers_of_two: true");
	if (key(keys, "step")->val && step <= 0)
		return fail(c, key(keys, "step")->val, o->symbol,
			    "step must be at least 1, not %" PRId64, step);
	if (from > to)
		return fail(c, rn, o->symbol, "range from %" PRId64
			    " is above to %" PRId64, from, to);

	/* Check the ends against the Kconfig range first: the message then
	 * names the bound the user wrote. */
	snprintf(buf, sizeof(buf), "%" PRId64, from);
	r = check_int(c, ks, key(keys, "from")->val, buf);
	if (!r) {
		snprintf(buf, sizeof(buf), "%" PRId64, to);
		r = check_int(c, ks, key(keys, "to")->val, buf);
	}
	if (r)
		return r;

	if (pow2) {
		uint64_t p;

		for (p = 1; p <= (uint64_t)INT64_MAX; p <<= 1) {
			if (to < 0 || p > (uint64_t)to)
				break;
			if ((int64_t)p < from)
				continue;
			snprintf(buf, sizeof(buf), "%" PRIu64, p);
			r = push_value(c, o, buf);
			if (r)
				break;
		}
		if (!r && !o->n_values)
			return fail(c, rn, o->symbol, "no power of two lies "
				    "in %" PRId64 "..%" PRId64, from, to);
	} else {
		int64_t v = from;

		for (;;) {
			snprintf(buf, sizeof(buf), "%" PRId64, v);
			r = push_value(c, o, buf);
			if (r || (uint64_t)to - (uint64_t)v < (uint64_t)step)
				break;
			v += step;
		}
	}
	if (r == -E2BIG)
		return fail(c, rn, o->symbol, "range expands to more than %d "
			    "values", SPACE_MAX_VALUES);
	return r;
}

static int option_values(struct ctx *c, struct space_option *o,
			 const struct kconfig_sym *ks, yaml_node_t *vn)
{
	yaml_node_item_t *it;
	int r;

	r = want_seq(c, vn, o->symbol, "values");
	if (r)
		return r;
	if (seq_len(vn) > SPACE_MAX_VALUES)
		return fail(c, vn, o->symbol, "more than %d values",
			    SPACE_MAX_VALUES);
	for (it = vn->data.sequence.items.start;
	     it < vn->data.sequence.items.top; it++) {
		yaml_node_t *n = node(c, *it);
		const struct kconfig_sym *m;
		const char *v, *name;
		int64_t i;
		char buf[32];

		switch (o->kind) {
		case SPACE_OPT_BOOL:
			v = scalar(c, n, o->symbol, "a value");
			if (!v)
				return -EINVAL;
			if (strcmp(v, "y") && strcmp(v, "n"))
				return fail(c, n, o->symbol, "'%s' is not a "
					    "bool value; expected y or n", v);
			r = push_value(c, o, v);
			if (!r)
				r = check_unique(c, o, n, v);
			break;
		case SPACE_OPT_INT:
			v = scalar(c, n, o->symbol, "a value");
			if (!v)
				return -EINVAL;
			r = check_int(c, ks, n, v);
			if (r)
				return r;
			/* config_check_value accepted it: canonical. */
			if (parse_i64(v, &i))
				return fail(c, n, o->symbol, "bad value '%s'",
					    v);
			snprintf(buf, sizeof(buf), "%" PRId64, i);
			r = push_value(c, o, buf);
			if (!r)
				r = check_unique(c, o, n, buf);
			break;
		case SPACE_OPT_CHOICE:
			m = get_sym(c, n, &name);
			if (!m)
				return -EINVAL;
			if (m->type != KCONFIG_BOOL)
				return fail(c, n, name, "is %s, not a bool "
					    "choice member",
					    kconfig_type_name(m->type));
			if (!m->choice_value)
				return fail(c, n, name, "is a bool outside "
					    "any choice");
			if (!kconfig_depends_on(m, o->symbol))
				return fail(c, n, name, "is not a member of "
					    "the choice " CONFIG_PREFIX "%s",
					    o->symbol);
			r = push_value(c, o, name);
			if (!r)
				r = check_unique(c, o, n,
						 (const char *)n->data.scalar
							 .value);
			break;
		}
		if (r)
			return r;
	}
	return 0;
}

static int load_option(struct ctx *c, yaml_node_t *on, struct space_option *o)
{
	struct key keys[] = {
		REQ("symbol"), REQ("type"), KEY("values"),
		KEY("range"), KEY_END,
	};
	static const char *const kinds[] = {
		[SPACE_OPT_BOOL] = "bool",
		[SPACE_OPT_CHOICE] = "choice",
		[SPACE_OPT_INT] = "int",
	};
	const struct kconfig_sym *ks = NULL;
	yaml_node_t *sn, *tn, *vn, *rn;
	const char *v, *name;
	int r, k;

	o->line = line_of(on);
	/* The symbol first, so later messages can name it. */
	if (on->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *p;

		for (p = on->data.mapping.pairs.start;
		     p < on->data.mapping.pairs.top; p++) {
			yaml_node_t *kn = node(c, p->key);

			if (kn->type == YAML_SCALAR_NODE &&
			    !strcmp((char *)kn->data.scalar.value, "symbol")) {
				sn = node(c, p->value);
				if (sn->type == YAML_SCALAR_NODE &&
				    !strncmp((char *)sn->data.scalar.value,
					     CONFIG_PREFIX,
					     strlen(CONFIG_PREFIX))) {
					o->symbol = strdup(
						(char *)sn->data.scalar.value +
						strlen(CONFIG_PREFIX));
					if (!o->symbol)
						return oom(c);
				}
				break;
			}
		}
	}
	r = get_map(c, on, o->symbol, "an option", keys);
	if (r)
		return r;
	sn = key(keys, "symbol")->val;
	tn = key(keys, "type")->val;
	vn = key(keys, "values")->val;
	rn = key(keys, "range")->val;

	v = scalar(c, tn, o->symbol, "type");
	if (!v)
		return -EINVAL;
	k = pick(v, kinds, 3);
	if (k < 0)
		return fail(c, tn, o->symbol, "unknown option type '%s' "
			    "(expected bool, choice or int)", v);
	o->kind = (enum space_opt_kind)k;

	if (o->kind == SPACE_OPT_CHOICE) {
		/* A named choice is a symbol of its own (bool, not a
		 * member); its members depend on it. */
		ks = get_sym(c, sn, &name);
		if (!ks)
			return -EINVAL;
		if (ks->choice_value || ks->type != KCONFIG_BOOL ||
		    !kconfig_is_choice_name(c->kc, name))
			return fail(c, sn, name, "is not the name of a "
				    "choice");
	} else {
		ks = get_sym(c, sn, &name);
		if (!ks)
			return -EINVAL;
		if (o->kind == SPACE_OPT_BOOL && ks->type != KCONFIG_BOOL)
			return fail(c, sn, name, "is %s, not bool",
				    kconfig_type_name(ks->type));
		/* Setting a choice's own symbol selects nothing: kconfig
		 * would keep its default member and the option would
		 * silently do nothing. */
		if (o->kind == SPACE_OPT_BOOL && !ks->choice_value &&
		    kconfig_is_choice_name(c->kc, name))
			return fail(c, sn, name, "is the name of a choice, "
				    "which a bool cannot set; vary it with "
				    "type: choice and its members as values");
		if (o->kind == SPACE_OPT_INT && ks->type != KCONFIG_INT)
			return fail(c, sn, name, "is %s, not int",
				    kconfig_type_name(ks->type));
		if (ks->choice_value)
			return fail(c, sn, name, "is a choice member; vary it "
				    "with type: choice");
		if (!ks->has_prompt)
			return fail(c, sn, name, "has no prompt, so a "
				    "configuration cannot set it");
	}

	if (vn && rn)
		return fail(c, rn, o->symbol, "an option takes values or "
			    "range, not both");
	if (rn && o->kind != SPACE_OPT_INT)
		return fail(c, rn, o->symbol, "range is for int options");
	if (!vn && !rn) {
		if (o->kind == SPACE_OPT_BOOL) {
			r = push_value(c, o, "y");
			return r ? r : push_value(c, o, "n");
		}
		return fail(c, on, o->symbol, "a %s option needs %s",
			    kinds[o->kind], o->kind == SPACE_OPT_INT
			    ? "values or range" : "values");
	}
	if (rn)
		return int_range(c, o, ks, rn);
	return option_values(c, o, ks, vn);
}

/* No symbol in two options (a choice's members count as its symbols). */
static int check_options_disjoint(struct ctx *c, yaml_node_t *seq)
{
	struct space *s = c->s;
	size_t i, j, a, b;

	for (i = 0; i < s->n_options; i++) {
		struct space_option *o = &s->options[i];
		size_t na = o->kind == SPACE_OPT_CHOICE ? o->n_values : 1;

		for (a = 0; a < na; a++) {
			const char *x = o->kind == SPACE_OPT_CHOICE
				? o->values[a] : o->symbol;

			for (j = 0; j < i; j++) {
				struct space_option *p = &s->options[j];
				size_t nb = p->kind == SPACE_OPT_CHOICE
					? p->n_values : 1;

				for (b = 0; b < nb; b++) {
					const char *y =
						p->kind == SPACE_OPT_CHOICE
						? p->values[b] : p->symbol;

					if (strcmp(x, y))
						continue;
					return fail(c, node(c,
						seq->data.sequence.items
							.start[i]),
						x, "is varied by two options "
						"(the other at line %u)",
						p->line);
				}
			}
		}
	}
	return 0;
}

static int load_options(struct ctx *c, yaml_node_t *seq)
{
	struct space *s = c->s;
	yaml_node_item_t *it;
	int r;

	r = want_seq(c, seq, NULL, "options");
	if (r)
		return r;
	s->options = calloc(seq_len(seq), sizeof(*s->options));
	if (!s->options)
		return oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		r = load_option(c, node(c, *it), &s->options[s->n_options++]);
		if (r)
			return r;
	}
	return check_options_disjoint(c, seq);
}

bool space_metric_valid(const char *name)
{
	const char *p;
	int parts = 1;
	bool empty = true;

	if (!name)
		return false;
	if (pick(name, builtin_metrics, 3) >= 0)
		return true;
	for (p = name; *p; p++) {
		if (*p == '.') {
			if (empty)
				return false;
			parts++;
			empty = true;
			continue;
		}
		if (!(*p == '_' || *p == '-' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
		empty = false;
	}
	return parts == 3 && !empty;
}

static int get_metric(struct ctx *c, yaml_node_t *n, char **out)
{
	const char *v = scalar(c, n, NULL, "a metric");

	if (!v)
		return -EINVAL;
	if (!space_metric_valid(v))
		return fail(c, n, NULL, "malformed metric '%s' (expected "
			    "bench.pattern.field, e.g. "
			    "alloc.small.cycles_per_op, or one of image_size, "
			    "boot_cycles, min_mem)", v);
	*out = strdup(v);
	return *out ? 0 : oom(c);
}

static int string_list(struct ctx *c, yaml_node_t *seq, const char *what,
		       bool metrics, char ***out, size_t *n)
{
	yaml_node_item_t *it;
	int r;

	r = want_seq(c, seq, NULL, what);
	if (r)
		return r;
	*out = calloc(seq_len(seq), sizeof(**out));
	if (!*out)
		return oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = node(c, *it);
		const char *v;

		if (metrics) {
			r = get_metric(c, e, &(*out)[*n]);
		} else {
			/* An argument may be empty: no dup_scalar(). */
			v = scalar(c, e, NULL, "an argument");
			if (!v)
				return -EINVAL;
			(*out)[*n] = strdup(v);
			r = (*out)[*n] ? 0 : oom(c);
		}
		if (r)
			return r;
		(*n)++;
	}
	return 0;
}

/* The guest's limits, checked as `unitune run` checks them: a sweep would
 * otherwise record every variant as crashed. */
static int check_args(struct ctx *c, const yaml_node_t *at,
		      const struct space_bench *b)
{
	char why[512];
	int e = cmdline_check(NULL, (const char *const *)b->args, b->n_args,
			      RUNNER_KERNEL_PATH, why, sizeof(why));

	if (e == -ENOMEM)
		return oom(c);
	return e ? fail(c, at, NULL, "args: %s", why) : 0;
}

static int load_bench(struct ctx *c, yaml_node_t *bn)
{
	struct space_bench *b = &c->s->bench;
	struct key keys[] = {
		KEY("app"), KEY("args"), KEY("metrics"), KEY("repetitions"),
		KEY_END,
	};
	yaml_node_t *n;
	uint64_t reps;
	int r;

	r = get_map(c, bn, NULL, "benchmark", keys);
	if (r)
		return r;
	if ((n = key(keys, "app")->val)) {
		r = dup_scalar(c, n, NULL, "benchmark app", &b->app);
		if (r)
			return r;
		/* The sweep measures the image it builds. */
		if (strcmp(b->app, c->s->app))
			return fail(c, n, NULL, "the benchmark app '%s' is not "
				    "the space's app '%s' (a variant is an "
				    "image of that app, and it is what runs)",
				    b->app, c->s->app);
	}
	if ((n = key(keys, "args")->val)) {
		/* An empty list of arguments is fine. */
		if (n->type == YAML_SEQUENCE_NODE && !seq_len(n))
			;
		else if ((r = string_list(c, n, "args", false, &b->args,
					  &b->n_args)) ||
			 (r = check_args(c, n, b)))
			return r;
	}
	if ((n = key(keys, "metrics")->val) &&
	    (r = string_list(c, n, "metrics", true, &b->metrics,
			     &b->n_metrics)))
		return r;
	if ((n = key(keys, "repetitions")->val)) {
		r = get_positive(c, n, "repetitions", &reps);
		if (r)
			return r;
		if (reps > 1000000)
			return fail(c, n, NULL, "repetitions %" PRIu64 " is "
				    "more than 1000000", reps);
		b->repetitions = (unsigned)reps;
	}
	return 0;
}

static int load_objectives(struct ctx *c, yaml_node_t *seq)
{
	static const char *const goals[] = {
		[SPACE_MINIMIZE] = "minimize",
		[SPACE_MAXIMIZE] = "maximize",
	};
	struct space *s = c->s;
	yaml_node_item_t *it;
	size_t i;
	int r;

	r = want_seq(c, seq, NULL, "objectives");
	if (r)
		return r;
	s->objectives = calloc(seq_len(seq), sizeof(*s->objectives));
	if (!s->objectives)
		return oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		struct space_objective *o = &s->objectives[s->n_objectives];
		struct key keys[] = {
			REQ("metric"), REQ("goal"), KEY_END,
		};
		yaml_node_t *on = node(c, *it);
		const char *v;
		int g;

		r = get_map(c, on, NULL, "an objective", keys);
		if (r)
			return r;
		o->line = line_of(on);
		r = get_metric(c, key(keys, "metric")->val, &o->metric);
		if (r)
			return r;
		s->n_objectives++;
		v = scalar(c, key(keys, "goal")->val, NULL, "goal");
		if (!v)
			return -EINVAL;
		g = pick(v, goals, 2);
		if (g < 0)
			return fail(c, key(keys, "goal")->val, NULL, "unknown "
				    "goal '%s' (expected minimize or "
				    "maximize)", v);
		o->goal = (enum space_goal)g;
		if (pick(o->metric, builtin_metrics, 3) >= 0)
			continue;
		for (i = 0; i < s->bench.n_metrics; i++)
			if (!strcmp(s->bench.metrics[i], o->metric))
				break;
		if (i == s->bench.n_metrics)
			return fail(c, key(keys, "metric")->val, NULL,
				    "objective metric '%s' is neither a "
				    "built-in nor listed in benchmark "
				    "metrics", o->metric);
	}
	return 0;
}

static const char *const strategy_names[] = {
	[SPACE_GRID] = "grid",
	[SPACE_RANDOM] = "random",
	[SPACE_GREEDY] = "greedy",
	[SPACE_TPE] = "tpe",
};

static int load_strategy(struct ctx *c, yaml_node_t *n)
{
	struct space *s = c->s;
	struct key keys[] = { REQ("name"), KEY("seed"), KEY_END };
	yaml_node_t *nn = n, *sn = NULL;
	const char *v;
	int64_t seed;
	int k, r;

	if (n->type == YAML_MAPPING_NODE) {
		r = get_map(c, n, NULL, "strategy", keys);
		if (r)
			return r;
		nn = key(keys, "name")->val;
		sn = key(keys, "seed")->val;
	}
	v = scalar(c, nn, NULL, "strategy");
	if (!v)
		return -EINVAL;
	k = pick(v, strategy_names, 4);
	if (k < 0)
		return fail(c, nn, NULL, "unknown strategy '%s' (expected "
			    "grid, random, greedy or tpe)", v);
	s->strategy = (enum space_strategy)k;
	if (sn) {
		if (s->strategy != SPACE_RANDOM && s->strategy != SPACE_TPE)
			return fail(c, sn, NULL, "strategy %s takes no seed",
				    v);
		r = get_i64(c, sn, NULL, "seed", &seed);
		if (r)
			return r;
		if (seed < 0)
			return fail(c, sn, NULL, "seed must not be negative");
		s->seed = (uint64_t)seed;
		s->has_seed = true;
	} else if (s->strategy == SPACE_RANDOM) {
		return fail(c, n, NULL, "strategy random needs a seed "
			    "({name: random, seed: N}) so a sweep can be "
			    "repeated");
	}
	return 0;
}

static int load_budget(struct ctx *c, yaml_node_t *n)
{
	struct key keys[] = { KEY("evaluations"), KEY("seconds"), KEY_END };
	int r;

	r = get_map(c, n, NULL, "budget", keys);
	if (r)
		return r;
	if (!key(keys, "evaluations")->val && !key(keys, "seconds")->val)
		return fail(c, n, NULL, "budget needs evaluations and/or "
			    "seconds");
	if (key(keys, "evaluations")->val &&
	    (r = get_positive(c, key(keys, "evaluations")->val,
			      "evaluations", &c->s->max_evaluations)))
		return r;
	if (key(keys, "seconds")->val)
		r = get_positive(c, key(keys, "seconds")->val, "seconds",
				 &c->s->max_seconds);
	return r;
}

/* base_config, relative to the space file's directory. */
static int load_base(struct ctx *c, yaml_node_t *n)
{
	struct strbuf p = STRBUF_INIT;
	const char *v = scalar(c, n, NULL, "base_config");
	const char *slash;
	int r = 0;

	if (!v)
		return -EINVAL;
	if (!*v)
		return fail(c, n, NULL, "base_config is empty");
	slash = strrchr(c->path, '/');
	if (*v != '/' && slash)
		r = strbuf_add(&p, c->path, (size_t)(slash - c->path) + 1);
	if (!r)
		r = strbuf_adds(&p, v);
	if (r) {
		strbuf_release(&p);
		return oom(c);
	}
	c->s->base_config = strbuf_detach(&p, NULL);
	if (!c->s->base_config)
		return oom(c);
	c->s->base_config_line = line_of(n);
	if (!c->check_files)
		return 0;
	/* Read and validated as `unitune build --config` would. */
	r = space_read_base(c->s, c->kc, NULL, NULL, c->err);
	if (r == -ENOMEM)
		return oom(c);
	return r;
}

/* The experiment name names files (build/tune/NAME, DB.NAME.lock). */
static int check_name(struct ctx *c, yaml_node_t *n)
{
	if (space_name_valid(c->s->name))
		return 0;
	if (n)
		return fail(c, n, NULL, "experiment name '%s' is not usable: "
			    "a name is 1 to %d letters, digits, '.', '_' "
			    "and '-', not starting with '.' or '-', and not "
			    "'slots' (it names build/tune/NAME)",
			    c->s->name, SPACE_NAME_MAX);
	return fail(c, NULL, NULL, "the file name gives the experiment name "
		    "'%s', which is not usable (letters, digits, '.', '_' "
		    "and '-', not starting with '.' or '-', not 'slots'); "
		    "set one with name: NAME", c->s->name);
}

static int default_name(struct ctx *c)
{
	const char *b = strrchr(c->path, '/');
	size_t n;

	b = b ? b + 1 : c->path;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(b + n - 4, ".yml"))
		n -= 4;
	c->s->name = strndup(b, n);
	return c->s->name ? 0 : oom(c);
}

/* The grid strategy enumerates the grid by a 64-bit index. */
static int check_grid(struct ctx *c, yaml_node_t *at)
{
	uint64_t n;

	if (c->s->strategy != SPACE_GRID || !space_grid_size(c->s, &n))
		return 0;
	return fail(c, at, NULL, "the grid of these options has more than "
		    "2^64 points, too many for strategy grid; use random, "
		    "greedy or tpe, or fewer values");
}

static int load_root(struct ctx *c, yaml_node_t *root)
{
	static const char *const modes[] = {
		[SPACE_DETERMINISTIC] = "deterministic",
		[SPACE_WALL] = "wall",
	};
	struct space *s = c->s;
	struct key keys[] = {
		KEY("name"), REQ("app"), KEY("base_config"),
		REQ("options"), KEY("benchmark"),
		REQ("objectives"), KEY("mode"), KEY("budget"),
		KEY("strategy"), KEY_END,
	};
	yaml_node_t *n;
	const char *v;
	int r, m;

	r = get_map(c, root, NULL, "the space file", keys);
	if (r)
		return r;
	if ((n = key(keys, "name")->val))
		r = dup_scalar(c, n, NULL, "name", &s->name);
	else
		r = default_name(c);
	if (!r)
		r = check_name(c, n);
	if (!r) {
		r = dup_scalar(c, key(keys, "app")->val, NULL, "app", &s->app);
		s->app_line = line_of(key(keys, "app")->val);
	}
	if (!r && (n = key(keys, "base_config")->val))
		r = load_base(c, n);
	if (!r)
		r = load_options(c, key(keys, "options")->val);
	s->bench.repetitions = 1;
	if (!r && (n = key(keys, "benchmark")->val))
		r = load_bench(c, n);
	if (!r && !s->bench.app && !(s->bench.app = strdup(s->app)))
		r = oom(c);
	if (!r)
		r = load_objectives(c, key(keys, "objectives")->val);
	if (!r && (n = key(keys, "mode")->val)) {
		v = scalar(c, n, NULL, "mode");
		if (!v)
			return -EINVAL;
		m = pick(v, modes, 2);
		if (m < 0)
			return fail(c, n, NULL, "unknown mode '%s' (expected "
				    "deterministic or wall)", v);
		s->mode = (enum space_mode)m;
	}
	if (!r && (n = key(keys, "budget")->val))
		r = load_budget(c, n);
	if (!r && (n = key(keys, "strategy")->val))
		r = load_strategy(c, n);
	if (!r)
		r = check_grid(c, n ? n : key(keys, "options")->val);
	return r;
}

static int syntax_error(struct ctx *c, const yaml_parser_t *p)
{
	int r;

	c->err->len = 0;
	r = strbuf_addf(c->err, "%s:%zu: YAML syntax error: %s", c->path,
			p->problem_mark.line + 1,
			p->problem ? p->problem : "unknown problem");
	if (!r && p->context)
		r = strbuf_addf(c->err, " (%s at line %zu)", p->context,
				p->context_mark.line + 1);
	return r ? -ENOMEM : -EINVAL;
}

static int load_text(const char *text, size_t len, const char *path,
		     const struct kconfig *kc, bool check_files,
		     struct space **out, struct strbuf *err)
{
	struct ctx c = { .path = path, .kc = kc, .err = err,
			 .check_files = check_files };
	yaml_document_t doc, extra;
	yaml_parser_t parser;
	yaml_node_t *root;
	int r;

	*out = NULL;
	r = space_check_nesting(text, len, path, err);
	if (r)
		return r;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM
			: syntax_error(&c, &parser);
		goto out_parser;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		r = fail(&c, NULL, NULL, "empty space file");
		goto out_doc;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM
			: syntax_error(&c, &parser);
		goto out_doc;
	}
	if (yaml_document_get_root_node(&extra)) {
		r = fail(&c, yaml_document_get_root_node(&extra), NULL,
			 "a space file holds one YAML document");
		yaml_document_delete(&extra);
		goto out_doc;
	}
	yaml_document_delete(&extra);

	c.s = calloc(1, sizeof(*c.s));
	if (!c.s || !(c.s->path = strdup(path))) {
		r = -ENOMEM;
		goto out_doc;
	}
	r = load_root(&c, root);
	if (c.oom)
		r = -ENOMEM;
	if (!r) {
		*out = c.s;
		c.s = NULL;
	}
out_doc:
	space_free(c.s);
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	return r;
}

int space_load(const char *path, const struct kconfig *kc,
	       struct space **out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	char why[PATH_MAX + 128];
	int r;

	*out = NULL;
	r = strbuf_read_file(&text, path, STRBUF_TEXT_MAX, why, sizeof(why));
	if (r) {
		err->len = 0;
		strbuf_release(&text);
		return strbuf_adds(err, why) ? -ENOMEM : r;
	}
	r = load_text(text.buf ? text.buf : "", text.len, path, kc, true, out,
		      err);
	strbuf_release(&text);
	return r;
}

int space_load_text(const char *text, size_t len, const char *path,
		    const struct kconfig *kc, struct space **out,
		    struct strbuf *err)
{
	return load_text(text, len, path, kc, false, out, err);
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void space_free(struct space *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_options; i++) {
		free(s->options[i].symbol);
		free_strv(s->options[i].values, s->options[i].n_values);
	}
	free(s->options);
	for (i = 0; i < s->n_objectives; i++)
		free(s->objectives[i].metric);
	free(s->objectives);
	free(s->bench.app);
	free_strv(s->bench.args, s->bench.n_args);
	free_strv(s->bench.metrics, s->bench.n_metrics);
	free(s->path);
	free(s->name);
	free(s->app);
	free(s->base_config);
	free(s);
}

int space_grid_size(const struct space *s, uint64_t *n)
{
	uint64_t p = 1;
	size_t i;

	for (i = 0; i < s->n_options; i++) {
		uint64_t k = s->options[i].n_values;

		if (k && p > UINT64_MAX / k)
			return -EOVERFLOW;
		p *= k;
	}
	*n = p;
	return 0;
}

int space_grid_point(const struct space *s, uint64_t index, size_t *idx)
{
	uint64_t size;
	size_t i;

	if (space_grid_size(s, &size) || index >= size)
		return -ERANGE;
	for (i = s->n_options; i-- > 0;) {
		uint64_t k = s->options[i].n_values;

		idx[i] = (size_t)(index % k);
		index /= k;
	}
	return 0;
}

const char *space_goal_name(enum space_goal g)
{
	return g == SPACE_MINIMIZE ? "minimize"
		: g == SPACE_MAXIMIZE ? "maximize" : NULL;
}

const char *space_mode_name(enum space_mode m)
{
	return m == SPACE_DETERMINISTIC ? "deterministic"
		: m == SPACE_WALL ? "wall" : NULL;
}

const char *space_strategy_name(enum space_strategy st)
{
	return (unsigned)st < 4 ? strategy_names[st] : NULL;
}

const char *space_opt_kind_name(enum space_opt_kind k)
{
	return k == SPACE_OPT_BOOL ? "bool" : k == SPACE_OPT_CHOICE
		? "choice" : k == SPACE_OPT_INT ? "int" : NULL;
}

int space_point_format(const struct space *s, const size_t *idx,
		       struct strbuf *out)
{
	size_t i;
	int r = 0;

	for (i = 0; i < s->n_options && !r; i++) {
		const struct space_option *o = &s->options[i];

		if (idx[i] >= o->n_values)
			return -ERANGE;
		if (o->kind == SPACE_OPT_CHOICE)
			r = strbuf_addf(out, CONFIG_PREFIX "%s=y\n",
					o->values[idx[i]]);
		else if (o->kind == SPACE_OPT_BOOL &&
			 !strcmp(o->values[idx[i]], "n"))
			r = strbuf_addf(out, "# " CONFIG_PREFIX "%s is not set\n",
					o->symbol);
		else
			r = strbuf_addf(out, CONFIG_PREFIX "%s=%s\n", o->symbol,
					o->values[idx[i]]);
	}
	return r;
}

const char *space_option_value(const struct space_option *o,
			       const struct config_set *set)
{
	const struct config_assign *a;
	size_t v;

	if (o->kind != SPACE_OPT_CHOICE) {
		a = config_set_get(set, o->symbol);
		/* A bool missing from .config is n. */
		return a ? a->value : o->kind == SPACE_OPT_BOOL ? "n" : NULL;
	}
	for (v = 0; v < o->n_values; v++) {
		a = config_set_get(set, o->values[v]);
		if (a && !strcmp(a->value, "y"))
			return o->values[v];
	}
	return NULL;
}

long space_option_index(const struct space_option *o, const char *value)
{
	size_t v;

	for (v = 0; value && v < o->n_values; v++)
		if (o->kind == SPACE_OPT_CHOICE
			    ? !strcmp(value, o->values[v])
			    : config_values_equal(o->kind == SPACE_OPT_BOOL
						  ? KCONFIG_BOOL : KCONFIG_INT,
						  value, o->values[v]))
			return (long)v;
	return -1;
}

int space_point_parse(const struct space *s, const char *text, size_t *idx)
{
	struct config_set set = { 0 };
	size_t i;
	long v;
	int r;

	r = config_parse_text(text, strlen(text), "point", &set, NULL);
	if (r > 0)
		r = -EINVAL;
	for (i = 0; i < s->n_options && !r; i++) {
		v = space_option_index(&s->options[i],
				       space_option_value(&s->options[i], &set));
		if (v < 0)
			r = -ENOENT;
		else
			idx[i] = (size_t)v;
	}
	config_set_release(&set);
	return r;
}
