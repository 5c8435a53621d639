/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Space file loading: the options list, each option's values checked
 * against its Kconfig symbol (type, range, choice) and the options kept
 * disjoint.
 */
#include "space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "why.h"

static int push_value(struct space_ctx *c, struct space_option *o,
		      const char *v)
{
	char **nv;

	if (o->n_values >= SPACE_MAX_VALUES)
		return -E2BIG;
	nv = realloc(o->values, (o->n_values + 1) * sizeof(*nv));
	if (!nv)
		return sp_oom(c);
	o->values = nv;
	nv[o->n_values] = strdup(v);
	if (!nv[o->n_values])
		return sp_oom(c);
	o->n_values++;
	return 0;
}

/* Explicit values: no value twice in one option. */
static int check_unique(struct space_ctx *c, struct space_option *o,
			yaml_node_t *at, const char *shown)
{
	size_t i;

	for (i = 0; i + 1 < o->n_values; i++)
		if (!strcmp(o->values[i], o->values[o->n_values - 1]))
			return sp_fail(c, at, o->symbol, "value %s is listed "
				       "twice", shown);
	return 0;
}

static int check_int(struct space_ctx *c, const struct kconfig_sym *ks,
		     yaml_node_t *at, const char *v)
{
	char why[UNITUNE_WHY_MAX];

	if (config_check_value(ks, v, why, sizeof(why)))
		return sp_fail(c, at, ks->name, "%s", why);
	return 0;
}

