/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store: opening a database (checked to be ours before
 * anything is written), migrating it to the latest schema, closing it.
 */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "paths.h"
#include "store_schema.h"
#include "why.h"

/*
 * Long enough for a parallel sweep's writers to take turns (each write is
 * a short transaction), short enough that a stuck lock is reported.
 */
#define STORE_BUSY_MS 10000

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

static int version_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	(void)st;
	*(int *)ctx = sqlite3_column_int(row, 0);
	return 0;
}

static int user_version(struct store *st, int *v)
{
	struct store_rows rows = { .fn = version_row, .ctx = v,
				   .need_row = true };

	return store_exec(st, "read user_version", &rows, "PRAGMA user_version",
			  "");
}

int store_schema_version(struct store *st)
{
	int v, rc;

	if (!store_ready(st))
		return -EINVAL;
	rc = user_version(st, &v);
	return rc ? rc : v;
}

static int too_new(struct store *st, const char *path, int v, int latest)
{
	return store_fail(st, STORE_ETOONEW,
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

	rc = store_tx_begin(st);
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
			rc = store_fail(st, -ENOMEM, "out of memory");
			break;
		}
		if (sqlite3_exec(st->db, text, NULL, NULL, NULL) != SQLITE_OK) {
			char what[64];

			snprintf(what, sizeof(what), "schema migration %d", n);
			rc = store_sql_fail(st, what);
		}
		free(text);
	}
	if (!rc && v < latest) {
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 latest);
		rc = store_exec_text(st, pragma, "set user_version");
	}
	rc = store_tx_end(st, rc);
	if (!rc)
		st->migrated = latest - v;
	return rc;
}

/* --- open / close ------------------------------------------------------- */

static int wal_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	const char *mode = (const char *)sqlite3_column_text(row, 0);

	(void)ctx;
	/* An in-memory database (tests) cannot be WAL. */
	if (!mode || (strcmp(mode, "wal") && strcmp(mode, "memory")))
		return store_fail(st, STORE_ESQL,
				  "cannot use WAL mode (journal mode is %s)",
				  mode ? mode : "unknown");
	return 0;
}

static int pragma_wal(struct store *st)
{
	struct store_rows rows = { .fn = wal_row, .ctx = NULL,
				   .need_row = true };

	return store_exec(st, "set WAL mode", &rows,
			  "PRAGMA journal_mode = WAL", "");
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
			: store_fail(st, -errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return store_fail(st, STORE_ENOTSTORE, "%s: not a Unitune store (%s, "
				  "not a regular file)", path,
				  paths_file_type(sb.st_mode));
	*size = sb.st_size;
	return 0;
}

/* The version, checked to be ours and known, before anything is written. */
static int identify(struct store *st, const char *path, int *v, bool *empty)
{
	int latest = store_schema_latest();
	char why[UNITUNE_WHY_MAX];
	int rc;

	rc = user_version(st, v);
	if (rc) {
		if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_NOTADB)
			return store_fail(st, STORE_ENOTSTORE, "%s: not a Unitune "
					  "store (not an SQLite database)", path);
		return rc;
	}
	if (*v > latest)
		return too_new(st, path, *v, latest);
	if (*v < 0)
		return store_fail(st, STORE_ENOTSTORE, "%s: not a Unitune store "
				  "(user_version %d)", path, *v);
	rc = store_schema_identify(st->db, *v, empty, why, sizeof(why));
	if (rc == -EINVAL)
		return store_fail(st, STORE_ENOTSTORE, "%s: not a Unitune store: %s",
				  path, why);
	return rc ? store_fail(st, rc, "%s: %s", path, why) : 0;
}

/* The handle, allocated, with the connection open; flags for SQLite. */
static int db_connect(struct store *st, const char *path, int flags)
{
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK)
		return st->db ? store_sql_fail(st, path)
			      : store_fail(st, -ENOMEM, "%s: out of memory", path);
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
	return store_fail(st, rc, "%s: %s", path, msg);
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
		return store_fail(st, -EINVAL, "no database path");
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

/* A read-only opening refuses what a writer would create or migrate. */
static int check_readable(struct store *st, const char *path, int v,
			  bool empty)
{
	int latest = store_schema_latest();

	if (empty)
		return store_fail(st, STORE_ENOTSTORE, "%s: not a Unitune store "
				  "(an empty database)", path);
	if (v < latest)
		return store_fail(st, STORE_ETOOOLD, "%s: the store is schema "
				  "version %d and this unitune reads version %d; "
				  "reading never writes a store: run `unitune "
				  "tune SPACE --db %s` once to migrate it", path,
				  v, latest, path);
	return 0;
}

static int open_store(const char *path, bool readonly, struct store **out)
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
	if (!rc && readonly && !size)
		/* SQLite would take it for an empty database; opening it
		 * read-only is fine, but say plainly what it is. */
		rc = access(path, F_OK) ? store_fail(st, -ENOENT, "%s: no such "
						     "file", path)
			: store_fail(st, STORE_ENOTSTORE, "%s: not a Unitune store "
				     "(an empty file)", path);
	if (!rc)
		rc = db_connect(st, path, readonly ? SQLITE_OPEN_READONLY
					: SQLITE_OPEN_READWRITE |
						  SQLITE_OPEN_CREATE);
	/* Someone else's database must not be turned into WAL mode. */
	if (!rc)
		rc = identify(st, path, &v, &empty);
	if (!rc && readonly)
		rc = check_readable(st, path, v, empty);
	if (!rc)
		rc = store_exec_text(st, "PRAGMA foreign_keys = ON", "enable foreign keys");
	if (!rc && !readonly)
		rc = pragma_wal(st);
	if (!rc && !readonly)
		rc = migrate(st, path);
	return open_failed(st, with_path(st, path, rc));
}

int store_open(const char *path, struct store **out)
{
	return open_store(path, false, out);
}

int store_open_readonly(const char *path, struct store **out)
{
	return open_store(path, true, out);
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
