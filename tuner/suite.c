/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Suite file loading and validation (suite.h, docs/suite-file.md).
 *
 * A suite is read like a space file, with the space loader's helpers
 * (space_int.h): the same document parse and nesting limit, the same key
 * tables (unknown and duplicate keys refused), and each benchmark loaded
 * into a struct space of its own with the space's code for its
 * config_file (validated like base_config), kind, http settings, args,
 * metrics and repetitions. The first error wins and names FILE:LINE.
 */
#include "suite_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "config.h"
#include "host_metrics.h"
#include "http_metrics.h"
#include "why.h"

/* Most warm-up runs a benchmark may discard. */
#define SUITE_MAX_WARMUP 1000

/* Suite and benchmark names key the history and name report files:
 * 1 to max letters, digits, '.', '_' and '-', not starting with '.' or
 * '-'. */
static bool name_valid(const char *name, size_t max)
{
	const char *p;

	if (!*name || *name == '.' || *name == '-' || strlen(name) > max)
		return false;
	for (p = name; *p; p++)
		if (!(*p == '.' || *p == '_' || *p == '-' ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

static int load_name(struct space_ctx *c, const struct suite *su,
		     yaml_node_t *n, struct suite_bench *b)
{
	size_t i;
	int r = sp_dup_scalar(c, n, NULL, "benchmark name", &b->name);

	if (r)
		return r;
	if (!name_valid(b->name, SUITE_NAME_MAX))
		return sp_fail(c, n, NULL, "benchmark name '%s' is not usable: "
			       "a name is 1 to %d letters, digits, '.', '_' "
			       "and '-', not starting with '.' or '-'",
			       b->name, SUITE_NAME_MAX);
	/* b is counted already: the ones before it. */
	for (i = 0; &su->benches[i] != b; i++)
		if (!strcmp(su->benches[i].name, b->name))
			return sp_fail(c, n, NULL, "duplicate benchmark name "
				       "'%s' (first at line %u)", b->name,
				       su->benches[i].line);
	return 0;
}

/* A value as a .config line: strings quoted, a bool n "is not set". */
static int config_line(const struct kconfig_sym *ks, const char *name,
		       const char *v, struct strbuf *out)
{
	int r;

	if (ks->type == KCONFIG_BOOL && !strcmp(v, "n"))
		return strbuf_addf(out, "# " CONFIG_PREFIX "%s is not set\n",
				   name);
	if (ks->type != KCONFIG_STRING)
		return strbuf_addf(out, CONFIG_PREFIX "%s=%s\n", name, v);
	r = strbuf_addf(out, CONFIG_PREFIX "%s=\"", name);
	for (; !r && *v; v++)
		r = (*v == '"' || *v == '\\') ? strbuf_addf(out, "\\%c", *v)
					      : strbuf_addc(out, *v);
	return r ? r : strbuf_adds(out, "\"\n");
}

/* One CONFIG_X: value of config:, checked as `unitune build --set` is. */
static int config_pair(struct space_ctx *c, yaml_node_t *kn, yaml_node_t *vn,
		       struct strbuf *out)
{
	char why[UNITUNE_WHY_MAX];
	const struct kconfig_sym *ks;
	struct config_assign a = { .source = c->path };
	struct strbuf value = STRBUF_INIT;
	const char *name, *v;
	int r;

	ks = sp_get_sym(c, kn, &name);
	if (!ks)
		return -EINVAL;
	v = sp_scalar(c, vn, name, "a value");
	if (!v)
		return -EINVAL;
	if (strpbrk(v, "\n\r"))
		return sp_fail(c, vn, name, "a value is one line");
	/* Validated in the form it takes in the .config. */
	r = config_line(ks, name, v, &value);
	if (r)
		goto out;
	a.name = (char *)name;
	a.value = ks->type == KCONFIG_BOOL && !strcmp(v, "n") ? "n"
		  : strchr(value.buf, '=') + 1;
	value.buf[value.len - 1] = '\0';
	a.line = sp_line_of(vn);
	if (config_check_assign(c->kc, &a, why, sizeof(why))) {
		snprintf(c->why, c->why_len, "%s", why);
		r = -EINVAL;
		goto out;
	}
	value.buf[value.len - 1] = '\n';
	r = strbuf_add(out, value.buf, value.len);
out:
	strbuf_release(&value);
	return r == -ENOMEM ? sp_oom(c) : r;
}

/* config: {CONFIG_X: V, ...} into b->config, in file order. */
static int load_config(struct space_ctx *c, yaml_node_t *n,
		       struct suite_bench *b)
{
	struct strbuf text = STRBUF_INIT;
	yaml_node_pair_t *p, *q;
	int r = 0;

	if (n->type != YAML_MAPPING_NODE)
		return sp_fail(c, n, NULL, "config must be a mapping "
			       "(CONFIG_X: value), not %s", sp_node_kind(n));
	for (p = n->data.mapping.pairs.start;
	     !r && p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = sp_node(c, p->key);

		r = config_pair(c, kn, sp_node(c, p->value), &text);
		for (q = n->data.mapping.pairs.start; !r && q < p; q++)
			if (!strcmp((const char *)sp_node(c, q->key)
					    ->data.scalar.value,
				    (const char *)kn->data.scalar.value))
				r = sp_fail(c, kn, NULL, "%s is set twice in "
					    "config (first at line %u)",
					    kn->data.scalar.value,
					    sp_line_of(sp_node(c, q->key)));
	}
	if (!r) {
		b->config = strbuf_detach(&text, NULL);
		if (!b->config)
			r = sp_oom(c);
	}
	strbuf_release(&text);
	return r;
}

static int load_mode(struct space_ctx *c, yaml_node_t *n)
{
	const char *const modes[] = {
		[SPACE_DETERMINISTIC] = space_mode_name(SPACE_DETERMINISTIC),
		[SPACE_WALL] = space_mode_name(SPACE_WALL),
	};
	const char *v = sp_scalar(c, n, NULL, "mode");
	int m;

	if (!v)
		return -EINVAL;
	m = sp_pick(v, modes, 2);
	if (m < 0)
		return sp_fail(c, n, NULL, "unknown mode '%s' (expected "
			       "deterministic or wall)", v);
	c->s->mode = (enum space_mode)m;
	return 0;
}

/*
 * Each metric once; a benchmark of kind http in mode deterministic
 * measures only its deterministic boot (instructions per request) and
 * the image: wrk's figures need the wall clock.
 */
static int check_metrics(struct space_ctx *c, yaml_node_t *seq)
{
	const struct space *s = c->s;
	yaml_node_item_t *it = seq->data.sequence.items.start;
	size_t i, j;

	for (i = 0; i < s->bench.n_metrics; i++, it++) {
		const char *m = s->bench.metrics[i];

		for (j = 0; j < i; j++)
			if (!strcmp(s->bench.metrics[j], m))
				return sp_fail(c, sp_node(c, *it), NULL,
					       "metric %s is listed twice", m);
		if (s->bench.kind == SPACE_BENCH_HTTP &&
		    s->mode == SPACE_DETERMINISTIC &&
		    !host_metric_is(m, HOST_IMAGE_SIZE) &&
		    strcmp(m, HTTP_METRIC_PER_REQUEST))
			return sp_fail(c, sp_node(c, *it), NULL, "metric %s is "
				       "measured by wrk on the wall clock: it "
				       "needs mode: wall (in mode deterministic "
				       "a benchmark of kind http measures "
				       HTTP_METRIC_PER_REQUEST " and "
				       "image_size)", m);
	}
	return 0;
}

/* Warm-up runs are wall mode's: a deterministic run repeats its numbers,
 * and kind http warms up inside its one boot (http: warmup:). */
static int load_warmup(struct space_ctx *c, yaml_node_t *n,
		       struct suite_bench *b)
{
	int64_t v;
	int r;

	if (c->s->mode != SPACE_WALL)
		return sp_fail(c, n, NULL, "warmup needs mode: wall (a "
			       "deterministic run gives the same numbers "
			       "every time: there is nothing to warm up)");
	if (c->s->bench.kind == SPACE_BENCH_HTTP)
		return sp_fail(c, n, NULL, "a benchmark of kind http warms up "
			       "within its boot: set http: {warmup: DURATION} "
			       "(default: one duration) instead of warmup");
	r = sp_get_i64(c, n, NULL, "warmup", &v);
	if (r)
		return r;
	if (v < 0 || v > SUITE_MAX_WARMUP)
		return sp_fail(c, n, NULL, "warmup must be 0 to %d runs, not "
			       "%" PRId64, SUITE_MAX_WARMUP, v);
	b->warmup = (unsigned)v;
	return 0;
}

/* The space's part of a benchmark: app, config_file, the benchmark keys
 * and mode. */
static int load_space(struct space_ctx *c, struct key *keys)
{
	struct space *s = c->s;
	yaml_node_t *n = sp_key(keys, "app")->val;
	yaml_node_t *reps = sp_key(keys, "repetitions")->val;
	int r;

	r = sp_dup_scalar(c, n, NULL, "app", &s->app);
	if (r)
		return r;
	s->app_line = sp_line_of(n);
	if (!apps_name_valid(s->app))
		return sp_fail(c, n, NULL, "app '%s' is not an app's name (a "
			       "folder of unikernel/apps)", s->app);
	s->bench.app = strdup(s->app);
	if (!s->bench.app)
		return sp_oom(c);
	if ((n = sp_key(keys, "config_file")->val) &&
	    (r = sp_load_base(c, n, "config_file")))
		return r;
	if (reps && reps->type == YAML_MAPPING_NODE)
		return sp_fail(c, reps, NULL, "repetitions {min, max} races a "
			       "tuner's variants; a suite benchmark takes a "
			       "count (repetitions: N)");
	s->bench.repetitions = s->bench.max_repetitions = 1;
	r = sp_load_bench_keys(c, sp_key(keys, "kind")->val,
			       sp_key(keys, "http")->val,
			       sp_key(keys, "args")->val,
			       sp_key(keys, "metrics")->val, reps);
	if (!r && (n = sp_key(keys, "mode")->val))
		r = load_mode(c, n);
	return r ? r : check_metrics(c, sp_key(keys, "metrics")->val);
}

static int load_bench(struct space_ctx *c, struct suite *su, yaml_node_t *bn,
		      struct suite_bench *b)
{
	struct key keys[] = {
		REQ("name"), REQ("app"), KEY("config"), KEY("config_file"),
		KEY("kind"), KEY("http"), KEY("args"), REQ("metrics"),
		KEY("repetitions"), KEY("mode"), KEY("warmup"),
		KEY("threshold"), KEY("min_effect"), KEY("better"), KEY_END,
	};
	yaml_node_t *n;
	int r;

	b->line = sp_line_of(bn);
	r = sp_get_map(c, bn, NULL, "a benchmark", keys);
	if (!r)
		r = load_name(c, su, sp_key(keys, "name")->val, b);
	if (r)
		return r;
	b->space = calloc(1, sizeof(*b->space));
	if (!b->space || !(b->space->path = strdup(su->path)) ||
	    !(b->space->name = strdup(b->name)))
		return sp_oom(c);
	c->s = b->space;
	c->kind_at = c->race_at = c->race_objective_at = NULL;
	r = load_space(c, keys);
	if (!r && (n = sp_key(keys, "config")->val))
		r = load_config(c, n, b);
	else if (!r && !(b->config = strdup("")))
		r = sp_oom(c);
	if (!r && (n = sp_key(keys, "warmup")->val))
		r = load_warmup(c, n, b);
	if (!r)
		r = suite_load_metrics(c, b, sp_key(keys, "better")->val,
				       sp_key(keys, "threshold")->val,
				       sp_key(keys, "min_effect")->val);
	return r;
}

static int load_benches(struct space_ctx *c, struct suite *su,
			yaml_node_t *seq)
{
	yaml_node_item_t *it;
	size_t n;
	int r;

	r = sp_want_seq(c, seq, NULL, "benchmarks");
	if (r)
		return r;
	n = sp_seq_len(seq);
	if (n > SUITE_MAX_BENCHMARKS)
		return sp_fail(c, seq, NULL, "a suite holds at most %d "
			       "benchmarks, not %zu", SUITE_MAX_BENCHMARKS, n);
	su->benches = calloc(n, sizeof(*su->benches));
	if (!su->benches)
		return sp_oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		/* Counted first: freed with the suite if it fails. */
		r = load_bench(c, su, sp_node(c, *it),
			       &su->benches[su->n_benches++]);
		if (r)
			return r;
	}
	return 0;
}

static int load_root(struct space_ctx *c, struct suite *su, yaml_node_t *root)
{
	struct key keys[] = { KEY("name"), REQ("benchmarks"), KEY_END };
	yaml_node_t *n;
	int r;

	r = sp_get_map(c, root, NULL, "the suite file", keys);
	if (r)
		return r;
	if ((n = sp_key(keys, "name")->val))
		r = sp_dup_scalar(c, n, NULL, "name", &su->name);
	else if (!(su->name = sp_file_name(su->path)))
		r = sp_oom(c);
	if (r)
		return r;
	if (!name_valid(su->name, SPACE_NAME_MAX))
		return sp_fail(c, n, NULL, "suite name '%s' is not usable: a "
			       "name is 1 to %d letters, digits, '.', '_' and "
			       "'-', not starting with '.' or '-'%s", su->name,
			       SPACE_NAME_MAX, n ? "" : " (the file's name "
			       "gives it; set one with name: NAME)");
	return load_benches(c, su, sp_key(keys, "benchmarks")->val);
}

int suite_load(const char *path, const struct kconfig *kc,
	       struct suite **out, char *why, size_t why_len)
{
	struct space_ctx c = { .path = path, .kc = kc, .why = why,
			       .why_len = why_len, .check_files = true };
	struct strbuf text = STRBUF_INIT;
	struct suite *su = NULL;
	yaml_document_t doc;
	yaml_node_t *root;
	int r;

	*out = NULL;
	r = strbuf_read_file(&text, path, STRBUF_TEXT_MAX, why, why_len);
	if (r)
		goto out;
	r = sp_parse(&c, text.buf ? text.buf : "", text.len, "suite file",
		     &doc, &root);
	if (r)
		goto out;
	su = calloc(1, sizeof(*su));
	if (!su || !(su->path = strdup(path))) {
		r = -ENOMEM;
		goto out_doc;
	}
	r = load_root(&c, su, root);
	if (c.oom)
		r = -ENOMEM;
	if (!r && !(su->text = strbuf_detach(&text, NULL)))
		r = -ENOMEM;
	if (!r) {
		*out = su;
		su = NULL;
	}
out_doc:
	yaml_document_delete(&doc);
out:
	suite_free(su);
	strbuf_release(&text);
	if (r == -ENOMEM)
		snprintf(why, why_len, "%s", strerror(ENOMEM));
	return r;
}

void suite_free(struct suite *s)
{
	size_t i, j;

	if (!s)
		return;
	for (i = 0; i < s->n_benches; i++) {
		struct suite_bench *b = &s->benches[i];

		free(b->name);
		space_free(b->space);
		free(b->config);
		for (j = 0; j < b->n_metrics; j++)
			free(b->metrics[j].name);
		free(b->metrics);
	}
	free(s->benches);
	free(s->path);
	free(s->name);
	free(s->text);
	free(s);
}

const struct suite_bench *suite_find(const struct suite *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->n_benches; i++)
		if (!strcmp(s->benches[i].name, name))
			return &s->benches[i];
	return NULL;
}
