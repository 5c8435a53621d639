/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's Markdown summary (report.h): short enough for a CI
 * comment. The verdict line, the table of listed changes, then counts of
 * what is listed apart; the page holds the rest.
 *
 * Every string from the data is written through md_text: a pipe would
 * end a table cell, a newline the row, and `*_[<&...` would turn a
 * commit subject into markup or a link.
 */
#include "report_int.h"

#include <errno.h>
#include <string.h>

#include "json.h"

/* Rows of the table of changes at most. */
#define MD_MAX_ROWS 30

/* Markdown that shows s as it is, on one line, in a table cell, as
 * valid UTF-8 (a CI system posts it inside JSON). */
static void md_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p), len;

	for (; left; p += len, left -= len) {
		len = 1;
		if (*p == '\n' || *p == '\r' || *p == '\t')
			fputc(' ', f);
		else if (*p < 0x20 || *p == 0x7f)
			continue;	/* no meaning to show */
		else if (*p < 0x80 && strchr("\\`*_[]<>|~&#!", *p))
			fprintf(f, "\\%c", *p);
		else if (*p < 0x80)
			fputc(*p, f);
		else if ((len = json_utf8_len(p, left)))
			fwrite(p, 1, len, f);
		else {
			fputs("\xef\xbf\xbd", f);	/* U+FFFD */
			len = 1;
		}
	}
}

/* "abcdef1234 subject" (the subject when any). */
static void md_commit(FILE *f, const char *commit, const char *subject)
{
	char sha[REPORT_SHORT_SHA + 1];

	report_short_sha(commit, sha, sizeof(sha));
	md_text(f, sha);
	if (subject && *subject) {
		fputc(' ', f);
		md_text(f, subject);
	}
}

static void md_verdict(const struct report *r, const struct report_counts *n,
		       FILE *f)
{
	fputs("## unitune nightly ", f);
	md_text(f, r->suite);
	if (n->regressions)
		fprintf(f, ": %zu confirmed regression%s\n\n", n->regressions,
			n->regressions == 1 ? "" : "s");
	else
		fputs(": no confirmed regression\n\n", f);
	fprintf(f, "Exit status %d%s.", r->exit_status,
		r->advisory ? " (advisory: exits 0 whatever it finds)" : "");
	if (n->improvements)
		fprintf(f, " %zu improvement%s.", n->improvements,
			n->improvements == 1 ? "" : "s");
	fputs("\n\n", f);
}

static void md_change(const struct report_change *c, FILE *f)
{
	struct report_change_text t;

	report_change_text(c, &t);
	fputs("| ", f);
	md_text(f, c->benchmark);
	fputs(" / ", f);
	md_text(f, c->metric);
	fprintf(f, " | %s | ", report_direction_label(c->direction));
	md_commit(f, c->commit, c->subject);
	fputs(" | ", f);
	md_text(f, t.before);
	fputs(" → ", f);
	md_text(f, t.after);
	fprintf(f, " | %s | %s | %s | ", t.rel, t.p, t.confirmation);
	if (c->culprit)
		md_commit(f, c->culprit, c->culprit_subject);
	else
		fputs("-", f);
	fputs(" |\n", f);
}

/*
 * The listed changes, the confirmed regressions first (each group in
 * history order), at most MD_MAX_ROWS of them: a CI comment has a size
 * limit and a long history (a first night over many commits) must not
 * push the verdict out of it.
 */
static void md_changes(const struct report *r, FILE *f)
{
	size_t i, n = 0, shown = 0;
	int pass;

	for (i = 0; i < r->n_changes; i++)
		n += report_change_listed(&r->changes[i]);
	if (!n) {
		fputs("No change in the measured history.\n\n", f);
		return;
	}
	fputs("| metric | change | commit | before → after | ±% | p | "
	      "confirmed | culprit |\n"
	      "|---|---|---|---|--:|---|---|---|\n", f);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < r->n_changes && shown < MD_MAX_ROWS; i++) {
			const struct report_change *c = &r->changes[i];

			if (!report_change_listed(c) ||
			    report_change_confirmed_regression(c) != !pass)
				continue;
			md_change(c, f);
			shown++;
		}
	if (n > shown)
		fprintf(f, "\n%zu more change%s: see the report's index.html.\n",
			n - shown, n - shown == 1 ? "" : "s");
	fputc('\n', f);
}

static void md_count(FILE *f, size_t n, const char *one, const char *many,
		     const char *what)
{
	fprintf(f, "- %zu %s%s\n", n, n == 1 ? one : many, what);
}

int report_write_markdown(const struct report *r, FILE *f)
{
	struct report_counts n;

	report_count(r, &n);
	md_verdict(r, &n, f);
	md_changes(r, f);
	md_count(f, n.unconfirmed, "unconfirmed suspect", "unconfirmed suspects",
		 " (listed apart, not counted)");
	if (n.refuted)
		md_count(f, n.refuted, "refuted suspect", "refuted suspects",
			 " (re-measured: no change)");
	md_count(f, n.too_little, "metric", "metrics",
		 " with too little history (no verdict)");
	md_count(f, n.failed_series, "metric", "metrics",
		 " not measured tonight");
	md_count(f, n.failures, "failure", "failures",
		 " (commits that did not build or run)");
	return ferror(f) ? -EIO : 0;
}
