/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's page, index.html (nightly_report.h): static and self-contained
 * (inline CSS, no script, nothing fetched), the plots referenced as
 * plots/N.svg beside it, as the experiment report does. In order: the
 * verdict, the table of changes, the suspects listed apart, the metrics
 * with too little history (never shown as passing), the failures, the
 * environment, then one history plot per series. Every string from the
 * data goes through xml_escape.
 */
#include "report_int.h"

#include <errno.h>

#include "xml_escape.h"

static const char css[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:80em;"
	"padding:0 1em;color:#222}"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;"
	"border-bottom:1px solid #ccc}h3{font-size:1.05em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;"
	"vertical-align:top}"
	"th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap;"
	"font-variant-numeric:tabular-nums}"
	".wide{overflow-x:auto;max-width:100%}"
	".verdict{padding:.6em;border:1px solid}"
	".bad{background:#fbe4e4;border-color:#c03030}"
	".good{background:#e8f4e8;border-color:#40a040}"
	".warn{background:#fff0e0;border:1px solid #e0a060;padding:.6em}"
	"tr.regression td.rel{color:#a02020;font-weight:bold}"
	"tr.improvement td.rel{color:#207020;font-weight:bold}"
	".sd{color:#777;font-size:.85em}"
	"img{max-width:100%;height:auto;border:1px solid #eee}"
	"code{background:#f6f6f6;overflow-wrap:anywhere}"
	"li{margin:.2em 0}";

static void h_th_row(FILE *f, const char *const *names)
{
	fputs("<tr>", f);
	for (; *names; names++)
		fprintf(f, "<th>%s</th>", *names);
	fputs("</tr>\n", f);
}

/* <td>text</td>, escaped. */
static void h_td(FILE *f, const char *s)
{
	fputs("<td>", f);
	xml_escape(f, s);
	fputs("</td>", f);
}

/* "<code>abcdef1234</code> subject" */
static void h_commit(FILE *f, const char *commit, const char *subject)
{
	char sha[REPORT_SHORT_SHA + 1];

	report_short_sha(commit, sha, sizeof(sha));
	fputs("<code title=\"", f);
	xml_escape(f, commit);
	fputs("\">", f);
	xml_escape(f, sha);
	fputs("</code>", f);
	if (subject && *subject) {
		fputc(' ', f);
		xml_escape(f, subject);
	}
}

static void h_metric(FILE *f, const char *benchmark, const char *metric)
{
	xml_escape(f, benchmark);
	fputs(" / ", f);
	xml_escape(f, metric);
}

static void h_count(FILE *f, size_t n, const char *one, const char *many,
		    const char *what)
{
	if (n)
		fprintf(f, "<li>%zu %s%s</li>\n", n, n == 1 ? one : many, what);
}

static void h_verdict(const struct report *r, const struct report_counts *n,
		      FILE *f)
{
	fprintf(f, "<div class=\"verdict %s\"><b>", n->regressions ? "bad"
								  : "good");
	if (n->regressions)
		fprintf(f, "%zu confirmed regression%s", n->regressions,
			n->regressions == 1 ? "" : "s");
	else
		fputs("No confirmed regression", f);
	fprintf(f, "</b>; exit status %d", r->exit_status);
	if (r->advisory)
		fputs(" (advisory: nightly exits 0 whatever it finds)", f);
	fputs(".</div>\n<ul>\n", f);
	h_count(f, n->improvements, "improvement", "improvements", "");
	h_count(f, n->not_checked, "older wall-clock change",
		"older wall-clock changes", " not re-measured");
	h_count(f, n->unconfirmed, "unconfirmed suspect",
		"unconfirmed suspects", " (listed apart, not counted)");
	h_count(f, n->refuted, "refuted suspect", "refuted suspects",
		" (re-measured: no change)");
	h_count(f, n->too_little, "metric", "metrics",
		" with too little history: no verdict");
	h_count(f, n->failed_series, "metric", "metrics",
		" not measured tonight");
	h_count(f, n->failures, "commit", "commits",
		" that did not build or run");
	fputs("</ul>\n", f);
}

/* The bisection's steps, folded. */
static void h_steps(const struct report_change *c, FILE *f)
{
	char v[96];
	size_t i;

	if (!c->n_steps) {
		fputs("<td>-</td>", f);
		return;
	}
	fprintf(f, "<td><details><summary>%zu step%s</summary><ol>", c->n_steps,
		c->n_steps == 1 ? "" : "s");
	for (i = 0; i < c->n_steps; i++) {
		const struct report_step *s = &c->steps[i];

		fputs("<li>", f);
		h_commit(f, s->commit, s->subject);
		if (s->failed) {
			fputs(": skipped (could not be built or measured)", f);
		} else {
			report_fmt_value(s->value, c->unit, v, sizeof(v));
			fputs(": ", f);
			xml_escape(f, v);
			fputs(s->bad ? " (bad)" : " (good)", f);
		}
		fputs("</li>", f);
	}
	fputs("</ol></details></td>", f);
}

static void h_link(FILE *f, const char *href, const char *text)
{
	fputs("<a href=\"", f);
	xml_escape(f, href);
	fprintf(f, "\">%s</a>", text);
}

/* The culprit, its profile diff and flame graph, the bisection. */
static void h_culprit(const struct report_change *c, FILE *f)
{
	fputs("<td>", f);
	if (c->culprit)
		h_commit(f, c->culprit, c->culprit_subject);
	else
		fputs("-", f);
	fputs("</td><td>", f);
	if (c->profile_diff)
		h_link(f, c->profile_diff, "profile diff");
	if (c->profile_diff && c->profile_flame)
		fputs("<br>", f);
	if (c->profile_flame)
		h_link(f, c->profile_flame, "flame graph");
	if (!c->profile_diff && !c->profile_flame)
		fputs("-", f);
	fputs("</td>", f);
	h_steps(c, f);
}

/* The change's metric, linked to its series' plot below. */
static void h_change_metric(const struct report *r,
			    const struct report_change *c, FILE *f)
{
	size_t i;

	for (i = 0; i < r->n_series; i++)
		if (report_change_of(c, &r->series[i]))
			break;
	if (i < r->n_series)
		fprintf(f, "<a href=\"#series-%zu\">", i);
	h_metric(f, c->benchmark, c->metric);
	if (i < r->n_series)
		fputs("</a>", f);
}

static void h_change_row(const struct report *r,
			 const struct report_change *c, bool listed, FILE *f)
{
	struct report_change_text t;

	report_change_text(c, &t);
	fprintf(f, "<tr class=\"%s\"><td>",
		detect_direction_name(c->direction));
	h_change_metric(r, c, f);
	fprintf(f, "</td><td>%s</td><td>", detect_direction_name(c->direction));
	h_commit(f, c->commit, c->subject);
	fputs("</td><td class=\"num\">", f);
	xml_escape(f, t.before);
	fputs(" &rarr; ", f);
	xml_escape(f, t.after);
	fprintf(f, "</td><td class=\"num rel\">%s</td><td>%s</td><td>%s</td>"
		   "<td>%s</td>", t.rel, t.p, detect_method_name(c->method),
		t.confirmation);
	if (listed)
		h_culprit(c, f);
	fputs("</tr>\n", f);
}

static const char *const change_cols[] = {
	"metric", "change", "commit", "before &rarr; after", "&plusmn;%",
	"p", "found by", "confirmation", "culprit", "profile", "bisection",
	NULL
};

static const char *const suspect_cols[] = {
	"metric", "change", "commit", "before &rarr; after", "&plusmn;%",
	"p", "found by", "confirmation", NULL
};

/* The listed changes, or the suspects apart. */
static void h_changes(const struct report *r, bool listed, FILE *f)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_changes; i++)
		n += report_change_listed(&r->changes[i]) == listed;
	if (listed)
		fputs("<h2>Changes</h2>\n", f);
	else if (n)
		fputs("<h2>Suspects listed apart</h2>\n<p>Wall-clock "
		      "suspects that re-measuring did not confirm "
		      "(unconfirmed: still undecided; refuted: the same). "
		      "They are not counted as regressions.</p>\n", f);
	if (!n) {
		fputs(listed ? "<p>No change in the measured history.</p>\n"
			     : "", f);
		return;
	}
	fputs("<div class=\"wide\"><table>\n", f);
	h_th_row(f, listed ? change_cols : suspect_cols);
	for (i = 0; i < r->n_changes; i++)
		if (report_change_listed(&r->changes[i]) == listed)
			h_change_row(r, &r->changes[i], listed, f);
	fputs("</table></div>\n", f);
}