static int int_range(struct space_ctx *c, struct space_option *o,
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

	r = sp_get_map(c, rn, o->symbol, "range", keys);
	if (!r)
		r = sp_get_i64(c, sp_key(keys, "from")->val, o->symbol, "from",
			       &from);
	if (!r)
		r = sp_get_i64(c, sp_key(keys, "to")->val, o->symbol, "to", &to);
	if (!r && sp_key(keys, "step")->val)
		r = sp_get_i64(c, sp_key(keys, "step")->val, o->symbol, "step",
			       &step);
	if (!r && sp_key(keys, "powers_of_two")->val)
		r = sp_get_bool(c, sp_key(keys, "powers_of_two")->val, o->symbol,
				"powers_of_two", &pow2);
	if (r)
		return r;
	if (sp_key(keys, "step")->val && sp_key(keys, "powers_of_two")->val)
		return sp_fail(c, rn, o->symbol, "range takes step or "
			       "powers_of_two, not both");
	if (!sp_key(keys, "step")->val && !pow2)
		return sp_fail(c, rn, o->symbol, "range needs step: N or "
			       "powers_of_two: true");
	if (sp_key(keys, "step")->val && step <= 0)
		return sp_fail(c, sp_key(keys, "step")->val, o->symbol,
			       "step must be at least 1, not %" PRId64, step);
	if (from > to)
		return sp_fail(c, rn, o->symbol, "range from %" PRId64
			       " is above to %" PRId64, from, to);

	/* Check the ends against the Kconfig range first: the message then
	 * names the bound the user wrote. */
	snprintf(buf, sizeof(buf), "%" PRId64, from);
	r = check_int(c, ks, sp_key(keys, "from")->val, buf);
	if (!r) {
		snprintf(buf, sizeof(buf), "%" PRId64, to);
		r = check_int(c, ks, sp_key(keys, "to")->val, buf);
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
			return sp_fail(c, rn, o->symbol, "no power of two lies "
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
		return sp_fail(c, rn, o->symbol, "range expands to more than %d "
			       "values", SPACE_MAX_VALUES);
	return r;
}

static int option_values(struct space_ctx *c, struct space_option *o,
			 const struct kconfig_sym *ks, yaml_node_t *vn)
{
	yaml_node_item_t *it;
	int r;

	r = sp_want_seq(c, vn, o->symbol, "values");
	if (r)
		return r;
	if (sp_seq_len(vn) > SPACE_MAX_VALUES)
		return sp_fail(c, vn, o->symbol, "more than %d values",
			       SPACE_MAX_VALUES);
	for (it = vn->data.sequence.items.start;
	     it < vn->data.sequence.items.top; it++) {
		yaml_node_t *n = sp_node(c, *it);
		const struct kconfig_sym *m;
		const char *v, *name;
		int64_t i;
		char buf[32];

		switch (o->kind) {
		case SPACE_OPT_BOOL:
			v = sp_scalar(c, n, o->symbol, "a value");
			if (!v)
				return -EINVAL;
			if (strcmp(v, "y") && strcmp(v, "n"))
				return sp_fail(c, n, o->symbol, "'%s' is not a "
					       "bool value; expected y or n", v);
			r = push_value(c, o, v);
			if (!r)
				r = check_unique(c, o, n, v);
			break;
		case SPACE_OPT_INT:
			v = sp_scalar(c, n, o->symbol, "a value");
			if (!v)
				return -EINVAL;
			r = check_int(c, ks, n, v);
			if (r)
				return r;
			/* config_check_value accepted it: canonical. */
			if (config_parse_int(v, &i))
				return sp_fail(c, n, o->symbol, "bad value '%s'",
					       v);
			snprintf(buf, sizeof(buf), "%" PRId64, i);
			r = push_value(c, o, buf);
			if (!r)
				r = check_unique(c, o, n, buf);
			break;
		case SPACE_OPT_CHOICE:
			m = sp_get_sym(c, n, &name);
			if (!m)
				return -EINVAL;
			if (m->type != KCONFIG_BOOL)
				return sp_fail(c, n, name, "is %s, not a bool "
					       "choice member",
					       kconfig_type_name(m->type));
			if (!m->choice_value)
				return sp_fail(c, n, name, "is a bool outside "
					       "any choice");
			if (!kconfig_depends_on(m, o->symbol))
				return sp_fail(c, n, name, "is not a member of "
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

static int load_option(struct space_ctx *c, yaml_node_t *on,
		       struct space_option *o)
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

	o->line = sp_line_of(on);
	/* The symbol first, so later messages can name it. */
	if (on->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *p;

		for (p = on->data.mapping.pairs.start;
		     p < on->data.mapping.pairs.top; p++) {
			yaml_node_t *kn = sp_node(c, p->key);

			if (kn->type == YAML_SCALAR_NODE &&
			    !strcmp((char *)kn->data.scalar.value, "symbol")) {
				sn = sp_node(c, p->value);
				if (sn->type == YAML_SCALAR_NODE &&
				    !strncmp((char *)sn->data.scalar.value,
					     CONFIG_PREFIX,
					     strlen(CONFIG_PREFIX))) {
					o->symbol = strdup(
						(char *)sn->data.scalar.value +
						strlen(CONFIG_PREFIX));
					if (!o->symbol)
						return sp_oom(c);
				}
				break;
			}
		}
	}
	r = sp_get_map(c, on, o->symbol, "an option", keys);
	if (r)
		return r;
	sn = sp_key(keys, "symbol")->val;
	tn = sp_key(keys, "type")->val;
	vn = sp_key(keys, "values")->val;
	rn = sp_key(keys, "range")->val;

	v = sp_scalar(c, tn, o->symbol, "type");
	if (!v)
		return -EINVAL;
	k = sp_pick(v, kinds, 3);
	if (k < 0)
		return sp_fail(c, tn, o->symbol, "unknown option type '%s' "
			       "(expected bool, choice or int)", v);
	o->kind = (enum space_opt_kind)k;

	if (o->kind == SPACE_OPT_CHOICE) {
		/* A named choice is a symbol of its own (bool, not a
		 * member); its members depend on it. */
		ks = sp_get_sym(c, sn, &name);
		if (!ks)
			return -EINVAL;
		if (ks->choice_value || ks->type != KCONFIG_BOOL ||
		    !kconfig_is_choice_name(c->kc, name))
			return sp_fail(c, sn, name, "is not the name of a "
				       "choice");
	} else {
		ks = sp_get_sym(c, sn, &name);
		if (!ks)
			return -EINVAL;
		if (o->kind == SPACE_OPT_BOOL && ks->type != KCONFIG_BOOL)
			return sp_fail(c, sn, name, "is %s, not bool",
				       kconfig_type_name(ks->type));
		/* Setting a choice's own symbol selects nothing: kconfig
		 * would keep its default member and the option would
		 * silently do nothing. */
		if (o->kind == SPACE_OPT_BOOL && !ks->choice_value &&
		    kconfig_is_choice_name(c->kc, name))
			return sp_fail(c, sn, name, "is the name of a choice, "
				       "which a bool cannot set; vary it with "
				       "type: choice and its members as values");
		if (o->kind == SPACE_OPT_INT && ks->type != KCONFIG_INT)
			return sp_fail(c, sn, name, "is %s, not int",
				       kconfig_type_name(ks->type));
		if (ks->choice_value)
			return sp_fail(c, sn, name, "is a choice member; vary it "
				       "with type: choice");
		if (!ks->has_prompt)
			return sp_fail(c, sn, name, "has no prompt, so a "
				       "configuration cannot set it");
	}

	if (vn && rn)
		return sp_fail(c, rn, o->symbol, "an option takes values or "
			       "range, not both");
	if (rn && o->kind != SPACE_OPT_INT)
		return sp_fail(c, rn, o->symbol, "range is for int options");
	if (!vn && !rn) {
		if (o->kind == SPACE_OPT_BOOL) {
			r = push_value(c, o, "y");
			return r ? r : push_value(c, o, "n");
		}
		return sp_fail(c, on, o->symbol, "a %s option needs %s",
			       kinds[o->kind], o->kind == SPACE_OPT_INT
			       ? "values or range" : "values");
	}
	if (rn)
		return int_range(c, o, ks, rn);
	return option_values(c, o, ks, vn);
}

/* No symbol in two options (a choice's members count as its symbols). */
static int check_options_disjoint(struct space_ctx *c, yaml_node_t *seq)
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
					return sp_fail(c, sp_node(c,
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

int sp_load_options(struct space_ctx *c, yaml_node_t *seq)
{
	struct space *s = c->s;
	yaml_node_item_t *it;
	int r;

	r = sp_want_seq(c, seq, NULL, "options");
	if (r)
		return r;
	s->options = calloc(sp_seq_len(seq), sizeof(*s->options));
	if (!s->options)
		return sp_oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		r = load_option(c, sp_node(c, *it), &s->options[s->n_options++]);
		if (r)
			return r;
	}
	return check_options_disjoint(c, seq);
}
