/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside a night (nightly.h): the handle its parts share. night.c runs
 * the steps; night_build.c checks commits out and builds images;
 * night_measure.c measures a benchmark on a commit and stores it;
 * night_analyse.c reads the history and runs the detector;
 * night_confirm.c re-measures wall suspects; night_bisect.c bisects;
 * night_profile.c records and compares the culprit's profiles;
 * night_report.c fills the report and pushes the figures.
 */
#ifndef UNITUNE_NIGHTLY_INT_H
#define UNITUNE_NIGHTLY_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "detect.h"
#include "env.h"
#include "git.h"
#include "kconfig.h"
#include "measure.h"
#include "nightly.h"
#include "report.h"
#include "store.h"
#include "store_history.h"
#include "suite.h"

/* A change the detector found at a commit measured tonight, with what
 * became of it. */
struct night_change {
	const struct suite_bench *bench;
	const struct suite_metric *metric;
	char unit[32];
	enum detect_kind kind;
	struct git_commit at;		/* first commit after the change */
	struct git_commit before;	/* last good commit before it */
	struct detect_change d;
	enum report_confirmation confirmation;
	size_t confirm_samples;
	bool bisected;
	struct git_commit culprit;	/* when bisected, or adjacent */
	bool has_culprit;
	struct report_step *steps;
	size_t n_steps;
	char **step_strings;		/* the steps' commits and subjects */
	char *profile_diff, *profile_flame;	/* relative to -o DIR */
};

/* One benchmark metric's history, as the report plots it. */
struct night_series {
	const struct suite_bench *bench;
	const struct suite_metric *metric;
	struct history_series h;
	enum detect_kind kind;
	enum detect_verdict verdict;
	bool failed;			/* on the newest commit */
	char *reason;
};

struct night_failure {
	struct git_commit c;
	const struct suite_bench *bench;
	enum store_status status;
	char reason[256];
};

struct nightly {
	const struct nightly_opts *o;
	char root[PATH_MAX];		/* the Unitune tree: the harness */
	char repo[PATH_MAX];		/* the repository measured */
	char work[PATH_MAX];
	char src[PATH_MAX + 16];		/* work/src: the one worktree */
	char unikernel[PATH_MAX + 32];	/* src/unikernel */
	char obj[PATH_MAX + 16];		/* work/obj: O=DIR of every build */
	char images[PATH_MAX + 16];		/* work/images/SHA/BENCH.elf */
	char logs[PATH_MAX + 16];		/* work/logs */
	git_sha src_at;			/* what src holds; "" none */
	int lock_fd;
	bool ccache;
	struct kconfig *kc;
	struct suite *suite;
	struct store *st;
	struct env_facts env;
	char accel[8];			/* of wall runs: "tcg", "kvm" */
	struct history_env henv;
	struct git_commit *commits;	/* tonight's, oldest first */
	size_t n_commits;
	struct night_change *changes;
	size_t n_changes;
	struct night_series *series;
	size_t n_series;
	struct night_failure *failures;
	size_t n_failures;
	size_t builds, measurements;	/* done tonight, for the summary */
};

/* Progress and errors on stderr, prefixed "nightly: ". */
__attribute__((format(printf, 2, 3)))
void night_say(const struct nightly *n, const char *fmt, ...);

/* --- night_build.c ------------------------------------------------------ */
/*
 * The image of benchmark b at commit c: work/images/SHA/BENCH.elf when
 * built before, else the worktree is moved to c and the image built
 * there (ccache, the same O=DIR for every build). A build that fails is
 * not an error: *built is false and why says what failed (the build log
 * is in work/logs). -errno only for failures of the host.
 */
int night_image(struct nightly *n, const struct git_commit *c,
		const struct suite_bench *b, char *image, size_t len,
		bool *built, char *why, size_t why_len);

/* --- night_measure.c ---------------------------------------------------- */
/*
 * Build (night_image) and measure b at commit c: reps repetitions (0:
 * the benchmark's own) of every metric, or of only_metric alone when not
 * NULL, stored under phase; the commit's row records the outcome. *r
 * gets the values (measure_result_free it); r->status says how the
 * guest did (STORE_BUILD_FAILED when it did not build). 0, or -errno
 * for failures of the host or the store.
 */
int night_measure(struct nightly *n, const struct git_commit *c,
		  const struct suite_bench *b, const char *only_metric,
		  unsigned reps, enum history_phase phase,
		  struct measure_result *r);

/* The values of metric in r, in repetition order, after dropping the
 * benchmark's warm-up repetitions; *out is malloc()ed. */
int night_values(const struct measure_result *r, const struct suite_bench *b,
		 const char *metric, double **out, size_t *n_out);

/* --- night_analyse.c ---------------------------------------------------- */
/* Read every series of the suite and run the detector; fills n->series
 * and n->changes (those at tonight's commits). */
int night_analyse(struct nightly *n);
/* The detector's settings for a metric. */
void night_params(const struct suite_metric *m, enum detect_kind kind,
		  struct detect_params *p);
/* The median of v[0..k-1] (k > 0). */
double night_median(const double *v, size_t k);

/* --- night_confirm.c ---------------------------------------------------- */
/* Re-measure each wall regression suspect against its parent. */
int night_confirm(struct nightly *n);

/* --- night_bisect.c ----------------------------------------------------- */
/* Bisect each confirmed regression whose ends are not adjacent. */
int night_bisect(struct nightly *n);

/* --- night_profile.c ---------------------------------------------------- */
/* Profiles of each deterministic culprit and its parent, compared, into
 * the report folder (needs o->out_dir). */
int night_profile(struct nightly *n);

/* --- night_report.c ----------------------------------------------------- */
/* The night's exit status from its changes (before --advisory). */
int night_status(const struct nightly *n);
/* Write the report (o->out_dir) and the summary on stdout. */
int night_report(struct nightly *n, int status);
/* Push tonight's figures (o->push_url). */
int night_push(struct nightly *n);

#endif
