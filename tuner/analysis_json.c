/* SPDX-License-Identifier: BSD-3-Clause */
#include "analysis_json.h"

#include <stdio.h>

void analysis_json_space(struct json *j, const struct analysis_table *t)
{
	const struct space *s = t->space;
	char sym[256];
	size_t i, k;

	json_key(j, "options");
	json_begin_array(j);
	for (i = 0; i < s->n_options; i++) {
		const struct space_option *o = &s->options[i];

		json_begin_object(j);
		snprintf(sym, sizeof(sym), "CONFIG_%s", o->symbol);
		json_key(j, "symbol");
		json_string(j, sym);
		json_key(j, "kind");
		json_string(j, space_opt_kind_name(o->kind));
		json_key(j, "values");
		json_begin_array(j);
		for (k = 0; k < o->n_values; k++)
			json_string(j, o->values[k]);
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "objectives");
	json_begin_array(j);
	for (i = 0; i < s->n_objectives; i++) {
		json_begin_object(j);
		json_key(j, "metric");
		json_string(j, s->objectives[i].metric);
		json_key(j, "goal");
		json_string(j, space_goal_name(s->objectives[i].goal));
		json_key(j, "unit");
		json_string(j, t->units[t->obj[i]]);
		json_end_object(j);
	}
	json_end_array(j);
}

static void stat_object(struct json *j, const struct analysis_stat *st,
			const char *unit)
{
	json_begin_object(j);
	json_key(j, "median");
	json_double(j, st->median);
	json_key(j, "mean");
	json_double(j, st->mean);
	json_key(j, "stddev");
	json_double(j, st->stddev);
	json_key(j, "min");
	json_double(j, st->min);
	json_key(j, "max");
	json_double(j, st->max);
	json_key(j, "n");
	json_i64(j, st->n);
	json_key(j, "unit");
	json_string(j, unit);
	json_key(j, "kind");
	json_string(j, store_kind_name(st->wall ? STORE_WALL
						: STORE_DETERMINISTIC));
	if (st->wall) {
		json_key(j, "ci_low");
		json_double(j, st->ci_low);
		json_key(j, "ci_high");
		json_double(j, st->ci_high);
		json_key(j, "spread");
		json_double(j, st->spread);
		json_key(j, "unstable");
		json_bool(j, st->unstable);
	}
	json_end_object(j);
}

void analysis_json_variant(struct json *j, const struct analysis_table *t,
			   const struct analysis_variant *v, size_t rank)
{
	const struct space *s = t->space;
	char sym[256], line[512];
	size_t i;

	json_begin_object(j);
	json_key(j, "id");
	json_i64(j, v->id);
	json_key(j, "rank");
	if (rank)
		json_i64(j, (int64_t)rank);
	else
		json_null(j);
	json_key(j, "config_hash");
	json_string(j, v->hash);
	json_key(j, "status");
	json_string(j, store_status_name(v->status));
	json_key(j, "changed_by_kconfig");
	json_bool(j, v->changed);
	json_key(j, "tied_with_best");
	json_bool(j, v->tied);
	json_key(j, "pareto");
	json_bool(j, v->pareto);
	json_key(j, "near_front");
	json_bool(j, v->near_front);
	json_key(j, "options");
	json_begin_object(j);
	for (i = 0; i < s->n_options; i++) {
		snprintf(sym, sizeof(sym), "CONFIG_%s", s->options[i].symbol);
		json_key(j, sym);
		json_begin_object(j);
		json_key(j, "requested");
		json_string(j, analysis_value_name(t, v, i));
		json_key(j, "resolved");
		json_string(j, v->resolved_vals[i]);
		json_end_object(j);
	}
	json_end_object(j);
	json_key(j, "metrics");
	json_begin_object(j);
	for (i = 0; i < t->n_metrics; i++) {
		if (!v->stats[i].n)
			continue;
		json_key(j, t->metrics[i]);
		stat_object(j, &v->stats[i], t->units[i]);
	}
	json_end_object(j);
	json_key(j, "reason");
	if (v->status > STORE_DONE) {
		analysis_first_line(v->log_tail, line, sizeof(line));
		json_string(j, line);
	} else {
		json_null(j);
	}
	json_end_object(j);
}
