/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store over SQLite. See store.h for the contract and
 * results/schema.sql for the tables.
 */
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "paths.h"
#include "store_schema.h"

/*
 * Long enough for a parallel sweep's writers to take turns (each write is
 * a short transaction), short enough that a stuck lock is reported.
 */
#define STORE_BUSY_MS 10000

struct store {
	sqlite3 *db;  /* NULL when store_open() failed */
	int depth;    /* open transaction + savepoint levels */
	int migrated; /* migrations applied by store_open() */
	char err[512];
};

static const char *const status_names[STORE_STATUS_COUNT] = {
    [STORE_PENDING] = "pending",
    [STORE_BUILT] = "built",
    [STORE_DONE] = "done",
    [STORE_BUILD_FAILED] = "build_failed",
    [STORE_BOOT_FAILED] = "boot_failed",
    [STORE_CRASHED] = "crashed",
    [STORE_TIMEOUT] = "timeout",
    [STORE_BENCH_FAILED] = "bench_failed",
};

static const char *const kind_names[] = {
    [STORE_DETERMINISTIC] = "deterministic",
    [STORE_WALL] = "wall",
};

const char *store_status_name(enum store_status s)
{
	if ((unsigned)s >= STORE_STATUS_COUNT)
		return NULL;
	return status_names[s];
}

int store_status_parse(const char *name, enum store_status *out)
{
	int i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < STORE_STATUS_COUNT; i++) {
		if (!strcmp(name, status_names[i])) {
			if (out)
				*out = (enum store_status)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *store_kind_name(enum store_kind k)
{
	if ((unsigned)k > STORE_WALL)
		return NULL;
	return kind_names[k];
}

int store_kind_parse(const char *name, enum store_kind *out)
{
	enum store_kind k;

	if (!name)
		return -EINVAL;
	if (!strcmp(name, "deterministic"))
		k = STORE_DETERMINISTIC;
	else if (!strcmp(name, "wall"))
		k = STORE_WALL;
	else
		return -EINVAL;
	if (out)
		*out = k;
	return 0;
}

__attribute__((format(printf, 3, 4))) static int fail(struct store *st, int rc,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return rc;
}

/* The error of the connection's last call, as a return code + message. */
static int sql_fail(struct store *st, const char *what)
{
	int ext = sqlite3_extended_errcode(st->db);
	int rc;

	switch (ext & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		rc = -EBUSY;
		break;
	case SQLITE_NOMEM:
		rc = -ENOMEM;
		break;
	case SQLITE_CONSTRAINT:
		if (ext == SQLITE_CONSTRAINT_UNIQUE ||
		    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = -EEXIST;
		else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			rc = -ENOENT;
		else
			rc = -EINVAL;
		break;
	default:
		rc = STORE_ESQL;
	}
	return fail(st, rc, "%s: %s", what, sqlite3_errmsg(st->db));
}

static bool ready(struct store *st)
{
	if (!st)
		return false;
	if (!st->db) {
		fail(st, -EINVAL, "store is not open");
		return false;
	}
	return true;
}

static int exec(struct store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(st, what);
	return 0;
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **stmt)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return sql_fail(st, "prepare");
	}
	return 0;
}

/*
 * Transactions. The outermost level is BEGIN IMMEDIATE: it takes the
 * write lock up front (waiting up to the busy timeout), so two writers
 * never deadlock upgrading a read transaction. Inner levels are
 * savepoints, so a store_* call inside the caller's store_begin() undoes
 * only itself on failure and the caller decides about the rest.
 */
static int tx_begin(struct store *st)
{
	int rc;

	rc = exec(st, st->depth ? "SAVEPOINT store_sp" : "BEGIN IMMEDIATE",
		  "begin transaction");
	if (!rc)
		st->depth++;
	return rc;
}

/* Commits when rc is 0, else rolls back; returns rc (or the commit's). */
static int tx_end(struct store *st, int rc)
{
	st->depth--;
	if (!rc) {
		rc = exec(st, st->depth ? "RELEASE store_sp" : "COMMIT",
			  "commit");
		if (!rc)
			return 0;
	}
	/* Keep the first error's message: roll back without sql_fail(). */
	sqlite3_exec(st->db,
		     st->depth ? "ROLLBACK TO store_sp; RELEASE store_sp"
			       : "ROLLBACK",
		     NULL, NULL, NULL);
	return rc;
}

int store_begin(struct store *st)
{
	if (!ready(st))
		return -EINVAL;
	return tx_begin(st);
}

int store_commit(struct store *st)
{
	if (!ready(st))
		return -EINVAL;
	if (!st->depth)
		return fail(st, -EINVAL, "commit without store_begin");
	return tx_end(st, 0);
}

int store_rollback(struct store *st)
{
	if (!ready(st))
		return -EINVAL;
	if (!st->depth)
		return fail(st, -EINVAL, "rollback without store_begin");
	return tx_end(st, -ECANCELED) == -ECANCELED ? 0 : STORE_ESQL;
}

/* --- migrations ---------------------------------------------------------- */

int store_schema_latest(void)
{
	const char *s;
	size_t len;
	int n = 0;

	while (store_migration_find(n + 1, &s, &len) == 0)
		n++;
	return n;
}

static int user_version(struct store *st, int *v)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = prepare(st, "PRAGMA user_version", &stmt);
	if (rc)
		return rc;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*v = sqlite3_column_int(stmt, 0);
		rc = 0;
	} else {
		rc = sql_fail(st, "read user_version");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int store_schema_version(struct store *st)
{
	int v, rc;

	if (!ready(st))
		return -EINVAL;
	rc = user_version(st, &v);
	return rc ? rc : v;
}

static int too_new(struct store *st, const char *path, int v, int latest)
{
	return fail(st, STORE_ETOONEW,
		    "%s: database schema version %d is newer than this "
		    "unitune knows (%d); use a newer unitune or another --db",
		    path, v, latest);
}

/* Applies migrations v+1..latest and sets user_version, all or nothing. */
static int migrate(struct store *st, const char *path)
{
	int latest = store_schema_latest();
	char pragma[64];
	int v, n, rc;

	rc = user_version(st, &v);
	if (rc)
		return rc;
	if (v > latest)
		return too_new(st, path, v, latest);
	if (v == latest)
		return 0;

	rc = tx_begin(st);
	if (rc)
		return rc;
	/* Another process may have migrated while we waited for the lock. */
	rc = user_version(st, &v);
	if (!rc && v > latest)
		rc = too_new(st, path, v, latest);
	for (n = v + 1; !rc && n <= latest; n++) {
		const char *sql;
		size_t len;
		char *text;

		store_migration_find(n, &sql, &len);
		text = strndup(sql, len);
		if (!text) {
			rc = fail(st, -ENOMEM, "out of memory");
			break;
		}
		if (sqlite3_exec(st->db, text, NULL, NULL, NULL) != SQLITE_OK) {
			char what[64];

			snprintf(what, sizeof(what), "schema migration %d", n);
			rc = sql_fail(st, what);
		}
		free(text);
	}
	if (!rc && v < latest) {
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 latest);
		rc = exec(st, pragma, "set user_version");
	}
	rc = tx_end(st, rc);
	if (!rc)
		st->migrated = latest - v;
	return rc;
}

