/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the results store: what its parts share. store.c holds the
 * handle's errors, transactions and the one statement runner;
 * store_open.c opens and migrates; store_write.c and store_read.c hold
 * the writes and the reads. Not for other users (see store.h).
 */
#ifndef UNITUNE_STORE_INT_H
#define UNITUNE_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"
#include "why.h"

struct store {
	sqlite3 *db;  /* NULL when store_open() failed */
	int depth;    /* open transaction + savepoint levels */
	int migrated; /* migrations applied by store_open() */
	char err[UNITUNE_WHY_MAX];
};

/* Sets the handle's message; returns rc. */
__attribute__((format(printf, 3, 4))) int store_fail(struct store *st,
						     int rc, const char *fmt,
						     ...);

/* The error of the connection's last call, as a return code + message. */
int store_sql_fail(struct store *st, const char *what);

/* Is st an open handle? Sets the message when not. */
bool store_ready(struct store *st);

/* Runs SQL text without parameters or rows. */
int store_exec_text(struct store *st, const char *sql, const char *what);

/* Transactions (nested levels are savepoints): see store.c. */
int store_tx_begin(struct store *st);
int store_tx_end(struct store *st, int rc);

/*
 * What store_exec() does with each row: fn (may be NULL) gets it and
 * stops the statement by returning non-zero; n counts the rows seen.
 * With need_row, a statement that gives no row is an error ("WHAT: ...").
 */
struct store_rows {
	int (*fn)(struct store *st, sqlite3_stmt *row, void *ctx);
	void *ctx;
	int64_t n;
	bool need_row;
};

/*
 * Prepares sql, binds one argument per letter of types ('i' int64_t,
 * 'd' double, 't' text, NULL binding NULL) to ?1, ?2, ... and steps it
 * to the end, handing each row to rows (NULL: none expected). Returns 0,
 * the row function's non-zero return, or an error whose message is
 * "prepare: ..." when the statement does not compile and "WHAT: ..."
 * when a step fails.
 */
int store_exec(struct store *st, const char *what, struct store_rows *rows,
	       const char *sql, const char *types, ...);

/*
 * store_exec() without rows, as a transaction of its own (a savepoint
 * inside the caller's store_begin()): a write that fails leaves nothing.
 */
int store_exec_tx(struct store *st, const char *what, const char *sql,
		  const char *types, ...);

/* A status column of the current row, checked. */
int store_column_status(struct store *st, sqlite3_stmt *stmt, int col,
			enum store_status *out);

/*
 * A copy of a text column (NULL stays NULL). *oom is set when the copy
 * failed, so a caller reads every column and checks once.
 */
char *store_column_dup(sqlite3_stmt *stmt, int col, bool *oom);

#endif
