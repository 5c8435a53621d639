/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store's reads: lookups, listings through a callback, and
 * rows copied out into structs the caller releases.
 */
#include "store_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A single-row read found nothing: rc, or -ENOENT with a message. */
__attribute__((format(printf, 4, 5))) static int
none_found(struct store *st, int rc, const struct store_rows *rows,
	   const char *fmt, ...)
{
	va_list ap;

	if (rc || rows->n)
		return rc;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return -ENOENT;
}

/* --- lookups ------------------------------------------------------------ */

static int id_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	int64_t *id = ctx;

	(void)st;
	if (id)
		*id = sqlite3_column_int64(row, 0);
	return 0;
}

int store_experiment_find(struct store *st, const char *name, int64_t *id)
{
	struct store_rows rows = { .fn = id_row, .ctx = id };
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!name)
		return store_fail(st, -EINVAL, "no experiment name");
	rc = store_exec(st, "find experiment", &rows,
			"SELECT id FROM experiments WHERE name = ?1", "t",
			name);
	return none_found(st, rc, &rows, "no experiment '%s'", name);
}

struct samples {
	double *x;
	size_t n, cap;
};

static int sample_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct samples *m = ctx;

	(void)st;
	if (m->n == m->cap) {
		size_t c = m->cap ? 2 * m->cap : 8;
		double *x = realloc(m->x, c * sizeof(*x));

		if (!x)
			return -ENOMEM;
		m->x = x;
		m->cap = c;
	}
	m->x[m->n++] = sqlite3_column_double(row, 0);
	return 0;
}

int store_metric_samples(struct store *st, int64_t variant,
			 const char *metric, double **x, size_t *n)
{
	struct samples m = { 0 };
	struct store_rows rows = { .fn = sample_row, .ctx = &m };
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!metric || !x || !n)
		return store_fail(st, -EINVAL, "bad metric query");
	rc = store_exec(st, "read a metric's samples", &rows,
			"SELECT value FROM runs WHERE variant_id = ?1 AND "
			"metric = ?2 ORDER BY repetition",
			"it", variant, metric);
	if (rc == -ENOMEM)
		store_fail(st, rc, "read a metric's samples: out of memory");
	if (rc) {
		free(m.x);
		m.x = NULL;
		m.n = 0;
	}
	*x = m.x;
	*n = m.n;
	return rc;
}

static int int_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	(void)st;
	*(int *)ctx = sqlite3_column_int(row, 0);
	return 0;
}

int store_next_repetition(struct store *st, int64_t variant, int *next)
{
	struct store_rows rows = { .fn = int_row, .ctx = next,
				   .need_row = true };

	if (!store_ready(st))
		return -EINVAL;
	if (!next)
		return store_fail(st, -EINVAL, "bad repetition query");
	return store_exec(st, "find the next repetition", &rows,
			  "SELECT coalesce(max(repetition) + 1, 0) FROM runs "
			  "WHERE variant_id = ?1", "i", variant);
}

/* --- listings ----------------------------------------------------------- */

struct variant_list {
	store_variant_cb cb;
	void *ctx;
};

static int variant_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct variant_list *l = ctx;
	struct store_variant v = {
	    .id = sqlite3_column_int64(row, 0),
	    .experiment_id = sqlite3_column_int64(row, 1),
	    .hash = (const char *)sqlite3_column_text(row, 2),
	    .requested = (const char *)sqlite3_column_text(row, 3),
	    .resolved = (const char *)sqlite3_column_text(row, 4),
	    .log_tail = (const char *)sqlite3_column_text(row, 6),
	};
	int rc = store_column_status(st, row, 5, &v.status);

	return rc ? rc : l->cb(l->ctx, &v);
}

int store_variants_by_status(struct store *st, int64_t exp,
			     enum store_status status, store_variant_cb cb,
			     void *ctx)
{
	struct variant_list l = { cb, ctx };
	struct store_rows rows = { .fn = variant_row, .ctx = &l };

	if (!store_ready(st))
		return -EINVAL;
	if (!cb || (status != STORE_STATUS_ANY && !store_status_name(status)))
		return store_fail(st, -EINVAL, "bad variant query");
	return store_exec(st, "list variants", &rows,
			  "SELECT id, experiment_id, config_hash, requested, "
			  "resolved, status, log_tail FROM variants "
			  "WHERE experiment_id = ?1 "
			  "AND (?2 IS NULL OR status = ?2) ORDER BY id",
			  "it", exp,
			  status == STORE_STATUS_ANY ? NULL
						     : store_status_name(status));
}

struct run_list {
	store_run_cb cb;
	void *ctx;
};

