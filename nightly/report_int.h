/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the night's report (report.h): what its writers share, the
 * words and numbers as every format shows them, so the page, the
 * Markdown summary and the JUnit file never disagree. Not for other
 * users.
 *
 * Which changes go where:
 *   listed      exact, confirmed and not re-measured changes: the table
 *               of changes
 *   apart       unconfirmed and refuted suspects: listed apart, never
 *               counted as regressions
 *   confirmed regression
 *               a listed regression that is exact or confirmed: what
 *               fails the JUnit test case and the night
 */
#ifndef UNITUNE_NIGHTLY_REPORT_INT_H
#define UNITUNE_NIGHTLY_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* Characters of a commit shown as its short name. */
#define REPORT_SHORT_SHA 10

struct report_counts {
	size_t regressions;	/* confirmed regressions */
	size_t improvements;	/* listed improvements */
	size_t not_checked;	/* listed wall changes not re-measured */
	size_t unconfirmed, refuted;	/* suspects, apart */
	size_t too_little;	/* series with too little history */
	size_t failed_series;	/* series that failed tonight */
	size_t failures;	/* commits that did not build or run */
};

void report_count(const struct report *r, struct report_counts *n);

bool report_change_listed(const struct report_change *c);
bool report_change_confirmed_regression(const struct report_change *c);
/* The change belongs to series s (same benchmark and metric). */
bool report_change_of(const struct report_change *c,
		      const struct report_series *s);
/* Too little history and not failed: listed as such, not as a pass. */
bool report_series_too_little(const struct report_series *s);

/* "regression", "improvement"; "exact", "e-divisive", "two-sample";
 * "deterministic", "wall". */
const char *report_direction_label(enum detect_direction d);
const char *report_method_label(enum detect_method m);
const char *report_kind_label(enum detect_kind k);

/* The first REPORT_SHORT_SHA characters of commit ("-" for NULL). */
void report_short_sha(const char *commit, char *buf, size_t len);
/* "1050 instructions" (analysis_fmt's number, the unit when any). */
void report_fmt_value(double v, const char *unit, char *buf, size_t len);
/* "+5.00%", "-0.12%". */
void report_fmt_rel(double rel, char *buf, size_t len);
/* A change's numbers and words, as every format shows them. */
struct report_change_text {
	char before[96];	/* "1000" */
	char after[96];		/* "1050 instructions" */
	char rel[32];		/* "+5.00%" */
	char p[32];		/* "exact" (deterministic) or "p=0.00031" */
	char confirmation[64];	/* "confirmed (20 per side)" */
	char sha[REPORT_SHORT_SHA + 1];	/* of the change's commit */
};

void report_change_text(const struct report_change *c,
			struct report_change_text *t);

/* dir/name opened for writing; NULL with errno set. */
FILE *report_file_open(const char *dir, const char *name);
/* Flush and close f: 0, or -errno when a write or the close failed. */
int report_file_close(FILE *f);

#endif