/* --- open / close ------------------------------------------------------- */

static int pragma_wal(struct store *st)
{
	sqlite3_stmt *stmt;
	const char *mode;
	int rc;

	rc = prepare(st, "PRAGMA journal_mode = WAL", &stmt);
	if (rc)
		return rc;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = sql_fail(st, "set WAL mode");
	} else {
		mode = (const char *)sqlite3_column_text(stmt, 0);
		/* An in-memory database (tests) cannot be WAL. */
		if (!mode || (strcmp(mode, "wal") && strcmp(mode, "memory")))
			rc = fail(st, STORE_ESQL,
				  "cannot use WAL mode (journal mode is %s)",
				  mode ? mode : "unknown");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Is the file at path something to open as a store? A missing file is
 * (the writer creates it, the reader then fails in SQLite); anything but
 * a regular file is not. *size is 0 when missing.
 */
static int check_file(struct store *st, const char *path, off_t *size)
{
	struct stat sb;

	*size = 0;
	if (stat(path, &sb) < 0)
		return errno == ENOENT ? 0
			: fail(st, -errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return fail(st, STORE_ENOTSTORE, "%s: not a Unitune store (%s, "
			    "not a regular file)", path,
			    paths_file_type(sb.st_mode));
	*size = sb.st_size;
	return 0;
}

/* The version, checked to be ours and known, before anything is written. */
static int identify(struct store *st, const char *path, int *v, bool *empty)
{
	int latest = store_schema_latest();
	char why[256];
	int rc;

	rc = user_version(st, v);
	if (rc) {
		if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_NOTADB)
			return fail(st, STORE_ENOTSTORE, "%s: not a Unitune "
				    "store (not an SQLite database)", path);
		return rc;
	}
	if (*v > latest)
		return too_new(st, path, *v, latest);
	if (*v < 0)
		return fail(st, STORE_ENOTSTORE, "%s: not a Unitune store "
			    "(user_version %d)", path, *v);
	rc = store_schema_identify(st->db, *v, empty, why, sizeof(why));
	if (rc == -EINVAL)
		return fail(st, STORE_ENOTSTORE, "%s: not a Unitune store: %s",
			    path, why);
	return rc ? fail(st, rc, "%s: %s", path, why) : 0;
}

/* The handle, allocated, with the connection open; flags for SQLite. */
static int db_connect(struct store *st, const char *path, int flags)
{
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK)
		return st->db ? sql_fail(st, path)
			      : fail(st, -ENOMEM, "%s: out of memory", path);
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	return 0;
}

