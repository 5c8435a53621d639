/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The table and the JSON document of a bench (bench/bench_report.h).
 */
#include "bench_report.h"

#include <math.h>
#include <string.h>

#include "json.h"
#include "stats.h"

void bench_report_fmt(char *buf, size_t len, double v, const char *unit)
{
	if (!strcmp(unit, "count") || !strcmp(unit, "frames") ||
	    !strcmp(unit, "packets") || !strcmp(unit, "bytes") ||
	    !strcmp(unit, "KiB"))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
}

static void row(FILE *f, const struct bench_figure *fig)
{
	char med[32], lo[32], hi[32], min[32], max[32], label[64], spread[32];
	const struct stats_summary *s = &fig->s;

	bench_report_fmt(med, sizeof(med), s->median, fig->unit);
	bench_report_fmt(lo, sizeof(lo), s->ci_low, fig->unit);
	bench_report_fmt(hi, sizeof(hi), s->ci_high, fig->unit);
	bench_report_fmt(min, sizeof(min), s->min, fig->unit);
	bench_report_fmt(max, sizeof(max), s->max, fig->unit);
	snprintf(label, sizeof(label), "%s (%s)", fig->label, fig->unit);
	if (isnan(s->spread))
		snprintf(spread, sizeof(spread), "-");
	else
		snprintf(spread, sizeof(spread), "%.1f%%", 100 * s->spread);
	fprintf(f, "%-34s %12s  %12s .. %-12s  %12s .. %-12s %7s%s\n", label,
		med, lo, hi, min, max, spread, s->unstable ? "  unstable" : "");
}

void bench_report_table(FILE *f, const struct bench_report *b)
{
	const struct bench_http_opts *o = b->opts;
	const struct bench_http_result *r = b->result;
	const struct bench_summary *s = b->summary;
	size_t i;

	fprintf(f, "unitune bench http %s\n", b->image);
	fprintf(f, "  wrk -t%u -c%u, %zu x %.1f s", o->threads, o->connections,
		r->nreps, (double)o->duration_ns / 1e9);
	if (o->warmup_ns > 0)
		fprintf(f, " after a %.1f s warm-up", (double)o->warmup_ns / 1e9);
	fprintf(f, ", %s, accelerator %s\n", r->url,
		runner_accel_name(r->accel));
	fprintf(f, "  first HTTP 200: %.1f ms after QEMU started\n",
		r->first_200_ms);
	fprintf(f, "  config %.16s, commit %s, host %s\n", b->config_hash,
		b->env->git_commit, b->env->host);
	if (!r->metrics)
		fprintf(f, "  guest metrics: none (%s)\n", r->metrics_note);
	fprintf(f, "\n%-34s %12s  %-28s  %-28s %7s\n", "figure (unit)", "median",
		"   95% CI of the median", "   min .. max", "spread");
	for (i = 0; i < s->n; i++)
		row(f, &s->f[i]);
	fprintf(f, "\n");
	if (isnan(s->requests_spread))
		fprintf(f, "requests/s spread: undefined\n");
	else if (r->nreps < 2)
		fprintf(f, "requests/s spread: none from one repetition "
			"(-n 2 or more to judge stability)\n");
	else
		fprintf(f, "requests/s spread %.1f%%: %s (unstable above "
			"%.0f%%)\n", 100 * s->requests_spread,
			s->unstable ? "UNSTABLE" : "stable",
			100 * STATS_UNSTABLE_SPREAD);
	if (b->bench_id)
		fprintf(f, "stored as bench %lld in %s\n",
			(long long)b->bench_id, b->db_path);
}

static void json_num_or_null(struct json *j, double v)
{
	if (isfinite(v))
		json_double(j, v);
	else
		json_null(j);
}

static void json_figure(struct json *j, const struct bench_figure *fig)
{
	const struct stats_summary *s = &fig->s;
	size_t i;

	json_key(j, fig->name);
	json_begin_object(j);
	json_key(j, "unit");
	json_string(j, fig->unit);
	json_key(j, "samples");
	json_begin_array(j);
	for (i = 0; i < fig->n; i++)
		json_double(j, fig->samples[i]);
	json_end_array(j);
	json_key(j, "median");
	json_double(j, s->median);
	json_key(j, "min");
	json_double(j, s->min);
	json_key(j, "max");
	json_double(j, s->max);
	json_key(j, "ci95");
	json_begin_array(j);
	json_double(j, s->ci_low);
	json_double(j, s->ci_high);
	json_end_array(j);
	json_key(j, "spread");
	json_num_or_null(j, s->spread);
	json_key(j, "unstable");
	json_bool(j, s->unstable);
	json_end_object(j);
}

static void json_params(struct json *j, const struct bench_report *b)
{
	const struct bench_http_opts *o = b->opts;

	json_key(j, "parameters");
	json_begin_object(j);
	json_key(j, "threads");
	json_u64(j, o->threads);
	json_key(j, "connections");
	json_u64(j, o->connections);
	json_key(j, "duration_s");
	json_double(j, (double)o->duration_ns / 1e9);
	json_key(j, "warmup_s");
	json_double(j, (double)o->warmup_ns / 1e9);
	json_key(j, "repetitions");
	json_u64(j, o->repetitions);
	json_key(j, "path");
	json_string(j, o->path);
	json_end_object(j);
}

static void json_env(struct json *j, const struct bench_report *b)
{
	json_key(j, "environment");
	json_begin_object(j);
	json_key(j, "git_commit");
	json_string(j, b->env->git_commit);
	json_key(j, "host");
	json_string(j, b->env->host);
	json_key(j, "cpu_model");
	json_string(j, b->env->cpu_model);
	json_key(j, "qemu_version");
	json_string(j, b->env->qemu_version);
	json_key(j, "accelerator");
	json_string(j, runner_accel_name(b->result->accel));
	json_end_object(j);
}

int bench_report_json(FILE *f, const struct bench_report *b)
{
	const struct bench_http_result *r = b->result;
	struct json j;
	size_t i;

	json_init(&j, f);
	json_begin_object(&j);
	json_key(&j, "kind");
	json_string(&j, "http");
	json_key(&j, "image");
	json_string(&j, b->image);
	json_key(&j, "config_hash");
	json_string(&j, b->config_hash);
	json_key(&j, "url");
	json_string(&j, r->url);
	json_params(&j, b);
	json_env(&j, b);
	json_key(&j, "first_200_ms");
	json_double(&j, r->first_200_ms);
	json_key(&j, "guest_metrics");
	json_bool(&j, r->metrics);
	json_key(&j, "unstable");
	json_bool(&j, b->summary->unstable);
	json_key(&j, "figures");
	json_begin_object(&j);
	for (i = 0; i < b->summary->n; i++)
		json_figure(&j, &b->summary->f[i]);
	json_end_object(&j);
	json_key(&j, "bench_id");
	if (b->bench_id)
		json_i64(&j, b->bench_id);
	else
		json_null(&j);
	json_end_object(&j);
	return json_finish(&j);
}
