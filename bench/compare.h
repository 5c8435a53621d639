/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ratio column of `unitune bench http --baseline linux`: for
 * requests/s, latency p50 and p99, the first HTTP 200 and the smallest
 * memory, the unikernel's median over the Linux VM's, with an interval.
 * The rounds' figures are paired (stats_paired_ratio(): round i of one
 * side with round i of the other); the smallest memory is one answer a
 * side, known to a resolution, so its interval is what the two brackets
 * allow: (uk - res) / linux .. uk / (linux - res).
 */
#ifndef UNITUNE_BENCH_COMPARE_H
#define UNITUNE_BENCH_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "figures.h"
#include "stats.h"

#define BENCH_COMPARE_ROWS 5

struct bench_compare_row {
	const char *name;	/* the figure: requests_per_s ... */
	const char *label, *unit;
	double uk, linux_;	/* each side's median */
	struct stats_ratio r;
	bool ok;		/* false: a side lacks the figure, or no
				 * ratio exists (a Linux median of 0) */
};

struct bench_compare {
	struct bench_compare_row row[BENCH_COMPARE_ROWS];
	size_t n;
};

/*
 * The rows above from the two sides' summaries (the same rounds, in
 * order; figures.h), the smallest memory's figure "min_mem_kib" known to
 * mem_resolution_kib. 0 or -ENOMEM.
 */
int bench_compare_make(const struct bench_summary *uk,
		       const struct bench_summary *lx,
		       uint64_t mem_resolution_kib, struct bench_compare *out);

/* The comparison table: a row a figure, both medians, the ratio and its
 * interval ("-" where there is none). */
void bench_compare_table(FILE *f, const struct bench_compare *c);

#endif
