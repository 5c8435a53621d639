/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A night's report (`unitune nightly -o DIR`), written from plain data
 * the nightly run assembled; nothing here reads the store or runs a
 * guest.
 *
 *   DIR/index.html    static, self-contained: the verdict, the table of
 *                     changes, one history plot per metric (change
 *                     points marked), failures, unconfirmed suspects,
 *                     too-little-history metrics, the environment
 *   DIR/plots/N.svg   gnuplot's history plots (report_plots.c)
 *   DIR/summary.md    a short Markdown summary for a CI comment
 *   DIR/junit.xml     one <testcase> per benchmark metric: a confirmed
 *                     regression is a <failure>, too little history a
 *                     <skipped>, a benchmark that failed to build or run
 *                     an <error>
 *   DIR/profiles/     copied by the caller: the culprit's profile diff
 *
 * Every string is escaped for its format (HTML, XML, Markdown table
 * cells); a commit subject may hold anything.
 */
#ifndef UNITUNE_NIGHTLY_REPORT_H
#define UNITUNE_NIGHTLY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect.h"

enum report_confirmation {
	REPORT_EXACT,		/* deterministic: no confirmation needed */
	REPORT_CONFIRMED,	/* wall: re-measured, DIFFERENT */
	REPORT_UNCONFIRMED,	/* wall: re-measured, still UNKNOWN */
	REPORT_REFUTED,		/* wall: re-measured, SAME: not a change */
	REPORT_NOT_CHECKED,	/* wall: not re-measured (an old change) */
};

struct report_step {		/* one bisection step */
	const char *commit;
	const char *subject;
	double value;		/* the metric's median there */
	bool bad;		/* judged like the first bad commit */
	bool failed;		/* could not be built or measured: skipped */
};

struct report_change {
	const char *benchmark, *metric, *unit;
	const char *commit, *subject;	/* the first commit after the change */
	const char *before_commit;	/* the last good commit before it */
	double before, after, rel;	/* medians; rel = after / before - 1 */
	double p;			/* wall; ignored when exact */
	enum detect_method method;
	enum detect_direction direction;
	enum report_confirmation confirmation;
	size_t confirm_samples;		/* per side, when re-measured */
	const char *culprit;		/* bisection's answer, or NULL */
	const char *culprit_subject;
	const struct report_step *steps;	/* bisection, in order */
	size_t n_steps;
	/* Relative to the report folder, or NULL: `unitune diff` output of
	 * the culprit's profile against its parent's, and the differential
	 * flame graph. */
	const char *profile_diff, *profile_flame;
};

struct report_point {
	const char *commit, *subject;
	int64_t commit_time;
	const double *values;	/* repetitions; none when failed */
	size_t n;
	bool failed;
	const char *reason;	/* why it failed */
};

struct report_series {
	const char *benchmark, *metric, *unit;
	enum detect_kind kind;
	enum detect_better better;
	const struct report_point *points;	/* history order */
	size_t n_points;
	enum detect_verdict verdict;
	/* Failed tonight: could not be built or measured on the newest
	 * commit (reason), so no verdict about it. */
	bool failed;
	const char *reason;
};

struct report_failure {		/* a commit that did not build or run */
	const char *commit, *subject, *benchmark;
	const char *status;	/* store_status_name(): "build_failed"... */
	const char *reason;
};

struct report {
	const char *suite;
	const char *fingerprint, *host, *cpu_model, *qemu_version, *accel;
	const char *const *commits;	/* measured tonight, oldest first */
	size_t n_commits;
	const struct report_series *series;
	size_t n_series;
	/* Every change in the history of the measured commits; the
	 * unconfirmed and refuted ones are listed apart. */
	const struct report_change *changes;
	size_t n_changes;
	const struct report_failure *failures;
	size_t n_failures;
	int exit_status;	/* what nightly exits with (0, 1) */
	bool advisory;		/* exits 0 whatever it found */
	const char *generated;	/* ISO time, shown in the page */
};

/*
 * Write every file above into dir (created). The plots need gnuplot:
 * without it the page says so and the rest is written; -ENOENT only
 * then is not an error. 0, or a negative errno with why.
 */
int report_write(const struct report *r, const char *dir, char *why,
		 size_t why_len);

/* The parts, each to an open file: for tests and for printing the
 * Markdown summary on stdout. 0 or -errno (a write failed). */
#include <stdio.h>
int report_write_markdown(const struct report *r, FILE *f);
int report_write_junit(const struct report *r, FILE *f);
/* plots: each series' plot file name relative to dir (NULL: none). */
int report_write_html(const struct report *r, const char *const *plots,
		      FILE *f);
/* The same with note (NULL: none), why the plots are missing, shown at
 * the top of the page. */
int report_write_html_note(const struct report *r, const char *const *plots,
			   const char *note, FILE *f);
/* One SVG per series into dir/plots; names[i] gets "plots/N.svg" or NULL
 * when gnuplot is missing or failed (why then says which). N is the
 * series' index; names has r->n_series slots, each malloc'ed or NULL
 * whatever the return (the caller frees them). 0; -ENOENT no gnuplot;
 * -EIO gnuplot failed on a plot (the others are still rendered); another
 * negative errno when the data or scripts could not be written. */
int report_write_plots(const struct report *r, const char *dir,
		       char **names, char *why, size_t why_len);

/* "exact", "confirmed", "unconfirmed", "refuted", "not re-measured". */
const char *report_confirmation_name(enum report_confirmation c);

#endif