/* Make an error message start with the path, once. */
static int with_path(struct store *st, const char *path, int rc)
{
	char msg[sizeof(st->err)];

	if (!rc || !strncmp(st->err, path, strlen(path)))
		return rc;
	snprintf(msg, sizeof(msg), "%s", st->err);
	return fail(st, rc, "%s: %s", path, msg);
}

static int alloc_handle(const char *path, struct store **out)
{
	struct store *st;

	if (!out)
		return -EINVAL;
	*out = st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	if (!path || !*path)
		return fail(st, -EINVAL, "no database path");
	return 0;
}

static int open_failed(struct store *st, int rc)
{
	if (rc && st) {
		sqlite3_close(st->db);
		st->db = NULL;
	}
	return rc;
}

int store_open(const char *path, struct store **out)
{
	struct store *st;
	bool empty;
	off_t size;
	int rc, v;

	rc = alloc_handle(path, out);
	if (rc)
		return rc;
	st = *out;
	rc = check_file(st, path, &size);
	if (!rc)
		rc = db_connect(st, path, SQLITE_OPEN_READWRITE |
				       SQLITE_OPEN_CREATE);
	/* Someone else's database must not be turned into WAL mode. */
	if (!rc)
		rc = identify(st, path, &v, &empty);
	if (!rc)
		rc = exec(st, "PRAGMA foreign_keys = ON", "enable foreign keys");
	if (!rc)
		rc = pragma_wal(st);
	if (!rc)
		rc = migrate(st, path);
	return open_failed(st, with_path(st, path, rc));
}

int store_open_readonly(const char *path, struct store **out)
{
	int latest = store_schema_latest();
	struct store *st;
	bool empty;
	off_t size;
	int rc, v;

	rc = alloc_handle(path, out);
	if (rc)
		return rc;
	st = *out;
	rc = check_file(st, path, &size);
	if (!rc && !size)
		/* SQLite would take it for an empty database; opening it
		 * read-only is fine, but say plainly what it is. */
		rc = access(path, F_OK) ? fail(st, -ENOENT, "%s: no such "
					       "file", path)
			: fail(st, STORE_ENOTSTORE, "%s: not a Unitune store "
			       "(an empty file)", path);
	if (!rc)
		rc = db_connect(st, path, SQLITE_OPEN_READONLY);
	if (!rc)
		rc = identify(st, path, &v, &empty);
	if (!rc && empty)
		rc = fail(st, STORE_ENOTSTORE, "%s: not a Unitune store (an "
			  "empty database)", path);
	if (!rc && v < latest)
		rc = fail(st, STORE_ETOOOLD, "%s: the store is schema version "
			  "%d and this unitune reads version %d; reading never "
			  "writes a store: run `unitune tune SPACE --db %s` "
			  "once to migrate it", path, v, latest, path);
	if (!rc)
		rc = exec(st, "PRAGMA foreign_keys = ON", "enable foreign keys");
	return open_failed(st, with_path(st, path, rc));
}

void store_close(struct store *st)
{
	if (!st)
		return;
	/* sqlite3_close_v2 rolls back an open transaction. */
	if (st->db)
		sqlite3_close_v2(st->db);
	free(st);
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->err : "out of memory";
}

int store_migrations_applied(const struct store *st)
{
	return st ? st->migrated : 0;
}

