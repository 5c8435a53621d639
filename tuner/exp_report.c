/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The experiment report directory: plot data, gnuplot scripts, SVGs and
 * index.html. See exp_report.h.
 */
#include "exp_report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp_report_int.h"
#include "gnuplot.h"
#include "paths.h"

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

/* A row of a two-column table: the name, then the value escaped. */
static void tr_text(struct strbuf *h, const char *name, const char *value)
{
	strbuf_adds(h, "<tr>");
	th(h, name);
	td(h, value);
	strbuf_adds(h, "</tr>\n");
}

/* The median; a wall-clock one with its 95% interval, a deterministic
 * one whose repetitions differ with its spread. */
static void td_num(struct strbuf *h, const struct analysis_stat *st)
{
	char m[64], a[64], b[64];

	if (!st->n) {
		strbuf_adds(h, "<td class=\"num\">&ndash;</td>");
		return;
	}
	analysis_fmt(st->median, m, sizeof(m));
	strbuf_addf(h, "<td class=\"num\">%s", m);
	if (st->wall) {
		analysis_fmt(st->ci_low, a, sizeof(a));
		analysis_fmt(st->ci_high, b, sizeof(b));
		strbuf_addf(h, " <span class=\"sd\" title=\"bootstrap 95%% "
			       "interval of the median\">[%s, %s] (n=%u)%s"
			       "</span>", a, b, st->n,
			    st->unstable ? " unstable" : "");
	} else if (st->n > 1) {
		analysis_fmt(st->stddev, a, sizeof(a));
		strbuf_addf(h, " <span class=\"sd\">&plusmn;%s (n=%u)</span>",
			    a, st->n);
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
	"td{overflow-wrap:break-word}"
	"th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap;"
	"font-variant-numeric:tabular-nums}"
	/* A table wider than the page scrolls inside its own box; the
	 * page itself never scrolls sideways. */
	".wide{overflow-x:auto;max-width:100%}"
	"td.na{color:#999}"
	".sd{color:#777;font-size:.85em}"
	"tr.best td{background:#e8f4e8}tr.tied td{background:#f4f4e0}"
	".warn{background:#fff0e0;border:1px solid #e0a060;padding:.6em}"
	".fail{color:#a02020}"
	"img{max-width:100%;height:auto;border:1px solid #eee}"
	"pre{background:#f6f6f6;padding:.6em;overflow:auto}"
	"code{background:#f6f6f6;overflow-wrap:anywhere}"
	"li{margin:.2em 0}";

static void html_head(struct report_ctx *c, struct strbuf *h)
{
	strbuf_adds(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		       "<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width\">\n"
		       "<title>unitune: ");
	esc(h, c->exp.name);
	strbuf_addf(h, "</title>\n<style>%s</style>\n</head>\n<body>\n",
		    css);
	strbuf_adds(h, "<h1>Experiment ");
	esc(h, c->exp.name);
	strbuf_adds(h, "</h1>\n");
}

static void html_summary(struct report_ctx *c, struct strbuf *h)
{
	const struct space *s = c->s;
	char buf[64];
	size_t i;
	int k;

	strbuf_adds(h, "<div class=\"wide\"><table>\n");
	tr_text(h, "space file", c->exp.space_path);
	tr_text(h, "created", c->exp.created);
	tr_text(h, "status", c->exp.status);
	tr_text(h, "app", s->app);
	strbuf_adds(h, "<tr><th>objectives</th><td>");
	for (i = 0; i < s->n_objectives; i++) {
		strbuf_adds(h, i ? ", " : "");
		strbuf_adds(h, i ? "" : "<b>");
		esc(h, s->objectives[i].metric);
		strbuf_addf(h, " (%s)%s", space_goal_name(s->objectives[i].goal),
			    i ? "" : "</b>");
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
	strbuf_adds(h, "</td></tr>\n</table></div>\n");

	strbuf_adds(h, "<h2>Environment</h2>\n");
	if (!c->has_env) {
		strbuf_adds(h, "<p>Not recorded.</p>\n");
		return;
	}
	strbuf_adds(h, "<div class=\"wide\"><table>\n");
	tr_text(h, "git commit", c->env.git_commit);
	tr_text(h, "host", c->env.host);
	tr_text(h, "QEMU", c->env.qemu_version);
	tr_text(h, "CPU", c->env.cpu_model);
	strbuf_adds(h, "</table></div>\n");
}

static int mark_surprise(void *ctx, const struct analysis_variant *v,
			 size_t opt)
{
	struct report_ctx *c = ctx;

	c->surprising[(size_t)(v - c->t->v) * c->s->n_options + opt] = true;
	return 0;
}

/* Sort kconfig's changes once, for the tables and their section. */
static int sort_changes(struct report_ctx *c)
{
	c->surprising = calloc(c->t->n * c->s->n_options + 1,
			       sizeof(*c->surprising));
	if (!c->surprising)
		return -ENOMEM;
	return analysis_changes(c->t, c->kc, &c->dead, mark_surprise, c);
}

static bool is_surprise(const struct report_ctx *c,
			const struct analysis_variant *v, size_t opt)
{
	return c->surprising[(size_t)(v - c->t->v) * c->s->n_options + opt];
}

/* One row: rank, variant, every metric (the objectives first, so a
 * table wider than the page still shows them), the options. */
static void variant_row(struct report_ctx *c, struct strbuf *h, size_t rank,
			const struct analysis_variant *v)
{
	const struct analysis_table *t = c->t;
	size_t i;

	strbuf_addf(h, "<tr%s><td class=\"num\">%zu</td><td>v%lld%s</td>",
		    rank == 1 ? " class=\"best\""
			      : v->tied ? " class=\"tied\"" : "",
		    rank, (long long)v->id,
		    v->tied ? " <span class=\"sd\">tie</span>" : "");
	for (i = 0; i < t->n_metrics; i++)
		td_num(h, &v->stats[i]);
	for (i = 0; i < c->s->n_options; i++) {
		if (v->opt_changed[i] && !is_surprise(c, v, i)) {
			/* Dead by dependency: no value here. */
			strbuf_adds(h, "<td class=\"na\" title=\"requested ");
			esc(h, analysis_value_name(t, v, i));
			strbuf_adds(h, "; not applicable: a dependency is "
				       "off\">n/a</td>");
			continue;
		}
		strbuf_adds(h, "<td>");
		esc(h, report_value_label(c->s, i,
					  analysis_value_name(t, v, i)));
		if (v->opt_changed[i]) {
			strbuf_adds(h, " <span class=\"fail\">&rarr; ");
			esc(h, v->resolved_vals[i] ? v->resolved_vals[i]
						   : "(unset)");
			strbuf_adds(h, "</span>");
		}
		strbuf_adds(h, "</td>");
	}
	strbuf_adds(h, "</tr>\n");
}

/* A symbol that may break after each '_' (long names, narrow columns). */
static void breakable(struct strbuf *h, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		char one[2] = { *p, '\0' };

		esc(h, one);
		if (*p == '_' && p[1])
			strbuf_adds(h, "<wbr>");
	}
}

static void variant_header(struct report_ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	char label[256];
	size_t i;

	strbuf_adds(h, "<div class=\"wide\"><table>\n<tr><th>rank</th>"
		       "<th>variant</th>");
	for (i = 0; i < t->n_metrics; i++) {
		report_axis_label(t, i, label, sizeof(label));
		th(h, label);
	}
	for (i = 0; i < c->s->n_options; i++) {
		/* The CONFIG_ prefix in the title only: width is dear. */
		strbuf_adds(h, "<th class=\"opt\" title=\"CONFIG_");
		esc(h, c->s->options[i].symbol);
		strbuf_adds(h, "\">");
		breakable(h, c->s->options[i].symbol);
		strbuf_adds(h, "</th>");
	}
	strbuf_adds(h, "</tr>\n");
}

/* The best is not alone: say so above the tables (analysis_tie_text). */
static void html_tie(struct report_ctx *c, struct strbuf *h)
{
	struct strbuf tie = STRBUF_INIT;
	const char *p, *nl;
	char one[512];

	if (analysis_tie_text(c->t, &tie) || !tie.len) {
		strbuf_release(&tie);
		return;
	}
	/* The first line as the heading, the others (a variant each) as a
	 * list. */
	for (p = tie.buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		snprintf(one, sizeof(one), "%.*s", (int)(nl - p), p);
		strbuf_adds(h, p == tie.buf ? "<div class=\"warn\"><b>"
					    : "<li>");
		esc(h, one);
		strbuf_adds(h, p == tie.buf ? "</b>\n<ul>\n" : "</li>\n");
	}
	strbuf_adds(h, "</ul>A larger <code>repetitions</code> "
		       "(<code>{min, max}</code> races the contenders) may "
		       "tell them apart.</div>\n");
	strbuf_release(&tie);
}

static void html_best(struct report_ctx *c, struct strbuf *h)
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
	/* A wall-clock value with its interval; an exact one alone. */
	if (analysis_objective(t, b, 0)->wall)
		analysis_stat_text(analysis_objective(t, b, 0), num,
				   sizeof(num));
	else
		analysis_fmt(analysis_objective(t, b, 0)->median, num,
			     sizeof(num));
	strbuf_addf(h, "<p>v%lld (config hash <code>", (long long)b->id);
	esc(h, b->hash);
	strbuf_adds(h, "</code>): ");
	esc(h, t->metrics[t->obj[0]]);
	strbuf_adds(h, " = <b>");
	esc(h, num);
	strbuf_adds(h, "</b>");
	esc(h, *t->units[t->obj[0]] ? " " : "");
	esc(h, t->units[t->obj[0]]);
	strbuf_adds(h, ", with<br>\n");
	for (i = 0; i < c->s->n_options; i++) {
		strbuf_adds(h, "<code>CONFIG_");
		esc(h, c->s->options[i].symbol);
		if (b->opt_changed[i] && !is_surprise(c, b, i)) {
			strbuf_adds(h, "</code> not applicable (a dependency "
				       "is off)<br>\n");
			continue;
		}
		strbuf_adds(h, "=");
		esc(h, analysis_resolved_name(b, i));
		strbuf_adds(h, "</code><br>\n");
	}
	strbuf_adds(h, "Export it as a defconfig fragment with "
		       "<code>unitune best ");
	esc(h, c->exp.name);
	strbuf_adds(h, " --export FILE</code>.</p>\n");
	html_tie(c, h);

	if (c->have_objective)
		strbuf_adds(h, "<h2>All variants</h2>\n"
			       "<img src=\"objective.svg\" alt=\"primary "
			       "objective per variant\">\n");
	n = t->n_ranked < c->top ? t->n_ranked : c->top;
	strbuf_addf(h, "<h2>Top %zu configurations</h2>\n", n);
	variant_header(c, h);
	for (r = 0; r < n; r++)
		variant_row(c, h, r + 1, &t->v[t->rank[r]]);
	strbuf_adds(h, "</table></div>\n");
	if (t->n_ranked > n)
		strbuf_addf(h, "<p>%zu more successful variants; "
			       "<code>unitune show</code> lists them all.</p>\n",
			    t->n_ranked - n);
}

static void html_effects(struct report_ctx *c, struct strbuf *h)
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
		       "<div class=\"wide\"><table>\n<tr><th>option</th><th>effect</th>"
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
	strbuf_adds(h, "</table></div>\n");
}

