/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The experiment report's plots (the convergence plot is in
 * exp_convergence.c): for each, its data (NAME.dat, plain columns,
 * blocks for gnuplot's `index`) and its script (NAME.gp). The
 * canvases are at most REPORT_PLOT_WIDTH wide with a 13 px font, so the
 * page shows them unscaled; categorical options are never joined by
 * lines (that would imply an order they do not have).
 */
#include "exp_report_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "gnuplot.h"

/* Okabe-Ito: told apart with the common colour blindnesses. */
static const unsigned palette[REPORT_PALETTE] = {
	0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7,
	0x56b4e9, 0xd55e00, 0x000000, 0xf0e442
};
#define N_PALETTE REPORT_PALETTE
#define GREY 0x999999
#define RED 0xc03030
#define ORANGE 0xe08000
/* Bars labelled one by one up to this many; beyond, colour tells. */
#define MAX_BAR_LABELS 40
/* Options named in a bar's label up to this many (else only vID). */
#define MAX_LABEL_OPTIONS 5

FILE *report_open(const struct report_ctx *c, const char *name)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->dir, name) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "w");
}

int report_close(FILE *f)
{
	int e = ferror(f) ? -EIO : 0;

	if (fclose(f) && !e)
		e = -errno;
	return e;
}

void report_axis_label(const struct analysis_table *t, size_t m, char *buf,
		       size_t len)
{
	if (*t->units[m])
		snprintf(buf, len, "%s (%s)", t->metrics[m], t->units[m]);
	else
		snprintf(buf, len, "%s", t->metrics[m]);
}

/* Length of the prefix (through a '_') every member of choice o shares. */
static size_t choice_prefix(const struct space_option *o)
{
	size_t n = strlen(o->values[0]), j, k;

	for (j = 1; j < o->n_values; j++) {
		for (k = 0; k < n && o->values[j][k] == o->values[0][k]; k++)
			;
		n = k;
	}
	while (n && o->values[0][n - 1] != '_')
		n--;
	return n;
}

const char *report_value_label(const struct space *s, size_t i,
			       const char *value)
{
	const struct space_option *o = &s->options[i];
	size_t n;

	if (!value)
		return "-";
	if (o->kind != SPACE_OPT_CHOICE)
		return value;
	n = choice_prefix(o);
	if (strncmp(value, o->values[0], n) || !value[n])
		return value;
	return value + n;
}

unsigned report_colour(size_t k)
{
	return palette[k % N_PALETTE];
}

static const char *goal_word(const struct space *s, size_t k)
{
	return space_goal_name(s->objectives[k].goal);
}

FILE *report_open_data(const struct report_ctx *c, const char *plot,
		       const char *fmt, ...)
{
	char name[256];
	va_list ap;
	FILE *f;

	snprintf(name, sizeof(name), "%s.dat", plot);
	f = report_open(c, name);
	if (!f)
		return NULL;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	return f;
}

FILE *report_open_script(const struct report_ctx *c, const char *plot,
			 unsigned w, unsigned h)
{
	char name[256];
	FILE *f;

	snprintf(name, sizeof(name), "%s.gp", plot);
	f = report_open(c, name);
	if (!f)
		return NULL;
	fprintf(f,
		"# Render with: gnuplot %s\n"
		"set terminal svg size %u,%u noenhanced font 'sans,13' "
		"background '#ffffff'\n"
		"set output ",
		name, w, h);
	snprintf(name, sizeof(name), "%s.svg", plot);
	gnuplot_quote(f, name);
	fprintf(f, "\nset datafile commentschars '#'\n");
	return f;
}

void report_set_text(FILE *f, const char *name, const char *text)
{
	fprintf(f, "set %s ", name);
	gnuplot_quote(f, text);
	fputc('\n', f);
}

void report_set_axis(FILE *f, const char *axis, const struct analysis_table *t,
		     size_t m)
{
	char label[512];

	report_axis_label(t, m, label, sizeof(label));
	report_set_text(f, axis, label);
}

/* --- (a) the primary objective per variant ------------------------------ */

/*
 * The option whose value colours the bars: the largest main effect
 * among those with few enough values to tell apart; -1 if none.
 */
static long colour_option(const struct analysis_table *t)
{
	size_t k;

	for (k = 0; k < t->n_effects; k++)
		if (t->space->options[t->effects[k].option].n_values <=
		    N_PALETTE)
			return (long)t->effects[k].option;
	return -1;
}

