/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tuner's space file (YAML; format in docs/space-file.md): which
 * Kconfig symbols to vary and over which values, the benchmark, the
 * objective(s), the measurement mode, the budget and the strategy.
 *
 * space_load() parses the file with libyaml's document API and validates
 * every symbol and value against a Kconfig symbol table (host/kconfig.h),
 * expanding ranges into explicit value lists. The first problem found is
 * returned in why (host/why.h) as "FILE:LINE: CONFIG_X: what is wrong"
 * (or "FILE:LINE: what is wrong" when no symbol is involved) and nothing
 * else: a later problem may only follow from the first, and fixing one
 * and loading again is how a hand-written file is corrected.
 *
 * The handle is plain data: no global state, any number can coexist.
 */
#ifndef UNITUNE_SPACE_H
#define UNITUNE_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "kconfig.h"
#include "strbuf.h"

/* Most values one option may expand to (a range is refused beyond it). */
#define SPACE_MAX_VALUES 4096
/* Deepest nesting of YAML lists and mappings accepted (a space nests 4). */
#define SPACE_MAX_DEPTH 64
/* Longest experiment name. */
#define SPACE_NAME_MAX 100

enum space_opt_kind {
	SPACE_OPT_BOOL,		/* values "y" and/or "n" */
	SPACE_OPT_CHOICE,	/* values: member symbols, one set to y */
	SPACE_OPT_INT,		/* values: canonical decimal strings */
};

struct space_option {
	enum space_opt_kind kind;
	/*
	 * Without CONFIG_. For bool and int the symbol set to each value; for
	 * a choice the choice's name (a named Kconfig choice whose members
	 * the values are).
	 */
	char *symbol;
	/* Expanded, in file order (ranges ascending). For a choice, member
	 * symbol names without CONFIG_. */
	char **values;
	size_t n_values;
	unsigned line;		/* of the option's mapping in the file */
};

enum space_goal {
	SPACE_MINIMIZE,
	SPACE_MAXIMIZE,
};

struct space_objective {
	char *metric;		/* a built-in or one of bench.metrics */
	enum space_goal goal;
	unsigned line;
};

/* What a variant's measurement is (benchmark kind). */
enum space_bench_kind {
	SPACE_BENCH_CONSOLE,	/* default: the app runs to its exit and
				 * prints result lines */
	SPACE_BENCH_HTTP,	/* the app serves HTTP: wrk against it
				 * (bench/http.h), and, when asked, its
				 * instructions per request (bench/per_request.h) */
};

/* kind http's settings (benchmark: http:), as `unitune bench http`'s
 * options. */
struct space_http {
	unsigned threads, connections;	/* wrk -t, -c */
	int64_t duration_ns;		/* each repetition, >= 1 s */
	int64_t warmup_ns;		/* one discarded run first; 0: none */
	char *path;			/* the page, "/" by default */
	unsigned det_requests;		/* requests of the deterministic
					 * boot (instructions per request) */
};

struct space_bench {
	enum space_bench_kind kind;
	struct space_http http;		/* kind http only */
	char *app;		/* defaults to the space's app */
	char **args;
	size_t n_args;
	/* "bench.pattern.field" (docs/result-lines.md) or a metric the
	 * host measures (host_metrics.h). */
	char **metrics;
	size_t n_metrics;
	/* Repetitions every variant gets (>= 1; default 1) and, racing
	 * (repetitions: {min, max}), those a contender for the best may
	 * get (tuner/race.h); equal without a race. */
	unsigned repetitions;
	unsigned max_repetitions;
};

enum space_mode {
	SPACE_DETERMINISTIC,	/* default */
	SPACE_WALL,
};

enum space_strategy {
	SPACE_GRID,		/* default */
	SPACE_RANDOM,
	SPACE_GREEDY,
	SPACE_TPE,
};

struct space {
	char *path;		/* the file, as given to space_load() */
	char *name;		/* "name", or the file's base name without .yaml */
	char *app;
	unsigned app_line;
	/* "base_config" resolved against the space file's directory; NULL
	 * when absent. space_load() read and validated it; a space from
	 * space_load_text() leaves that to space_read_base(). */
	char *base_config;
	unsigned base_config_line;
	struct space_option *options;
	size_t n_options;
	struct space_bench bench;
	struct space_objective *objectives;
	size_t n_objectives;
	enum space_mode mode;
	uint64_t max_evaluations;	/* 0: no limit */
	uint64_t max_seconds;		/* 0: no limit */
	enum space_strategy strategy;
	bool has_seed;
	uint64_t seed;
};

