/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The space file's benchmark: its app, arguments, metrics and
 * repetitions, a fixed count or a race ({min: N, max: M}), and the
 * checks a race needs once the whole file is read. See space.h and
 * docs/space-file.md.
 */
#include "space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "host_metrics.h"
#include "runner.h"
#include "why.h"

/* Most repetitions a space may ask for. */
#define SPACE_MAX_REPETITIONS 1000000

int sp_get_metric(struct space_ctx *c, yaml_node_t *n, char **out)
{
	const char *v = sp_scalar(c, n, NULL, "a metric");
	char builtin[128];

	if (!v)
		return -EINVAL;
	if (!space_metric_valid(v)) {
		host_metric_names(builtin, sizeof(builtin));
		return sp_fail(c, n, NULL, "malformed metric '%s' (expected "
			       "bench.pattern.field, e.g. "
			       "alloc.small.cycles_per_op, or one of %s)", v,
			       builtin);
	}
	*out = strdup(v);
	return *out ? 0 : sp_oom(c);
}

static int string_list(struct space_ctx *c, yaml_node_t *seq, const char *what,
		       bool metrics, char ***out, size_t *n)
{
	yaml_node_item_t *it;
	int r;

	r = sp_want_seq(c, seq, NULL, what);
	if (r)
		return r;
	*out = calloc(sp_seq_len(seq), sizeof(**out));
	if (!*out)
		return sp_oom(c);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = sp_node(c, *it);
		const char *v;

		if (metrics) {
			r = sp_get_metric(c, e, &(*out)[*n]);
		} else {
			/* An argument may be empty: no sp_dup_scalar(). */
			v = sp_scalar(c, e, NULL, "an argument");
			if (!v)
				return -EINVAL;
			(*out)[*n] = strdup(v);
			r = (*out)[*n] ? 0 : sp_oom(c);
		}
		if (r)
			return r;
		/* Counted before the check: freed with the space if it fails. */
		(*n)++;
		if (metrics && (r = sp_check_http_metric(c, e, (*out)[*n - 1],
							 "benchmark metric")))
			return r;
	}
	return 0;
}

/* The guest's limits, checked as `unitune run` checks them: a sweep would
 * otherwise record every variant as crashed. */
static int check_args(struct space_ctx *c, const yaml_node_t *at,
		      const struct space_bench *b)
{
	char why[UNITUNE_WHY_MAX];
	int e = cmdline_check(NULL, (const char *const *)b->args, b->n_args,
			      RUNNER_KERNEL_PATH, why, sizeof(why));

	if (e == -ENOMEM)
		return sp_oom(c);
	return e ? sp_fail(c, at, NULL, "args: %s", why) : 0;
}

static int get_repetitions(struct space_ctx *c, yaml_node_t *n,
			   const char *what, unsigned *out)
{
	uint64_t reps;
	int r = sp_get_positive(c, n, what, &reps);

	if (r)
		return r;
	if (reps > SPACE_MAX_REPETITIONS)
		return sp_fail(c, n, NULL, "%s %" PRIu64 " is more than %d",
			       what, reps, SPACE_MAX_REPETITIONS);
	*out = (unsigned)reps;
	return 0;
}

/*
 * repetitions: N (every variant N times), or {min: N, max: M}: racing,
 * every variant N times, the contenders for the best up to M
 * (tuner/race.h). One sample has no interval, so a race starts at 2.
 */
