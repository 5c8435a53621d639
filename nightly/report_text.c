/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's report's shared words, numbers and counts (report_int.h),
 * and its files' opening and closing.
 */
#include "report_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "analysis.h"
#include "output.h"

const char *report_confirmation_name(enum report_confirmation c)
{
	switch (c) {
	case REPORT_EXACT:
		return "exact";
	case REPORT_CONFIRMED:
		return "confirmed";
	case REPORT_UNCONFIRMED:
		return "unconfirmed";
	case REPORT_REFUTED:
		return "refuted";
	case REPORT_NOT_CHECKED:
		return "not re-measured";
	}
	return "?";
}

/* The detector's names, as detect.h words them; kept here so the report
 * stands without the detector's object (detect_*_name may replace
 * them). */
const char *report_direction_label(enum detect_direction d)
{
	return d == DETECT_IMPROVEMENT ? "improvement" : "regression";
}

const char *report_method_label(enum detect_method m)
{
	switch (m) {
	case DETECT_EXACT:
		return "exact";
	case DETECT_EDIVISIVE:
		return "e-divisive";
	case DETECT_TWO_SAMPLE:
		return "two-sample";
	}
	return "?";
}

const char *report_kind_label(enum detect_kind k)
{
	return k == DETECT_WALL ? "wall" : "deterministic";
}

bool report_change_listed(const struct report_change *c)
{
	return c->confirmation != REPORT_UNCONFIRMED &&
	       c->confirmation != REPORT_REFUTED;
}

bool report_change_confirmed_regression(const struct report_change *c)
{
	return c->direction == DETECT_REGRESSION &&
	       (c->confirmation == REPORT_EXACT ||
		c->confirmation == REPORT_CONFIRMED);
}

static bool same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

bool report_change_of(const struct report_change *c,
		      const struct report_series *s)
{
	return same(c->benchmark, s->benchmark) && same(c->metric, s->metric);
}

bool report_series_too_little(const struct report_series *s)
{
	return !s->failed && s->verdict == DETECT_TOO_LITTLE_HISTORY;
}

void report_count(const struct report *r, struct report_counts *n)
{
	size_t i;

	memset(n, 0, sizeof(*n));
	for (i = 0; i < r->n_changes; i++) {
		const struct report_change *c = &r->changes[i];

		if (c->confirmation == REPORT_UNCONFIRMED)
			n->unconfirmed++;
		else if (c->confirmation == REPORT_REFUTED)
			n->refuted++;
		else if (report_change_confirmed_regression(c))
			n->regressions++;
		else if (c->confirmation == REPORT_NOT_CHECKED)
			n->not_checked++;
		if (report_change_listed(c) &&
		    c->direction == DETECT_IMPROVEMENT)
			n->improvements++;
	}
	for (i = 0; i < r->n_series; i++) {
		n->too_little += report_series_too_little(&r->series[i]);
		n->failed_series += r->series[i].failed;
	}
	n->failures = r->n_failures;
}

void report_short_sha(const char *commit, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", REPORT_SHORT_SHA, commit ? commit : "-");
}

void report_fmt_value(double v, const char *unit, char *buf, size_t len)
{
	char num[64];

	analysis_fmt(v, num, sizeof(num));
	snprintf(buf, len, "%s%s%s", num, unit && *unit ? " " : "",
		 unit ? unit : "");
}

void report_fmt_rel(double rel, char *buf, size_t len)
{
	if (isfinite(rel))
		snprintf(buf, len, "%+.2f%%", rel * 100);
	else
		snprintf(buf, len, "n/a");
}

void report_change_text(const struct report_change *c,
			struct report_change_text *t)
{
	const char *name = report_confirmation_name(c->confirmation);

	report_fmt_value(c->before, NULL, t->before, sizeof(t->before));
	report_fmt_value(c->after, c->unit, t->after, sizeof(t->after));
	report_fmt_rel(c->rel, t->rel, sizeof(t->rel));
	if (c->method == DETECT_EXACT || c->confirmation == REPORT_EXACT)
		snprintf(t->p, sizeof(t->p), "exact");
	else
		snprintf(t->p, sizeof(t->p), "p=%.2g", c->p);
	if (c->confirm_samples && c->confirmation != REPORT_EXACT &&
	    c->confirmation != REPORT_NOT_CHECKED)
		snprintf(t->confirmation, sizeof(t->confirmation),
			 "%s (%zu per side)", name, c->confirm_samples);
	else
		snprintf(t->confirmation, sizeof(t->confirmation), "%s", name);
	report_short_sha(c->commit, t->sha, sizeof(t->sha));
}

FILE *report_file_open(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "w");
}

int report_file_close(FILE *f)
{
	int e = output_flush(f);

	if (fclose(f) && !e)
		e = -errno;
	return e;
}
