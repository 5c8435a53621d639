/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the suite loader: suite.c reads the file and each benchmark's
 * space with the space loader's helpers (space_int.h); suite_metric.c
 * gives each metric its unit, kind and the detector's settings. Not for
 * other users (see suite.h).
 */
#ifndef UNITUNE_SUITE_INT_H
#define UNITUNE_SUITE_INT_H

#include "space_int.h"
#include "suite.h"

/* Defaults of a suite metric (suite.h, docs/suite-file.md). */
#define SUITE_DEFAULT_THRESHOLD 0.001
#define SUITE_DEFAULT_MIN_EFFECT 0.02

/* How metric is recorded in a benchmark of space s (suite_metric.kind). */
enum store_kind suite_metric_kind(const struct space *s, const char *metric);

/*
 * b->metrics from b->space->bench.metrics, each with its defaults, then
 * the benchmark's better:, threshold: and min_effect: (each node NULL
 * when absent; a scalar sets every metric, a mapping metric: value sets
 * those it names). Errors at their line, through c.
 */
int suite_load_metrics(struct space_ctx *c, struct suite_bench *b,
		       yaml_node_t *better, yaml_node_t *threshold,
		       yaml_node_t *min_effect);

#endif
