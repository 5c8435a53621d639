/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Space file loading and validation. See space.h and docs/space-file.md.
 *
 * The file is read with libyaml's document API (the whole tree, anchors
 * and aliases resolved); every node carries its start mark, so each error
 * names the line of the node at fault. The first error wins: the loader
 * stops there and frees everything.
 */
#include "space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "host_metrics.h"
#include "why.h"

bool space_metric_valid(const char *name)
{
	const char *p;
	int parts = 1;
	bool empty = true;

	if (!name)
		return false;
	if (host_metric_find(name))
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

static int load_objectives(struct space_ctx *c, yaml_node_t *seq)
{
	static const char *const goals[] = {
		[SPACE_MINIMIZE] = "minimize",
		[SPACE_MAXIMIZE] = "maximize",
	};
	struct space *s = c->s;
	yaml_node_item_t *it;
	size_t i;
	int r;

	r = sp_want_seq(c, seq, NULL, "objectives");
	if (r)
		return r;
	s->objectives = calloc(sp_seq_len(seq), sizeof(*s->objectives));
	if (!s->objectives)
		return sp_oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		struct space_objective *o = &s->objectives[s->n_objectives];
		struct key keys[] = {
			REQ("metric"), REQ("goal"), KEY_END,
		};
		yaml_node_t *on = sp_node(c, *it);
		const char *v;
		int g;

		r = sp_get_map(c, on, NULL, "an objective", keys);
		if (r)
			return r;
		o->line = sp_line_of(on);
		r = sp_get_metric(c, sp_key(keys, "metric")->val, &o->metric);
		if (r)
			return r;
		if (!s->n_objectives)
			c->race_objective_at = sp_key(keys, "metric")->val;
		s->n_objectives++;
		v = sp_scalar(c, sp_key(keys, "goal")->val, NULL, "goal");
		if (!v)
			return -EINVAL;
		g = sp_pick(v, goals, 2);
		if (g < 0)
			return sp_fail(c, sp_key(keys, "goal")->val, NULL, "unknown "
				       "goal '%s' (expected minimize or "
				       "maximize)", v);
		o->goal = (enum space_goal)g;
		r = sp_check_http_metric(c, sp_key(keys, "metric")->val,
					 o->metric, "objective metric");
		if (r)
			return r;
		if (host_metric_find(o->metric))
			continue;
		for (i = 0; i < s->bench.n_metrics; i++)
			if (!strcmp(s->bench.metrics[i], o->metric))
				break;
		if (i == s->bench.n_metrics)
			return sp_fail(c, sp_key(keys, "metric")->val, NULL,
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

static int load_strategy(struct space_ctx *c, yaml_node_t *n)
{
	struct space *s = c->s;
	struct key keys[] = { REQ("name"), KEY("seed"), KEY_END };
	yaml_node_t *nn = n, *sn = NULL;
	const char *v;
	int64_t seed;
	int k, r;

	if (n->type == YAML_MAPPING_NODE) {
		r = sp_get_map(c, n, NULL, "strategy", keys);
		if (r)
			return r;
		nn = sp_key(keys, "name")->val;
		sn = sp_key(keys, "seed")->val;
	}
	v = sp_scalar(c, nn, NULL, "strategy");
	if (!v)
		return -EINVAL;
	k = sp_pick(v, strategy_names, 4);
	if (k < 0)
		return sp_fail(c, nn, NULL, "unknown strategy '%s' (expected "
			       "grid, random, greedy or tpe)", v);
	s->strategy = (enum space_strategy)k;
	if (sn) {
		if (s->strategy != SPACE_RANDOM && s->strategy != SPACE_TPE)
			return sp_fail(c, sn, NULL, "strategy %s takes no seed",
				       v);
		r = sp_get_i64(c, sn, NULL, "seed", &seed);
		if (r)
			return r;
		if (seed < 0)
			return sp_fail(c, sn, NULL, "seed must not be negative");
		s->seed = (uint64_t)seed;
		s->has_seed = true;
	} else if (s->strategy == SPACE_RANDOM) {
		return sp_fail(c, n, NULL, "strategy random needs a seed "
			       "({name: random, seed: N}) so a sweep can be "
			       "repeated");
	}
	return 0;
}

static int load_budget(struct space_ctx *c, yaml_node_t *n)
{
	struct key keys[] = { KEY("evaluations"), KEY("seconds"), KEY_END };
	int r;

	r = sp_get_map(c, n, NULL, "budget", keys);
	if (r)
		return r;
	if (!sp_key(keys, "evaluations")->val && !sp_key(keys, "seconds")->val)
		return sp_fail(c, n, NULL, "budget needs evaluations and/or "
			       "seconds");
	if (sp_key(keys, "evaluations")->val &&
	    (r = sp_get_positive(c, sp_key(keys, "evaluations")->val,
				 "evaluations", &c->s->max_evaluations)))
		return r;
	if (sp_key(keys, "seconds")->val)
		r = sp_get_positive(c, sp_key(keys, "seconds")->val, "seconds",
				    &c->s->max_seconds);
	return r;
}

/* base_config (or a suite's config_file: what), relative to the file's
 * directory. */
int sp_load_base(struct space_ctx *c, yaml_node_t *n, const char *what)
{
	struct strbuf p = STRBUF_INIT;
	const char *v = sp_scalar(c, n, NULL, what);
	const char *slash;
	int r = 0;

	if (!v)
		return -EINVAL;
	if (!*v)
		return sp_fail(c, n, NULL, "%s is empty", what);
	slash = strrchr(c->path, '/');
	if (*v != '/' && slash)
		r = strbuf_add(&p, c->path, (size_t)(slash - c->path) + 1);
	if (!r)
		r = strbuf_adds(&p, v);
	if (r) {
		strbuf_release(&p);
		return sp_oom(c);
	}
	c->s->base_config = strbuf_detach(&p, NULL);
	if (!c->s->base_config)
		return sp_oom(c);
	c->s->base_config_line = sp_line_of(n);
	if (!c->check_files)
		return 0;
	/* Read and validated as `unitune build --config` would. */
	r = space_read_base_as(c->s, c->kc, what, NULL, NULL, c->why,
			       c->why_len);
	if (r == -ENOMEM)
		return sp_oom(c);
	return r;
}

/* The experiment name names files (build/tune/NAME, DB.NAME.lock). */
static int check_name(struct space_ctx *c, yaml_node_t *n)
{
	if (space_name_valid(c->s->name))
		return 0;
	if (n)
		return sp_fail(c, n, NULL, "experiment name '%s' is not usable: "
			       "a name is 1 to %d letters, digits, '.', '_' "
			       "and '-', not starting with '.' or '-', and not "
			       "'slots' (it names build/tune/NAME)",
			       c->s->name, SPACE_NAME_MAX);
	return sp_fail(c, NULL, NULL, "the file name gives the experiment name "
		       "'%s', which is not usable (letters, digits, '.', '_' "
		       "and '-', not starting with '.' or '-', not 'slots'); "
		       "set one with name: NAME", c->s->name);
}

char *sp_file_name(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(b + n - 4, ".yml"))
		n -= 4;
	return strndup(b, n);
}

static int default_name(struct space_ctx *c)
{
	c->s->name = sp_file_name(c->path);
	return c->s->name ? 0 : sp_oom(c);
}

/* The grid strategy enumerates the grid by a 64-bit index. */
static int check_grid(struct space_ctx *c, yaml_node_t *at)
{
	uint64_t n;

	if (c->s->strategy != SPACE_GRID || !space_grid_size(c->s, &n))
		return 0;
	return sp_fail(c, at, NULL, "the grid of these options has more than "
		       "2^64 points, too many for strategy grid; use random, "
		       "greedy or tpe, or fewer values");
}

static int load_root(struct space_ctx *c, yaml_node_t *root)
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

	r = sp_get_map(c, root, NULL, "the space file", keys);
	if (r)
		return r;
	if ((n = sp_key(keys, "name")->val))
		r = sp_dup_scalar(c, n, NULL, "name", &s->name);
	else
		r = default_name(c);
	if (!r)
		r = check_name(c, n);
	if (!r) {
		r = sp_dup_scalar(c, sp_key(keys, "app")->val, NULL, "app", &s->app);
		s->app_line = sp_line_of(sp_key(keys, "app")->val);
	}
	if (!r && (n = sp_key(keys, "base_config")->val))
		r = sp_load_base(c, n, "base_config");
	if (!r)
		r = sp_load_options(c, sp_key(keys, "options")->val);
	s->bench.repetitions = s->bench.max_repetitions = 1;
	if (!r && (n = sp_key(keys, "benchmark")->val))
		r = sp_load_bench(c, n);
	if (!r && !s->bench.app && !(s->bench.app = strdup(s->app)))
		r = sp_oom(c);
	if (!r)
		r = load_objectives(c, sp_key(keys, "objectives")->val);
	if (!r && (n = sp_key(keys, "mode")->val)) {
		v = sp_scalar(c, n, NULL, "mode");
		if (!v)
			return -EINVAL;
		m = sp_pick(v, modes, 2);
		if (m < 0)
			return sp_fail(c, n, NULL, "unknown mode '%s' (expected "
				       "deterministic or wall)", v);
		s->mode = (enum space_mode)m;
	}
	if (!r && (n = sp_key(keys, "budget")->val))
		r = load_budget(c, n);
	if (!r && (n = sp_key(keys, "strategy")->val))
		r = load_strategy(c, n);
	if (!r)
		r = check_grid(c, n ? n : sp_key(keys, "options")->val);
	if (!r)
		r = sp_check_race(c);
	if (!r)
		r = sp_check_http(c);
	return r;
}

static int load_text(const char *text, size_t len, const char *path,
		     const struct kconfig *kc, bool check_files,
		     struct space **out, char *why, size_t why_len)
{
	struct space_ctx c = { .path = path, .kc = kc, .why = why,
			       .why_len = why_len, .check_files = check_files };
	yaml_document_t doc;
	yaml_node_t *root;
	int r;

	*out = NULL;
	r = sp_parse(&c, text, len, "space file", &doc, &root);
	if (r)
		return r;
	c.s = calloc(1, sizeof(*c.s));
	if (!c.s || !(c.s->path = strdup(path))) {
		r = -ENOMEM;
		goto out;
	}
	r = load_root(&c, root);
	if (c.oom)
		r = -ENOMEM;
	if (!r) {
		*out = c.s;
		c.s = NULL;
	}
out:
	space_free(c.s);
	yaml_document_delete(&doc);
	if (r == -ENOMEM)
		snprintf(why, why_len, "%s", strerror(ENOMEM));
	return r;
}

int space_load(const char *path, const struct kconfig *kc,
	       struct space **out, char *why, size_t why_len)
{
	struct strbuf text = STRBUF_INIT;
	int r;

	*out = NULL;
	r = strbuf_read_file(&text, path, STRBUF_TEXT_MAX, why, why_len);
	if (r == -ENOMEM)
		snprintf(why, why_len, "%s", strerror(ENOMEM));
	if (r)
		return r;
	r = load_text(text.buf ? text.buf : "", text.len, path, kc, true, out,
		      why, why_len);
	strbuf_release(&text);
	return r;
}

int space_load_text(const char *text, size_t len, const char *path,
		    const struct kconfig *kc, struct space **out,
		    char *why, size_t why_len)
{
	return load_text(text, len, path, kc, false, out, why, why_len);
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
	free(s->bench.http.path);
	free_strv(s->bench.args, s->bench.n_args);
	free_strv(s->bench.metrics, s->bench.n_metrics);
	free(s->path);
	free(s->name);
	free(s->app);
	free(s->base_config);
	free(s);
}

bool space_races(const struct space *s)
{
	return s->bench.max_repetitions > s->bench.repetitions;
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
