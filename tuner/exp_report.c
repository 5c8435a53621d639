/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The experiment report directory: plot data, gnuplot scripts, SVGs and
 * index.html. See exp_report.h.
 */
#include "exp_report.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gnuplot.h"
#include "paths.h"

struct ctx {
	const struct space *s;
	const struct analysis_table *t;
	struct store_experiment exp;
	struct store_env env;
	bool has_env;
	const char *dir;
	unsigned top;
	/* Which plots have data, and whether gnuplot rendered them. */
	bool have_objective, have_effects, have_pareto;
	int plot_err; /* 0, or why no SVG was rendered */
	char plot_why[256];
};

/* Open dir/name for writing; NULL with errno set. */
static FILE *open_in(const struct ctx *c, const char *name)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->dir, name) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "w");
}

/* Close f, telling a write error (a full disk) from success. */
static int close_checked(FILE *f)
{
	int e = ferror(f) ? -EIO : 0;

	if (fclose(f) && !e)
		e = -errno;
	return e;
}

static const char *goal_word(const struct space *s, size_t k)
{
	return space_goal_name(s->objectives[k].goal);
}

/* "metric (unit)" or "metric". */
static void axis_label(const struct analysis_table *t, size_t m, char *buf,
		       size_t len)
{
	if (*t->units[m])
		snprintf(buf, len, "%s (%s)", t->metrics[m], t->units[m]);
	else
		snprintf(buf, len, "%s", t->metrics[m]);
}

static void svg_terminal(FILE *f, const char *svg, unsigned w, unsigned h)
{
	fprintf(f,
		"set terminal svg size %u,%u noenhanced font 'sans,11' "
		"background '#ffffff'\n"
		"set output ",
		w, h);
	gnuplot_quote(f, svg);
	fprintf(f, "\nset datafile commentschars '#'\n");
}

/* --- (a) the primary objective per variant ------------------------------ */

