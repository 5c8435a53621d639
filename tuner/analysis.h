/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What an experiment found: its variants loaded from the store into one
 * in-memory table, with per-metric statistics over the repetitions, the
 * ranking by the space's objectives, the main effect of each option on
 * the primary objective and, with two objectives, the Pareto front.
 *
 * Everything but analysis_load() is a pure computation over the table;
 * `unitune show`, `unitune best` and the experiment report all read the
 * same numbers from here.
 *
 * Definitions:
 * - A variant's value for a metric is the median of its repetitions
 *   (mean, min, max, sample standard deviation and count kept beside
 *   it). A deterministic metric gives the same number every repetition,
 *   so its median is that number. A wall-clock metric (a run of kind
 *   wall) also gets the bootstrap 95% interval of its median and its
 *   spread (host/stats.h).
 * - Ranked variants: status done and a value for the primary (first)
 *   objective. They are ordered by the objectives in turn (each by its
 *   goal; a missing secondary value sorts last), then by id.
 * - Tied with the best: a ranked variant whose interval on the primary
 *   objective overlaps the best's, both wall-clock: the measurements do
 *   not say which is better (tuner/race.h). Deterministic values are
 *   exact and never tie.
 * - Main effect of an option: for each of its values, the mean of the
 *   primary objective over the ranked variants that requested that value;
 *   the effect is the largest of those means minus the smallest (values
 *   nobody measured left out), also as a percentage of the mean over all
 *   ranked variants. Variants count by their requested value; the ones
 *   kconfig changed are flagged (analysis_variant.changed).
 * - Pareto front (two or more objectives; the first two are used): the
 *   ranked variants with both values that no other such variant
 *   dominates (as good in both, better in one, each by its goal, by the
 *   medians). Near the front: off it, but no variant dominates it beyond
 *   the intervals (on each objective, better beyond both intervals, or
 *   as good when both values are deterministic): within the noise it
 *   may belong on the front.
 */
#ifndef UNITUNE_ANALYSIS_H
#define UNITUNE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dead_tally.h"
#include "kconfig.h"
#include "space.h"
#include "store.h"

struct analysis_stat {
	double median; /* the value ranked and shown */
	double mean, min, max;
	double stddev; /* sample (n - 1); 0 when n < 2 */
	unsigned n;    /* repetitions; 0: not measured */
	bool wall;     /* wall-clock samples: the interval below is real */
	/* The bootstrap 95% interval of the median (both the median for a
	 * deterministic metric), the spread ((max - min) / |median|; NAN
	 * when the median is 0) and unstable (spread above 5%), wall only. */
	double ci_low, ci_high;
	double spread;
	bool unstable;
};

struct analysis_variant {
	int64_t id;
	char *hash;
	char *requested;
	char *resolved;
	char *log_tail; /* NULL when none */
	enum store_status status;
	/* Requested value index per option; NULL when the requested text
	 * does not name one of each option's values (another space). */
	size_t *idx;
	/* Per option, its value in the resolved config as the space spells
	 * values ("y", "n", "64", a choice member without CONFIG_), NULL
	 * when it is not there (an int whose dependencies are unmet; no
	 * listed member of a choice selected). */
	char **resolved_vals;
	/* Per option: did kconfig resolve it to other than requested? */
	bool *opt_changed;
	bool changed; /* any option changed */
	bool pareto;  /* on the Pareto front */
	bool near_front; /* off it, but not beyond the intervals */
	bool tied;    /* tied with the best (not the best itself) */
	/* One per table metric (analysis_table.metrics). */
	struct analysis_stat *stats;
};

struct analysis_effect_value {
	double mean;
	unsigned n; /* ranked variants with this value; 0: mean unset */
};

struct analysis_effect {
	size_t option;				/* index in space->options */
	struct analysis_effect_value *values;	/* one per option value */
	double effect;				/* max - min of the means */
	double effect_pct; /* of overall_mean; NAN when that is 0 */
};