static void html_pareto(struct report_ctx *c, struct strbuf *h)
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
	strbuf_adds(h, " (by their medians).</p>\n<img src=\"pareto.svg\" "
		       "alt=\"Pareto front\">\n");
	variant_header(c, h);
	for (r = 0; r < t->n_front; r++)
		variant_row(c, h, r + 1, &t->v[t->front[r]]);
	strbuf_adds(h, "</table></div>\n");
	if (!t->n_near_front)
		return;
	strbuf_addf(h, "<p>Near the front: %zu variant%s off it by %s "
		       "medians, but no variant dominates %s beyond the 95%% "
		       "intervals; within the noise, %s may belong on it.</p>\n",
		    t->n_near_front, t->n_near_front == 1 ? "" : "s",
		    t->n_near_front == 1 ? "its" : "their",
		    t->n_near_front == 1 ? "it" : "them",
		    t->n_near_front == 1 ? "it" : "they");
	variant_header(c, h);
	for (r = 0; r < t->n_near_front; r++)
		variant_row(c, h, r + 1, &t->v[t->near_front[r]]);
	strbuf_adds(h, "</table></div>\n");
}

/*
 * What kconfig changed: values dropped because a dependency was off in
 * that variant are expected in a grid over both, so they are counted,
 * one line per option; the rest, where the dependencies were met yet
 * the value changed, are listed one by one.
 */
