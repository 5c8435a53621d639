/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the space file loader: what its parts share. space_yaml.c reads
 * YAML nodes and reports errors at their line; space_option.c loads the
 * options list; space_bench.c the benchmark (metrics, repetitions, a
 * race); space.c loads the rest and owns the result. The suite loader
 * (suite.c, a file of the same family) reuses them. Not for other users
 * (see space.h and suite.h).
 */
#ifndef UNITUNE_SPACE_INT_H
#define UNITUNE_SPACE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "kconfig.h"
#include "space.h"
#include "strbuf.h"

/* One load: the file, the tree being read and the space being built. */
struct space_ctx {
	const char *path;
	const struct kconfig *kc;
	yaml_document_t *doc;
	char *why;		/* the first problem, host/why.h */
	size_t why_len;
	struct space *s;
	bool check_files;	/* base_config must exist (not for stored text) */
	int oom;
	/* Where a race's errors point once the file is read: the
	 * repetitions mapping and the first objective's metric. */
	yaml_node_t *race_at;
	yaml_node_t *race_objective_at;
	/* The benchmark's kind, for the checks of kind http. */
	yaml_node_t *kind_at;
};

/* One expected key of a mapping; val/key filled by sp_get_map(). */
struct key {
	const char *name;
	bool required;
	yaml_node_t *key;
	yaml_node_t *val;
};

#define KEY(n) { .name = (n) }
#define REQ(n) { .name = (n), .required = true }
#define KEY_END { .name = NULL }

/* --- space_yaml.c -------------------------------------------------------- */

/* The 1-based line a node starts on (0 for none). */
unsigned sp_line_of(const yaml_node_t *n);

/*
 * Put "PATH:LINE: [CONFIG_SYM: ]message" in c->why (sym without
 * CONFIG_, or NULL; control characters escaped, so one line) and return
 * -EINVAL (-ENOMEM if even that fails).
 */
__attribute__((format(printf, 4, 5)))
int sp_fail(struct space_ctx *c, const yaml_node_t *at, const char *sym,
	    const char *fmt, ...);

/* Notes an allocation failure; returns -ENOMEM. */
int sp_oom(struct space_ctx *c);

yaml_node_t *sp_node(struct space_ctx *c, int id);

/* "a scalar", "a list", "a mapping" or "nothing", for messages. */
const char *sp_node_kind(const yaml_node_t *n);

/* The scalar's text, or NULL (error reported) when n is not a scalar or
 * holds a NUL byte. */
const char *sp_scalar(struct space_ctx *c, yaml_node_t *n, const char *sym,
		      const char *what);

/* A copy of a non-empty scalar. */
int sp_dup_scalar(struct space_ctx *c, yaml_node_t *n, const char *sym,
		  const char *what, char **out);

/*
 * Match a mapping's keys against keys[] (terminated by a NULL name):
 * unknown, duplicate and missing required keys are errors. what names the
 * mapping in messages.
 */
int sp_get_map(struct space_ctx *c, yaml_node_t *map, const char *sym,
	       const char *what, struct key *keys);

/* The entry of keys[] called name (which must be there). */
struct key *sp_key(struct key *keys, const char *name);

/* n is a non-empty list. */
int sp_want_seq(struct space_ctx *c, yaml_node_t *n, const char *sym,
		const char *what);
size_t sp_seq_len(const yaml_node_t *n);

/* An integer scalar (config_parse_int()'s syntax), errors at its line. */
int sp_get_i64(struct space_ctx *c, yaml_node_t *n, const char *sym,
	       const char *what, int64_t *out);
int sp_get_positive(struct space_ctx *c, yaml_node_t *n, const char *what,
		    uint64_t *out);
int sp_get_bool(struct space_ctx *c, yaml_node_t *n, const char *sym,
		const char *what, bool *out);

/* Match v against names[0..n); its index or -1. */
int sp_pick(const char *v, const char *const *names, int n);

/*
 * A symbol written CONFIG_NAME: the table entry, or NULL with the error
 * reported. *name points into the node (without the prefix).
 */
const struct kconfig_sym *sp_get_sym(struct space_ctx *c, yaml_node_t *n,
				     const char **name);

/* The parser's error as "PATH:LINE: YAML syntax error: ...". */
int sp_syntax_error(struct space_ctx *c, const yaml_parser_t *p);

/*
 * Parse text (len bytes, c->path's) as exactly one YAML document, its
 * nesting checked first (space_check_nesting): 0 with *doc loaded (the
 * caller deletes it), c->doc set and *root its root node; or -EINVAL
 * ("empty WHAT", a syntax error, "a WHAT holds one YAML document") or
 * -ENOMEM with c->why set and nothing to delete.
 */
int sp_parse(struct space_ctx *c, const char *text, size_t len,
	     const char *what, yaml_document_t *doc, yaml_node_t **root);

/* --- space.c ------------------------------------------------------------- */

/*
 * A base configuration file named by n (what: "base_config", or a suite
 * benchmark's "config_file"), resolved against c->path's directory into
 * c->s->base_config and, with c->check_files, read and validated
 * (space_read_base_as).
 */
int sp_load_base(struct space_ctx *c, yaml_node_t *n, const char *what);

/* path's base name without .yaml or .yml: a file's default name (a
 * copy, NULL when out of memory). */
char *sp_file_name(const char *path);

/* --- space_base.c -------------------------------------------------------- */

/* space_read_base(), its read errors naming the key: "PATH:LINE: WHAT
 * FILE: ...". */
int space_read_base_as(const struct space *s, const struct kconfig *kc,
		       const char *what, struct config_set *into,
		       struct strbuf *text, char *why, size_t why_len);

/* --- space_option.c ------------------------------------------------------ */

/* The options list into c->s, each option checked against the Kconfig. */
int sp_load_options(struct space_ctx *c, yaml_node_t *seq);

/* --- space_bench.c ------------------------------------------------------- */

/* A metric name (built-in or bench.pattern.field), copied into *out. */
int sp_get_metric(struct space_ctx *c, yaml_node_t *n, char **out);

/* The benchmark mapping into c->s->bench. */
int sp_load_bench(struct space_ctx *c, yaml_node_t *bn);

/*
 * Its keys once matched (each node NULL when absent), for a file that
 * holds them in a mapping of its own (a suite's benchmark, tuner/suite.h):
 * kind and http, args, metrics and repetitions into c->s->bench.
 */
int sp_load_bench_keys(struct space_ctx *c, yaml_node_t *kind,
		       yaml_node_t *http, yaml_node_t *args,
		       yaml_node_t *metrics, yaml_node_t *repetitions);

/* Once the whole file is read: a race needs mode wall and a first
 * objective with run-to-run noise. */
int sp_check_race(struct space_ctx *c);

/* --- space_http.c -------------------------------------------------------- */

/* The benchmark's kind (node NULL: console) and, kind http, its
 * settings (http NULL: the defaults) into c->s->bench. */
int sp_load_http(struct space_ctx *c, yaml_node_t *kind, yaml_node_t *http);

/* With kind http, metric (a benchmark metric or an objective, named by
 * what) must be image_size or one of http_metrics.h's. */
int sp_check_http_metric(struct space_ctx *c, yaml_node_t *at,
			 const char *metric, const char *what);

/* Once the whole file is read: kind http needs mode wall, and a race a
 * wall metric first. */
int sp_check_http(struct space_ctx *c);

#endif
