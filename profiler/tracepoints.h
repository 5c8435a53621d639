/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Trace-point statistics: how often each trace point fired and, for every
 * pair "x" / "x_ret", how long x took (latency percentiles).
 *
 * Pairing: each x_ret closes the most recent x still open (a stack, since
 * calls nest: x, x, x_ret, x_ret pairs inner then outer). An x_ret with no
 * open x is counted as unmatched; x left open at the end is counted as
 * pending. Records lost in a gap (UT_REC_LOST) may hide an x or an x_ret,
 * so a gap closes every open x without a latency (counted as dropped)
 * rather than pairing across it and reporting a wrong duration.
 *
 * Percentiles use the nearest-rank method on the sorted latencies:
 * pN is the value at rank ceil(N/100 * n), so p50 of {1,2,3,4} is 2 and
 * every reported value is one that was measured.
 */
#ifndef UNITUNE_PROF_TRACEPOINTS_H
#define UNITUNE_PROF_TRACEPOINTS_H

#include <stdint.h>
#include <stdio.h>

#include "stream.h"

struct tp_latency {
	uint64_t n;		/* measured durations */
	uint64_t p50, p90, p99, max;	/* TSC cycles */
	uint64_t unmatched;	/* x_ret without an open x */
	uint64_t pending;	/* x still open at the end */
	uint64_t dropped;	/* x closed by a gap in the stream */
	uint64_t backwards;	/* x_ret with a TSC before its x: skipped */
};

struct tpstats;

/* info must outlive the statistics (it is the stream's). NULL: -ENOMEM. */
struct tpstats *tpstats_new(const struct stream_info *info);

/* Feed every record (events and lost markers matter). 0 or -ENOMEM. */
int tpstats_add(struct tpstats *t, const struct stream_rec *rec);

/* Sort and compute percentiles; once, after the last record. 0/-ENOMEM. */
int tpstats_finish(struct tpstats *t);

/* Events of the trace point named name (0 when unknown). */
uint64_t tpstats_count(const struct tpstats *t, const char *name);

/* Latency of the pair name / name_ret. 0, or -ENOENT (no such pair). */
int tpstats_latency(const struct tpstats *t, const char *name,
		    struct tp_latency *out);

/* The table of counts and the latency table (cycles, and microseconds
 * when tsc_hz is not 0). */
void tpstats_print(const struct tpstats *t, FILE *out, uint64_t tsc_hz);

/* Nearest-rank percentile of sorted[0..n) (n > 0), pct in 1..100. */
uint64_t tp_percentile(const uint64_t *sorted, size_t n, unsigned pct);

void tpstats_free(struct tpstats *t);

#endif