static int run_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct run_list *l = ctx;
	const char *kind = (const char *)sqlite3_column_text(row, 4);
	struct store_run r = {
	    .metric = (const char *)sqlite3_column_text(row, 0),
	    .value = sqlite3_column_double(row, 1),
	    .unit = (const char *)sqlite3_column_text(row, 2),
	    .repetition = sqlite3_column_int(row, 3),
	    .accel = (const char *)sqlite3_column_text(row, 5),
	};

	if (store_kind_parse(kind, &r.kind))
		return store_fail(st, STORE_ESQL, "bad run kind in database");
	return l->cb(l->ctx, &r);
}

int store_runs_for_variant(struct store *st, int64_t variant, store_run_cb cb,
			   void *ctx)
{
	struct run_list l = { cb, ctx };
	struct store_rows rows = { .fn = run_row, .ctx = &l };

	if (!store_ready(st))
		return -EINVAL;
	if (!cb)
		return store_fail(st, -EINVAL, "no callback");
	return store_exec(st, "list runs", &rows,
			  "SELECT metric, value, unit, repetition, kind, "
			  "accelerator FROM runs WHERE variant_id = ?1 "
			  "ORDER BY metric, repetition",
			  "i", variant);
}

static int count_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	int64_t *counts = ctx;
	enum store_status s;
	int rc = store_column_status(st, row, 0, &s);

	if (!rc)
		counts[s] = sqlite3_column_int64(row, 1);
	return rc;
}

int store_status_counts(struct store *st, int64_t exp,
			int64_t counts[STORE_STATUS_COUNT])
{
	struct store_rows rows = { .fn = count_row, .ctx = counts };

	if (!store_ready(st))
		return -EINVAL;
	if (!counts)
		return store_fail(st, -EINVAL, "no counts array");
	memset(counts, 0, sizeof(counts[0]) * STORE_STATUS_COUNT);
	return store_exec(st, "count variants", &rows,
			  "SELECT status, count(*) FROM variants "
			  "WHERE experiment_id = ?1 GROUP BY status",
			  "i", exp);
}

struct point_list {
	store_point_cb cb;
	void *ctx;
};

static int point_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct point_list *l = ctx;
	struct store_point p = {
	    .requested = (const char *)sqlite3_column_text(row, 0),
	    .variant_id = sqlite3_column_int64(row, 1),
	};

	(void)st;
	return l->cb(l->ctx, &p);
}

int store_points(struct store *st, int64_t exp, store_point_cb cb, void *ctx)
{
	struct point_list l = { cb, ctx };
	struct store_rows rows = { .fn = point_row, .ctx = &l };

	if (!store_ready(st))
		return -EINVAL;
	if (!cb)
		return store_fail(st, -EINVAL, "no callback");
	return store_exec(st, "list points", &rows,
			  "SELECT requested, variant_id FROM points "
			  "WHERE experiment_id = ?1 ORDER BY id",
			  "i", exp);
}

/* --- experiments -------------------------------------------------------- */

void store_experiment_release(struct store_experiment *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->space_path);
	free(e->space_text);
	free(e->status);
	free(e->created);
	memset(e, 0, sizeof(*e));
}

/* The experiment in a row (columns as in EXPERIMENT_COLS). */
#define EXPERIMENT_COLS "id, name, space_path, space_text, status, created"

static int experiment_row(struct store *st, sqlite3_stmt *row,
			  struct store_experiment *e)
{
	bool oom = false;

	e->id = sqlite3_column_int64(row, 0);
	e->name = store_column_dup(row, 1, &oom);
	e->space_path = store_column_dup(row, 2, &oom);
	e->space_text = store_column_dup(row, 3, &oom);
	e->status = store_column_dup(row, 4, &oom);
	e->created = store_column_dup(row, 5, &oom);
	if (oom)
		return store_fail(st, -ENOMEM, "out of memory");
	return store_status_counts(st, e->id, e->counts);
}

static int experiment_get_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	return experiment_row(st, row, ctx);
}

int store_experiment_get(struct store *st, int64_t id,
			 struct store_experiment *out)
{
	struct store_rows rows = { .fn = experiment_get_row, .ctx = out };
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "no experiment to fill");
	memset(out, 0, sizeof(*out));
	rc = store_exec(st, "get experiment", &rows,
			"SELECT " EXPERIMENT_COLS " FROM experiments "
			"WHERE id = ?1",
			"i", id);
	rc = none_found(st, rc, &rows, "no experiment %lld", (long long)id);
	if (rc)
		store_experiment_release(out);
	return rc;
}

struct experiment_list {
	store_experiment_cb cb;
	void *ctx;
};