/* --- experiments -------------------------------------------------------- */

int store_experiment_create(struct store *st, const char *name,
			    const char *space_path, const char *space_text,
			    int64_t *id)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!name || !*name || !space_path || !space_text)
		return fail(st, -EINVAL,
			    "experiment needs a name, space path and text");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO experiments (name, space_path, space_text) "
		     "VALUES (?1, ?2, ?3)",
		     &stmt);
	if (rc)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, space_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, space_text, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = sql_fail(st, "add experiment");
		if (rc == -EEXIST)
			fail(st, rc, "experiment '%s' exists", name);
		goto out;
	}
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
}

int store_experiment_find(struct store *st, const char *name, int64_t *id)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!name)
		return fail(st, -EINVAL, "no experiment name");
	rc = prepare(st, "SELECT id FROM experiments WHERE name = ?1", &stmt);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		if (id)
			*id = sqlite3_column_int64(stmt, 0);
		break;
	case SQLITE_DONE:
		rc = fail(st, -ENOENT, "no experiment '%s'", name);
		break;
	default:
		rc = sql_fail(st, "find experiment");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Runs a one-row-changing statement: -ENOENT when it changed nothing. */
static int update_one(struct store *st, sqlite3_stmt *stmt, const char *what,
		      int64_t id)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return sql_fail(st, what);
	if (sqlite3_changes(st->db) == 0)
		return fail(st, -ENOENT, "%s: no row %lld", what,
			    (long long)id);
	return 0;
}

int store_experiment_set_status(struct store *st, int64_t id,
				const char *status)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!status || (strcmp(status, "running") && strcmp(status, "done") &&
			strcmp(status, "stopped")))
		return fail(st, -EINVAL, "unknown experiment status '%s'",
			    status ? status : "(null)");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st, "UPDATE experiments SET status = ?1 WHERE id = ?2",
		     &stmt);
	if (!rc) {
		sqlite3_bind_text(stmt, 1, status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, id);
		rc = update_one(st, stmt, "set experiment status", id);
	}
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
}

/* --- variants ----------------------------------------------------------- */

static int column_status(struct store *st, sqlite3_stmt *stmt, int col,
			 enum store_status *out)
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);

	if (store_status_parse(s, out))
		return fail(st, STORE_ESQL, "bad status '%s' in database",
			    s ? s : "(null)");
	return 0;
}

int store_variant_upsert(struct store *st, int64_t exp, const char *hash,
			 const char *requested, const char *resolved,
			 int64_t *variant_id, enum store_status *status)
{
	sqlite3_stmt *stmt = NULL;
	enum store_status s = STORE_PENDING;
	int64_t id = 0;
	int rc, created = 0;

	if (!ready(st))
		return -EINVAL;
	if (!hash || !*hash || !requested || !resolved)
		return fail(st, -EINVAL,
			    "variant needs a hash, requested and resolved "
			    "config");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO variants (experiment_id, config_hash, "
		     "requested, resolved) VALUES (?1, ?2, ?3, ?4) "
		     "ON CONFLICT (experiment_id, config_hash) DO NOTHING",
		     &stmt);
	if (rc)
		goto out;
	sqlite3_bind_int64(stmt, 1, exp);
	sqlite3_bind_text(stmt, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, requested, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, resolved, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = sql_fail(st, "add variant");
		if (rc == -ENOENT)
			fail(st, rc, "no experiment %lld", (long long)exp);
		goto out;
	}
	if (sqlite3_changes(st->db) == 1) {
		id = sqlite3_last_insert_rowid(st->db);
		created = 1;
		goto out;
	}
	sqlite3_finalize(stmt);
	rc = prepare(st,
		     "SELECT id, status FROM variants "
		     "WHERE experiment_id = ?1 AND config_hash = ?2",
		     &stmt);
	if (rc)
		goto out;
	sqlite3_bind_int64(stmt, 1, exp);
	sqlite3_bind_text(stmt, 2, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = sql_fail(st, "find variant");
		goto out;
	}
	id = sqlite3_column_int64(stmt, 0);
	rc = column_status(st, stmt, 1, &s);
out:
	sqlite3_finalize(stmt);
	rc = tx_end(st, rc);
	if (rc)
		return rc;
	if (variant_id)
		*variant_id = id;
	if (status)
		*status = s;
	return created;
}

