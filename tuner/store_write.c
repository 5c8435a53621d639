/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store's writes: experiments, variants, builds, runs, the
 * environment, points and inputs. Each is its own transaction (a
 * savepoint inside the caller's store_begin()).
 */
#include "store_int.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* --- experiments -------------------------------------------------------- */

int store_experiment_create(struct store *st, const char *name,
			    const char *space_path, const char *space_text,
			    int64_t *id)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!name || !*name || !space_path || !space_text)
		return store_fail(st, -EINVAL,
				  "experiment needs a name, space path and "
				  "text");
	rc = store_exec_tx(st, "add experiment",
			   "INSERT INTO experiments (name, space_path, "
			   "space_text) VALUES (?1, ?2, ?3)",
			   "ttt", name, space_path, space_text);
	if (rc == -EEXIST)
		store_fail(st, rc, "experiment '%s' exists", name);
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

/* After a statement meant to change one row: -ENOENT when it changed none. */
static int changed_one(struct store *st, const char *what, int64_t id, int rc)
{
	if (!rc && sqlite3_changes(st->db) == 0)
		return store_fail(st, -ENOENT, "%s: no row %lld", what,
				  (long long)id);
	return rc;
}

int store_experiment_set_status(struct store *st, int64_t id,
				const char *status)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!status || (strcmp(status, "running") && strcmp(status, "done") &&
			strcmp(status, "stopped")))
		return store_fail(st, -EINVAL, "unknown experiment status '%s'",
				  status ? status : "(null)");
	rc = store_exec_tx(st, "set experiment status",
			   "UPDATE experiments SET status = ?1 WHERE id = ?2",
			   "ti", status, id);
	return changed_one(st, "set experiment status", id, rc);
}

/* --- variants ----------------------------------------------------------- */

struct variant_found {
	int64_t id;
	enum store_status status;
};

static int variant_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct variant_found *f = ctx;

	f->id = sqlite3_column_int64(row, 0);
	return store_column_status(st, row, 1, &f->status);
}

int store_variant_upsert(struct store *st, int64_t exp, const char *hash,
			 const char *requested, const char *resolved,
			 int64_t *variant_id, enum store_status *status)
{
	struct variant_found f = { 0, STORE_PENDING };
	struct store_rows rows = { .fn = variant_row, .ctx = &f,
				   .need_row = true };
	int rc, created = 0;

	if (!store_ready(st))
		return -EINVAL;
	if (!hash || !*hash || !requested || !resolved)
		return store_fail(st, -EINVAL,
				  "variant needs a hash, requested and "
				  "resolved config");
	rc = store_tx_begin(st);
	if (rc)
		return rc;
	rc = store_exec(st, "add variant", NULL,
			"INSERT INTO variants (experiment_id, config_hash, "
			"requested, resolved) VALUES (?1, ?2, ?3, ?4) "
			"ON CONFLICT (experiment_id, config_hash) DO NOTHING",
			"ittt", exp, hash, requested, resolved);
	if (rc == -ENOENT)
		store_fail(st, rc, "no experiment %lld", (long long)exp);
	if (!rc && sqlite3_changes(st->db) == 1) {
		f.id = sqlite3_last_insert_rowid(st->db);
		created = 1;
	} else if (!rc) {
		rc = store_exec(st, "find variant", &rows,
				"SELECT id, status FROM variants "
				"WHERE experiment_id = ?1 AND config_hash = ?2",
				"it", exp, hash);
	}
	rc = store_tx_end(st, rc);
	if (rc)
		return rc;
	if (variant_id)
		*variant_id = f.id;
	if (status)
		*status = f.status;
	return created;
}

int store_variant_set_status(struct store *st, int64_t variant,
			     enum store_status status, const char *log_tail)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!store_status_name(status))
		return store_fail(st, -EINVAL, "unknown variant status %d",
				  (int)status);
	rc = store_exec_tx(st, "set variant status",
			   "UPDATE variants SET status = ?1, log_tail = ?2, "
			   "updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
			   "WHERE id = ?3",
			   "tti", store_status_name(status), log_tail, variant);
	return changed_one(st, "set variant status", variant, rc);
}

/* --- builds, runs, environment ------------------------------------------ */

/* -ENOENT from a foreign key: name the missing parent row. */
static int no_parent(struct store *st, int rc, const char *parent, int64_t id)
{
	if (rc == -ENOENT)
		store_fail(st, rc, "no %s %lld", parent, (long long)id);
	return rc;
}

int store_build_add(struct store *st, int64_t variant, const char *image_path,
		    int64_t file_bytes, double build_seconds,
		    const char *log_tail)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!image_path || file_bytes < 0 || !isfinite(build_seconds) ||
	    build_seconds < 0)
		return store_fail(st, -EINVAL,
				  "build needs an image path, a size >= 0 and "
				  "seconds >= 0");
	rc = store_exec_tx(st, "add build",
			   "INSERT INTO builds (variant_id, image_path, "
			   "file_bytes, build_seconds, log_tail) "
			   "VALUES (?1, ?2, ?3, ?4, ?5)",
			   "itidt", variant, image_path, file_bytes,
			   build_seconds, log_tail);
	return no_parent(st, rc, "variant", variant);
}

