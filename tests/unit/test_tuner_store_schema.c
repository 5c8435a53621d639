/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which files the results store takes: migrations from older schema
 * versions, files that are not stores (left byte for byte as they were),
 * versions that lie about their tables, and read-only handles. Each test
 * uses its own database file under /tmp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store_schema.h"

#include "store_fixture.h"

struct snapshot {
	char bytes[1 << 18];	/* a store of every migration is ~80 KiB */
	size_t len;
	struct timespec mtime;
};

static void snap(const char *path, struct snapshot *s)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	s->len = fread(s->bytes, 1, sizeof(s->bytes), f);
	assert_true(s->len < sizeof(s->bytes));
	fclose(f);
	assert_int_equal(stat(path, &sb), 0);
	s->mtime = sb.st_mtim;
}

static void assert_unchanged(const char *path, const struct snapshot *before)
{
	static struct snapshot now;

	snap(path, &now);
	assert_int_equal(now.len, before->len);
	assert_memory_equal(now.bytes, before->bytes, now.len);
	assert_int_equal(now.mtime.tv_sec, before->mtime.tv_sec);
	assert_int_equal(now.mtime.tv_nsec, before->mtime.tv_nsec);
}

/* An experiment and its variant in an old store (schema 1 and up). */
#define OLD_ROWS                                                     \
	"INSERT INTO experiments (name, space_path, space_text) "    \
	"VALUES ('old', 'a.yaml', 'x');"                             \
	"INSERT INTO variants (experiment_id, config_hash, requested, " \
	"resolved) VALUES (1, 'h', 'CONFIG_A=y\n', 'r');"

static void expect_refused(const char *path, int rc, const char *msg)
{
	struct store *st = NULL;

	assert_int_equal(store_open_readonly(path, &st), rc);
	assert_non_null(st);
	if (!strstr(store_errmsg(st), msg))
		fail_msg("read-only open of %s: got '%s', want '%s'", path,
			 store_errmsg(st), msg);
	assert_int_equal(store_experiment_find(st, "x", NULL), -EINVAL);
	store_close(st);
}

/* Reading a 0-byte file writes nothing into it. */
static void test_readonly_empty_file(void **state)
{
	static struct snapshot before;
	struct tmpdb *t = *state;

	snap(t->path, &before);
	assert_int_equal(before.len, 0);
	expect_refused(t->path, STORE_ENOTSTORE,
		       "not a Unitune store (an empty file)");
	assert_unchanged(t->path, &before);
	/* An empty database (a file SQLite made, nothing in it). */
	raw_schema(t->path, 0, 0);
	snap(t->path, &before);
	expect_refused(t->path, STORE_ENOTSTORE, "(an empty database)");
	assert_unchanged(t->path, &before);
}

static void test_not_a_store(void **state)
{
	static struct snapshot before;
	struct tmpdb *t = *state;
	struct store *st = NULL;
	FILE *f = fopen(t->path, "w");

	/* Text. */
	assert_non_null(f);
	fputs("CONFIG_A=y\nthis is no database, and it is long enough for "
	      "SQLite to read a header from it............................"
	      "...........................................................\n",
	      f);
	fclose(f);
	snap(t->path, &before);
	expect_refused(t->path, STORE_ENOTSTORE,
		       "not a Unitune store (not an SQLite database)");
	assert_int_equal(store_open(t->path, &st), STORE_ENOTSTORE);
	store_close(st);
	assert_unchanged(t->path, &before);

	/* Someone else's database: neither verb touches it, the writer
	 * does not even switch it to WAL. */
	unlink(t->path);
	raw_exec(t->path, "CREATE TABLE mine (x)");
	snap(t->path, &before);
	expect_refused(t->path, STORE_ENOTSTORE,
		       "not a Unitune store: it holds tables but no Unitune "
		       "schema version (user_version 0)");
	assert_int_equal(store_open(t->path, &st), STORE_ENOTSTORE);
	assert_non_null(strstr(store_errmsg(st), t->path));
	store_close(st);
	assert_unchanged(t->path, &before);
	assert_int_equal(raw_int(t->path, "SELECT journal_mode = 'delete' "
					  "FROM pragma_journal_mode"), 1);

	/* Not regular files. */
	expect_refused("/tmp", STORE_ENOTSTORE,
		       "/tmp: not a Unitune store (a directory, not a regular "
		       "file)");
	expect_refused("/dev/zero", STORE_ENOTSTORE, "a character device");
	assert_int_equal(store_open("/dev/zero", &st), STORE_ENOTSTORE);
	store_close(st);
	expect_refused("/tmp/unitune-no-such.db", -ENOENT, "no such file");
}

/* A version-1 store (before points): readers name the version and how
 * to migrate, without writing; the writer migrates it, rows kept. */