int store_variant_set_status(struct store *st, int64_t variant,
			     enum store_status status, const char *log_tail)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!store_status_name(status))
		return fail(st, -EINVAL, "unknown variant status %d",
			    (int)status);
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "UPDATE variants SET status = ?1, log_tail = ?2, "
		     "updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
		     "WHERE id = ?3",
		     &stmt);
	if (!rc) {
		sqlite3_bind_text(stmt, 1, store_status_name(status), -1,
				  SQLITE_STATIC);
		if (log_tail)
			sqlite3_bind_text(stmt, 2, log_tail, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, variant);
		rc = update_one(st, stmt, "set variant status", variant);
	}
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
}

/* --- builds, runs, environment ------------------------------------------ */

int store_build_add(struct store *st, int64_t variant, const char *image_path,
		    int64_t image_size, double build_seconds,
		    const char *log_tail)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!image_path || image_size < 0 || !isfinite(build_seconds) ||
	    build_seconds < 0)
		return fail(st, -EINVAL,
			    "build needs an image path, a size >= 0 and "
			    "seconds >= 0");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO builds (variant_id, image_path, image_size, "
		     "build_seconds, log_tail) VALUES (?1, ?2, ?3, ?4, ?5)",
		     &stmt);
	if (rc)
		goto out;
	sqlite3_bind_int64(stmt, 1, variant);
	sqlite3_bind_text(stmt, 2, image_path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, image_size);
	sqlite3_bind_double(stmt, 4, build_seconds);
	if (log_tail)
		sqlite3_bind_text(stmt, 5, log_tail, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = sql_fail(st, "add build");
		if (rc == -ENOENT)
			fail(st, rc, "no variant %lld", (long long)variant);
	}
out:
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
}

static int run_check(struct store *st, const struct store_run *r, size_t i)
{
	if (!r->metric || !*r->metric || !r->unit || r->repetition < 0 ||
	    !store_kind_name(r->kind) || !r->accel || !*r->accel)
		return fail(st, -EINVAL,
			    "run %zu: needs a metric, unit, repetition >= 0, "
			    "kind and accelerator",
			    i);
	/* SQLite would store NaN as NULL: refuse it here, with a reason. */
	if (isnan(r->value))
		return fail(st, -EINVAL, "run %zu (%s): value is NaN", i,
			    r->metric);
	return 0;
}

int store_runs_add(struct store *st, int64_t variant,
		   const struct store_run *runs, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	size_t i;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!runs && n)
		return fail(st, -EINVAL, "no runs");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO runs (variant_id, metric, value, unit, "
		     "repetition, kind, accelerator) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		     &stmt);
	for (i = 0; !rc && i < n; i++) {
		const struct store_run *r = &runs[i];

		rc = run_check(st, r, i);
		if (rc)
			break;
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, variant);
		sqlite3_bind_text(stmt, 2, r->metric, -1, SQLITE_STATIC);
		sqlite3_bind_double(stmt, 3, r->value);
		sqlite3_bind_text(stmt, 4, r->unit, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 5, r->repetition);
		sqlite3_bind_text(stmt, 6, store_kind_name(r->kind), -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(stmt, 7, r->accel, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rc = sql_fail(st, "add run");
			if (rc == -ENOENT)
				fail(st, rc, "no variant %lld",
				     (long long)variant);
			else if (rc == -EEXIST)
				fail(st, rc,
				     "run %zu: variant %lld already has %s "
				     "repetition %d",
				     i, (long long)variant, r->metric,
				     r->repetition);
		}
	}
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
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
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!git_commit || !host || !qemu_version || !cpu_model)
		return fail(st, -EINVAL,
			    "environment needs git commit, host, QEMU version "
			    "and CPU model");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO environment (experiment_id, git_commit, "
		     "host, qemu_version, cpu_model) "
		     "VALUES (?1, ?2, ?3, ?4, ?5) "
		     "ON CONFLICT (experiment_id) DO UPDATE SET "
		     "git_commit = excluded.git_commit, host = excluded.host, "
		     "qemu_version = excluded.qemu_version, "
		     "cpu_model = excluded.cpu_model, "
		     "updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
		     &stmt);
	if (rc)
		goto out;
	sqlite3_bind_int64(stmt, 1, exp);
	sqlite3_bind_text(stmt, 2, git_commit, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, qemu_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, cpu_model, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = sql_fail(st, "set environment");
		if (rc == -ENOENT)
			fail(st, rc, "no experiment %lld", (long long)exp);
	}
