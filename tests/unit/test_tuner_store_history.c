/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The nightly history in the results store (tuner/store_history.c,
 * migration 7): repetitions appended without duplicates, series in
 * history order (commit time, then first insertion), failed commits
 * without values, environments kept apart, the metrics of a suite, a
 * suite's text kept once per version, and a version-6 store migrated
 * with its rows. Each test uses its own
 * database file under /tmp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_history.h"

#include "store_fixture.h"

/* Commits: full SHA-1s, a letter each. */
#define C(x) x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x \
	     x x x x x x x x

static struct history_env env_a(void)
{
	struct history_env e = {
		.host = "box", .cpu_model = "Xeon", .qemu_version = "8.2.2",
		.accelerator = "kvm",
	};

	history_fingerprint(&e);
	return e;
}

static void put_commit(struct store *st, const char *fp, const char *bench,
		       const char *commit, int64_t time, enum store_status s)
{
	struct history_commit c = {
		.fingerprint = fp, .suite = "nightly", .benchmark = bench,
		.commit = commit, .commit_time = time, .subject = "subject",
		.status = s, .reason = s == STORE_DONE ? "" : "it broke",
	};

	assert_int_equal(store_history_commit_put(st, &c), 0);
}

static void add(struct store *st, const char *fp, const char *commit,
		enum history_phase phase, double cycles, double rps)
{
	const struct history_sample s[] = {
		{ "boot_cycles", "cycles", STORE_DETERMINISTIC, cycles },
		{ "http.wrk.requests_per_s", "req/s", STORE_WALL, rps },
	};

	assert_int_equal(store_history_add(st, fp, "nightly", "b", commit,
					   phase, s, 2), 0);
}

static void series(struct store *st, const char *fp, const char *metric,
		   struct history_series *s)
{
	int rc = store_history_series(st, fp, "nightly", "b", metric, s);

	if (rc)
		fail_msg("store_history_series: %d %s", rc, store_errmsg(st));
}

static void test_fingerprint(void **state)
{
	struct history_env a = env_a(), b = env_a();

	(void)state;
	assert_int_equal(strlen(a.fingerprint), 64);
	assert_string_equal(a.fingerprint, b.fingerprint);
	/* Any field moves it. */
	b.accelerator = "tcg";
	history_fingerprint(&b);
	assert_string_not_equal(a.fingerprint, b.fingerprint);
	b = env_a();
	b.qemu_version = "8.2.3";
	history_fingerprint(&b);
	assert_string_not_equal(a.fingerprint, b.fingerprint);
	/* Fields do not run into each other: "box" "Xeon" is not "boxX"
	 * "eon". */
	b = env_a();
	b.host = "boxX";
	b.cpu_model = "eon";
	history_fingerprint(&b);
	assert_string_not_equal(a.fingerprint, b.fingerprint);
}

/* Adding twice appends repetitions; a repetition is never stored twice;
 * the environment and commit rows are written once. */
static void test_add_appends(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	struct history_env e = env_a();
	struct history_series s;

	assert_int_equal(store_history_env_put(st, &e), 0);
	assert_int_equal(store_history_env_put(st, &e), 0);
	put_commit(st, e.fingerprint, "b", C("a"), 100, STORE_DONE);
	put_commit(st, e.fingerprint, "b", C("a"), 100, STORE_DONE);
	add(st, e.fingerprint, C("a"), HISTORY_NIGHTLY, 1000, 50);
	add(st, e.fingerprint, C("a"), HISTORY_NIGHTLY, 1000, 52);
	add(st, e.fingerprint, C("a"), HISTORY_CONFIRM, 1000, 51);
	store_close(st);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "history_envs"), 1);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "history_commits"), 1);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "history_samples"), 6);
	assert_int_equal(raw_int(t->path, "SELECT max(repetition) FROM "
					  "history_samples WHERE metric = "
					  "'boot_cycles'"), 2);

	st = open_ok(t->path);
	series(st, e.fingerprint, "http.wrk.requests_per_s", &s);
	assert_string_equal(s.unit, "req/s");
	assert_int_equal(s.kind, STORE_WALL);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.points[0].commit, C("a"));
	assert_int_equal(s.points[0].n, 3);
	assert_true(s.points[0].values[0] == 50);
	assert_true(s.points[0].values[1] == 52);
	assert_true(s.points[0].values[2] == 51);
	assert_int_equal(s.points[0].phases[0], HISTORY_NIGHTLY);
	assert_int_equal(s.points[0].phases[2], HISTORY_CONFIRM);
	history_series_free(&s);

	/* The same repetition twice, behind the API's back: the key
	 * refuses it. */
	store_close(st);
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "INSERT INTO history_samples "
					      "(fingerprint, suite, benchmark, "
					      "git_commit, metric, repetition, "
					      "value, unit, kind, phase) SELECT "
					      "fingerprint, suite, benchmark, "
					      "git_commit, 'boot_cycles', 0, 1, "
					      "'cycles', 'deterministic', "
					      "'nightly' FROM history_commits",
					      NULL, NULL, NULL),
				 SQLITE_CONSTRAINT);
		sqlite3_close(db);
	}
}

