/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A night: measure a suite on commits of a git repository, keep the
 * history in the store, decide what changed (detect.h), re-measure wall
 * suspects, bisect confirmed regressions, profile deterministic culprits
 * and write the report (report.h). docs/nightly.md is the user's view.
 *
 * The measuring harness is this program: only the unikernel (the images)
 * is built from each commit, in a clean git worktree, so a change to the
 * host tools never shows as a change of a figure.
 *
 *	struct nightly_opts o = { .suite_path = "benchmarks/suites/nightly.yaml",
 *				  .repo = ".", .range = "v1..main" };
 *	exit(nightly_run(&o));
 */
#ifndef UNITUNE_NIGHTLY_H
#define UNITUNE_NIGHTLY_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses (nightly_run's return value). */
#define NIGHTLY_EXIT_OK 0		/* no confirmed regression */
#define NIGHTLY_EXIT_REGRESSION 1	/* a confirmed regression */
#define NIGHTLY_EXIT_ERROR 2		/* the tool failed, or bad input */

/* Samples per side a confirmation may take before it says unconfirmed. */
#define NIGHTLY_CONFIRM_MAX_DEFAULT 20
/* Samples per side each confirmation round adds. */
#define NIGHTLY_CONFIRM_STEP 3

struct nightly_opts {
	const char *suite_path;
	const char *repo;	/* a folder in the git repository measured */
	const char *commit;	/* --commit REV; NULL with range: HEAD */
	const char *range;	/* --commits A..B */
	const char *db;		/* the store */
	const char *out_dir;	/* -o: the report; NULL: none */
	const char *work;	/* worktree, builds, images, logs */
	const char *push_url;	/* Pushgateway base URL, or NULL */
	bool bisect;
	bool advisory;		/* exit 0 after reporting */
	bool no_confirm;	/* list wall suspects unconfirmed */
	bool verbose;
	unsigned confirm_max;	/* 0: NIGHTLY_CONFIRM_MAX_DEFAULT */
	long jobs;		/* make -j; 0: the CPUs */
	int64_t build_timeout_ns;	/* 0: none */
	int64_t run_timeout_ns;		/* per guest run; 0: none */
};

/* The night; returns its exit status. Progress and errors on stderr, the
 * Markdown summary on stdout. */
int nightly_run(const struct nightly_opts *o);

#endif