static int experiment_list_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct experiment_list *l = ctx;
	struct store_experiment e = { 0 };
	int rc;

	rc = experiment_row(st, row, &e);
	if (!rc)
		rc = l->cb(l->ctx, &e);
	store_experiment_release(&e);
	return rc;
}

int store_experiments(struct store *st, store_experiment_cb cb, void *ctx)
{
	struct experiment_list l = { cb, ctx };
	struct store_rows rows = { .fn = experiment_list_row, .ctx = &l };

	if (!store_ready(st))
		return -EINVAL;
	if (!cb)
		return store_fail(st, -EINVAL, "no callback");
	return store_exec(st, "list experiments", &rows,
			  "SELECT " EXPERIMENT_COLS " FROM experiments "
			  "ORDER BY id",
			  "");
}

/* --- environment, builds, inputs ---------------------------------------- */

void store_env_release(struct store_env *e)
{
	if (!e)
		return;
	free(e->git_commit);
	free(e->host);
	free(e->qemu_version);
	free(e->cpu_model);
	free(e->updated);
	memset(e, 0, sizeof(*e));
}

static int env_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct store_env *out = ctx;
	bool oom = false;

	out->git_commit = store_column_dup(row, 0, &oom);
	out->host = store_column_dup(row, 1, &oom);
	out->qemu_version = store_column_dup(row, 2, &oom);
	out->cpu_model = store_column_dup(row, 3, &oom);
	out->updated = store_column_dup(row, 4, &oom);
	return oom ? store_fail(st, -ENOMEM, "out of memory") : 0;
}

int store_env_get(struct store *st, int64_t exp, struct store_env *out)
{
	struct store_rows rows = { .fn = env_row, .ctx = out };
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "no environment to fill");
	memset(out, 0, sizeof(*out));
	rc = store_exec(st, "get environment", &rows,
			"SELECT git_commit, host, qemu_version, cpu_model, "
			"updated FROM environment WHERE experiment_id = ?1",
			"i", exp);
	rc = none_found(st, rc, &rows, "no environment for experiment %lld",
			(long long)exp);
	if (rc)
		store_env_release(out);
	return rc;
}

void store_build_release(struct store_build *b)
{
	if (!b)
		return;
	free(b->image_path);
	free(b->log_tail);
	free(b->created);
	memset(b, 0, sizeof(*b));
}

static int build_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct store_build *out = ctx;
	bool oom = false;

	out->image_path = store_column_dup(row, 0, &oom);
	out->file_bytes = sqlite3_column_int64(row, 1);
	out->build_seconds = sqlite3_column_double(row, 2);
	out->log_tail = store_column_dup(row, 3, &oom);
	out->created = store_column_dup(row, 4, &oom);
	return oom ? store_fail(st, -ENOMEM, "out of memory") : 0;
}

int store_build_for_variant(struct store *st, int64_t variant,
			    struct store_build *out)
{
	struct store_rows rows = { .fn = build_row, .ctx = out };
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "no build to fill");
	memset(out, 0, sizeof(*out));
	/* Latest: by id, which grows with every insert (created may tie). */
	rc = store_exec(st, "get build", &rows,
			"SELECT image_path, file_bytes, build_seconds, "
			"log_tail, created FROM builds WHERE variant_id = ?1 "
			"ORDER BY id DESC LIMIT 1",
			"i", variant);
	rc = none_found(st, rc, &rows, "no build of variant %lld",
			(long long)variant);
	if (rc)
		store_build_release(out);
	return rc;
}

static int copy_hex(struct store *st, sqlite3_stmt *row, int col, char *out)
{
	const char *v = (const char *)sqlite3_column_text(row, col);

	if (!v || strlen(v) >= STORE_HASH_HEX + 1)
		return store_fail(st, STORE_ESQL, "bad inputs hash in database");
	strcpy(out, v);
	return 0;
}

static int inputs_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct store_inputs *out = ctx;
	int rc;

	rc = copy_hex(st, row, 0, out->base_config);
	if (!rc)
		rc = copy_hex(st, row, 1, out->defconfig);
	if (!rc)
		rc = copy_hex(st, row, 2, out->kconfig);
	return rc;
}

int store_inputs_get(struct store *st, int64_t exp, struct store_inputs *out)
{
	struct store_rows rows = { .fn = inputs_row, .ctx = out };
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "no inputs to fill");
	memset(out, 0, sizeof(*out));
	rc = store_exec(st, "get inputs", &rows,
			"SELECT base_config, defconfig, kconfig FROM inputs "
			"WHERE experiment_id = ?1",
			"i", exp);
	return none_found(st, rc, &rows,
			  "no inputs recorded for experiment %lld",
			  (long long)exp);
}
