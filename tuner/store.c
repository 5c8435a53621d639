/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store over SQLite: the names of statuses and kinds, the
 * handle's errors, transactions and store_exec(), the one runner every
 * statement goes through. See store.h for the contract, store_int.h for
 * how the parts share the handle and tuner/schema.sql for the tables.
 */
#include "store_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"

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

int store_fail(struct store *st, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return rc;
}

/* The error of the connection's last call, as a return code + message. */
int store_sql_fail(struct store *st, const char *what)
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
	return store_fail(st, rc, "%s: %s", what, sqlite3_errmsg(st->db));
}

bool store_ready(struct store *st)
{
	if (!st)
		return false;
	if (!st->db) {
		store_fail(st, -EINVAL, "store is not open");
		return false;
	}
	return true;
}

int store_exec_text(struct store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sql_fail(st, what);
	return 0;
}

/*
 * Transactions. The outermost level is BEGIN IMMEDIATE: it takes the
 * write lock up front (waiting up to the busy timeout), so two writers
 * never deadlock upgrading a read transaction. Inner levels are
 * savepoints, so a store_* call inside the caller's store_begin() undoes
 * only itself on failure and the caller decides about the rest.
 */
int store_tx_begin(struct store *st)
{
	int rc;

	rc = store_exec_text(st, st->depth ? "SAVEPOINT store_sp" : "BEGIN IMMEDIATE",
			     "begin transaction");
	if (!rc)
		st->depth++;
	return rc;
}

/* Commits when rc is 0, else rolls back; returns rc (or the commit's). */
int store_tx_end(struct store *st, int rc)
{
	st->depth--;
	if (!rc) {
		rc = store_exec_text(st, st->depth ? "RELEASE store_sp" : "COMMIT",
				     "commit");
		if (!rc)
			return 0;
	}
	/* Keep the first error's message: roll back without store_sql_fail(). */
	sqlite3_exec(st->db,
		     st->depth ? "ROLLBACK TO store_sp; RELEASE store_sp"
			       : "ROLLBACK",
		     NULL, NULL, NULL);
	return rc;
}

int store_begin(struct store *st)
{
	if (!store_ready(st))
		return -EINVAL;
	return store_tx_begin(st);
}

int store_commit(struct store *st)
{
	if (!store_ready(st))
		return -EINVAL;
	if (!st->depth)
		return store_fail(st, -EINVAL, "commit without store_begin");
	return store_tx_end(st, 0);
}

int store_rollback(struct store *st)
{
	if (!store_ready(st))
		return -EINVAL;
	if (!st->depth)
		return store_fail(st, -EINVAL, "rollback without store_begin");
	return store_tx_end(st, -ECANCELED) == -ECANCELED ? 0 : STORE_ESQL;
}

/* Binds one argument per letter of types (see store_int.h). */
static void bind_args(sqlite3_stmt *stmt, const char *types, va_list ap)
{
	const char *s;
	int i;

	for (i = 1; *types; types++, i++) {
		switch (*types) {
		case 'i':
			sqlite3_bind_int64(stmt, i, va_arg(ap, int64_t));
			break;
		case 'd':
			sqlite3_bind_double(stmt, i, va_arg(ap, double));
			break;
		default: /* 't' */
			s = va_arg(ap, const char *);
			if (s)
				sqlite3_bind_text(stmt, i, s, -1,
						  SQLITE_STATIC);
		}
	}
}

static int vexec(struct store *st, const char *what, struct store_rows *rows,
		 const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *stmt;
	int rc = 0, step;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return store_sql_fail(st, "prepare");
	bind_args(stmt, types, ap);
	if (rows)
		rows->n = 0;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!rows)
			continue;
		rows->n++;
		if (rows->fn)
			rc = rows->fn(st, stmt, rows->ctx);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_sql_fail(st, what);
	if (!rc && rows && rows->need_row && !rows->n)
		rc = store_sql_fail(st, what);
	sqlite3_finalize(stmt);
	return rc;
}

int store_exec(struct store *st, const char *what, struct store_rows *rows,
	       const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = vexec(st, what, rows, sql, types, ap);
	va_end(ap);
	return rc;
}

int store_exec_tx(struct store *st, const char *what, const char *sql,
		  const char *types, ...)
{
	va_list ap;
	int rc;

	rc = store_tx_begin(st);
	if (rc)
		return rc;
	va_start(ap, types);
	rc = vexec(st, what, NULL, sql, types, ap);
	va_end(ap);
	return store_tx_end(st, rc);
}

int store_column_status(struct store *st, sqlite3_stmt *stmt, int col,
			enum store_status *out)
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);

	if (store_status_parse(s, out))
		return store_fail(st, STORE_ESQL, "bad status '%s' in database",
				  s ? s : "(null)");
	return 0;
}

char *store_column_dup(sqlite3_stmt *stmt, int col, bool *oom)
{
	return str_dup_or_null((const char *)sqlite3_column_text(stmt, col),
			       oom);
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->err : "out of memory";
}

int store_migrations_applied(const struct store *st)
{
	return st ? st->migrated : 0;
}