static int plot_objective(struct ctx *c)
{
	const struct analysis_table *t = c->t;
	size_t i, r, n_fail = 0;
	char label[256], num[64];
	FILE *f;
	int e;

	for (i = 0; i < t->n; i++)
		if (t->v[i].status != STORE_DONE &&
		    t->v[i].status != STORE_PENDING &&
		    t->v[i].status != STORE_BUILT)
			n_fail++;
	if (!t->n_ranked && !n_fail)
		return 0;
	c->have_objective = true;
	f = open_in(c, "objective.dat");
	if (!f)
		return -errno;
	axis_label(t, t->obj[0], label, sizeof(label));
	fprintf(f,
		"# The primary objective per variant, best first (block 0),\n"
		"# then the failed variants (block 1, value 0).\n"
		"# position variant %s status\n",
		t->metrics[t->obj[0]]);
	for (r = 0; r < t->n_ranked; r++) {
		const struct analysis_variant *v = &t->v[t->rank[r]];

		snprintf(num, sizeof(num), "%.15g",
			 analysis_objective(t, v, 0)->mean);
		fprintf(f, "%zu %lld %s done\n", r + 1, (long long)v->id, num);
	}
	if (!t->n_ranked)
		fprintf(f, "# (no variant succeeded)\n");
	fprintf(f, "\n\n");
	r = t->n_ranked;
	for (i = 0; i < t->n; i++) {
		const struct analysis_variant *v = &t->v[i];

		if (v->status == STORE_DONE || v->status == STORE_PENDING ||
		    v->status == STORE_BUILT)
			continue;
		fprintf(f, "%zu %lld 0 %s\n", ++r, (long long)v->id,
			store_status_name(v->status));
	}
	e = close_checked(f);
	if (e)
		return e;

	f = open_in(c, "objective.gp");
	if (!f)
		return -errno;
	fprintf(f, "# Render with: gnuplot objective.gp\n");
	svg_terminal(f, "objective.svg",
		     (unsigned)fmin(1600, fmax(640, 40 + 28.0 * (double)r)),
		     460);
	fprintf(f, "set title ");
	snprintf(label, sizeof(label), "%s per variant, best first (%s)%s",
		 t->metrics[t->obj[0]], goal_word(c->s, 0),
		 n_fail ? "; failed variants in red" : "");
	gnuplot_quote(f, label);
	axis_label(t, t->obj[0], label, sizeof(label));
	fprintf(f, "\nset ylabel ");
	gnuplot_quote(f, label);
	fprintf(f,
		"\nset xlabel 'variant'\n"
		"set style fill solid 0.85 border -1\n"
		"set boxwidth 0.7\n"
		"set grid ytics\n"
		"set key off\n"
		"set xtics rotate by -60 nomirror\n"
		"set xrange [0.3:%zu.7]\n"
		/* With no success every value is 0: give the axis a span. */
		"set yrange [0:%s]\n"
		"set offsets 0, 0, graph 0.08, 0\n"
		"plot ",
		r, t->n_ranked ? "*" : "1");
	if (t->n_ranked)
		fprintf(f,
			"'objective.dat' index 0 using 1:3:xtic(sprintf('v%%d', "
			"$2)) with boxes lc rgb '#4878a8'%s",
			n_fail ? ", \\\n     " : "\n");
	if (n_fail)
		fprintf(f,
			"'objective.dat' index 1 using 1:3:xtic(sprintf('v%%d', "
			"$2)) with points pt 2 ps 2 lc rgb '#c03030', \\\n"
			"     'objective.dat' index 1 using 1:3:4 with labels "
			"rotate by 90 left offset 0,1 tc rgb '#c03030'\n");
	return close_checked(f);
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

static int plot_effects(struct ctx *c)
{
	const struct analysis_table *t = c->t;
	const struct space *s = c->s;
	double lo = INFINITY, hi = -INFINITY, pad;
	size_t k, j, panels = 0, cols, rows;
	char label[512], num[64];
	FILE *f;
	int e;

	for (k = 0; k < t->n_effects; k++)
		if (effect_has_data(t, &t->effects[k]))
			panels++;
	if (!panels)
		return 0;
	c->have_effects = true;
	f = open_in(c, "effects.dat");
	if (!f)
		return -errno;
	fprintf(f,
		"# Main effects on %s: one block per option, largest effect\n"
		"# first; per value the mean over the successful variants\n"
		"# whose resolved config has it.\n",
		t->metrics[t->obj[0]]);
	for (k = 0; k < t->n_effects; k++) {
		const struct analysis_effect *ef = &t->effects[k];
		const struct space_option *o = &s->options[ef->option];

		if (!effect_has_data(t, ef))
			continue;
		fprintf(f, "# CONFIG_%s effect %.15g\n# value mean n\n",
			o->symbol, ef->effect);
		for (j = 0; j < o->n_values; j++) {
			if (!ef->values[j].n)
				continue;
			snprintf(num, sizeof(num), "%.15g", ef->values[j].mean);
			lo = fmin(lo, ef->values[j].mean);
			hi = fmax(hi, ef->values[j].mean);
			fprintf(f, "%s %s %u\n", o->values[j], num,
				ef->values[j].n);
		}
		fprintf(f, "\n\n");
	}
	e = close_checked(f);
	if (e)
		return e;

	cols = panels < 3 ? panels : 3;
	rows = (panels + cols - 1) / cols;
	pad = hi > lo ? (hi - lo) * 0.15 : fabs(hi) * 0.05 + 1;
	f = open_in(c, "effects.gp");
	if (!f)
		return -errno;
	fprintf(f, "# Render with: gnuplot effects.gp\n");
	svg_terminal(f, "effects.svg", (unsigned)(380 * cols),
		     (unsigned)(300 * rows + 40));
	axis_label(t, t->obj[0], label, sizeof(label));
	fprintf(f,
		"set grid ytics\n"
		"set key off\n"
		"set style fill solid 0.85 border -1\n"
		"set xtics rotate by -30 nomirror\n"
		"set offsets 0.3, 0.3, 0, 0\n"
		"set yrange [%.15g:%.15g]\n"
		"set ylabel ",
		lo - pad, hi + pad);
	gnuplot_quote(f, label);
	snprintf(label, sizeof(label),
		 "Main effects on %s (%s); dashed: mean of all successful "
		 "variants",
		 t->metrics[t->obj[0]], goal_word(s, 0));
	fprintf(f, "\nset multiplot layout %zu,%zu title ", rows, cols);
	gnuplot_quote(f, label);
	fprintf(f, "\n");
	panels = 0;
	for (k = 0; k < t->n_effects; k++) {
		const struct analysis_effect *ef = &t->effects[k];
		char pct[64] = "";

		if (!effect_has_data(t, ef))
			continue;
		analysis_fmt(ef->effect, num, sizeof(num));
		if (!isnan(ef->effect_pct))
			snprintf(pct, sizeof(pct), " (%.1f%%)", ef->effect_pct);
		snprintf(label, sizeof(label), "CONFIG_%s: effect %s%s",
			 s->options[ef->option].symbol, num, pct);
		fprintf(f, "set title ");
		gnuplot_quote(f, label);
		fprintf(f,
			"\nplot 'effects.dat' index %zu using 0:2:xtic(1) "
			"with linespoints lw 2 pt 7 ps 1.2 lc rgb '#4878a8', "
			"%.15g with lines dt 2 lc rgb '#808080'\n",
			panels++, t->overall_mean);
	}
	fprintf(f, "unset multiplot\n");
	return close_checked(f);
}

/* --- (c) Pareto front --------------------------------------------------- */

static int plot_pareto(struct ctx *c)
{
	const struct analysis_table *t = c->t;
	char label[512], x[64], y[64];
	size_t r, n = 0;
	FILE *f;
	int e;

	if (c->s->n_objectives < 2 || !t->n_front)
		return 0;
	c->have_pareto = true;
	f = open_in(c, "pareto.dat");
	if (!f)
		return -errno;
	fprintf(f,
		"# Block 0: every successful variant with both objectives;\n"
		"# block 1: the Pareto front, in rank order.\n"
		"# variant %s %s\n",
		t->metrics[t->obj[0]], t->metrics[t->obj[1]]);
	for (r = 0; r < t->n_ranked; r++) {
		const struct analysis_variant *v = &t->v[t->rank[r]];

		if (!analysis_objective(t, v, 1)->n)
			continue;
		snprintf(x, sizeof(x), "%.15g", analysis_objective(t, v, 0)->mean);
		snprintf(y, sizeof(y), "%.15g", analysis_objective(t, v, 1)->mean);
		fprintf(f, "%lld %s %s\n", (long long)v->id, x, y);
		n++;
	}
	fprintf(f, "\n\n");
	for (r = 0; r < t->n_front; r++) {
		const struct analysis_variant *v = &t->v[t->front[r]];

		snprintf(x, sizeof(x), "%.15g", analysis_objective(t, v, 0)->mean);
		snprintf(y, sizeof(y), "%.15g", analysis_objective(t, v, 1)->mean);
		fprintf(f, "%lld %s %s\n", (long long)v->id, x, y);
	}
	e = close_checked(f);
	if (e)
		return e;

	f = open_in(c, "pareto.gp");
	if (!f)
		return -errno;
	fprintf(f, "# Render with: gnuplot pareto.gp\n");
	svg_terminal(f, "pareto.svg", 760, 520);
	snprintf(label, sizeof(label),
		 "Pareto front: %s (%s) against %s (%s); %zu of %zu variants",
		 t->metrics[t->obj[0]], goal_word(c->s, 0),
		 t->metrics[t->obj[1]], goal_word(c->s, 1), t->n_front, n);
	fprintf(f, "set title ");
	gnuplot_quote(f, label);
	axis_label(t, t->obj[0], label, sizeof(label));
	fprintf(f, "\nset xlabel ");
	gnuplot_quote(f, label);
	axis_label(t, t->obj[1], label, sizeof(label));
	fprintf(f, "\nset ylabel ");
	gnuplot_quote(f, label);
	fprintf(f,
		"\nset grid\n"
		"set key top right\n"
		"set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\n"
		"plot 'pareto.dat' index 0 using 2:3 with points pt 7 ps 1 "
		"lc rgb '#a0a0a0' title 'variant', \\\n"
		"     'pareto.dat' index 1 using 2:3 with linespoints pt 7 "
		"ps 1.4 lw 2 lc rgb '#c03030' title 'Pareto front', \\\n"
		"     'pareto.dat' index 1 using 2:3:(sprintf('v%%d', $1)) "
		"with labels offset 1,1 notitle\n");
	return close_checked(f);
}

static void render(struct ctx *c, const char *name)
{
	char script[64];

	if (c->plot_err)
		return;
	snprintf(script, sizeof(script), "%s.gp", name);
	c->plot_err = gnuplot_run(script, c->dir, c->plot_why,
				  sizeof(c->plot_why));
}

/* --- index.html ---------------------------------------------------------- */

static void esc(struct strbuf *h, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			strbuf_adds(h, "&lt;");
			break;
		case '>':
			strbuf_adds(h, "&gt;");
			break;
		case '&':
			strbuf_adds(h, "&amp;");
			break;
		case '"':
			strbuf_adds(h, "&quot;");
			break;
		default:
			strbuf_addc(h, *s);
		}
	}
}