static void html_changed(struct report_ctx *c, struct strbuf *h)
{
	const struct analysis_table *t = c->t;
	struct strbuf line = STRBUF_INIT;
	size_t i, j, n = 0;

	for (i = 0; i < t->n * c->s->n_options; i++)
		n += c->surprising[i];
	if (!c->dead.n && !n)
		return;
	strbuf_adds(h, "<h2>Changed by kconfig</h2>\n");
	if (c->dead.n)
		strbuf_adds(h, "<p>Expected: kconfig drops a requested value "
			       "when the option's dependencies are off in "
			       "that variant.</p>\n<ul>\n");
	for (i = 0; i < c->dead.n; i++) {
		line.len = 0;
		if (dead_tally_text(&c->dead.v[i], "variants", &line))
			break;
		strbuf_adds(h, "<li>");
		esc(h, line.buf);
		strbuf_adds(h, "</li>\n");
	}
	strbuf_release(&line);
	if (c->dead.n)
		strbuf_adds(h, "</ul>\n");
	if (!n) {
		strbuf_adds(h, "<p>No other changes.</p>\n");
		return;
	}
	strbuf_addf(h, "<p>%s%zu change%s although the option's dependencies "
		       "were met (a range, a select, another choice "
		       "member):</p>\n<div class=\"wide\"><table>\n"
		       "<tr><th>variant</th><th>option</th><th>requested</th>"
		       "<th>resolved</th></tr>\n",
		    c->dead.n ? "Surprising: " : "", n, n == 1 ? "" : "s");
	for (i = 0; i < t->n; i++) {
		const struct analysis_variant *v = &t->v[i];

		for (j = 0; j < c->s->n_options; j++) {
			if (!is_surprise(c, v, j))
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
	strbuf_adds(h, "</table></div>\n");
}

static void html_convergence(struct report_ctx *c, struct strbuf *h)
{
	const char *p, *nl;
	char one[512];

	if (!c->have_convergence)
		return;
	strbuf_adds(h, "<h2>Convergence</h2>\n<p>The best ");
	esc(h, c->t->metrics[c->t->obj[0]]);
	strbuf_adds(h, " found so far against the number of variants "
		       "evaluated, in the order the strategy proposed them; "
		       "one line per experiment in this database that searched "
		       "the same options with the same primary objective:</p>"
		       "\n<ul>\n");
	for (p = c->convergence_lines.buf; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		snprintf(one, sizeof(one), "%.*s", (int)(nl - p), p);
		strbuf_adds(h, "<li>");
		esc(h, one);
		strbuf_adds(h, "</li>\n");
	}
	strbuf_adds(h, "</ul>\n<img src=\"convergence.svg\" "
		       "alt=\"best so far against evaluations\">\n");
}

static void html_failures(struct report_ctx *c, struct strbuf *h)
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
	strbuf_adds(h, "<div class=\"wide\"><table>\n<tr><th>variant</th>"
		       "<th>class</th>"
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
	strbuf_adds(h, "</table></div>\n");
}

static int write_index(struct report_ctx *c)
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
	html_convergence(c, &h);
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
	f = report_open(c, "index.html");
	if (!f) {
		e = -errno;
	} else {
		fwrite(h.buf, 1, h.len, f);
		e = report_close(f);
	}
	strbuf_release(&h);
	return e;
}

static void render(struct report_ctx *c, const char *name)
{
	char script[64];

	if (c->plot_err)
		return;
	snprintf(script, sizeof(script), "%s.gp", name);
	c->plot_err = gnuplot_run(script, c->dir, c->plot_why,
				  sizeof(c->plot_why));
}

static int write_plots(struct report_ctx *c)
{
	int e = report_plot_objective(c);

	if (!e)
		e = report_plot_effects(c);
	if (!e)
		e = report_plot_pareto(c);
	if (!e)
		e = report_plot_convergence(c);
	if (e)
		return e;
	if (c->have_objective)
		render(c, "objective");
	if (c->have_effects)
		render(c, "effects");
	if (c->have_pareto)
		render(c, "pareto");
	if (c->have_convergence)
		render(c, "convergence");
	return 0;
}

int exp_report_write(struct store *st, int64_t exp, const struct space *s,
		     const struct kconfig *kc, const char *dir, unsigned top,
		     char *why, size_t why_len)
{
	struct analysis_table *t = NULL;
	struct report_ctx c = { .st = st, .exp_id = exp, .kc = kc, .s = s,
				.dir = dir,
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
		snprintf(why, why_len, "%s", store_errmsg(st));
		goto out;
	}
	c.t = t;
	e = paths_mkdir_p(dir, 0777);
	if (e) {
		snprintf(why, why_len, "cannot create %s: %s", dir, strerror(-e));
		goto out;
	}
	e = sort_changes(&c);
	if (e) {
		snprintf(why, why_len, "out of memory");
		goto out;
	}
	e = write_plots(&c);
	if (e) {
		snprintf(why, why_len, "cannot write the plot data in %s: %s", dir,
			    strerror(-e));
		goto out;
	}
	e = write_index(&c);
	if (e) {
		snprintf(why, why_len, "cannot write %s/index.html: %s", dir,
			    strerror(-e));
		goto out;
	}
	if (c.plot_err) {
		e = EXP_REPORT_NO_PLOTS;
		snprintf(why, why_len, "plots not rendered: %s", c.plot_why);
	}
out:
	analysis_free(t);
	strbuf_release(&c.convergence_lines);
	dead_tally_release(&c.dead);
	free(c.surprising);
	store_env_release(&c.env);
	store_experiment_release(&c.exp);
	return e;
}