static unsigned bar_colour(const struct analysis_table *t, long opt,
			   const struct analysis_variant *v)
{
	const struct space_option *o;
	const char *val;
	size_t j;

	if (opt < 0)
		return palette[0];
	o = &t->space->options[opt];
	val = v->resolved_vals[opt];
	for (j = 0; val && j < o->n_values; j++)
		if (!strcmp(val, o->values[j]))
			return palette[j];
	return GREY; /* dropped, or a value the space does not list */
}

/* "v4 TLSF/64/n": the variant and its options as resolved. */
static void bar_label(const struct space *s, const struct analysis_variant *v,
		      char *buf, size_t len)
{
	size_t i, at;

	at = (size_t)snprintf(buf, len, "v%lld", (long long)v->id);
	if (s->n_options > MAX_LABEL_OPTIONS)
		return;
	for (i = 0; i < s->n_options && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%c%s",
				       i ? '/' : ' ',
				       report_value_label(s, i,
							  v->resolved_vals[i]));
}

static bool failed(const struct analysis_variant *v)
{
	return v->status > STORE_DONE;
}

static int objective_data(struct report_ctx *c, long opt, size_t *n_bars)
{
	const struct analysis_table *t = c->t;
	char label[512], num[64];
	size_t i, r;
	FILE *f = report_open_data(c, "objective",
		"# The primary objective per variant, best first (block 0),\n"
		"# then the failed variants (block 1, value 0). colour is\n"
		"# 0xRRGGBB in decimal; label: the variant and its options.\n"
		"# position variant %s status colour label\n",
		t->metrics[t->obj[0]]);
	if (!f)
		return -errno;
	for (r = 0; r < t->n_ranked; r++) {
		const struct analysis_variant *v = &t->v[t->rank[r]];

		snprintf(num, sizeof(num), "%.15g",
			 analysis_objective(t, v, 0)->median);
		bar_label(c->s, v, label, sizeof(label));
		fprintf(f, "%zu %lld %s done %u \"%s\"\n", r + 1,
			(long long)v->id, num, bar_colour(t, opt, v), label);
	}
	if (!t->n_ranked)
		fprintf(f, "# (no variant succeeded)\n");
	fprintf(f, "\n\n");
	for (i = 0; i < t->n; i++) {
		const struct analysis_variant *v = &t->v[i];

		if (!failed(v))
			continue;
		bar_label(c->s, v, label, sizeof(label));
		fprintf(f, "%zu %lld 0 %s %u \"%s\"\n", ++r, (long long)v->id,
			store_status_name(v->status), RED, label);
	}
	*n_bars = r;
	return report_close(f);
}

/* The legend: one entry per value of the colouring option, and one for
 * the grey bars when there are any. */
static void colour_keys(FILE *f, const struct analysis_table *t, long opt)
{
	const struct space *s = t->space;
	const struct space_option *o = &s->options[opt];
	char title[256];
	size_t j, r;

	for (j = 0; j < o->n_values; j++) {
		snprintf(title, sizeof(title), "CONFIG_%s=%s", o->symbol,
			 report_value_label(s, (size_t)opt, o->values[j]));
		fprintf(f, ", \\\n     keyentry with boxes lc rgb '#%06x' "
			"title ", palette[j]);
		gnuplot_quote(f, title);
	}
	for (r = 0; r < t->n_ranked; r++)
		if (bar_colour(t, opt, &t->v[t->rank[r]]) == GREY)
			break;
	if (r < t->n_ranked)
		fprintf(f, ", \\\n     keyentry with boxes lc rgb '#%06x' "
			"title 'CONFIG_%s: other, or not applicable'", GREY,
			o->symbol);
}