out:
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
}

/* --- queries ------------------------------------------------------------ */

int store_variants_by_status(struct store *st, int64_t exp,
			     enum store_status status, store_variant_cb cb,
			     void *ctx)
{
	sqlite3_stmt *stmt;
	int rc, step = SQLITE_DONE;

	if (!ready(st))
		return -EINVAL;
	if (!cb || (status != STORE_STATUS_ANY && !store_status_name(status)))
		return fail(st, -EINVAL, "bad variant query");
	rc = prepare(st,
		     "SELECT id, experiment_id, config_hash, requested, "
		     "resolved, status, log_tail FROM variants "
		     "WHERE experiment_id = ?1 AND (?2 IS NULL OR status = ?2) "
		     "ORDER BY id",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, exp);
	if (status != STORE_STATUS_ANY)
		sqlite3_bind_text(stmt, 2, store_status_name(status), -1,
				  SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_variant v = {
		    .id = sqlite3_column_int64(stmt, 0),
		    .experiment_id = sqlite3_column_int64(stmt, 1),
		    .hash = (const char *)sqlite3_column_text(stmt, 2),
		    .requested = (const char *)sqlite3_column_text(stmt, 3),
		    .resolved = (const char *)sqlite3_column_text(stmt, 4),
		    .log_tail = (const char *)sqlite3_column_text(stmt, 6),
		};

		rc = column_status(st, stmt, 5, &v.status);
		if (!rc)
			rc = cb(ctx, &v);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sql_fail(st, "list variants");
	sqlite3_finalize(stmt);
	return rc;
}

int store_runs_for_variant(struct store *st, int64_t variant, store_run_cb cb,
			   void *ctx)
{
	sqlite3_stmt *stmt;
	int rc, step = SQLITE_DONE;

	if (!ready(st))
		return -EINVAL;
	if (!cb)
		return fail(st, -EINVAL, "no callback");
	rc =
	    prepare(st,
		    "SELECT metric, value, unit, repetition, kind, accelerator "
		    "FROM runs WHERE variant_id = ?1 "
		    "ORDER BY metric, repetition",
		    &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, variant);
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 4);
		struct store_run r = {
		    .metric = (const char *)sqlite3_column_text(stmt, 0),
		    .value = sqlite3_column_double(stmt, 1),
		    .unit = (const char *)sqlite3_column_text(stmt, 2),
		    .repetition = sqlite3_column_int(stmt, 3),
		    .accel = (const char *)sqlite3_column_text(stmt, 5),
		};

		if (store_kind_parse(kind, &r.kind))
			rc = fail(st, STORE_ESQL, "bad run kind in database");
		else
			rc = cb(ctx, &r);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sql_fail(st, "list runs");
	sqlite3_finalize(stmt);
	return rc;
}

/* --- reading back ------------------------------------------------------- */

/*
 * A copy of a text column (NULL stays NULL). *oom is set when the copy
 * failed, so a caller reads every column and checks once.
 */
static char *column_dup(sqlite3_stmt *stmt, int col, bool *oom)
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

int store_status_counts(struct store *st, int64_t exp,
			int64_t counts[STORE_STATUS_COUNT])
{
	sqlite3_stmt *stmt;
	enum store_status s;
	int rc, step = SQLITE_DONE;

	if (!ready(st))
		return -EINVAL;
	if (!counts)
		return fail(st, -EINVAL, "no counts array");
	memset(counts, 0, sizeof(counts[0]) * STORE_STATUS_COUNT);
	rc = prepare(st,
		     "SELECT status, count(*) FROM variants "
		     "WHERE experiment_id = ?1 GROUP BY status",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, exp);
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = column_status(st, stmt, 0, &s);
		if (!rc)
			counts[s] = sqlite3_column_int64(stmt, 1);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sql_fail(st, "count variants");
	sqlite3_finalize(stmt);
	return rc;
}

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

/* The experiment in stmt's current row (columns as in EXPERIMENT_COLS). */
#define EXPERIMENT_COLS "id, name, space_path, space_text, status, created"

static int experiment_row(struct store *st, sqlite3_stmt *stmt,
			  struct store_experiment *e)
{
	bool oom = false;

