/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to the store (store_open.c, store_schema.c): the embedded
 * migrations and what a Unitune store looks like at each schema version,
 * so a file can be recognised (or refused) before anything is written to
 * it.
 */
#ifndef UNITUNE_STORE_SCHEMA_H
#define UNITUNE_STORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

/* Migration n of tuner/schema.sql: len bytes at *start. 0 or -ENOENT. */
int store_migration_find(int n, const char **start, size_t *len);

/*
 * Does db look like a Unitune store at schema version v (its
 * user_version, 0..latest)? It must hold every table and index that
 * migrations 1..v create, and none that a later migration creates (tables
 * of the user's own are allowed). Only reads db. 0 and *empty true when db holds
 * no schema at all (v 0, nothing in it: a new or 0-byte file), 0 and
 * *empty false for a store at v, -EINVAL with why ("... lacks table X",
 * "has table Y, which version 1 lacks") when it is something else,
 * -ENOMEM or STORE_ESQL (why says).
 */
int store_schema_identify(sqlite3 *db, int v, bool *empty, char *why,
			  size_t why_len);

#endif
