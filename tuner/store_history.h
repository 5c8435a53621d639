/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The nightly history in the results store (schema.sql, migration 7):
 * per host fingerprint, suite, benchmark and commit, the commit's outcome
 * and every repetition of every metric.
 *
 * The fingerprint is part of every key: results of different hosts or
 * QEMU versions are never in one series. Measuring a commit again adds
 * repetitions (numbered after the last stored one); it never duplicates
 * a row. A series is read in history order: by commit time, then by the
 * order commits were first stored (a range is measured oldest first, so
 * commits made in the same second keep their order).
 */
#ifndef UNITUNE_STORE_HISTORY_H
#define UNITUNE_STORE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* What makes two results comparable. fingerprint is the SHA-256 hex of
 * the other fields (history_fingerprint). */
struct history_env {
	char fingerprint[65];
	const char *host;
	const char *cpu_model;
	const char *qemu_version;
	const char *accelerator;	/* "tcg", "kvm" */
};

/* Fill e->fingerprint from the other fields. */
void history_fingerprint(struct history_env *e);

/* Insert the environment row if it is new (keyed by fingerprint). */
int store_history_env_put(struct store *st, const struct history_env *e);

/* Why a sample was taken. */
enum history_phase {
	HISTORY_NIGHTLY,	/* the suite's own repetitions */
	HISTORY_CONFIRM,	/* a confirmation's alternated re-measurement */
	HISTORY_BISECT,		/* a bisection step */
};

struct history_commit {
	const char *fingerprint, *suite, *benchmark;
	const char *commit;		/* full hex SHA-1 */
	int64_t commit_time;		/* committer time, Unix seconds */
	const char *subject;		/* first line of the message */
	enum store_status status;	/* DONE or a failure class */
	const char *reason;		/* "" when done */
};

/* Record (or update: status and reason) a commit's outcome for one
 * benchmark. 0 or a negative errno. */
int store_history_commit_put(struct store *st, const struct history_commit *c);

struct history_sample {
	const char *metric;
	const char *unit;
	enum store_kind kind;
	double value;
};

/*
 * Append one repetition of each of s[0..n-1] to commit's history of
 * (fingerprint, suite, benchmark), all in one transaction, with the phase;
 * each metric's repetition is one more than its last stored one. The
 * commit row must exist. 0 or a negative errno.
 */
int store_history_add(struct store *st, const char *fingerprint,
		      const char *suite, const char *benchmark,
		      const char *commit, enum history_phase phase,
		      const struct history_sample *s, size_t n);

/* One commit's point of a series. */
struct history_point {
	char commit[41];
	int64_t commit_time;
	char *subject;
	enum store_status status;
	char *reason;
	double *values;		/* repetitions in order (any phase) */
	enum history_phase *phases;
	size_t n;
};

struct history_series {
	char *unit;
	enum store_kind kind;
	struct history_point *points;	/* history order */
	size_t n;
};

/*
 * The series of metric for (fingerprint, suite, benchmark): every commit
 * with a row for the benchmark (failed ones too, with no values), in
 * history order. 0, or a negative errno. Free with history_series_free.
 */
int store_history_series(struct store *st, const char *fingerprint,
			 const char *suite, const char *benchmark,
			 const char *metric, struct history_series *out);
void history_series_free(struct history_series *s);

/* Each distinct (benchmark, metric) with samples under (fingerprint,
 * suite), in name order. Stop early by returning non-zero from cb. */
typedef int (*history_metric_cb)(void *ctx, const char *benchmark,
				 const char *metric, const char *unit,
				 enum store_kind kind);
int store_history_metrics(struct store *st, const char *fingerprint,
			  const char *suite, history_metric_cb cb, void *ctx);

/*
 * Keep the text of suite (the file's bytes, struct suite.text) once per
 * version: the row is keyed by the text's SHA-256 hex, which goes to
 * sha256 when not NULL. 0 or a negative errno.
 */
int store_history_suite_put(struct store *st, const char *suite,
			    const char *text, char sha256[65]);

/* "nightly", "confirm", "bisect". */
const char *history_phase_name(enum history_phase p);

#endif