	e->id = sqlite3_column_int64(stmt, 0);
	e->name = column_dup(stmt, 1, &oom);
	e->space_path = column_dup(stmt, 2, &oom);
	e->space_text = column_dup(stmt, 3, &oom);
	e->status = column_dup(stmt, 4, &oom);
	e->created = column_dup(stmt, 5, &oom);
	if (oom)
		return fail(st, -ENOMEM, "out of memory");
	return store_status_counts(st, e->id, e->counts);
}

int store_experiment_get(struct store *st, int64_t id,
			 struct store_experiment *out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!out)
		return fail(st, -EINVAL, "no experiment to fill");
	memset(out, 0, sizeof(*out));
	rc = prepare(st, "SELECT " EXPERIMENT_COLS " FROM experiments "
			 "WHERE id = ?1",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		rc = experiment_row(st, stmt, out);
		break;
	case SQLITE_DONE:
		rc = fail(st, -ENOENT, "no experiment %lld", (long long)id);
		break;
	default:
		rc = sql_fail(st, "get experiment");
	}
	sqlite3_finalize(stmt);
	if (rc)
		store_experiment_release(out);
	return rc;
}

int store_experiments(struct store *st, store_experiment_cb cb, void *ctx)
{
	sqlite3_stmt *stmt;
	int rc, step = SQLITE_DONE;

	if (!ready(st))
		return -EINVAL;
	if (!cb)
		return fail(st, -EINVAL, "no callback");
	rc = prepare(st, "SELECT " EXPERIMENT_COLS " FROM experiments "
			 "ORDER BY id",
		     &stmt);
	if (rc)
		return rc;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_experiment e = { 0 };

		rc = experiment_row(st, stmt, &e);
		if (!rc)
			rc = cb(ctx, &e);
		store_experiment_release(&e);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sql_fail(st, "list experiments");
	sqlite3_finalize(stmt);
	return rc;
}

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

int store_env_get(struct store *st, int64_t exp, struct store_env *out)
{
	sqlite3_stmt *stmt;
	bool oom = false;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!out)
		return fail(st, -EINVAL, "no environment to fill");
	memset(out, 0, sizeof(*out));
	rc = prepare(st,
		     "SELECT git_commit, host, qemu_version, cpu_model, "
		     "updated FROM environment WHERE experiment_id = ?1",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, exp);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		out->git_commit = column_dup(stmt, 0, &oom);
		out->host = column_dup(stmt, 1, &oom);
		out->qemu_version = column_dup(stmt, 2, &oom);
		out->cpu_model = column_dup(stmt, 3, &oom);
		out->updated = column_dup(stmt, 4, &oom);
		if (oom)
			rc = fail(st, -ENOMEM, "out of memory");
		break;
	case SQLITE_DONE:
		rc = fail(st, -ENOENT, "no environment for experiment %lld",
			  (long long)exp);
		break;
	default:
		rc = sql_fail(st, "get environment");
	}
	sqlite3_finalize(stmt);
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

int store_build_for_variant(struct store *st, int64_t variant,
			    struct store_build *out)
{
	sqlite3_stmt *stmt;
	bool oom = false;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!out)
		return fail(st, -EINVAL, "no build to fill");
	memset(out, 0, sizeof(*out));
	/* Latest: by id, which grows with every insert (created may tie). */
	rc = prepare(st,
		     "SELECT image_path, image_size, build_seconds, log_tail, "
		     "created FROM builds WHERE variant_id = ?1 "
		     "ORDER BY id DESC LIMIT 1",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, variant);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		out->image_path = column_dup(stmt, 0, &oom);
		out->image_size = sqlite3_column_int64(stmt, 1);
		out->build_seconds = sqlite3_column_double(stmt, 2);
		out->log_tail = column_dup(stmt, 3, &oom);
		out->created = column_dup(stmt, 4, &oom);
		if (oom)
			rc = fail(st, -ENOMEM, "out of memory");
		break;
	case SQLITE_DONE:
		rc = fail(st, -ENOENT, "no build of variant %lld",
			  (long long)variant);
		break;
	default:
		rc = sql_fail(st, "get build");
	}
	sqlite3_finalize(stmt);
	if (rc)
		store_build_release(out);
	return rc;
}