/* Good points of s: how much history it has. */
static size_t h_good_points(const struct report_series *s)
{
	size_t j, n = 0;

	for (j = 0; j < s->n_points; j++)
		n += !s->points[j].failed && s->points[j].n;
	return n;
}

static void h_too_little(const struct report *r,
			 const struct report_counts *n, FILE *f)
{
	size_t i;

	if (!n->too_little)
		return;
	fputs("<h2>Too little history</h2>\n<p>Not judged: too few "
	      "measured commits to tell a change from noise. This is no "
	      "verdict, not a pass.</p>\n<ul>\n", f);
	for (i = 0; i < r->n_series; i++) {
		const struct report_series *s = &r->series[i];

		if (!report_series_too_little(s))
			continue;
		fputs("<li>", f);
		h_metric(f, s->benchmark, s->metric);
		fprintf(f, " (%s): %zu measured commit%s</li>\n",
			report_kind_label(s->kind), h_good_points(s),
			h_good_points(s) == 1 ? "" : "s");
	}
	fputs("</ul>\n", f);
}

static void h_failures(const struct report *r, const struct report_counts *n,
		       FILE *f)
{
	static const char *const cols[] = { "commit", "benchmark", "status",
					    "reason", NULL };
	size_t i;

	fputs("<h2>Failures</h2>\n", f);
	if (!n->failed_series && !r->n_failures) {
		fputs("<p>None.</p>\n", f);
		return;
	}
	for (i = 0; i < r->n_series; i++) {
		const struct report_series *s = &r->series[i];

		if (!s->failed)
			continue;
		fputs("<p>Not measured tonight, no verdict: ", f);
		h_metric(f, s->benchmark, s->metric);
		fputs(": ", f);
		xml_escape(f, s->reason);
		fputs("</p>\n", f);
	}
	if (!r->n_failures)
		return;
	fputs("<p>Commits that did not build or run (skipped by the "
	      "detector):</p>\n<div class=\"wide\"><table>\n", f);
	h_th_row(f, cols);
	for (i = 0; i < r->n_failures; i++) {
		const struct report_failure *x = &r->failures[i];

		fputs("<tr><td>", f);
		h_commit(f, x->commit, x->subject);
		fputs("</td>", f);
		h_td(f, x->benchmark);
		h_td(f, x->status);
		h_td(f, x->reason);
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

static void h_env_row(FILE *f, const char *name, const char *value)
{
	fprintf(f, "<tr><th>%s</th>", name);
	h_td(f, value ? value : "-");
	fputs("</tr>\n", f);
}

static void h_environment(const struct report *r, FILE *f)
{
	char sha[REPORT_SHORT_SHA + 1];
	size_t i;

	fputs("<h2>Environment</h2>\n<p>Only results of this fingerprint "
	      "are compared.</p>\n<div class=\"wide\"><table>\n", f);
	h_env_row(f, "fingerprint", r->fingerprint);
	h_env_row(f, "host", r->host);
	h_env_row(f, "CPU", r->cpu_model);
	h_env_row(f, "QEMU", r->qemu_version);
	h_env_row(f, "accelerator", r->accel);
	h_env_row(f, "generated", r->generated);
	fprintf(f, "<tr><th>measured tonight</th><td>%zu commit%s",
		r->n_commits, r->n_commits == 1 ? "" : "s");
	for (i = 0; i < r->n_commits; i++) {
		report_short_sha(r->commits[i], sha, sizeof(sha));
		fputs(i ? " " : ": ", f);
		fputs("<code>", f);
		xml_escape(f, sha);
		fputs("</code>", f);
	}
	fputs("</td></tr>\n</table></div>\n", f);
}

static const char *h_verdict_label(const struct report_series *s)
{
	return s->failed ? "failed tonight" : detect_verdict_name(s->verdict);
}

static void h_plots(const struct report *r, const char *const *plots,
		    FILE *f)
{
	size_t i;

	fputs("<h2>History</h2>\n<p>Every repetition a dot, the median per "
	      "commit a line; a dotted red line marks a commit that failed, "
	      "a solid one a change with its &plusmn;%, a dashed grey one a "
	      "suspect listed apart.</p>\n", f);
	for (i = 0; i < r->n_series; i++) {
		const struct report_series *s = &r->series[i];

		fprintf(f, "<h3 id=\"series-%zu\">", i);
		h_metric(f, s->benchmark, s->metric);
		fprintf(f, "</h3>\n<p>%s, %s is better; %s; %zu of %zu "
			   "commits measured.</p>\n",
			report_kind_label(s->kind),
			s->better == DETECT_HIGHER_IS_BETTER ? "higher"
							     : "lower",
			h_verdict_label(s), h_good_points(s), s->n_points);
		if (plots && plots[i]) {
			fputs("<img src=\"", f);
			xml_escape(f, plots[i]);
			fputs("\" alt=\"history of ", f);
			h_metric(f, s->benchmark, s->metric);
			fputs("\">\n", f);
		} else if (h_good_points(s)) {
			fprintf(f, "<p class=\"sd\">No plot rendered: its data "
				   "and script are plots/%zu.dat and "
				   "plots/%zu.gp.</p>\n", i, i);
		} else {
			fputs("<p class=\"sd\">No measurement to plot.</p>\n",
			      f);
		}
	}
}

int report_write_html_note(const struct report *r, const char *const *plots,
			   const char *note, FILE *f)
{
	struct report_counts n;

	report_count(r, &n);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		   "<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width\">\n"
		   "<title>unitune nightly: ");
	xml_escape(f, r->suite);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n"
		   "<h1>Nightly report: ", css);
	xml_escape(f, r->suite);
	fputs("</h1>\n", f);
	h_verdict(r, &n, f);
	if (note) {
		fputs("<p class=\"warn\"><b>Plots not rendered:</b> ", f);
		xml_escape(f, note);
		fputs(". Their data (<code>plots/N.dat</code>) and gnuplot "
		      "scripts (<code>plots/N.gp</code>) are written: render "
		      "them with <code>gnuplot N.gp</code> in "
		      "<code>plots/</code>.</p>\n", f);
	}
	h_changes(r, true, f);
	h_changes(r, false, f);
	h_too_little(r, &n, f);
	h_failures(r, &n, f);
	h_environment(r, f);
	h_plots(r, plots, f);
	fputs("<p class=\"sd\">Written by <code>unitune nightly</code>; the "
	      "Markdown summary is summary.md, the JUnit file junit.xml."
	      "</p>\n</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}

int report_write_html(const struct report *r, const char *const *plots,
		      FILE *f)
{
	return report_write_html_note(r, plots, NULL, f);
}