/*
 * Load and validate the space file at path against kc, and its
 * base_config (space_read_base). 0 and *out (free with space_free), or
 * -EINVAL (invalid file, or path not a regular file), -EFBIG (more than
 * STRBUF_TEXT_MAX bytes), -ENOENT/-errno (cannot read path), each with
 * why saying so; or -ENOMEM.
 */
int space_load(const char *path, const struct kconfig *kc,
	       struct space **out, char *why, size_t why_len);

/*
 * Like space_load, from text already in memory (a space stored with an
 * experiment). path names the file in messages and anchors a relative
 * base_config, which need not exist any more.
 */
int space_load_text(const char *text, size_t len, const char *path,
		    const struct kconfig *kc, struct space **out,
		    char *why, size_t why_len);

void space_free(struct space *s);

/*
 * Is name usable as an experiment name? It names files
 * (build/tune/NAME, DB.NAME.lock): 1 to SPACE_NAME_MAX letters, digits,
 * '.', '_' and '-', not starting with '.' or '-', and not "slots" (the
 * build slots' folder beside the work directories).
 */
bool space_name_valid(const char *name);

/*
 * libyaml has no depth limit, and 100,000 nested '[' take it minutes:
 * walk text's events and stop at the first list or mapping deeper than
 * SPACE_MAX_DEPTH (a real space file nests 4 deep). 0 (also for a
 * syntax error, which the loader reports), -EINVAL with why holding
 * "PATH:LINE: lists and mappings nest deeper than 64 levels", -ENOMEM.
 * In space_limits.c, with space_name_valid().
 */
int space_check_nesting(const char *text, size_t len, const char *path,
			char *why, size_t why_len);

/*
 * Read s's base_config (a regular file of at most STRBUF_TEXT_MAX bytes)
 * and validate every line the way `unitune build --config` does: a
 * malformed line, an unknown symbol or a value of the wrong type or out
 * of range is an error "BASE:LINE: CONFIG_X: ..." (config_check_assign).
 * The assignments are put into into (later wins) and the file's bytes
 * appended to text, each when not NULL. 0 (also when s has no
 * base_config), -EINVAL with why saying which line, or -ENOMEM.
 * In space_base.c.
 */
int space_read_base(const struct space *s, const struct kconfig *kc,
		    struct config_set *into, struct strbuf *text,
		    char *why, size_t why_len);

/*
 * A point (one value index per option) as .config lines, in option
 * order: "CONFIG_X=V", "# CONFIG_X is not set" for a bool n, and
 * "CONFIG_MEMBER=y" for a choice. This is the variant's "requested" text.
 * 0, -ERANGE (an index out of range) or -ENOMEM.
 */
int space_point_format(const struct space *s, const size_t *idx,
		       struct strbuf *out);

/*
 * The inverse: fill idx from .config text (a requested or a resolved
 * config; other lines are ignored). -ENOENT when some option's value is
 * not there (a resolved config kconfig changed), -EINVAL, -ENOMEM.
 */
int space_point_parse(const struct space *s, const char *text, size_t *idx);

/*
 * Option o's value in a parsed .config: the symbol's value for a bool
 * ("n" when absent) or an int (NULL when absent), whatever it is; for a
 * choice, the member among o's values set to y (NULL if none). Points
 * into o or set.
 */
const char *space_option_value(const struct space_option *o,
			       const struct config_set *set);

/* The index in o->values of value (ints compare by value), or -1 (also
 * for NULL). */
long space_option_index(const struct space_option *o, const char *value);

/*
 * The number of points of the full grid (the product of every option's
 * value count) in *n. 0, or -EOVERFLOW when it does not fit in 64 bits.
 */
int space_grid_size(const struct space *s, uint64_t *n);

/*
 * Decode grid point index (0 <= index < grid size) into one value index
 * per option: idx[i] indexes s->options[i].values. The last option varies
 * fastest. -ERANGE when index is past the grid (or it overflows), else 0.
 */
int space_grid_point(const struct space *s, uint64_t index, size_t *idx);

/* Does the space race its variants (repetitions: {min, max})? */
bool space_races(const struct space *s);

/* Names as the file spells them ("minimize", "wall", "tpe", "http"...). */
const char *space_bench_kind_name(enum space_bench_kind k);
const char *space_goal_name(enum space_goal g);
const char *space_mode_name(enum space_mode m);
const char *space_strategy_name(enum space_strategy st);
const char *space_opt_kind_name(enum space_opt_kind k);

/* Is name a well-formed metric name (built-in or bench.pattern.field)? */
bool space_metric_valid(const char *name);

#endif