struct analysis_table {
	const struct space *space; /* not owned */
	/* Metrics: the objectives first, then the benchmark's, then any
	 * other a run recorded, in the order first seen. */
	char **metrics;
	char **units; /* "" when unknown or a plain count */
	size_t n_metrics;
	/* Index in metrics of each objective (space->objectives order). */
	size_t *obj;
	struct analysis_variant *v; /* by id */
	size_t n;
	size_t *rank; /* indices into v, best first */
	size_t n_ranked;
	double overall_mean; /* primary objective over ranked; NAN if none */
	struct analysis_effect *effects; /* largest effect first */
	size_t n_effects;
	size_t *front; /* indices into v, in rank order */
	size_t n_front;
	size_t *near_front; /* near the front, in rank order */
	size_t n_near_front;
	size_t *tied; /* tied with the best, in rank order */
	size_t n_tied;
};

/*
 * Load every variant of experiment exp with its runs, and compute the
 * rest. 0 and *out (free with analysis_free), or a negative errno /
 * store error (store_errmsg says what) or -ENOMEM.
 */
int analysis_load(struct store *st, int64_t exp, const struct space *s,
		  struct analysis_table **out);

void analysis_free(struct analysis_table *t);

/* Index of metric name in t->metrics, or -1. */
int analysis_metric_index(const struct analysis_table *t, const char *name);

/* The best variant (rank 0), or NULL when no variant succeeded. */
const struct analysis_variant *
analysis_best(const struct analysis_table *t);

/* v's statistics for objective k (0 = primary); n == 0 when unmeasured. */
const struct analysis_stat *analysis_objective(const struct analysis_table *t,
					       const struct analysis_variant *v,
					       size_t k);

/* The requested value of option i of v as the space spells it; "?" when
 * v's requested text names no value of it. */
const char *analysis_value_name(const struct analysis_table *t,
				const struct analysis_variant *v, size_t i);

/* The value option i has in v's resolved config; "-" when kconfig
 * dropped it (unmet dependencies). What tables show. */
/* The first line of a stored log tail: the sweep puts the one-line
 * reason of a failure there. */
void analysis_first_line(const char *log, char *buf, size_t len);

const char *analysis_resolved_name(const struct analysis_variant *v, size_t i);

/*
 * v's varied options as .config lines, each as kconfig resolved it (an
 * option kconfig dropped for unmet dependencies is left out): "CONFIG_X=V",
 * "# CONFIG_X is not set", "CONFIG_MEMBER=y" for a choice. A defconfig
 * fragment `unitune build --config` accepts. 0 or -ENOMEM.
 */
int analysis_export(const struct analysis_table *t,
		    const struct analysis_variant *v, struct strbuf *out);

/*
 * Sort what kconfig changed in t's variants: a requested value dropped
 * because a dependency was off in that variant (build_dead_reason) is
 * counted in dead (one line per option and reason); every other change
 * (the surprising ones: range clamps, selects, another choice member)
 * is passed to cb, in variant order. kc is the tree's symbol table.
 * 0, -ENOMEM, or cb's non-zero return.
 */
typedef int (*analysis_change_cb)(void *ctx, const struct analysis_variant *v,
				  size_t option);
int analysis_changes(const struct analysis_table *t, const struct kconfig *kc,
		     struct dead_tally *dead, analysis_change_cb cb, void *ctx);

/*
 * The search's progress: ids are variants of t in the order they were
 * evaluated; out[k] is the best primary objective (by its goal) among
 * the ranked ones of ids[0..k], NAN while there is none yet. An id
 * that is not ranked (failed, unknown) is an evaluation that found
 * nothing.
 */
void analysis_best_so_far(const struct analysis_table *t, const int64_t *ids,
			  size_t n, double *out);

/* --- analysis_text.c: the figures as text ------------------------------ */

/* A number for people: integers without decimals, others to 4-5
 * significant digits ("84", "112.5", "0.0123", "1.5e+20"). */
void analysis_fmt(double x, char *buf, size_t len);

/*
 * A stat as people read it: "-" unmeasured; a wall-clock one as
 * "median [low, high]" (its 95% interval); a deterministic one as its
 * value, "median+-sd" in the odd case its repetitions differ.
 */
void analysis_stat_text(const struct analysis_stat *st, char *buf,
			size_t len);

/*
 * When the best is tied (t->n_tied), the lines that say so, appended to
 * out: "tie: the 95% intervals of v4 and v7 on M overlap: the
 * measurements do not say which is best", then one line per variant,
 * the best first ("  v4     84 [80, 88] cycles, 8 repetitions (ranked
 * first)"). Nothing when there is no tie. 0 or -ENOMEM.
 */
int analysis_tie_text(const struct analysis_table *t, struct strbuf *out);


#endif