static void test_version1_migrated(void **state)
{
	static struct snapshot before;
	struct tmpdb *t = *state;
	struct store *st;

	raw_schema(t->path, 1, 1);
	raw_exec(t->path, OLD_ROWS);
	snap(t->path, &before);
	expect_refused(t->path, STORE_ETOOOLD, "the store is schema version 1 "
		       "and this unitune reads version");
	expect_refused(t->path, STORE_ETOOOLD, "run `unitune tune SPACE --db");
	assert_unchanged(t->path, &before);

	st = open_ok(t->path);
	assert_int_equal(store_migrations_applied(st),
			 store_schema_latest() - 1);
	store_close(st);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_schema_latest());
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM points WHERE "
					  "requested = 'CONFIG_A=y\n'"), 1);
	assert_int_equal(store_open_readonly(t->path, &st), 0);
	assert_int_equal(store_experiment_find(st, "old", NULL), 0);
	store_close(st);
}

/* A version-3 store (builds.image_size): the writer migrates it, the
 * build's file size kept under its new name file_bytes. */
static void test_version3_build_size_renamed(void **state)
{
	struct tmpdb *t = *state;
	struct store_build b;
	struct store *st;

	raw_schema(t->path, 3, 3);
	raw_exec(t->path, OLD_ROWS
		 "INSERT INTO builds (variant_id, image_path, image_size, "
		 "build_seconds) VALUES (1, 'a.elf', 4242, 1.5);");
	expect_refused(t->path, STORE_ETOOOLD, "the store is schema version 3 "
		       "and this unitune reads version");

	st = open_ok(t->path);
	assert_int_equal(store_build_for_variant(st, 1, &b), 0);
	assert_string_equal(b.image_path, "a.elf");
	assert_int_equal(b.file_bytes, 4242);
	store_build_release(&b);
	store_close(st);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_schema_latest());
	assert_int_equal(raw_int(t->path, "SELECT file_bytes FROM builds"),
			 4242);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "pragma_table_info('builds') WHERE "
					  "name = 'image_size'"), 0);
}

/* A user_version that lies about the tables is refused by name, with
 * nothing applied (it used to fail with "table already exists"). */
static void test_version_lies(void **state)
{
	static struct snapshot before;
	struct tmpdb *t = *state;
	struct store *st = NULL;
	int latest = store_schema_latest();
	char want[128];

	raw_schema(t->path, 2, 1);
	snap(t->path, &before);
	assert_int_equal(store_open(t->path, &st), STORE_ENOTSTORE);
	assert_non_null(strstr(store_errmsg(st), "user_version says schema "
			       "version 1, but it has table points, which "
			       "that version lacks"));
	store_close(st);
	expect_refused(t->path, STORE_ENOTSTORE, "has table points");
	assert_unchanged(t->path, &before);

	unlink(t->path);
	raw_schema(t->path, latest, 0);
	snap(t->path, &before);
	assert_int_equal(store_open(t->path, &st), STORE_ENOTSTORE);
	assert_non_null(strstr(store_errmsg(st), "it holds tables but no "
			       "Unitune schema version"));
	store_close(st);
	assert_unchanged(t->path, &before);

	/* Tables missing for the version claimed. */
	unlink(t->path);
	raw_schema(t->path, 1, 2);
	snprintf(want, sizeof(want), "user_version says schema version %d, "
		 "but it lacks table points", 2);
	expect_refused(t->path, STORE_ENOTSTORE, want);
	assert_int_equal(store_open(t->path, &st), STORE_ENOTSTORE);
	store_close(st);
}

/* A table of the user's own (an imported export, say) is no reason to
 * refuse a store; both opens accept it and migrations leave it alone. */
static void test_user_table_allowed(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = NULL;

	raw_schema(t->path, store_schema_latest(), store_schema_latest());
	raw_exec(t->path, "CREATE TABLE exported (x)");
	assert_int_equal(store_open_readonly(t->path, &st), 0);
	store_close(st);
	st = NULL;
	assert_int_equal(store_open(t->path, &st), 0);
	store_close(st);
}

/* Read-only handles read, and refuse to write. */
static void test_readonly_reads(void **state)
{
	static struct snapshot before;
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t id = new_experiment(st, "e"), found = 0;

	store_close(st);
	snap(t->path, &before);
	assert_int_equal(store_open_readonly(t->path, &st), 0);
	assert_int_equal(store_experiment_find(st, "e", &found), 0);
	assert_int_equal(found, id);
	assert_int_not_equal(store_experiment_set_status(st, id, "done"), 0);
	store_close(st);
	assert_unchanged(t->path, &before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_readonly_empty_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_version1_migrated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_version3_build_size_renamed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_user_table_allowed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_version_lies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_reads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
