/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's JUnit XML (report.h), so a CI system shows regressions as
 * failed tests. One <testsuite> for the suite, one <testcase
 * classname="BENCHMARK" name="METRIC"> per series, holding at most one
 * of:
 *   <failure>  a confirmed regression (the newest one in the message,
 *              every one in the text)
 *   <error>    the series failed tonight: no verdict
 *   <skipped>  too little history: no verdict
 * then a <system-out> with what else is known of it (improvements,
 * suspects, changes not re-measured, a failure next to a regression).
 * The commits that did not build or run go in the suite's <system-out>.
 * Every string goes through xml_escape (report_int.h says which changes
 * count).
 */
#include "report_int.h"

#include <errno.h>

#include "xml_escape.h"

/* One change on one line: "regression +5.00%: 1000 -> 1050 instructions
 * at abcdef1234 (exact)". Escaped. */
static void junit_change_line(const struct report_change *c, FILE *f)
{
	struct report_change_text t;

	report_change_text(c, &t);
	fprintf(f, "%s %s: ", report_direction_label(c->direction), t.rel);
	xml_escape(f, t.before);
	fputs(" -&gt; ", f);
	xml_escape(f, t.after);
	fputs(" at ", f);
	xml_escape(f, t.sha);
	if (c->confirmation == REPORT_EXACT)
		fprintf(f, " (%s)", t.p);
	else
		fprintf(f, " (%s, %s)", t.p,
			report_confirmation_name(c->confirmation));
}

/* "SHA SUBJECT", escaped. */
static void junit_commit(FILE *f, const char *commit, const char *subject)
{
	xml_escape(f, commit);
	fputc(' ', f);
	xml_escape(f, subject);
}

/* The lines of the element's text: the change, its commit's subject, the
 * culprit. */
static void junit_change_text(const struct report_change *c, FILE *f)
{
	junit_change_line(c, f);
	fputs("&#10;  commit ", f);
	junit_commit(f, c->commit, c->subject);
	fputs("&#10;  last good ", f);
	xml_escape(f, c->before_commit);
	if (c->culprit) {
		fputs("&#10;  culprit ", f);
		junit_commit(f, c->culprit, c->culprit_subject);
	}
	fputs("&#10;", f);
}

/* The newest confirmed regression of s, or NULL. */
static const struct report_change *junit_regression(const struct report *r,
						    const struct report_series *s)
{
	const struct report_change *last = NULL;
	size_t i;

	for (i = 0; i < r->n_changes; i++)
		if (report_change_of(&r->changes[i], s) &&
		    report_change_confirmed_regression(&r->changes[i]))
			last = &r->changes[i];
	return last;
}

static void junit_failure(const struct report *r,
			  const struct report_series *s,
			  const struct report_change *last, FILE *f)
{
	size_t i;

	fputs("    <failure type=\"regression\" message=\"", f);
	junit_change_line(last, f);
	fputs("\">", f);
	for (i = 0; i < r->n_changes; i++)
		if (report_change_of(&r->changes[i], s) &&
		    report_change_confirmed_regression(&r->changes[i]))
			junit_change_text(&r->changes[i], f);
	fputs("</failure>\n", f);
}

/* What is not the test's outcome: the other changes of s, and a failure
 * tonight when a regression took the outcome. */
static void junit_system_out(const struct report *r,
			     const struct report_series *s, bool failed_noted,
			     FILE *f)
{
	bool open = false;
	size_t i;

	for (i = 0; i < r->n_changes; i++) {
		const struct report_change *c = &r->changes[i];

		if (!report_change_of(c, s) ||
		    report_change_confirmed_regression(c))
			continue;
		fputs(open ? "" : "    <system-out>", f);
		open = true;
		junit_change_text(c, f);
	}
	if (s->failed && !failed_noted) {
		fputs(open ? "" : "    <system-out>", f);
		open = true;
		fputs("failed tonight: ", f);
		xml_escape(f, s->reason);
		fputs("&#10;", f);
	}
	if (open)
		fputs("</system-out>\n", f);
}

static void junit_testcase(const struct report *r,
			   const struct report_series *s, FILE *f)
{
	const struct report_change *reg = junit_regression(r, s);

	fputs("  <testcase classname=\"", f);
	xml_escape(f, s->benchmark);
	fputs("\" name=\"", f);
	xml_escape(f, s->metric);
	fputs("\">\n", f);
	if (reg) {
		junit_failure(r, s, reg, f);
	} else if (s->failed) {
		fputs("    <error type=\"failed\" message=\"", f);
		xml_escape(f, s->reason ? s->reason : "failed");
		fputs("\"/>\n", f);
	} else if (s->verdict == DETECT_TOO_LITTLE_HISTORY) {
		fputs("    <skipped message=\"too little history: no "
		      "verdict\"/>\n", f);
	}
	junit_system_out(r, s, !reg, f);
	fputs("  </testcase>\n", f);
}

/* The commits that did not build or run, one a line. */
static void junit_failures(const struct report *r, FILE *f)
{
	size_t i;

	if (!r->n_failures)
		return;
	fputs("  <system-out>", f);
	for (i = 0; i < r->n_failures; i++) {
		const struct report_failure *x = &r->failures[i];

		xml_escape(f, x->status);
		fputs(": ", f);
		xml_escape(f, x->benchmark);
		fputs(" at ", f);
		junit_commit(f, x->commit, x->subject);
		fputs(": ", f);
		xml_escape(f, x->reason);
		fputs("&#10;", f);
	}
	fputs("</system-out>\n", f);
}

static void junit_property(FILE *f, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, "    <property name=\"%s\" value=\"", name);
	xml_escape(f, value);
	fputs("\"/>\n", f);
}

int report_write_junit(const struct report *r, FILE *f)
{
	size_t i, failures = 0, errors = 0, skipped = 0;

	for (i = 0; i < r->n_series; i++) {
		const struct report_series *s = &r->series[i];

		if (junit_regression(r, s))
			failures++;
		else if (s->failed)
			errors++;
		else if (s->verdict == DETECT_TOO_LITTLE_HISTORY)
			skipped++;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<testsuite name=\"", f);
	xml_escape(f, r->suite);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		   "skipped=\"%zu\"", r->n_series, failures, errors, skipped);
	if (r->generated) {
		fputs(" timestamp=\"", f);
		xml_escape(f, r->generated);
		fputc('"', f);
	}
	if (r->host) {
		fputs(" hostname=\"", f);
		xml_escape(f, r->host);
		fputc('"', f);
	}
	fputs(">\n  <properties>\n", f);
	junit_property(f, "fingerprint", r->fingerprint);
	junit_property(f, "cpu", r->cpu_model);
	junit_property(f, "qemu", r->qemu_version);
	junit_property(f, "accelerator", r->accel);
	fprintf(f, "    <property name=\"exit_status\" value=\"%d\"/>\n"
		   "    <property name=\"advisory\" value=\"%s\"/>\n"
		   "  </properties>\n",
		r->exit_status, r->advisory ? "true" : "false");
	for (i = 0; i < r->n_series; i++)
		junit_testcase(r, &r->series[i], f);
	junit_failures(r, f);
	fputs("</testsuite>\n", f);
	return ferror(f) ? -EIO : 0;
}
