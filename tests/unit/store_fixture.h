/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the results-store unit tests share: a database file of their own
 * under /tmp per test (setup/teardown), a raw read or write behind the
 * store's back, an old schema version made by hand, and a store opened
 * for writing with one experiment.
 * Include after <cmocka.h>, <sqlite3.h> and "store.h".
 */
#ifndef UNITUNE_TEST_STORE_FIXTURE_H
#define UNITUNE_TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store_schema.h"
#include "tmpdb.h"

struct tmpdb {
	char path[64];
};

static inline int setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	if (tmpdb_create(t->path, sizeof(t->path), "store")) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static inline int teardown(void **state)
{
	struct tmpdb *t = *state;

	tmpdb_remove(t->path);
	free(t);
	return 0;
}

/* The first column of the first row of sql, read behind the store's back. */
static inline int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
			 SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* Run sql on path behind the store's back. */
static inline void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Run migrations 1..upto on path behind the store's back, then set
 * user_version to version (which may lie). */
static inline void raw_schema(const char *path, int upto, int version)
{
	sqlite3 *db;
	char sql[64];
	int n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (n = 1; n <= upto; n++) {
		const char *m;
		size_t len;
		char *text;

		assert_int_equal(store_migration_find(n, &m, &len), 0);
		text = strndup(m, len);
		assert_non_null(text);
		assert_int_equal(sqlite3_exec(db, text, NULL, NULL, NULL),
				 SQLITE_OK);
		free(text);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static inline struct store *open_ok(const char *path)
{
	struct store *st = NULL;
	int rc = store_open(path, &st);

	if (rc)
		fail_msg("store_open: %d %s", rc, store_errmsg(st));
	return st;
}

static inline int64_t new_experiment(struct store *st, const char *name)
{
	int64_t id = 0;

	assert_int_equal(store_experiment_create(st, name, "spaces/x.yaml",
						 "symbols: {}\n", &id),
			 0);
	assert_true(id > 0);
	return id;
}

#endif