int store_point_add(struct store *st, int64_t exp, const char *requested,
		    int64_t variant)
{
	sqlite3_stmt *stmt = NULL;
	int rc, created;

	if (!ready(st))
		return -EINVAL;
	if (!requested)
		return fail(st, -EINVAL, "a point needs its requested text");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO points (experiment_id, requested, variant_id) "
		     "VALUES (?1, ?2, ?3) "
		     "ON CONFLICT (experiment_id, requested) DO NOTHING",
		     &stmt);
	if (!rc) {
		sqlite3_bind_int64(stmt, 1, exp);
		sqlite3_bind_text(stmt, 2, requested, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, variant);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = sql_fail(st, "add point");
		else
			rc = sqlite3_changes(st->db) == 1;
	}
	sqlite3_finalize(stmt);
	created = rc;
	rc = tx_end(st, rc < 0 ? rc : 0);
	return rc ? rc : created;
}

int store_points(struct store *st, int64_t exp, store_point_cb cb, void *ctx)
{
	sqlite3_stmt *stmt;
	int rc, step = SQLITE_DONE;

	if (!ready(st))
		return -EINVAL;
	if (!cb)
		return fail(st, -EINVAL, "no callback");
	rc = prepare(st,
		     "SELECT requested, variant_id FROM points "
		     "WHERE experiment_id = ?1 ORDER BY id",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, exp);
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_point p = {
		    .requested = (const char *)sqlite3_column_text(stmt, 0),
		    .variant_id = sqlite3_column_int64(stmt, 1),
		};

		rc = cb(ctx, &p);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sql_fail(st, "list points");
	sqlite3_finalize(stmt);
	return rc;
}

int store_metric_mean(struct store *st, int64_t variant, const char *metric,
		      double *mean, unsigned *n)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!metric || !mean || !n)
		return fail(st, -EINVAL, "bad metric query");
	rc = prepare(st,
		     "SELECT avg(value), count(*) FROM runs "
		     "WHERE variant_id = ?1 AND metric = ?2",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, variant);
	sqlite3_bind_text(stmt, 2, metric, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = sql_fail(st, "average a metric");
	} else {
		*n = (unsigned)sqlite3_column_int64(stmt, 1);
		*mean = *n ? sqlite3_column_double(stmt, 0) : 0;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* --- inputs ------------------------------------------------------------- */

static int copy_hex(struct store *st, sqlite3_stmt *stmt, int col, char *out)
{
	const char *v = (const char *)sqlite3_column_text(stmt, col);

	if (!v || strlen(v) >= STORE_HASH_HEX + 1)
		return fail(st, STORE_ESQL, "bad inputs hash in database");
	strcpy(out, v);
	return 0;
}

int store_inputs_set(struct store *st, int64_t exp,
		     const struct store_inputs *in)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!in || !in->defconfig[0] || !in->kconfig[0])
		return fail(st, -EINVAL, "inputs need the defconfig and "
			    "Kconfig hashes");
	rc = tx_begin(st);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO inputs (experiment_id, base_config, "
		     "defconfig, kconfig) VALUES (?1, ?2, ?3, ?4) "
		     "ON CONFLICT (experiment_id) DO UPDATE SET "
		     "base_config = excluded.base_config, "
		     "defconfig = excluded.defconfig, "
		     "kconfig = excluded.kconfig",
		     &stmt);
	if (rc)
		goto out;
	sqlite3_bind_int64(stmt, 1, exp);
	sqlite3_bind_text(stmt, 2, in->base_config, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, in->defconfig, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, in->kconfig, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = sql_fail(st, "set inputs");
		if (rc == -ENOENT)
			fail(st, rc, "no experiment %lld", (long long)exp);
	}
out:
	sqlite3_finalize(stmt);
	return tx_end(st, rc);
}

int store_inputs_get(struct store *st, int64_t exp, struct store_inputs *out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!ready(st))
		return -EINVAL;
	if (!out)
		return fail(st, -EINVAL, "no inputs to fill");
	memset(out, 0, sizeof(*out));
	rc = prepare(st,
		     "SELECT base_config, defconfig, kconfig FROM inputs "
		     "WHERE experiment_id = ?1",
		     &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, exp);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		rc = copy_hex(st, stmt, 0, out->base_config);
		if (!rc)
			rc = copy_hex(st, stmt, 1, out->defconfig);
		if (!rc)
			rc = copy_hex(st, stmt, 2, out->kconfig);
		break;
	case SQLITE_DONE:
		rc = fail(st, -ENOENT, "no inputs recorded for experiment %lld",
			  (long long)exp);
		break;
	default:
		rc = sql_fail(st, "get inputs");
	}
	sqlite3_finalize(stmt);
	return rc;
}