int report_plot_objective(struct report_ctx *c)
{
	const struct analysis_table *t = c->t;
	size_t i, r = 0, n_fail = 0;
	char label[512];
	long opt = colour_option(t);
	bool labels;
	FILE *f;
	int e;

	for (i = 0; i < t->n; i++)
		n_fail += failed(&t->v[i]);
	if (!t->n_ranked && !n_fail)
		return 0;
	c->have_objective = true;
	e = objective_data(c, opt, &r);
	if (e)
		return e;
	labels = r <= MAX_BAR_LABELS;

	f = report_open_script(c, "objective", REPORT_PLOT_WIDTH,
			       labels ? 560 : 460);
	if (!f)
		return -errno;
	snprintf(label, sizeof(label), "%s per variant, best first (%s)%s",
		 t->metrics[t->obj[0]], goal_word(c->s, 0),
		 n_fail ? "; failed variants: red crosses" : "");
	report_set_text(f, "title", label);
	report_set_axis(f, "ylabel", t, t->obj[0]);
	if (labels && c->s->n_options <= MAX_LABEL_OPTIONS) {
		size_t at = (size_t)snprintf(label, sizeof(label), "variant:");

		for (i = 0; i < c->s->n_options && at < sizeof(label); i++)
			at += (size_t)snprintf(label + at, sizeof(label) - at,
					       "%c%s", i ? '/' : ' ',
					       c->s->options[i].symbol);
	} else {
		snprintf(label, sizeof(label), "%zu variants, best first%s", r,
			 labels ? "" : " (too many to name: the tables do)");
	}
	report_set_text(f, "xlabel", label);
	/* Hundreds of bars: borders would paint them all black. */
	fprintf(f,
		"set style fill solid 0.85 %s\n"
		"set boxwidth %s\n"
		"set grid ytics\n"
		"set key below horizontal\n"
		"set xtics rotate by -60 nomirror%s\n"
		"set xrange [0.3:%zu.7]\n"
		/* With no success every value is 0: give the axis a span. */
		"set yrange [0:%s]\n"
		"set offsets 0, 0, graph 0.08, 0\n"
		"plot ",
		labels ? "border -1" : "noborder", labels ? "0.7" : "1",
		labels ? "" : "\nunset xtics", r, t->n_ranked ? "*" : "1");
	if (t->n_ranked)
		fprintf(f, "'objective.dat' index 0 using 1:3:5%s with boxes "
			"lc rgb variable notitle",
			labels ? ":xtic(6)" : "");
	if (t->n_ranked && opt >= 0)
		colour_keys(f, t, opt);
	/* gnuplot counts only blocks that hold data: with no success the
	 * failures are its block 0. */
	if (n_fail)
		fprintf(f,
			"%s'objective.dat' index %d using 1:3%s with points "
			"pt 2 ps 2 lc rgb '#%06x' title 'failed', \\\n"
			"     'objective.dat' index %d using 1:3:4 with labels "
			"rotate by 90 left offset 0,1 tc rgb '#%06x' notitle",
			t->n_ranked ? ", \\\n     " : "", t->n_ranked ? 1 : 0,
			labels ? ":xtic(6)" : "", RED, t->n_ranked ? 1 : 0,
			RED);
	fprintf(f, "\n");
	return report_close(f);
}

/* --- (b) main effects --------------------------------------------------- */

static bool effect_has_data(const struct analysis_table *t,
			    const struct analysis_effect *e)
{
	size_t j;

	for (j = 0; j < t->space->options[e->option].n_values; j++)
		if (e->values[j].n)
			return true;
	return false;
}

/* Data: one block per option with data; the common y range. */
static int effects_data(struct report_ctx *c, double *lo, double *hi)
{
	const struct analysis_table *t = c->t;
	const struct space *s = c->s;
	char num[64];
	size_t k, j;
	FILE *f = report_open_data(c, "effects",
		"# Main effects on %s: one block per option, largest effect\n"
		"# first; per value the mean over the successful variants\n"
		"# whose resolved config has it.\n",
		t->metrics[t->obj[0]]);
	if (!f)
		return -errno;
	for (k = 0; k < t->n_effects; k++) {
		const struct analysis_effect *ef = &t->effects[k];
		const struct space_option *o = &s->options[ef->option];

		if (!effect_has_data(t, ef))
			continue;
		fprintf(f, "# CONFIG_%s effect %.15g\n# value mean n label\n",
			o->symbol, ef->effect);
		for (j = 0; j < o->n_values; j++) {
			if (!ef->values[j].n)
				continue;
			snprintf(num, sizeof(num), "%.15g", ef->values[j].mean);
			*lo = fmin(*lo, ef->values[j].mean);
			*hi = fmax(*hi, ef->values[j].mean);
			fprintf(f, "%s %s %u %s\n", o->values[j], num,
				ef->values[j].n,
				report_value_label(s, ef->option,
						   o->values[j]));
		}
		fprintf(f, "\n\n");
	}
	return report_close(f);
}

