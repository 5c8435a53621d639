/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The figures of a bench, one table: what each is called, its unit, how
 * it is read from a repetition, and whether its run-to-run spread is a
 * question of stability (rates and latencies) or just a count's
 * variation (errors, drops). bench_figures_summarize() turns a result's
 * repetitions into one summary per figure (host/stats.h).
 */
#ifndef UNITUNE_BENCH_FIGURES_H
#define UNITUNE_BENCH_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "stats.h"

struct bench_figure {
	const char *name;	/* JSON key, store metric: requests_per_s */
	const char *label;	/* table row: requests/s */
	const char *unit;	/* req/s, us, count ... */
	bool rate;		/* spread marks instability */
	double samples[64];	/* one per repetition that has it */
	size_t n;
	struct stats_summary s;
};

/* At most this many repetitions are summarized (the CLI's limit). */
#define BENCH_FIGURES_MAX_REPS 64

struct bench_summary {
	struct bench_figure *f;
	size_t n;
	/* The run is unstable when requests/s is: its spread above
	 * STATS_UNSTABLE_SPREAD. */
	bool unstable;
	double requests_spread;
};

/*
 * Every figure present in at least one of r's repetitions, in table
 * order (wrk's, then the guest's). 0 or -ENOMEM; free with
 * bench_summary_free().
 */
int bench_figures_summarize(const struct bench_http_result *r,
			    struct bench_summary *out);

void bench_summary_free(struct bench_summary *s);

/*
 * Add a figure of n samples, summarized, to s (after
 * bench_figures_summarize()): the figures a bench measures outside wrk
 * and /metrics (a round's first HTTP 200, the smallest memory). 0,
 * -ENOMEM, or -EINVAL (n is 0 or above BENCH_FIGURES_MAX_REPS, a sample
 * not finite).
 */
int bench_summary_add(struct bench_summary *s, const char *name,
		      const char *label, const char *unit, bool rate,
		      const double *samples, size_t n);

/*
 * wrk's figures of one run, the table's first part, by index
 * 0..bench_wrk_figure_count()-1: name ("requests_per_s", also the
 * tuner's metric http.wrk.NAME), unit ("req/s", "us", "count", "B/s")
 * and value in w. Names and units are static; an index out of range
 * gives NULL. bench_wrk_figure_find() is the index of name, or -1.
 */
size_t bench_wrk_figure_count(void);
const char *bench_wrk_figure_name(size_t i);
const char *bench_wrk_figure_unit(size_t i);
double bench_wrk_figure_value(size_t i, const struct wrk_figures *w);
long bench_wrk_figure_find(const char *name);

/* The figure called name, or NULL. */
const struct bench_figure *bench_summary_find(const struct bench_summary *s,
					      const char *name);

#endif
