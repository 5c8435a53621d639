/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the bench reads from a guest's /metrics around each repetition:
 * the one table of those figures (which family, which labels, a counter's
 * change or a gauge's value afterwards), and the figures of one
 * repetition from the scrapes before and after it.
 */
#ifndef UNITUNE_BENCH_GUEST_METRICS_H
#define UNITUNE_BENCH_GUEST_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "prom_scrape.h"

enum guest_metric_kind {
	GUEST_METRIC_DELTA,	/* counter: after minus before */
	GUEST_METRIC_AFTER,	/* gauge or high-water mark: value after */
};

struct guest_metric_def {
	const char *name;	/* the bench's figure name */
	const char *label;	/* its row in the table */
	const char *unit;
	const char *family;	/* summed over its samples that match */
	struct prom_match match;/* .name NULL: every sample */
	enum guest_metric_kind kind;
	const char *what;	/* one line for docs and --help */
};

#define GUEST_METRICS_MAX 8

/* The table, and its length. */
const struct guest_metric_def *guest_metrics_table(size_t *n);

/* The figures of one repetition; present[i] false when the guest's
 * /metrics lacks table entry i's family. */
struct guest_metrics {
	double value[GUEST_METRICS_MAX];
	bool present[GUEST_METRICS_MAX];
};

/* Figures of a repetition from the scrapes before and after it. */
void guest_metrics_between(const struct prom_scrape *before,
			   const struct prom_scrape *after,
			   struct guest_metrics *out);

#endif
