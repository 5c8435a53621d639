/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the experiment report: what its parts share. exp_plots.c and
 * exp_convergence.c write each plot's data and gnuplot script;
 * exp_report.c renders them and writes index.html. Not for other users (see exp_report.h).
 */
#ifndef UNITUNE_EXP_REPORT_INT_H
#define UNITUNE_EXP_REPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis.h"
#include "dead_tally.h"
#include "kconfig.h"
#include "store.h"
#include "strbuf.h"
#include "why.h"

/* Widest canvas of any plot, in SVG pixels: the page shows it 1:1, so
 * the 13 px font stays 13 px. */
#define REPORT_PLOT_WIDTH 960

struct report_ctx {
	struct store *st;
	int64_t exp_id;
	const struct kconfig *kc;
	const struct space *s;
	const struct analysis_table *t;
	struct store_experiment exp;
	struct store_env env;
	bool has_env;
	const char *dir;
	unsigned top;
	/* Which plots have data, and whether gnuplot rendered them. */
	bool have_objective, have_effects, have_pareto, have_convergence;
	/* The strategies the convergence plot compares ("grid (this
	 * experiment), random (exp2)"), for the page. */
	/* What kconfig changed: the values dead by dependency counted, the
	 * others marked (t->n rows of s->n_options). */
	struct dead_tally dead;
	bool *surprising;
	struct strbuf convergence_lines;
	size_t convergence_evals; /* the longest line's evaluations */
	int plot_err; /* 0, or why no SVG was rendered */
	char plot_why[UNITUNE_WHY_MAX];
};

/* Open dir/name for writing; NULL with errno set. */
FILE *report_open(const struct report_ctx *c, const char *name);
/* Close f, telling a write error (a full disk) from success. */
int report_close(FILE *f);
/* "metric (unit)" or "metric". */
void report_axis_label(const struct analysis_table *t, size_t m, char *buf,
		       size_t len);
/* A value of option i as plots label it: a choice member without the
 * prefix all members share (UKALLOC_TLSF -> TLSF); NULL gives "-". */
const char *report_value_label(const struct space *s, size_t i,
			       const char *value);

/* Colours of the plots' series, told apart by most readers. */
#define REPORT_PALETTE 8
unsigned report_colour(size_t k); /* 0xRRGGBB, cycling */

/* Open plot's data (PLOT.dat) and write its header comment (fmt, with
 * '#' lines). NULL with errno set. */
FILE *report_open_data(const struct report_ctx *c, const char *plot,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Open plot's script (PLOT.gp) and start it: how to render it, and the
 * SVG terminal (w x h, the report's font) writing PLOT.svg. NULL with
 * errno set. */
FILE *report_open_script(const struct report_ctx *c, const char *plot,
			 unsigned w, unsigned h);
/* "set NAME 'text'" with text quoted for gnuplot. */
void report_set_text(FILE *f, const char *name, const char *text);
/* "set AXIS 'label'", the label of metric m as report_axis_label says. */
void report_set_axis(FILE *f, const char *axis, const struct analysis_table *t,
		     size_t m);

/* Each writes NAME.dat and NAME.gp and sets c->have_NAME when there is
 * something to plot. 0 or a negative errno. */
int report_plot_objective(struct report_ctx *c);
int report_plot_effects(struct report_ctx *c);
int report_plot_pareto(struct report_ctx *c);
int report_plot_convergence(struct report_ctx *c);

#endif