/* Commits made in the same second keep the order they were first stored
 * in, whatever order later updates come in; a failed commit is a point
 * without values. */
static void test_series_order(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	struct history_env e = env_a();
	struct history_series s;
	const char *fp = e.fingerprint;

	assert_int_equal(store_history_env_put(st, &e), 0);
	put_commit(st, fp, "b", C("c"), 200, STORE_DONE);
	put_commit(st, fp, "b", C("d"), 200, STORE_DONE);
	put_commit(st, fp, "b", C("b"), 200, STORE_BUILD_FAILED);
	put_commit(st, fp, "b", C("a"), 100, STORE_DONE);
	put_commit(st, fp, "b", C("e"), 300, STORE_DONE);
	add(st, fp, C("e"), HISTORY_NIGHTLY, 5, 0.5);
	add(st, fp, C("d"), HISTORY_NIGHTLY, 4, 0.5);
	add(st, fp, C("c"), HISTORY_NIGHTLY, 3, 0.5);
	add(st, fp, C("a"), HISTORY_NIGHTLY, 1, 0.5);
	/* An update keeps the first insertion's place. */
	put_commit(st, fp, "b", C("c"), 200, STORE_DONE);

	series(st, fp, "boot_cycles", &s);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.points[0].commit, C("a"));
	assert_string_equal(s.points[1].commit, C("c"));
	assert_string_equal(s.points[2].commit, C("d"));
	assert_string_equal(s.points[3].commit, C("b"));
	assert_string_equal(s.points[4].commit, C("e"));
	assert_true(s.points[0].values[0] == 1);
	assert_true(s.points[1].values[0] == 3);
	assert_true(s.points[2].values[0] == 4);
	assert_true(s.points[4].values[0] == 5);
	assert_int_equal(s.points[1].commit_time, 200);
	assert_string_equal(s.points[1].subject, "subject");
	assert_string_equal(s.points[1].reason, "");
	/* The unbuildable one. */
	assert_int_equal(s.points[3].status, STORE_BUILD_FAILED);
	assert_string_equal(s.points[3].reason, "it broke");
	assert_int_equal(s.points[3].n, 0);
	assert_null(s.points[3].values);
	assert_string_equal(s.unit, "cycles");
	assert_int_equal(s.kind, STORE_DETERMINISTIC);
	history_series_free(&s);

	/* A status update: the row is the same, its outcome new. */
	put_commit(st, fp, "b", C("b"), 200, STORE_DONE);
	series(st, fp, "boot_cycles", &s);
	assert_int_equal(s.points[3].status, STORE_DONE);
	assert_string_equal(s.points[3].reason, "");
	history_series_free(&s);

	/* A metric never measured: every commit, no values. */
	series(st, fp, "min_mem", &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.points[0].n, 0);
	assert_string_equal(s.unit, "");
	history_series_free(&s);
	store_close(st);
}

static int count_metric(void *ctx, const char *benchmark, const char *metric,
			const char *unit, enum store_kind kind)
{
	char *buf = ctx;
	size_t n = strlen(buf);

	snprintf(buf + n, 512 - n, "%s/%s/%s/%s;", benchmark, metric, unit,
		 store_kind_name(kind));
	return 0;
}

static int stop_at_first(void *ctx, const char *benchmark,
			 const char *metric, const char *unit,
			 enum store_kind kind)
{
	(void)benchmark;
	(void)metric;
	(void)unit;
	(void)kind;
	++*(int *)ctx;
	return 7;
}