/* <td>text</td>, escaped. */
static void td(struct strbuf *h, const char *s)
{
	strbuf_adds(h, "<td>");
	esc(h, s);
	strbuf_adds(h, "</td>");
}

static void th(struct strbuf *h, const char *s)
{
	strbuf_adds(h, "<th>");
	esc(h, s);
	strbuf_adds(h, "</th>");
}

static void td_num(struct strbuf *h, const struct analysis_stat *st)
{
	char m[64], sd[64];

	if (!st->n) {
		strbuf_adds(h, "<td class=\"num\">&ndash;</td>");
		return;
	}
	analysis_fmt(st->mean, m, sizeof(m));
	strbuf_addf(h, "<td class=\"num\">%s", m);
	if (st->n > 1) {
		analysis_fmt(st->stddev, sd, sizeof(sd));
		strbuf_addf(h, " <span class=\"sd\">&plusmn;%s (n=%u)</span>",
			    sd, st->n);
	}
	strbuf_adds(h, "</td>");
}

static const char css[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:72em;"
	"padding:0 1em;color:#222}"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;"
	"border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
	"th{background:#f0f0f0}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	".sd{color:#777;font-size:.85em}"
	"tr.best td{background:#e8f4e8}"
	".warn{background:#fff0e0;border:1px solid #e0a060;padding:.6em}"
	".fail{color:#a02020}"
	"img{max-width:100%;border:1px solid #eee}"
	"pre{background:#f6f6f6;padding:.6em;overflow:auto}"
	"code{background:#f6f6f6}";

static void html_head(struct ctx *c, struct strbuf *h)
{
	strbuf_adds(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		       "<meta charset=\"utf-8\">\n<title>unitune: ");
	esc(h, c->exp.name);
	strbuf_addf(h, "</title>\n<style>%s</style>\n</head>\n<body>\n",
		    css);
	strbuf_adds(h, "<h1>Experiment ");
	esc(h, c->exp.name);
	strbuf_adds(h, "</h1>\n");
}

static void html_summary(struct ctx *c, struct strbuf *h)
{
	const struct space *s = c->s;
	char buf[64];
	size_t i;
	int k;

	strbuf_adds(h, "<table>\n<tr><th>space file</th>");
	td(h, c->exp.space_path);
	strbuf_adds(h, "</tr>\n<tr><th>created</th>");
	td(h, c->exp.created);
	strbuf_adds(h, "</tr>\n<tr><th>status</th>");
	td(h, c->exp.status);
	strbuf_adds(h, "</tr>\n<tr><th>app</th>");
	td(h, s->app);
	strbuf_adds(h, "</tr>\n<tr><th>objectives</th><td>");
	for (i = 0; i < s->n_objectives; i++) {
		strbuf_adds(h, i ? ", " : "");
		strbuf_adds(h, i ? "" : "<b>");
		esc(h, s->objectives[i].metric);
		strbuf_addf(h, " (%s)%s", goal_word(s, i), i ? "" : "</b>");
	}
	strbuf_addf(h,
		    "</td></tr>\n<tr><th>mode</th><td>%s</td></tr>\n"
		    "<tr><th>strategy</th><td>%s",
		    space_mode_name(s->mode), space_strategy_name(s->strategy));
	if (s->has_seed)
		strbuf_addf(h, " (seed %llu)", (unsigned long long)s->seed);
	strbuf_adds(h, "</td></tr>\n<tr><th>options</th><td>");
	for (i = 0; i < s->n_options; i++) {
		strbuf_adds(h, i ? "<br>" : "");
		strbuf_addf(h, "CONFIG_");
		esc(h, s->options[i].symbol);
		strbuf_addf(h, " (%s, %zu values)",
			    space_opt_kind_name(s->options[i].kind),
			    s->options[i].n_values);
	}
	strbuf_adds(h, "</td></tr>\n<tr><th>variants</th><td>");
	for (k = 0, i = 0; k < STORE_STATUS_COUNT; k++) {
		if (!c->exp.counts[k])
			continue;
		snprintf(buf, sizeof(buf), "%s%lld %s", i++ ? ", " : "",
			 (long long)c->exp.counts[k],
			 store_status_name((enum store_status)k));
		strbuf_adds(h, buf);
	}
	if (!i)
		strbuf_adds(h, "none yet");
	strbuf_adds(h, "</td></tr>\n</table>\n");

	strbuf_adds(h, "<h2>Environment</h2>\n");
	if (!c->has_env) {
		strbuf_adds(h, "<p>Not recorded.</p>\n");
		return;
	}
	strbuf_adds(h, "<table>\n<tr><th>git commit</th>");
	td(h, c->env.git_commit);
	strbuf_adds(h, "</tr>\n<tr><th>host</th>");
	td(h, c->env.host);
	strbuf_adds(h, "</tr>\n<tr><th>QEMU</th>");
	td(h, c->env.qemu_version);
	strbuf_adds(h, "</tr>\n<tr><th>CPU</th>");
	td(h, c->env.cpu_model);
	strbuf_adds(h, "</tr>\n</table>\n");
}

/* One row: rank, variant, option values, every metric. */
static void variant_row(struct ctx *c, struct strbuf *h, size_t rank,
			const struct analysis_variant *v)
{
	const struct analysis_table *t = c->t;
	size_t i;

	strbuf_addf(h, "<tr%s><td class=\"num\">%zu</td><td>v%lld</td>",
		    rank == 1 ? " class=\"best\"" : "", rank,
		    (long long)v->id);
	for (i = 0; i < c->s->n_options; i++) {
		strbuf_adds(h, "<td>");
		esc(h, analysis_value_name(t, v, i));
		if (v->opt_changed && v->opt_changed[i]) {
			strbuf_adds(h, " <span class=\"fail\">&rarr; ");
			esc(h, v->resolved_vals[i] ? v->resolved_vals[i]
						   : "(unset)");
			strbuf_adds(h, "</span>");
		}
		strbuf_adds(h, "</td>");
	}
	for (i = 0; i < t->n_metrics; i++)
		td_num(h, &v->stats[i]);
	strbuf_adds(h, "</tr>\n");
}

static void variant_header(struct ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	char label[256];
	size_t i;

	strbuf_adds(h, "<table>\n<tr><th>rank</th><th>variant</th>");
	for (i = 0; i < c->s->n_options; i++) {
		snprintf(label, sizeof(label), "CONFIG_%s",
			 c->s->options[i].symbol);
		th(h, label);
	}
	for (i = 0; i < t->n_metrics; i++) {
		axis_label(t, i, label, sizeof(label));
		th(h, label);
	}
	strbuf_adds(h, "</tr>\n");
}

static void html_best(struct ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	const struct analysis_variant *b = analysis_best(t);
	char num[64];
	size_t i, r, n;

	strbuf_adds(h, "<h2>Best variant</h2>\n");
	if (!b) {
		strbuf_adds(h, "<p class=\"warn\">No variant succeeded.</p>\n");
		return;
	}
	analysis_fmt(analysis_objective(t, b, 0)->mean, num, sizeof(num));
	strbuf_addf(h, "<p>v%lld (config hash <code>", (long long)b->id);
	esc(h, b->hash);
	strbuf_adds(h, "</code>): ");
	esc(h, t->metrics[t->obj[0]]);
	strbuf_addf(h, " = <b>%s</b>", num);
	esc(h, *t->units[t->obj[0]] ? " " : "");
	esc(h, t->units[t->obj[0]]);
	strbuf_adds(h, ", with<br>\n");
	for (i = 0; i < c->s->n_options; i++) {
		strbuf_adds(h, "<code>CONFIG_");
		esc(h, c->s->options[i].symbol);
		strbuf_adds(h, "=");
		esc(h, analysis_resolved_name(b, i));
		strbuf_adds(h, "</code><br>\n");
	}
	strbuf_adds(h, "Export it as a defconfig fragment with "
		       "<code>unitune best ");
	esc(h, c->exp.name);
	strbuf_adds(h, " --export FILE</code>.</p>\n");

	if (c->have_objective)
		strbuf_adds(h, "<h2>All variants</h2>\n"
			       "<img src=\"objective.svg\" alt=\"primary "
			       "objective per variant\">\n");
	n = t->n_ranked < c->top ? t->n_ranked : c->top;
	strbuf_addf(h, "<h2>Top %zu configurations</h2>\n", n);
	variant_header(c, h);
	for (r = 0; r < n; r++)
		variant_row(c, h, r + 1, &t->v[t->rank[r]]);
	strbuf_adds(h, "</table>\n");
	if (t->n_ranked > n)
		strbuf_addf(h, "<p>%zu more successful variants; "
			       "<code>unitune show</code> lists them all.</p>\n",
			    t->n_ranked - n);
}

static void html_effects(struct ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	const struct space *s = c->s;
	char num[64];
	size_t k, j;

	if (!c->have_effects)
		return;
	strbuf_adds(h, "<h2>Main effects</h2>\n<p>For each option, the mean "
		       "of ");
	esc(h, t->metrics[t->obj[0]]);
	strbuf_adds(h, " over the successful variants whose resolved config "
		       "has each value (a variant where kconfig dropped an "
		       "option counts for none of its values); the effect is "
		       "the largest mean minus the smallest. Options by "
		       "effect, largest first.</p>\n"
		       "<img src=\"effects.svg\" alt=\"main effects\">\n"
		       "<table>\n<tr><th>option</th><th>effect</th>"
		       "<th>% of mean</th><th>mean per value (variants)</th>"
		       "</tr>\n");
	for (k = 0; k < t->n_effects; k++) {
		const struct analysis_effect *e = &t->effects[k];
		const struct space_option *o = &s->options[e->option];

		strbuf_adds(h, "<tr><td>CONFIG_");
		esc(h, o->symbol);
		analysis_fmt(e->effect, num, sizeof(num));
		strbuf_addf(h, "</td><td class=\"num\">%s</td>", num);
		if (isnan(e->effect_pct))
			strbuf_adds(h, "<td class=\"num\">&ndash;</td><td>");
		else
			strbuf_addf(h, "<td class=\"num\">%.1f%%</td><td>",
				    e->effect_pct);
		for (j = 0; j < o->n_values; j++) {
			if (!e->values[j].n)
				continue;
			analysis_fmt(e->values[j].mean, num, sizeof(num));
			esc(h, o->values[j]);
			strbuf_addf(h, ": %s (%u)<br>", num, e->values[j].n);
		}
		strbuf_adds(h, "</td></tr>\n");
	}
	strbuf_adds(h, "</table>\n");
}

static void html_pareto(struct ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	size_t r;

	if (!c->have_pareto)
		return;
	strbuf_adds(h, "<h2>Pareto front</h2>\n<p>Successful variants no "
		       "other beats on both ");
	esc(h, t->metrics[t->obj[0]]);
	strbuf_adds(h, " and ");
	esc(h, t->metrics[t->obj[1]]);
	strbuf_adds(h, ".</p>\n<img src=\"pareto.svg\" alt=\"Pareto front\">\n");
	variant_header(c, h);
	for (r = 0; r < t->n_front; r++)
		variant_row(c, h, r + 1, &t->v[t->front[r]]);
	strbuf_adds(h, "</table>\n");
}

static void html_changed(struct ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	size_t i, j, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->v[i].changed;
	if (!n)
		return;
	strbuf_addf(h, "<h2>Changed by kconfig</h2>\n<p>%zu variant%s "
		       "resolved to other values than requested "
		       "(olddefconfig follows dependencies and ranges):</p>\n"
		       "<table>\n<tr><th>variant</th><th>option</th>"
		       "<th>requested</th><th>resolved</th></tr>\n",
		    n, n == 1 ? "" : "s");
	for (i = 0; i < t->n; i++) {
		const struct analysis_variant *v = &t->v[i];

		for (j = 0; j < c->s->n_options; j++) {
			if (!v->opt_changed[j])
				continue;
			strbuf_addf(h, "<tr><td>v%lld</td><td>CONFIG_",
				    (long long)v->id);
			esc(h, c->s->options[j].symbol);
			strbuf_adds(h, "</td>");
			td(h, analysis_value_name(t, v, j));
			td(h, v->resolved_vals[j] ? v->resolved_vals[j]
						  : "(unset)");
			strbuf_adds(h, "</tr>\n");
		}
	}
	strbuf_adds(h, "</table>\n");
}

static void html_failures(struct ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	char line[512];
	size_t i, j, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->v[i].status > STORE_DONE;
	strbuf_adds(h, "<h2>Failures</h2>\n");
	if (!n) {
		strbuf_adds(h, "<p>None.</p>\n");
		return;
	}
	strbuf_adds(h, "<table>\n<tr><th>variant</th><th>class</th>"
		       "<th>options (as resolved)</th><th>reason</th></tr>\n");
	for (i = 0; i < t->n; i++) {
		const struct analysis_variant *v = &t->v[i];

		if (v->status <= STORE_DONE)
			continue;
		strbuf_addf(h, "<tr><td>v%lld</td><td class=\"fail\">%s</td>"
			       "<td>",
			    (long long)v->id, store_status_name(v->status));
		for (j = 0; j < c->s->n_options; j++) {
			esc(h, j ? ", " : "");
			esc(h, c->s->options[j].symbol);
			strbuf_adds(h, "=");
			esc(h, analysis_resolved_name(v, j));
		}
		analysis_first_line(v->log_tail, line, sizeof(line));
		strbuf_adds(h, "</td><td><code>");
		esc(h, line);
		strbuf_adds(h, "</code></td></tr>\n");
	}
	strbuf_adds(h, "</table>\n");
}

static int write_index(struct ctx *c)
{
	struct strbuf h = STRBUF_INIT;
	FILE *f;
	int e;

	html_head(c, &h);
	if (c->plot_err) {
		strbuf_adds(&h, "<p class=\"warn\"><b>Plots not rendered:</b> ");
		esc(&h, c->plot_why);
		strbuf_adds(&h, ". Their data (<code>*.dat</code>) and "
				"gnuplot scripts (<code>*.gp</code>) are in "
				"this directory: render them with "
				"<code>gnuplot NAME.gp</code> there.</p>\n");
	}
	html_summary(c, &h);
	html_best(c, &h);
	html_effects(c, &h);
	html_pareto(c, &h);
	html_changed(c, &h);
	html_failures(c, &h);
	strbuf_adds(&h, "<h2>Space file</h2>\n<pre>");
	esc(&h, c->exp.space_text);
	strbuf_adds(&h, "</pre>\n<p>Written by <code>unitune report</code>. "
			"Each plot is NAME.svg, rendered from NAME.dat by "
			"<code>gnuplot NAME.gp</code> in this "
			"directory.</p>\n</body>\n</html>\n");
	if (!h.buf) {
		strbuf_release(&h);
		return -ENOMEM;
	}
	f = open_in(c, "index.html");
	if (!f) {
		e = -errno;
	} else {
		fwrite(h.buf, 1, h.len, f);
		e = close_checked(f);
	}
	strbuf_release(&h);
	return e;
}

int exp_report_write(struct store *st, int64_t exp, const struct space *s,
		     const char *dir, unsigned top, struct strbuf *err)
{
	struct analysis_table *t = NULL;
	struct ctx c = { .s = s, .dir = dir,
			 .top = top ? top : EXP_REPORT_TOP_DEFAULT };
	int e;

	e = store_experiment_get(st, exp, &c.exp);
	if (!e) {
		e = store_env_get(st, exp, &c.env);
		c.has_env = !e;
		if (e == -ENOENT)
			e = 0;
	}
	if (!e)
		e = analysis_load(st, exp, s, &t);
	if (e) {
		strbuf_addf(err, "%s", store_errmsg(st));
		goto out;
	}
	c.t = t;
	e = paths_mkdir_p(dir, 0777);
	if (e) {
		strbuf_addf(err, "cannot create %s: %s", dir, strerror(-e));
		goto out;
	}
	e = plot_objective(&c);
	if (!e)
		e = plot_effects(&c);
	if (!e)
		e = plot_pareto(&c);
	if (e) {
		strbuf_addf(err, "cannot write the plot data in %s: %s", dir,
			    strerror(-e));
		goto out;
	}
	if (c.have_objective)
		render(&c, "objective");
	if (c.have_effects)
		render(&c, "effects");
	if (c.have_pareto)
		render(&c, "pareto");
	e = write_index(&c);
	if (e) {
		strbuf_addf(err, "cannot write %s/index.html: %s", dir,
			    strerror(-e));
		goto out;
	}
	if (c.plot_err) {
		e = EXP_REPORT_NO_PLOTS;
		strbuf_addf(err, "plots not rendered: %s", c.plot_why);
	}
out:
	analysis_free(t);
	store_env_release(&c.env);
	store_experiment_release(&c.exp);
	return e;
}