/* One panel: an int's values in order, joined; a bool's or a choice's
 * as separate dots (no order between them). */
static void effect_panel(FILE *f, const struct analysis_table *t,
			 const struct analysis_effect *ef, size_t block)
{
	const struct space_option *o = &t->space->options[ef->option];
	char label[512], num[64], pct[64] = "";

	analysis_fmt(ef->effect, num, sizeof(num));
	if (!isnan(ef->effect_pct))
		snprintf(pct, sizeof(pct), " (%.1f%%)", ef->effect_pct);
	snprintf(label, sizeof(label), "CONFIG_%s", o->symbol);
	report_set_text(f, "title", label);
	snprintf(label, sizeof(label), "effect %s%s", num, pct);
	report_set_text(f, "xlabel", label);
	fprintf(f, "plot 'effects.dat' index %zu using 0:2:xtic(4) %s "
		"lc rgb '#%06x', %.15g with lines dt 2 lc rgb '#808080'\n",
		block,
		o->kind == SPACE_OPT_INT ? "with linespoints lw 2 pt 7 ps 1.3"
					 : "with points pt 7 ps 2",
		palette[0], t->overall_mean);
}

int report_plot_effects(struct report_ctx *c)
{
	const struct analysis_table *t = c->t;
	double lo = INFINITY, hi = -INFINITY, pad;
	size_t k, panels = 0, cols, rows;
	char label[512];
	FILE *f;
	int e;

	for (k = 0; k < t->n_effects; k++)
		panels += effect_has_data(t, &t->effects[k]);
	if (!panels)
		return 0;
	c->have_effects = true;
	e = effects_data(c, &lo, &hi);
	if (e)
		return e;

	cols = panels < 3 ? panels : 3;
	rows = (panels + cols - 1) / cols;
	pad = hi > lo ? (hi - lo) * 0.15 : fabs(hi) * 0.05 + 1;
	f = report_open_script(c, "effects",
			       (unsigned)(REPORT_PLOT_WIDTH / 3 * cols),
			       (unsigned)(300 * rows + 40));
	if (!f)
		return -errno;
	fprintf(f,
		"set grid ytics\n"
		"set key off\n"
		"set xtics rotate by -30 nomirror\n"
		"set offsets 0.4, 0.4, 0, 0\n"
		"set yrange [%.15g:%.15g]\n",
		lo - pad, hi + pad);
	report_set_axis(f, "ylabel", t, t->obj[0]);
	snprintf(label, sizeof(label),
		 "Main effects on %s (%s); dashed: mean of all successful "
		 "variants",
		 t->metrics[t->obj[0]], goal_word(c->s, 0));
	fprintf(f, "set multiplot layout %zu,%zu title ", rows, cols);
	gnuplot_quote(f, label);
	fprintf(f, "\n");
	panels = 0;
	for (k = 0; k < t->n_effects; k++)
		if (effect_has_data(t, &t->effects[k]))
			effect_panel(f, t, &t->effects[k], panels++);
	fprintf(f, "unset multiplot\n");
	return report_close(f);
}

/* --- (c) Pareto front --------------------------------------------------- */

static bool same_point(const struct analysis_table *t,
		       const struct analysis_variant *a,
		       const struct analysis_variant *b)
{
	return analysis_objective(t, a, 1)->n &&
	       analysis_objective(t, b, 1)->n &&
	       analysis_objective(t, a, 0)->median ==
		       analysis_objective(t, b, 0)->median &&
	       analysis_objective(t, a, 1)->median ==
		       analysis_objective(t, b, 1)->median;
}

/*
 * The variants idx[0..n) (indices into t->v, best first) that have both
 * objectives, each distinct point once: "first x y count", first being
 * the best ranked variant at that point and count how many are there.
 * Returns how many variants have both objectives.
 */
