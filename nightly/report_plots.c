/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's history plots (report.h): for series N (its index in
 * r->series), DIR/plots/N.dat (every repetition, block 0; the median of
 * each measured commit, block 1), DIR/plots/N.gp (the gnuplot script)
 * and, rendered by `gnuplot N.gp` in DIR/plots, N.svg. A plot can be
 * re-rendered or restyled there, as the experiment report's.
 *
 * x is the commit's index in the series' history, its tics the short
 * names; a commit that failed is a dotted red line; a change is a solid
 * line before its first commit, labelled with its ±% (red a regression,
 * green an improvement, grey dashed a suspect listed apart). A series
 * with no measured commit has no plot.
 */
#include "report_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "paths.h"
#include "stats.h"
#include "why.h"

#define PLOT_WIDTH 960		/* the page shows it 1:1, as exp_report's */
#define PLOT_HEIGHT 420
#define MAX_TICS 40		/* short names on the x axis at most */
#define BLUE "#0072b2"
#define ORANGE "#e69f00"
#define RED "#c03030"
#define GREEN "#009e73"
#define GREY "#999999"

/* Any repetition to plot. */
static bool plot_has_data(const struct report_series *s)
{
	size_t j;

	for (j = 0; j < s->n_points; j++)
		if (!s->points[j].failed && s->points[j].n)
			return true;
	return false;
}

/*
 * A flat series (a deterministic metric that never changed) gets a range
 * of its own, +-1% around its value: gnuplot would widen an empty one
 * too, with a warning on every night's stderr.
 */
static void plot_flat_range(const struct report_series *s, FILE *f)
{
	double lo = 0, hi = 0, d;
	bool any = false;
	size_t j, k;

	for (j = 0; j < s->n_points; j++)
		for (k = 0; !s->points[j].failed && k < s->points[j].n; k++) {
			double v = s->points[j].values[k];

			lo = any && lo < v ? lo : v;
			hi = any && hi > v ? hi : v;
			any = true;
		}
	if (!any || lo != hi)
		return;
	d = lo ? fabs(lo) / 100 : 1;
	fprintf(f, "set yrange [%.17g:%.17g]\n", lo - d, hi + d);
}

/* The median of p's repetitions (p has some). */
static int plot_median(const struct report_point *p, double *out)
{
	double *v = malloc(p->n * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, p->values, p->n * sizeof(*v));
	stats_sort(v, p->n);
	*out = stats_quantile_sorted(v, p->n, 0.5);
	free(v);
	return 0;
}

static int plot_data(const struct report_series *s, const char *dir,
		     const char *name)
{
	FILE *f = report_file_open(dir, name);
	double m;
	size_t j, k;
	int e = 0;

	if (!f)
		return -errno;
	fputs("# every repetition (index 0), the median per commit "
	      "(index 1)\n# x value\n", f);
	for (j = 0; j < s->n_points; j++)
		for (k = 0; !s->points[j].failed && k < s->points[j].n; k++)
			fprintf(f, "%zu %.17g\n", j, s->points[j].values[k]);
	fputs("\n\n", f);
	for (j = 0; j < s->n_points && !e; j++) {
		if (s->points[j].failed || !s->points[j].n)
			continue;
		e = plot_median(&s->points[j], &m);
		if (!e)
			fprintf(f, "%zu %.17g\n", j, m);
	}
	if (!e)
		return report_file_close(f);
	report_file_close(f);
	return e;
}

/* s as a gnuplot string on one line: a control character (a newline
 * would end the command) becomes a space. */
static void plot_quote(FILE *f, const char *s)
{
	char buf[512];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", s ? s : "");
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	gnuplot_quote(f, buf);
}

/* The index of commit in s's history, or -1. */
static long plot_index(const struct report_series *s, const char *commit)
{
	size_t j;

	for (j = 0; commit && j < s->n_points; j++)
		if (s->points[j].commit && !strcmp(s->points[j].commit, commit))
			return (long)j;
	return -1;
}

static void plot_tics(const struct report_series *s, FILE *f)
{
	size_t step = (s->n_points + MAX_TICS - 1) / MAX_TICS, j;
	char sha[REPORT_SHORT_SHA + 1];

	fputs("set xtics rotate by -45 (", f);
	for (j = 0; j < s->n_points; j += step ? step : 1) {
		report_short_sha(s->points[j].commit, sha, sizeof(sha));
		fputs(j ? ", " : "", f);
		plot_quote(f, sha);
		fprintf(f, " %zu", j);
	}
	fputs(")\n", f);
}