/* Results of another host, or another QEMU, are another history. */
static void test_fingerprints_apart(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	struct history_env a = env_a(), b = env_a(), bad = env_a();
	struct history_series s;
	const struct history_sample one = {
		"min_mem", "KiB", STORE_DETERMINISTIC, 2048,
	};
	char list[512] = "";
	int calls = 0;

	b.qemu_version = "9.0.0";
	history_fingerprint(&b);
	assert_int_equal(store_history_env_put(st, &a), 0);
	assert_int_equal(store_history_env_put(st, &b), 0);
	put_commit(st, a.fingerprint, "b", C("a"), 100, STORE_DONE);
	put_commit(st, b.fingerprint, "b", C("a"), 100, STORE_DONE);
	put_commit(st, b.fingerprint, "other", C("a"), 100, STORE_DONE);
	add(st, a.fingerprint, C("a"), HISTORY_NIGHTLY, 10, 1);
	add(st, b.fingerprint, C("a"), HISTORY_NIGHTLY, 20, 2);
	add(st, b.fingerprint, C("a"), HISTORY_BISECT, 21, 3);
	assert_int_equal(store_history_add(st, b.fingerprint, "nightly",
					   "other", C("a"), HISTORY_NIGHTLY,
					   &one, 1), 0);

	series(st, a.fingerprint, "boot_cycles", &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.points[0].n, 1);
	assert_true(s.points[0].values[0] == 10);
	history_series_free(&s);
	series(st, b.fingerprint, "boot_cycles", &s);
	assert_int_equal(s.points[0].n, 2);
	assert_true(s.points[0].values[0] == 20);
	assert_int_equal(s.points[0].phases[1], HISTORY_BISECT);
	history_series_free(&s);

	assert_int_equal(store_history_metrics(st, a.fingerprint, "nightly",
					       count_metric, list), 0);
	assert_string_equal(list, "b/boot_cycles/cycles/deterministic;"
			    "b/http.wrk.requests_per_s/req/s/wall;");
	list[0] = '\0';
	assert_int_equal(store_history_metrics(st, b.fingerprint, "nightly",
					       count_metric, list), 0);
	assert_string_equal(list, "b/boot_cycles/cycles/deterministic;"
			    "b/http.wrk.requests_per_s/req/s/wall;"
			    "other/min_mem/KiB/deterministic;");
	assert_int_equal(store_history_metrics(st, b.fingerprint, "nightly",
					       stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);

	/* An environment must be stored before its commits, and its
	 * fingerprint must be its fields'. */
	bad.accelerator = "tcg";
	history_fingerprint(&bad);
	{
		struct history_commit c = {
			.fingerprint = bad.fingerprint, .suite = "nightly",
			.benchmark = "b", .commit = C("a"), .subject = "",
			.status = STORE_DONE,
		};

		assert_int_equal(store_history_commit_put(st, &c), -ENOENT);
		c.fingerprint = a.fingerprint;
		c.commit = "abc";
		assert_int_equal(store_history_commit_put(st, &c), -EINVAL);
	}
	bad.host = "elsewhere";
	assert_int_equal(store_history_env_put(st, &bad), -EINVAL);
	assert_non_null(strstr(store_errmsg(st), "is not the one of its"));
	/* Samples need their commit row; a bad one stores nothing. */
	assert_int_equal(store_history_add(st, a.fingerprint, "nightly", "b",
					   C("f"), HISTORY_NIGHTLY, &one, 1),
			 -ENOENT);
	{
		const struct history_sample two[] = {
			{ "min_mem", "KiB", STORE_DETERMINISTIC, 1 },
			{ "boot_cycles", "cycles", STORE_DETERMINISTIC,
			  INFINITY },
		};

		assert_int_equal(store_history_add(st, a.fingerprint,
						   "nightly", "b", C("a"),
						   HISTORY_NIGHTLY, two, 2),
				 -EINVAL);
	}
	store_close(st);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "history_samples WHERE benchmark = "
					  "'b' AND metric = 'min_mem'"), 0);
}

/* A version-6 store (before the history) is migrated with its rows. */
static void test_migrate_from_6(void **state)
{
	struct tmpdb *t = *state;
	struct history_env e = env_a();
	struct history_series s;
	struct store *st;

	raw_schema(t->path, 6, 6);
	raw_exec(t->path, "INSERT INTO experiments (name, space_path, "
		 "space_text) VALUES ('old', 'a.yaml', 'x');");
	st = open_ok(t->path);
	assert_true(store_schema_latest() >= 7);
	assert_int_equal(store_migrations_applied(st),
			 store_schema_latest() - 6);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(store_experiment_find(st, "old", NULL), 0);
	assert_int_equal(store_history_env_put(st, &e), 0);
	put_commit(st, e.fingerprint, "b", C("a"), 1, STORE_DONE);
	add(st, e.fingerprint, C("a"), HISTORY_NIGHTLY, 3, 4);
	series(st, e.fingerprint, "boot_cycles", &s);
	assert_int_equal(s.n, 1);
	history_series_free(&s);
	store_close(st);
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_schema_latest());
}

/* A suite's text is kept once per version. */
static void test_suite_text(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	char one[65], two[65], again[65];

	assert_int_equal(store_history_suite_put(st, "nightly", "a: 1\n",
						 one), 0);
	assert_int_equal(store_history_suite_put(st, "nightly", "a: 1\n",
						 again), 0);
	assert_int_equal(store_history_suite_put(st, "nightly", "a: 2\n",
						 two), 0);
	assert_int_equal(store_history_suite_put(st, "other", "a: 1\n",
						 NULL), 0);
	assert_string_equal(one, again);
	assert_string_not_equal(one, two);
	assert_int_equal(strlen(one), 64);
	assert_int_equal(store_history_suite_put(st, "", "x", NULL), -EINVAL);
	store_close(st);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "history_suites"), 3);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM "
					  "history_suites WHERE suite = "
					  "'nightly'"), 2);
}

static void test_phase_names(void **state)
{
	(void)state;
	assert_string_equal(history_phase_name(HISTORY_NIGHTLY), "nightly");
	assert_string_equal(history_phase_name(HISTORY_CONFIRM), "confirm");
	assert_string_equal(history_phase_name(HISTORY_BISECT), "bisect");
	assert_null(history_phase_name((enum history_phase)3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fingerprint),
	    cmocka_unit_test(test_phase_names),
	    cmocka_unit_test_setup_teardown(test_add_appends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_series_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fingerprints_apart, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_suite_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_from_6, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
