/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The analysis table as JSON, for the --json output of `unitune show`
 * and `unitune best`: one shape for a variant wherever it appears. The
 * schema is in docs/reports.md ("Machine-readable output").
 */
#ifndef UNITUNE_ANALYSIS_JSON_H
#define UNITUNE_ANALYSIS_JSON_H

#include <stddef.h>

#include "analysis.h"
#include "json.h"

/*
 * The space's options ([{"symbol", "kind", "values"}]) and objectives
 * ([{"metric", "goal", "unit"}]) as two members of the current object.
 */
void analysis_json_space(struct json *j, const struct analysis_table *t);

/*
 * Variant v as an object: id, rank (1-based; null when not ranked),
 * config_hash, status, changed_by_kconfig, tied_with_best, pareto,
 * near_front, options (per CONFIG_ symbol: requested and resolved value,
 * resolved null when kconfig dropped it), metrics (per metric: median,
 * mean, stddev, min, max, n, unit, kind, and for a wall-clock one
 * ci_low, ci_high, spread, unstable; only those measured) and reason
 * (the first log line of a failure, else null).
 */
void analysis_json_variant(struct json *j, const struct analysis_table *t,
			   const struct analysis_variant *v, size_t rank);

#endif
