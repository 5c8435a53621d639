/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bench tables' writes (tuner/store_bench.h).
 */
#include "store_bench.h"

#include <errno.h>
#include <math.h>

#include "store_int.h"

int store_bench_add(struct store *st, const struct store_bench *b,
		    int64_t *id)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!b->kind || !b->image_path || !b->config_hash || !b->url_path ||
	    !b->git_commit || !b->host || !b->cpu_model || !b->qemu_version ||
	    !b->accelerator)
		return store_fail(st, -EINVAL, "bench needs its kind, image, "
				  "config hash, path and environment");
	rc = store_exec_tx(st, "add bench",
			   "INSERT INTO benches (kind, image_path, config_hash, "
			   "url_path, threads, connections, duration_s, "
			   "warmup_s, repetitions, first_200_ms, unstable, "
			   "git_commit, host, cpu_model, qemu_version, "
			   "accelerator, side, baseline_of) VALUES (?1, ?2, "
			   "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
			   "?14, ?15, ?16, ?17, nullif(?18, 0))",
			   "ttttiiddiditttt" "tti", b->kind, b->image_path,
			   b->config_hash, b->url_path, b->threads,
			   b->connections, b->duration_s, b->warmup_s,
			   b->repetitions, b->first_200_ms,
			   (int64_t)b->unstable, b->git_commit, b->host,
			   b->cpu_model, b->qemu_version, b->accelerator,
			   b->side ? b->side : "unikernel", b->baseline_of);
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_bench_add_sample(struct store *st, int64_t bench, const char *metric,
			   const char *unit, int64_t repetition, double value)
{
	if (!store_ready(st))
		return -EINVAL;
	if (!metric || !unit || !isfinite(value))
		return store_fail(st, -EINVAL, "bench sample needs a metric, a "
				  "unit and a finite value");
	return store_exec_tx(st, "add bench sample",
			     "INSERT INTO bench_samples (bench_id, metric, "
			     "unit, repetition, value) VALUES (?1, ?2, ?3, "
			     "?4, ?5)", "ittid", bench, metric, unit,
			     repetition, value);
}

int store_bench_add_stat(struct store *st, int64_t bench,
			 const struct store_bench_stat *s)
{
	if (!store_ready(st))
		return -EINVAL;
	if (!s->metric || !s->unit)
		return store_fail(st, -EINVAL, "bench figure needs a metric "
				  "and a unit");
	if (isnan(s->spread))
		return store_exec_tx(st, "add bench figure",
				     "INSERT INTO bench_stats (bench_id, metric, "
				     "unit, n, median, min, max, ci_low, "
				     "ci_high, spread, unstable) VALUES (?1, "
				     "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, "
				     "?10)", "ittidddddi", bench, s->metric,
				     s->unit, s->n, s->median, s->min, s->max,
				     s->ci_low, s->ci_high,
				     (int64_t)s->unstable);
	return store_exec_tx(st, "add bench figure",
			     "INSERT INTO bench_stats (bench_id, metric, unit, "
			     "n, median, min, max, ci_low, ci_high, spread, "
			     "unstable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			     "?8, ?9, ?10, ?11)", "ittiddddddi", bench,
			     s->metric, s->unit, s->n, s->median, s->min,
			     s->max, s->ci_low, s->ci_high, s->spread,
			     (int64_t)s->unstable);
}

int store_bench_add_ratio(struct store *st, int64_t bench, int64_t baseline,
			  const struct store_bench_ratio *r)
{
	if (!store_ready(st))
		return -EINVAL;
	if (!r->metric || !isfinite(r->ratio) || !isfinite(r->ci_low) ||
	    !isfinite(r->ci_high))
		return store_fail(st, -EINVAL, "bench ratio needs a metric and "
				  "finite values");
	return store_exec_tx(st, "add bench ratio",
			     "INSERT INTO bench_ratios (bench_id, baseline_id, "
			     "metric, n, ratio, ci_low, ci_high) VALUES (?1, "
			     "?2, ?3, ?4, ?5, ?6, ?7)", "iitiddd", bench,
			     baseline, r->metric, r->n, r->ratio, r->ci_low,
			     r->ci_high);
}