static int load_repetitions(struct space_ctx *c, yaml_node_t *n)
{
	struct space_bench *b = &c->s->bench;
	struct key keys[] = { REQ("min"), REQ("max"), KEY_END };
	int r;

	if (n->type != YAML_MAPPING_NODE) {
		r = get_repetitions(c, n, "repetitions", &b->repetitions);
		b->max_repetitions = b->repetitions;
		return r;
	}
	r = sp_get_map(c, n, NULL, "repetitions ({min: N, max: M} races "
		       "the contenders)", keys);
	if (!r)
		r = get_repetitions(c, sp_key(keys, "min")->val,
				    "repetitions min", &b->repetitions);
	if (!r)
		r = get_repetitions(c, sp_key(keys, "max")->val,
				    "repetitions max", &b->max_repetitions);
	if (r)
		return r;
	if (b->repetitions < 2)
		return sp_fail(c, sp_key(keys, "min")->val, NULL,
			       "repetitions min must be at least 2: one "
			       "sample has no interval, so a race could not "
			       "tell the contenders");
	if (b->max_repetitions <= b->repetitions)
		return sp_fail(c, sp_key(keys, "max")->val, NULL,
			       "repetitions max (%u) must be more than min "
			       "(%u); for a fixed count write repetitions: %u",
			       b->max_repetitions, b->repetitions,
			       b->max_repetitions);
	c->race_at = n;
	return 0;
}

int sp_check_race(struct space_ctx *c)
{
	const struct space *s = c->s;
	const struct space_objective *o = &s->objectives[0];
	const struct host_metric *hm = host_metric_find(o->metric);

	if (!space_races(s))
		return 0;
	if (s->mode != SPACE_WALL)
		return sp_fail(c, c->race_at, NULL, "racing repetitions "
			       "({min: %u, max: %u}) need mode: wall (in "
			       "deterministic mode every repetition gives "
			       "the same numbers)", s->bench.repetitions,
			       s->bench.max_repetitions);
	if (hm && hm->how != HOST_FROM_BOOT_LINE)
		return sp_fail(c, c->race_objective_at, NULL, "racing "
			       "repetitions compare the first objective's "
			       "samples, but %s is not measured by the clock "
			       "(it has no run-to-run noise): put a wall "
			       "metric first (boot_cycles or a result-line "
			       "metric), or give repetitions a fixed count",
			       o->metric);
	return 0;
}

int sp_load_bench_keys(struct space_ctx *c, yaml_node_t *kind,
		       yaml_node_t *http, yaml_node_t *args,
		       yaml_node_t *metrics, yaml_node_t *repetitions)
{
	struct space_bench *b = &c->s->bench;
	int r;

	r = sp_load_http(c, kind, http);
	if (r)
		return r;
	if (args) {
		/* An empty list of arguments is fine. */
		if (args->type == YAML_SEQUENCE_NODE && !sp_seq_len(args))
			;
		else if ((r = string_list(c, args, "args", false, &b->args,
					  &b->n_args)) ||
			 (r = check_args(c, args, b)))
			return r;
	}
	if (metrics && (r = string_list(c, metrics, "metrics", true,
					&b->metrics, &b->n_metrics)))
		return r;
	if (repetitions)
		return load_repetitions(c, repetitions);
	return 0;
}

int sp_load_bench(struct space_ctx *c, yaml_node_t *bn)
{
	struct space_bench *b = &c->s->bench;
	struct key keys[] = {
		KEY("kind"), KEY("http"), KEY("app"), KEY("args"),
		KEY("metrics"), KEY("repetitions"), KEY_END,
	};
	yaml_node_t *n;
	int r;

	r = sp_get_map(c, bn, NULL, "benchmark", keys);
	if (r)
		return r;
	if ((n = sp_key(keys, "app")->val)) {
		r = sp_dup_scalar(c, n, NULL, "benchmark app", &b->app);
		if (r)
			return r;
		/* The sweep measures the image it builds. */
		if (strcmp(b->app, c->s->app))
			return sp_fail(c, n, NULL, "the benchmark app '%s' is not "
				       "the space's app '%s' (a variant is an "
				       "image of that app, and it is what runs)",
				       b->app, c->s->app);
	}
	return sp_load_bench_keys(c, sp_key(keys, "kind")->val,
				  sp_key(keys, "http")->val,
				  sp_key(keys, "args")->val,
				  sp_key(keys, "metrics")->val,
				  sp_key(keys, "repetitions")->val);
}