static size_t distinct_points(FILE *f, const struct analysis_table *t,
			      const size_t *idx, size_t n)
{
	char x[64], y[64];
	size_t r, q, count, total = 0;

	for (r = 0; r < n; r++) {
		const struct analysis_variant *v = &t->v[idx[r]];

		if (!analysis_objective(t, v, 1)->n)
			continue;
		total++;
		for (q = 0; q < r && !same_point(t, v, &t->v[idx[q]]); q++)
			;
		if (q < r)
			continue; /* written with the first one */
		for (count = 0, q = r; q < n; q++)
			count += same_point(t, v, &t->v[idx[q]]);
		snprintf(x, sizeof(x), "%.15g",
			 analysis_objective(t, v, 0)->median);
		snprintf(y, sizeof(y), "%.15g",
			 analysis_objective(t, v, 1)->median);
		fprintf(f, "%lld %s %s %zu\n", (long long)v->id, x, y, count);
	}
	return total;
}

/* Block 0: every successful variant with both objectives; block 1: the
 * Pareto front, in rank order; block 2: the variants near it (off it by
 * their medians, not beyond the intervals). Identical points are
 * written once with their count (drawn larger and labelled "+N", never
 * stacked). */
static int pareto_data(struct report_ctx *c, size_t *n)
{
	const struct analysis_table *t = c->t;
	FILE *f = report_open_data(c, "pareto",
		"# Block 0: each distinct point of the successful variants\n"
		"# with both objectives; block 1: each distinct point of the\n"
		"# Pareto front, in rank order; block 2: those near the front\n"
		"# (dominated by their medians, not beyond the intervals).\n"
		"# Values are medians. first: the best ranked variant there;\n"
		"# count: how many variants are there.\n"
		"# first %s %s count\n",
		t->metrics[t->obj[0]], t->metrics[t->obj[1]]);
	if (!f)
		return -errno;
	*n = distinct_points(f, t, t->rank, t->n_ranked);
	fprintf(f, "\n\n");
	distinct_points(f, t, t->front, t->n_front);
	fprintf(f, "\n\n");
	distinct_points(f, t, t->near_front, t->n_near_front);
	return report_close(f);
}

int report_plot_pareto(struct report_ctx *c)
{
	const struct analysis_table *t = c->t;
	char label[512];
	size_t n = 0;
	FILE *f;
	int e;

	if (c->s->n_objectives < 2 || !t->n_front)
		return 0;
	c->have_pareto = true;
	e = pareto_data(c, &n);
	if (e)
		return e;
	f = report_open_script(c, "pareto", REPORT_PLOT_WIDTH, 600);
	if (!f)
		return -errno;
	snprintf(label, sizeof(label),
		 "Pareto front: %s (%s) against %s (%s); %zu of %zu variants",
		 t->metrics[t->obj[0]], goal_word(c->s, 0),
		 t->metrics[t->obj[1]], goal_word(c->s, 1), t->n_front, n);
	report_set_text(f, "title", label);
	report_set_axis(f, "xlabel", t, t->obj[0]);
	report_set_axis(f, "ylabel", t, t->obj[1]);
	/* The key goes below the plot, never over the points; front labels
	 * alternate above and below their point so neighbours do not
	 * overprint. */
	fprintf(f,
		"set grid\n"
		"set key below horizontal\n"
		"set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08\n"
		"label(id, n) = n > 1 ? sprintf('v%%d +%%d', id, n - 1) "
		": sprintf('v%%d', id)\n"
		"plot 'pareto.dat' index 0 using 2:3:(0.7 + 0.3 * log($4) / "
		"log(2)) with points pt 7 ps variable lc rgb '#60808080' "
		"title 'variant (larger: several at one point)', \\\n"
		"     'pareto.dat' index 1 using 2:3 with linespoints pt 7 "
		"ps 1.2 lw 2 lc rgb '#%06x' title 'Pareto front', \\\n"
		"     'pareto.dat' index 1 using 2:3:(label($1, $4)) "
		"every 2 with labels offset 0,1.2 notitle, \\\n"
		"     'pareto.dat' index 1 using 2:3:(label($1, $4)) "
		"every 2::1 with labels offset 0,-1.2 notitle%s",
		RED, t->n_near_front ? ", \\\n" : "\n");
	/* gnuplot refuses an empty block: drawn only when there is one. */
	if (t->n_near_front)
		fprintf(f,
			"     'pareto.dat' index 2 using 2:3 with points pt 6 "
			"ps 1.6 lw 2 lc rgb '#%06x' title 'near the front "
			"(not dominated beyond the 95%% intervals)', \\\n"
			"     'pareto.dat' index 2 using 2:3:(label($1, $4)) "
			"with labels offset 0,1.2 notitle\n",
			ORANGE);
	return report_close(f);
}
