/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deciding whether a metric's history changed, and where (docs/nightly.md).
 *
 * A series is one metric of one benchmark of one suite on one host
 * fingerprint, as points in history order (oldest first): one point per
 * measured commit, holding that commit's repetitions. A point whose
 * commit failed (did not build, crashed...) is skipped: it neither starts
 * nor ends a segment; so is a point with no samples. A change across
 * skipped points is reported between the good points either side.
 *
 * Deterministic metrics (no run-to-run noise): a change is a step between
 * consecutive good points whose relative size is above the metric's
 * threshold (default DETECT_DEFAULT_THRESHOLD). No statistics: exact.
 *
 * Wall metrics: two tests, either of which raises a suspect:
 *   1. E-divisive means (Matteson & James; Hunter's variant): the
 *      divergence statistic over the samples, candidate split points only
 *      at commit boundaries with at least two points on each side (a
 *      change at the newest point is the second test's), each
 *      candidate's significance from a
 *      Student t-test of the two sides (Welch), recursively, with p at
 *      most params->p_value (Hunter/Otava's default 0.001), within a
 *      sliding window of params->window points;
 *   2. the newest point's samples against the pooled samples of up to
 *      params->two_sample_window earlier good points since the last
 *      change point: Mann-Whitney U (two-sided, tie-corrected; exact for
 *      small samples, normal approximation otherwise), p at most
 *      params->p_value;
 * and in both the relative change of the medians must be at least
 * params->min_effect. A wall suspect is not a confirmed change: the
 * caller re-measures (detect_compare) before telling anyone.
 *
 * Too little history is a verdict of its own: a deterministic series
 * needs one good point before the newest; a wall series needs
 * params->min_history_points good points and params->min_history_samples
 * samples before it.
 */
#ifndef UNITUNE_DETECT_H
#define UNITUNE_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#define DETECT_DEFAULT_THRESHOLD 0.001	/* deterministic: 0.1% */
#define DETECT_DEFAULT_P_VALUE 0.001	/* Hunter / Otava's default */
#define DETECT_DEFAULT_WINDOW 50	/* points, as Otava's --window */
#define DETECT_DEFAULT_MIN_EFFECT 0.02	/* wall: 2% of the median */
#define DETECT_DEFAULT_TWO_SAMPLE_WINDOW 10
#define DETECT_DEFAULT_MIN_HISTORY_POINTS 2
#define DETECT_DEFAULT_MIN_HISTORY_SAMPLES 6

enum detect_kind {
	DETECT_DETERMINISTIC,
	DETECT_WALL,
};

/* Which way is worse. */
enum detect_better {
	DETECT_LOWER_IS_BETTER,		/* cycles, bytes, instructions */
	DETECT_HIGHER_IS_BETTER,	/* req/s, ops/s */
};

struct detect_point {
	const char *commit;	/* for the caller; not read */
	const double *samples;	/* repetitions, warm-ups already removed */
	size_t n;
	bool failed;		/* the commit has no valid measurement */
};

struct detect_params {
	enum detect_kind kind;
	enum detect_better better;
	double threshold;	/* deterministic: relative step, > 0 */
	double p_value;		/* wall */
	size_t window;		/* wall: E-divisive's window in points */
	double min_effect;	/* wall: relative change of medians */
	size_t two_sample_window;	/* wall: earlier points pooled */
	size_t min_history_points;	/* wall */
	size_t min_history_samples;	/* wall */
};

/* The defaults above for kind and better. */
void detect_params_default(struct detect_params *p, enum detect_kind kind,
			   enum detect_better better);

enum detect_direction {
	DETECT_REGRESSION,
	DETECT_IMPROVEMENT,
};

/* How a change was found. */
enum detect_method {
	DETECT_EXACT,		/* deterministic step */
	DETECT_EDIVISIVE,	/* wall: a change point of E-divisive */
	DETECT_TWO_SAMPLE,	/* wall: newest point vs the window */
};

struct detect_change {
	size_t at;		/* index of the first point after the change */
	size_t before_at;	/* index of the last good point before it */
	double before, after;	/* medians of the segments' points next to
				 * the change (deterministic: the two
				 * points' medians) */
	double rel;		/* after / before - 1 */
	double p;		/* wall: the test's p; deterministic: 0 */
	enum detect_method method;
	enum detect_direction direction;
};

enum detect_verdict {
	DETECT_NO_CHANGE,		/* enough history, nothing found */
	DETECT_CHANGED,			/* at least one change */
	DETECT_TOO_LITTLE_HISTORY,	/* for the newest point */
};

struct detect_result {
	enum detect_verdict verdict;	/* about the newest good point */
	struct detect_change *changes;	/* history order; free() */
	size_t n_changes;
};

/*
 * Analyse pts[0..n-1] with p into *out (free with detect_result_free).
 * Every change anywhere in the series is listed (a wall change found by
 * both methods once, as E-divisive's). 0, -EINVAL (invalid params, a
 * sample not finite) or -ENOMEM.
 */
int detect_series(const struct detect_point *pts, size_t n,
		  const struct detect_params *p, struct detect_result *out);
void detect_result_free(struct detect_result *r);

/*
 * Pinpoint-style comparison of two sets of repetitions measured
 * alternately (a: the parent, b: the suspect): the smaller p of
 * Mann-Whitney U and two-sample Kolmogorov-Smirnov. DIFFERENT when p is
 * at most p_value and the medians differ by at least min_effect; SAME
 * when p is above the "same" threshold for this many samples per side
 * (it falls as samples grow) or, once both sides hold at least 4 samples,
 * the medians differ by less than min_effect / 2; otherwise UNKNOWN:
 * measure more and ask again. *p_out gets the p (may be NULL).
 */
enum detect_compare_result {
	DETECT_SAME,
	DETECT_DIFFERENT,
	DETECT_UNKNOWN,
};
enum detect_compare_result detect_compare(const double *a, size_t na,
					  const double *b, size_t nb,
					  double p_value, double min_effect,
					  double *p_out);

/* The statistics underneath, exposed for tests and the replay tool. */

/* Two-sided Mann-Whitney U p-value of a against b (ties corrected).
 * 1.0 when either side is empty. */
double detect_mann_whitney_p(const double *a, size_t na, const double *b,
			     size_t nb);
/* Two-sided Welch t-test p-value; 1.0 with fewer than 2 per side or no
 * variance on both sides and equal means, 0.0 with no variance and
 * different means. */
double detect_welch_t_p(const double *a, size_t na, const double *b,
			size_t nb);
/* Two-sample Kolmogorov-Smirnov two-sided p (asymptotic). */
double detect_ks_p(const double *a, size_t na, const double *b, size_t nb);

/* "regression"/"improvement", "exact"/"e-divisive"/"two-sample",
 * "no change"/"changed"/"too little history". */
const char *detect_direction_name(enum detect_direction d);
const char *detect_method_name(enum detect_method m);
const char *detect_verdict_name(enum detect_verdict v);

#endif
