/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a trace may be missing, said plainly: the sampler's rate as asked
 * and as achieved (windows the guest could not sample are counted in the
 * stream, abi.h), and, when the end record never arrived, how much of the
 * end of the run may be gone.
 *
 * Usage:
 *	struct coverage c;
 *	coverage_get(stream_info(s), stream_stats(s), &c);
 *	coverage_print_sampling(&c, "", out);
 *	coverage_print_end(&c, "", out);
 */
#ifndef UNITUNE_PROF_COVERAGE_H
#define UNITUNE_PROF_COVERAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stream.h"

/* Below this share of the requested rate, the profile says so loudly. */
#define COVERAGE_LOW_RATE_PERCENT 50

struct coverage {
	uint32_t requested_hz;	/* 0: the sampler was off */
	uint64_t taken;		/* samples taken (the end record's count, else
				 * the samples that arrived) */
	uint64_t missed;	/* sampler windows without a sample */
	bool missed_known;	/* false: a version 1 stream */
	double effective_hz;	/* requested * taken / (taken + missed);
				 * 0 when nothing is known */
	bool low_rate;		/* effective below COVERAGE_LOW_RATE_PERCENT */
	bool have_end;
	uint32_t drain_ms;	/* the guest's periodic drain; 0: none known */
	double last_s;		/* last record, seconds after the guest's
				 * first instruction; < 0: unknown */
};

void coverage_get(const struct stream_info *in, const struct stream_stats *st,
		  struct coverage *c);

/* "sampling: requested N Hz, effective M Hz (...)" and, when low, a
 * "warning:" line, each after prefix. Nothing when the sampler was off. */
void coverage_print_sampling(const struct coverage *c, const char *prefix,
			     FILE *out);

/* Without an end record: one "run: no end record ..." line after prefix,
 * saying what may be missing. Nothing when the end record arrived. */
void coverage_print_end(const struct coverage *c, const char *prefix,
			FILE *out);

#endif