static int run_check(struct store *st, const struct store_run *r, size_t i)
{
	if (!r->metric || !*r->metric || !r->unit || r->repetition < 0 ||
	    !store_kind_name(r->kind) || !r->accel || !*r->accel)
		return store_fail(st, -EINVAL,
				  "run %zu: needs a metric, unit, repetition "
				  ">= 0, kind and accelerator",
				  i);
	/* SQLite would store NaN as NULL: refuse it here, with a reason. */
	if (isnan(r->value))
		return store_fail(st, -EINVAL, "run %zu (%s): value is NaN", i,
				  r->metric);
	return 0;
}

static int run_insert(struct store *st, int64_t variant,
		      const struct store_run *r, size_t i)
{
	int rc;

	rc = store_exec(st, "add run", NULL,
			"INSERT INTO runs (variant_id, metric, value, unit, "
			"repetition, kind, accelerator) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			"itdtitt", variant, r->metric, r->value, r->unit,
			(int64_t)r->repetition, store_kind_name(r->kind),
			r->accel);
	if (rc == -EEXIST)
		store_fail(st, rc,
			   "run %zu: variant %lld already has %s repetition %d",
			   i, (long long)variant, r->metric, r->repetition);
	return no_parent(st, rc, "variant", variant);
}

int store_runs_add(struct store *st, int64_t variant,
		   const struct store_run *runs, size_t n)
{
	size_t i;
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!runs && n)
		return store_fail(st, -EINVAL, "no runs");
	rc = store_tx_begin(st);
	if (rc)
		return rc;
	for (i = 0; !rc && i < n; i++) {
		rc = run_check(st, &runs[i], i);
		if (!rc)
			rc = run_insert(st, variant, &runs[i], i);
	}
	return store_tx_end(st, rc);
}

int store_run_add(struct store *st, int64_t variant, const char *metric,
		  double value, const char *unit, int repetition,
		  enum store_kind kind, const char *accel)
{
	const struct store_run r = {
	    .metric = metric,
	    .value = value,
	    .unit = unit,
	    .repetition = repetition,
	    .kind = kind,
	    .accel = accel,
	};

	return store_runs_add(st, variant, &r, 1);
}

int store_env_set(struct store *st, int64_t exp, const char *git_commit,
		  const char *host, const char *qemu_version,
		  const char *cpu_model)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!git_commit || !host || !qemu_version || !cpu_model)
		return store_fail(st, -EINVAL,
				  "environment needs git commit, host, QEMU "
				  "version and CPU model");
	rc = store_exec_tx(st, "set environment",
			   "INSERT INTO environment (experiment_id, git_commit, "
			   "host, qemu_version, cpu_model) "
			   "VALUES (?1, ?2, ?3, ?4, ?5) "
			   "ON CONFLICT (experiment_id) DO UPDATE SET "
			   "git_commit = excluded.git_commit, "
			   "host = excluded.host, "
			   "qemu_version = excluded.qemu_version, "
			   "cpu_model = excluded.cpu_model, "
			   "updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
			   "itttt", exp, git_commit, host, qemu_version,
			   cpu_model);
	return no_parent(st, rc, "experiment", exp);
}

/* --- points, inputs ----------------------------------------------------- */

int store_point_add(struct store *st, int64_t exp, const char *requested,
		    int64_t variant)
{
	int rc, created = 0;

	if (!store_ready(st))
		return -EINVAL;
	if (!requested)
		return store_fail(st, -EINVAL,
				  "a point needs its requested text");
	rc = store_exec_tx(st, "add point",
			   "INSERT INTO points (experiment_id, requested, "
			   "variant_id) VALUES (?1, ?2, ?3) "
			   "ON CONFLICT (experiment_id, requested) DO NOTHING",
			   "iti", exp, requested, variant);
	if (!rc)
		created = sqlite3_changes(st->db) == 1;
	return rc ? rc : created;
}

int store_inputs_set(struct store *st, int64_t exp,
		     const struct store_inputs *in)
{
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!in || !in->defconfig[0] || !in->kconfig[0])
		return store_fail(st, -EINVAL, "inputs need the defconfig and "
				  "Kconfig hashes");
	rc = store_exec_tx(st, "set inputs",
			   "INSERT INTO inputs (experiment_id, base_config, "
			   "defconfig, kconfig) VALUES (?1, ?2, ?3, ?4) "
			   "ON CONFLICT (experiment_id) DO UPDATE SET "
			   "base_config = excluded.base_config, "
			   "defconfig = excluded.defconfig, "
			   "kconfig = excluded.kconfig",
			   "ittt", exp, in->base_config, in->defconfig,
			   in->kconfig);
	return no_parent(st, rc, "experiment", exp);
}