/* The vertical lines: failed commits, then the changes of s. */
static void plot_marks(const struct report *r, const struct report_series *s,
		       FILE *f)
{
	char rel[32];
	size_t j;
	long at;

	for (j = 0; j < s->n_points; j++)
		if (s->points[j].failed)
			fprintf(f, "set arrow from %zu, graph 0 to %zu, graph 1 "
				   "nohead lc rgb '" RED "' dt 3\n", j, j);
	for (j = 0; j < r->n_changes; j++) {
		const struct report_change *c = &r->changes[j];
		const char *colour = !report_change_listed(c) ? GREY
				     : c->direction == DETECT_REGRESSION ? RED
				     : GREEN;

		at = plot_index(s, c->commit);
		if (!report_change_of(c, s) || at < 0)
			continue;
		report_fmt_rel(c->rel, rel, sizeof(rel));
		fprintf(f, "set arrow from %g, graph 0 to %g, graph 1 nohead "
			   "lw 2 lc rgb '%s' dt %d\n",
			at - 0.5, at - 0.5, colour,
			report_change_listed(c) ? 1 : 2);
		fprintf(f, "set label '%s%s' at %g, graph 0.95 offset 0.3,0 "
			   "tc rgb '%s'\n", rel,
			report_change_listed(c) ? "" : "?", at - 0.5, colour);
	}
}

static int plot_script(const struct report *r, const struct report_series *s,
		       const char *dir, size_t i)
{
	char name[64], title[512];
	FILE *f;

	snprintf(name, sizeof(name), "%zu.gp", i);
	f = report_file_open(dir, name);
	if (!f)
		return -errno;
	fprintf(f, "# Render with: gnuplot %s\n"
		   "set terminal svg size %u,%u noenhanced font 'sans,13' "
		   "background '#ffffff'\nset output '%zu.svg'\n",
		name, PLOT_WIDTH, PLOT_HEIGHT, i);
	snprintf(title, sizeof(title), "%s / %s (%s, %s is better)",
		 s->benchmark ? s->benchmark : "?", s->metric ? s->metric : "?",
		 report_kind_label(s->kind),
		 s->better == DETECT_HIGHER_IS_BETTER ? "higher" : "lower");
	fputs("set title ", f);
	plot_quote(f, title);
	fputs("\nset ylabel ", f);
	plot_quote(f, s->unit && *s->unit ? s->unit : s->metric);
	fprintf(f, "\nset xlabel 'commit, oldest first (dotted red: failed; "
		   "solid: a change, dashed grey: a suspect)'\n"
		   "set xrange [-0.5:%zu.5]\nset offsets 0, 0, graph 0.1, "
		   "graph 0.1\nset grid ytics\n"
		   "set key tmargin center horizontal\n", s->n_points - 1);
	plot_flat_range(s, f);
	plot_tics(s, f);
	plot_marks(r, s, f);
	fprintf(f, "plot '%zu.dat' index 0 using 1:2 with points pt 7 ps 0.5 "
		   "lc rgb '" BLUE "' title 'repetitions', \\\n"
		   "     '' index 1 using 1:2 with linespoints pt 6 lw 2 "
		   "lc rgb '" ORANGE "' title 'median'\n", i);
	return report_file_close(f);
}

/* Write series i's data and script into dir and render them; names[i]
 * set when rendered. 0, gnuplot_run's error (-ENOENT no gnuplot, -EIO it
 * failed) or the files' error, with why. */
static int plot_one(const struct report *r, size_t i, const char *dir,
		    char **names, char *why, size_t why_len)
{
	const struct report_series *s = &r->series[i];
	char name[64];
	int e;

	snprintf(name, sizeof(name), "%zu.dat", i);
	e = plot_data(s, dir, name);
	if (!e)
		e = plot_script(r, s, dir, i);
	if (e) {
		snprintf(why, why_len, "cannot write %s/%zu.*: %s", dir, i,
			 strerror(-e));
		return e;
	}
	snprintf(name, sizeof(name), "%zu.gp", i);
	e = gnuplot_run(name, dir, why, why_len);
	if (e)
		return e;
	snprintf(name, sizeof(name), "plots/%zu.svg", i);
	names[i] = strdup(name);
	return names[i] ? 0 : -ENOMEM;
}

int report_write_plots(const struct report *r, const char *dir, char **names,
		       char *why, size_t why_len)
{
	char plots[PATH_MAX], one[UNITUNE_WHY_MAX];
	size_t i;
	int e, first = 0;

	for (i = 0; i < r->n_series; i++)
		names[i] = NULL;
	if ((size_t)snprintf(plots, sizeof(plots), "%s/plots", dir) >=
	    sizeof(plots)) {
		snprintf(why, why_len, "%s/plots: name too long", dir);
		return -ENAMETOOLONG;
	}
	e = paths_mkdir_p(plots, 0777);
	if (e) {
		snprintf(why, why_len, "cannot create %s: %s", plots,
			 strerror(-e));
		return e;
	}
	for (i = 0; i < r->n_series; i++) {
		if (!plot_has_data(&r->series[i]))
			continue;
		e = plot_one(r, i, plots, names, one, sizeof(one));
		if (e == -ENOENT) {	/* no gnuplot: no use trying on */
			snprintf(why, why_len, "%s", one);
			return e;
		}
		if (e == -EIO && !first) {	/* that plot only */
			first = e;
			snprintf(why, why_len, "plot %zu: %s", i, one);
		} else if (e && e != -EIO) {
			snprintf(why, why_len, "%s", one);
			return e;
		}
	}
	return first;
}
