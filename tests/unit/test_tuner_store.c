/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store: migrations, upsert by config hash, runs, atomicity
 * (a failing row, a killed writer), two handles on one WAL file, and bad
 * inputs. Each test uses its own database file under /tmp.
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

struct tmpdb {
	char path[64];
};

static int setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof(*t));
	int fd;

	if (!t)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/unitune-store-XXXXXX");
	fd = mkstemp(t->path);
	if (fd < 0) {
		free(t);
		return -1;
	}
	close(fd);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tmpdb *t = *state;
	char p[80];

	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	free(t);
	return 0;
}

/* The first column of the first row of sql, read behind the store's back. */
static int64_t raw_int(const char *path, const char *sql)
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

static struct store *open_ok(const char *path)
{
	struct store *st = NULL;
	int rc = store_open(path, &st);

	if (rc)
		fail_msg("store_open: %d %s", rc, store_errmsg(st));
	return st;
}

static int64_t new_experiment(struct store *st, const char *name)
{
	int64_t id = 0;

	assert_int_equal(store_experiment_create(st, name, "spaces/x.yaml",
						 "symbols: {}\n", &id),
			 0);
	assert_true(id > 0);
	return id;
}

static void test_schema_created(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);

	assert_true(store_schema_latest() >= 1);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(store_migrations_applied(st), store_schema_latest());
	store_close(st);

	assert_int_equal(raw_int(t->path, "PRAGMA user_version"),
			 store_schema_latest());
	assert_int_equal(
	    raw_int(t->path, "SELECT count(*) FROM sqlite_master WHERE "
			     "type = 'table' AND name IN ('experiments', "
			     "'variants', 'builds', 'runs', 'environment')"),
	    5);
	/* WAL is persistent: a plain open sees it. */
	assert_int_equal(raw_int(t->path, "SELECT journal_mode = 'wal' FROM "
					  "pragma_journal_mode"),
			 1);
}

static void test_reopen_keeps_data(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t id, found = 0;

	id = new_experiment(st, "sweep1");
	store_close(st);

	st = open_ok(t->path);
	assert_int_equal(store_migrations_applied(st), 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(store_experiment_find(st, "sweep1", &found), 0);
	assert_int_equal(found, id);
	assert_int_equal(store_experiment_create(st, "sweep1", "p", "t", NULL),
			 -EEXIST);
	assert_non_null(strstr(store_errmsg(st), "sweep1"));
	assert_int_equal(store_experiment_find(st, "nope", &found), -ENOENT);
	assert_int_equal(store_experiment_set_status(st, id, "done"), 0);
	store_close(st);
}

static void test_too_new_refused(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = NULL;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_open(t->path, &st), STORE_ETOONEW);
	assert_non_null(st);
	assert_non_null(strstr(store_errmsg(st), "newer"));
	assert_non_null(strstr(store_errmsg(st), "99"));
	assert_non_null(strstr(store_errmsg(st), t->path));
	/* The failed handle answers every call with an error. */
	assert_int_equal(store_experiment_find(st, "x", NULL), -EINVAL);
	store_close(st);

	/* Left alone: still 99, nothing created. */
	assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 99);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM sqlite_master"),
			 0);
}

struct collect {
	int n;
	int64_t ids[8];
	enum store_status status[8];
	struct {
		char metric[32];
		double value;
		char unit[16];
		int rep;
		enum store_kind kind;
		char accel[8];
	} runs[8];
};

static int collect_variant(void *ctx, const struct store_variant *v)
{
	struct collect *c = ctx;

	assert_true(c->n < 8);
	c->ids[c->n] = v->id;
	c->status[c->n] = v->status;
	c->n++;
	return 0;
}

static int collect_run(void *ctx, const struct store_run *r)
{
	struct collect *c = ctx;

	assert_true(c->n < 8);
	snprintf(c->runs[c->n].metric, sizeof(c->runs[0].metric), "%s",
		 r->metric);
	snprintf(c->runs[c->n].unit, sizeof(c->runs[0].unit), "%s", r->unit);
	snprintf(c->runs[c->n].accel, sizeof(c->runs[0].accel), "%s", r->accel);
	c->runs[c->n].value = r->value;
	c->runs[c->n].rep = r->repetition;
	c->runs[c->n].kind = r->kind;
	c->n++;
	return 0;
}

static int stop_at_first(void *ctx, const struct store_variant *v)
{
	(void)ctx;
	(void)v;
	return 42;
}

static void test_upsert_same_hash(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e"), exp2 = new_experiment(st, "e2");
	int64_t a, b, c, d;
	enum store_status s = STORE_DONE;
	struct collect col = {0};

	assert_int_equal(
	    store_variant_upsert(st, exp, "h1", "A=y", "A=y\n", &a, &s), 1);
	assert_int_equal(s, STORE_PENDING);
	assert_int_equal(store_variant_set_status(st, a, STORE_DONE, NULL), 0);

	/* Other options that resolve to the same config: the same row. */
	assert_int_equal(
	    store_variant_upsert(st, exp, "h1", "A=y B=n", "A=y\n", &b, &s), 0);
	assert_int_equal(b, a);
	assert_int_equal(s, STORE_DONE);

	assert_int_equal(
	    store_variant_upsert(st, exp, "h2", "B=y", "B=y\n", &c, NULL), 1);
	assert_int_not_equal(c, a);
	assert_int_equal(store_variant_set_status(st, c, STORE_BUILD_FAILED,
						  "cc: error: boom\n"),
			 0);
	/* The hash is unique per experiment, not globally. */
	assert_int_equal(
	    store_variant_upsert(st, exp2, "h1", "A=y", "A=y\n", &d, &s), 1);
	assert_int_not_equal(d, a);
	assert_int_equal(store_variant_upsert(st, 999, "h1", "", "", &d, &s),
			 -ENOENT);

	/* What resume asks: which are done, which failed. */
	assert_int_equal(store_variants_by_status(st, exp, STORE_DONE,
						  collect_variant, &col),
			 0);
	assert_int_equal(col.n, 1);
	assert_int_equal(col.ids[0], a);
	col.n = 0;
	assert_int_equal(store_variants_by_status(st, exp, STORE_STATUS_ANY,
						  collect_variant, &col),
			 0);
	assert_int_equal(col.n, 2);
	assert_int_equal(col.status[1], STORE_BUILD_FAILED);
	assert_int_equal(store_variants_by_status(st, exp, STORE_STATUS_ANY,
						  stop_at_first, NULL),
			 42);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM variants WHERE "
					  "log_tail = 'cc: error: boom\n'"),
			 1);
	store_close(st);
}

static void test_runs_round_trip(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e"), v;
	struct collect col = {0};
	const struct store_run runs[] = {
	    {"boot_cycles", 123456789, "cycles", 0, STORE_DETERMINISTIC, "tcg"},
	    {"rps", 10500.5, "req/s", 0, STORE_WALL, "kvm"},
	    {"rps", 10498.25, "req/s", 1, STORE_WALL, "kvm"},
	};

	assert_int_equal(store_variant_upsert(st, exp, "h", "", "", &v, NULL),
			 1);
	assert_int_equal(
	    store_build_add(st, v, "/tmp/x/hello.elf", 123456, 12.5, NULL), 0);
	assert_int_equal(store_runs_add(st, v, runs, 3), 0);
	assert_int_equal(store_run_add(st, v, "image_bytes", 123456, "B", 0,
				       STORE_DETERMINISTIC, "tcg"),
			 0);
	assert_int_equal(store_env_set(st, exp, "abc123", "h1", "7.2", "cpu"),
			 0);
	assert_int_equal(store_env_set(st, exp, "def456", "h1", "7.2", "cpu"),
			 0);
	assert_int_equal(store_env_set(st, 999, "x", "x", "x", "x"), -ENOENT);

	assert_int_equal(store_runs_for_variant(st, v, collect_run, &col), 0);
	assert_int_equal(col.n, 4);
	/* By metric, then repetition. */
	assert_string_equal(col.runs[0].metric, "boot_cycles");
	assert_int_equal(col.runs[0].kind, STORE_DETERMINISTIC);
	assert_true(col.runs[0].value == 123456789.0);
	assert_string_equal(col.runs[0].unit, "cycles");
	assert_string_equal(col.runs[0].accel, "tcg");
	assert_string_equal(col.runs[1].metric, "image_bytes");
	assert_string_equal(col.runs[2].metric, "rps");
	assert_int_equal(col.runs[2].rep, 0);
	assert_int_equal(col.runs[2].kind, STORE_WALL);
	assert_true(col.runs[2].value == 10500.5);
	assert_string_equal(col.runs[2].accel, "kvm");
	assert_int_equal(col.runs[3].rep, 1);
	assert_true(col.runs[3].value == 10498.25);
	store_close(st);

	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM environment"),
			 1);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM environment "
					  "WHERE git_commit = 'def456'"),
			 1);
	assert_int_equal(raw_int(t->path, "SELECT file_bytes FROM builds"),
			 123456);
}

static void test_failed_write_leaves_nothing(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e"), v;
	struct collect col = {0};
	const struct store_run dup[] = {
	    {"rps", 1, "req/s", 0, STORE_WALL, "kvm"},
	    {"rps", 2, "req/s", 1, STORE_WALL, "kvm"},
	    {"rps", 3, "req/s", 0, STORE_WALL, "kvm"}, /* rep 0 again */
	    {"rps", 4, "req/s", 2, STORE_WALL, "kvm"},
	};
	const struct store_run ok = {"rps", 5, "req/s", 0, STORE_WALL, "kvm"};

	assert_int_equal(store_variant_upsert(st, exp, "h", "", "", &v, NULL),
			 1);
	assert_int_equal(store_runs_add(st, v, dup, 4), -EEXIST);
	assert_non_null(strstr(store_errmsg(st), "repetition 0"));
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM runs"), 0);

	/* A caller's transaction: status + runs together, or neither. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_variant_set_status(st, v, STORE_DONE, NULL), 0);
	assert_int_equal(store_runs_add(st, v, dup, 4), -EEXIST);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_variants_by_status(st, exp, STORE_PENDING,
						  collect_variant, &col),
			 0);
	assert_int_equal(col.n, 1);

	/* Inside it, a failed call undoes only itself. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_variant_set_status(st, v, STORE_DONE, NULL), 0);
	assert_int_equal(store_runs_add(st, v, dup, 4), -EEXIST);
	assert_int_equal(store_runs_add(st, v, &ok, 1), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM variants "
					  "WHERE status = 'done'"),
			 1);

	/* A foreign key failure is a clear -ENOENT, and also leaves nothing. */
	assert_int_equal(
	    store_run_add(st, 999, "x", 1, "", 0, STORE_WALL, "kvm"), -ENOENT);
	assert_int_equal(store_build_add(st, 999, "p", 1, 1, NULL), -ENOENT);
	store_close(st);
}

/* A writer killed mid-transaction: the next open sees none of it. */
static void test_killed_writer_leaves_nothing(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e");
	int status;
	pid_t pid;

	store_close(st);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *cst = NULL;
		int64_t v;

		if (store_open(t->path, &cst) || store_begin(cst) ||
		    store_variant_upsert(cst, exp, "h", "", "", &v, NULL) !=
			1 ||
		    store_run_add(cst, v, "m", 1, "", 0, STORE_WALL, "kvm"))
			_exit(1);
		raise(SIGKILL);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	st = open_ok(t->path);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM variants"), 0);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM runs"), 0);
	/* And the database is writable again. */
	assert_int_equal(store_variant_upsert(st, exp, "h", "", "", NULL, NULL),
			 1);
	store_close(st);
}

static void test_two_handles(void **state)
{
	struct tmpdb *t = *state;
	struct store *a = open_ok(t->path);
	struct store *b = open_ok(t->path);
	struct collect col = {0};
	int64_t exp, found, v;

	assert_int_equal(store_migrations_applied(b), 0);
	exp = new_experiment(a, "shared");
	assert_int_equal(store_experiment_find(b, "shared", &found), 0);
	assert_int_equal(found, exp);

	/* A's open write transaction does not block B's reads (WAL). */
	assert_int_equal(store_begin(a), 0);
	assert_int_equal(store_variant_upsert(a, exp, "h", "", "", &v, NULL),
			 1);
	assert_int_equal(store_variants_by_status(b, exp, STORE_STATUS_ANY,
						  collect_variant, &col),
			 0);
	assert_int_equal(col.n, 0);
	assert_int_equal(store_commit(a), 0);
	assert_int_equal(store_variants_by_status(b, exp, STORE_STATUS_ANY,
						  collect_variant, &col),
			 0);
	assert_int_equal(col.n, 1);

	/* And B writes what A reads. */
	assert_int_equal(
	    store_run_add(b, v, "m", 7, "", 0, STORE_DETERMINISTIC, "tcg"), 0);
	col.n = 0;
	assert_int_equal(store_runs_for_variant(a, v, collect_run, &col), 0);
	assert_int_equal(col.n, 1);
	store_close(a);
	store_close(b);
}

static void test_bad_inputs(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = NULL;
	enum store_status s;
	enum store_kind k;
	int64_t exp, v;
	struct store_run bad = {"m", 1, "", 0, STORE_WALL, "kvm"};

	assert_int_equal(store_open(t->path, NULL), -EINVAL);
	assert_int_equal(store_open(NULL, &st), -EINVAL);
	assert_non_null(st);
	assert_string_not_equal(store_errmsg(st), "");
	store_close(st);
	assert_int_not_equal(store_open("/", &st), 0);
	assert_string_not_equal(store_errmsg(st), "");
	store_close(st);
	store_close(NULL);
	assert_non_null(store_errmsg(NULL));

	assert_int_equal(store_status_parse("finished", &s), -EINVAL);
	assert_int_equal(store_status_parse(NULL, &s), -EINVAL);
	assert_int_equal(store_status_parse("bench_failed", &s), 0);
	assert_int_equal(s, STORE_BENCH_FAILED);
	assert_string_equal(store_status_name(STORE_TIMEOUT), "timeout");
	assert_null(store_status_name(STORE_STATUS_COUNT));
	assert_int_equal(store_kind_parse("noisy", &k), -EINVAL);
	assert_int_equal(store_kind_parse("wall", &k), 0);
	assert_int_equal(k, STORE_WALL);

	assert_int_equal(store_experiment_create(NULL, "x", "p", "t", NULL),
			 -EINVAL);
	assert_int_equal(store_experiment_find(NULL, "x", NULL), -EINVAL);

	st = open_ok(t->path);
	assert_int_equal(store_experiment_create(st, NULL, "p", "t", NULL),
			 -EINVAL);
	assert_int_equal(store_experiment_create(st, "", "p", "t", NULL),
			 -EINVAL);
	assert_int_equal(store_experiment_create(st, "x", NULL, "t", NULL),
			 -EINVAL);
	assert_int_equal(store_experiment_find(st, NULL, NULL), -EINVAL);
	exp = new_experiment(st, "e");
	assert_int_equal(store_experiment_set_status(st, exp, "finished"),
			 -EINVAL);
	assert_non_null(strstr(store_errmsg(st), "finished"));
	assert_int_equal(store_experiment_set_status(st, exp, NULL), -EINVAL);
	assert_int_equal(store_experiment_set_status(st, 999, "done"), -ENOENT);

	assert_int_equal(store_variant_upsert(st, exp, NULL, "", "", &v, NULL),
			 -EINVAL);
	assert_int_equal(store_variant_upsert(st, exp, "", "", "", &v, NULL),
			 -EINVAL);
	assert_int_equal(store_variant_upsert(st, exp, "h", "", "", &v, NULL),
			 1);
	assert_int_equal(
	    store_variant_set_status(st, v, (enum store_status)42, NULL),
	    -EINVAL);
	assert_int_equal(
	    store_variant_set_status(st, v, STORE_STATUS_ANY, NULL), -EINVAL);
	assert_int_equal(store_variant_set_status(st, 999, STORE_DONE, NULL),
			 -ENOENT);
	assert_int_equal(store_build_add(st, v, NULL, 1, 1, NULL), -EINVAL);
	assert_int_equal(store_build_add(st, v, "p", -1, 1, NULL), -EINVAL);
	assert_int_equal(store_build_add(st, v, "p", 1, NAN, NULL), -EINVAL);

	bad.value = NAN;
	assert_int_equal(store_runs_add(st, v, &bad, 1), -EINVAL);
	bad.value = 1;
	bad.repetition = -1;
	assert_int_equal(store_runs_add(st, v, &bad, 1), -EINVAL);
	bad.repetition = 0;
	bad.kind = (enum store_kind)7;
	assert_int_equal(store_runs_add(st, v, &bad, 1), -EINVAL);
	bad.kind = STORE_WALL;
	bad.metric = NULL;
	assert_int_equal(store_runs_add(st, v, &bad, 1), -EINVAL);
	assert_int_equal(store_runs_add(st, v, NULL, 1), -EINVAL);
	assert_int_equal(store_runs_add(st, v, NULL, 0), 0);
	assert_int_equal(
	    store_run_add(st, v, "m", 1, NULL, 0, STORE_WALL, "kvm"), -EINVAL);
	assert_int_equal(store_env_set(st, exp, NULL, "h", "q", "c"), -EINVAL);
	assert_int_equal(
	    store_variants_by_status(st, exp, STORE_DONE, NULL, NULL), -EINVAL);
	assert_int_equal(store_variants_by_status(st, exp,
						  (enum store_status)42,
						  stop_at_first, NULL),
			 -EINVAL);
	assert_int_equal(store_runs_for_variant(st, v, NULL, NULL), -EINVAL);
	assert_int_equal(store_commit(st), -EINVAL);
	assert_int_equal(store_rollback(st), -EINVAL);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM runs"), 0);
	store_close(st);
}

struct listed {
	char names[4][32];
	int64_t done[4];
	int n;
};

static int list_cb(void *ctx, const struct store_experiment *e)
{
	struct listed *l = ctx;

	if (l->n == 4)
		return -E2BIG;
	snprintf(l->names[l->n], sizeof(l->names[0]), "%s", e->name);
	l->done[l->n] = e->counts[STORE_DONE];
	l->n++;
	return 0;
}

static int stop_cb(void *ctx, const struct store_experiment *e)
{
	(void)ctx;
	(void)e;
	return 42;
}

static void test_read_back(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	struct store_experiment e;
	struct store_env env;
	struct store_build b;
	struct listed l = { .n = 0 };
	int64_t counts[STORE_STATUS_COUNT];
	int64_t a = new_experiment(st, "alpha");
	int64_t z = new_experiment(st, "zeta");
	int64_t v1, v2, v3;

	assert_int_equal(store_variant_upsert(st, a, "h1", "r1", "R1", &v1,
					      NULL),
			 1);
	assert_int_equal(store_variant_upsert(st, a, "h2", "r2", "R2", &v2,
					      NULL),
			 1);
	assert_int_equal(store_variant_upsert(st, a, "h3", "r3", "R3", &v3,
					      NULL),
			 1);
	assert_int_equal(store_variant_set_status(st, v1, STORE_DONE, NULL),
			 0);
	assert_int_equal(store_variant_set_status(st, v2, STORE_DONE, NULL),
			 0);
	assert_int_equal(store_variant_set_status(st, v3, STORE_CRASHED,
						  "oops\n"),
			 0);

	assert_int_equal(store_experiment_get(st, a, &e), 0);
	assert_int_equal(e.id, a);
	assert_string_equal(e.name, "alpha");
	assert_string_equal(e.space_path, "spaces/x.yaml");
	assert_string_equal(e.space_text, "symbols: {}\n");
	assert_string_equal(e.status, "running");
	assert_int_equal(strlen(e.created), strlen("2026-01-01T00:00:00.000Z"));
	assert_int_equal(e.counts[STORE_DONE], 2);
	assert_int_equal(e.counts[STORE_CRASHED], 1);
	assert_int_equal(e.counts[STORE_PENDING], 0);
	store_experiment_release(&e);
	assert_null(e.name);

	assert_int_equal(store_experiment_get(st, z + 1, &e), -ENOENT);
	assert_non_null(strstr(store_errmsg(st), "no experiment"));
	assert_null(e.name);

	assert_int_equal(store_status_counts(st, z, counts), 0);
	assert_int_equal(counts[STORE_DONE] + counts[STORE_PENDING], 0);

	assert_int_equal(store_experiments(st, list_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.names[0], "alpha");
	assert_string_equal(l.names[1], "zeta");
	assert_int_equal(l.done[0], 2);
	assert_int_equal(l.done[1], 0);
	assert_int_equal(store_experiments(st, stop_cb, NULL), 42);

	assert_int_equal(store_env_get(st, a, &env), -ENOENT);
	assert_int_equal(store_env_set(st, a, "abc123", "box", "QEMU 8.2",
				       "Xeon"),
			 0);
	assert_int_equal(store_env_get(st, a, &env), 0);
	assert_string_equal(env.git_commit, "abc123");
	assert_string_equal(env.host, "box");
	assert_string_equal(env.qemu_version, "QEMU 8.2");
	assert_string_equal(env.cpu_model, "Xeon");
	assert_non_null(env.updated);
	store_env_release(&env);

	assert_int_equal(store_build_for_variant(st, v1, &b), -ENOENT);
	assert_int_equal(store_build_add(st, v1, "old.elf", 100, 1.5, NULL),
			 0);
	assert_int_equal(store_build_add(st, v1, "new.elf", 200, 2.5, "ok"),
			 0);
	assert_int_equal(store_build_for_variant(st, v1, &b), 0);
	assert_string_equal(b.image_path, "new.elf");
	assert_int_equal(b.file_bytes, 200);
	assert_true(b.build_seconds == 2.5);
	assert_string_equal(b.log_tail, "ok");
	store_build_release(&b);
	assert_int_equal(store_build_add(st, v2, "x.elf", 1, 0, NULL), 0);
	assert_int_equal(store_build_for_variant(st, v2, &b), 0);
	assert_null(b.log_tail);
	store_build_release(&b);

	assert_int_equal(store_experiment_get(st, a, NULL), -EINVAL);
	assert_int_equal(store_experiments(st, NULL, NULL), -EINVAL);
	assert_int_equal(store_status_counts(st, a, NULL), -EINVAL);
	store_close(st);
}

struct points_seen {
	char requested[4][64];
	int64_t variant[4];
	size_t n;
};

static int collect_point(void *ctx, const struct store_point *p)
{
	struct points_seen *ps = ctx;

	if (ps->n < 4) {
		snprintf(ps->requested[ps->n], sizeof(ps->requested[0]), "%s",
			 p->requested);
		ps->variant[ps->n++] = p->variant_id;
	}
	return 0;
}

/* Two points folding into one variant; a metric's mean over repetitions. */
static void test_points_and_means(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e"), v1, v2;
	struct points_seen ps = { 0 };
	double mean = -1;
	unsigned n = 9;

	assert_int_equal(store_variant_upsert(st, exp, "h1", "A=1\n", "r1",
					      &v1, NULL), 1);
	assert_int_equal(store_variant_upsert(st, exp, "h2", "A=2\n", "r2",
					      &v2, NULL), 1);
	assert_int_equal(store_point_add(st, exp, "A=1\n", v1), 1);
	assert_int_equal(store_point_add(st, exp, "A=1\nB=n\n", v1), 1);
	assert_int_equal(store_point_add(st, exp, "A=2\n", v2), 1);
	/* Recorded once: a resumed sweep adding it again changes nothing. */
	assert_int_equal(store_point_add(st, exp, "A=1\n", v1), 0);
	assert_int_equal(store_point_add(st, exp, "A=3\n", 999), -ENOENT);
	assert_int_equal(store_point_add(st, 999, "A=3\n", v1), -ENOENT);
	assert_int_equal(store_points(st, exp, collect_point, &ps), 0);
	assert_int_equal(ps.n, 3);
	assert_string_equal(ps.requested[1], "A=1\nB=n\n");
	assert_int_equal(ps.variant[1], v1);
	assert_int_equal(ps.variant[2], v2);
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM points"), 3);

	assert_int_equal(store_run_add(st, v1, "m", 10, "", 0,
				       STORE_WALL, "tcg"), 0);
	assert_int_equal(store_run_add(st, v1, "m", 13, "", 1,
				       STORE_WALL, "tcg"), 0);
	assert_int_equal(store_run_add(st, v1, "other", 99, "", 0,
				       STORE_WALL, "tcg"), 0);
	assert_int_equal(store_metric_mean(st, v1, "m", &mean, &n), 0);
	assert_int_equal(n, 2);
	assert_float_equal(mean, 11.5, 1e-12);
	assert_int_equal(store_metric_mean(st, v2, "m", &mean, &n), 0);
	assert_int_equal(n, 0);
	assert_float_equal(mean, 0, 0);
	store_close(st);
}

/* A file's bytes and modification time, to show nothing wrote it. */
struct snapshot {
	char bytes[65536];
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

/* Run migrations 1..upto on path behind the store's back, then set
 * user_version to version (which may lie). */
static void raw_schema(const char *path, int upto, int version)
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
	sqlite3 *db;

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
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE mine (x)", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
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
	sqlite3 *db;

	raw_schema(t->path, 1, 1);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO experiments (name, space_path, space_text) "
		"VALUES ('old', 'a.yaml', 'x');"
		"INSERT INTO variants (experiment_id, config_hash, requested, "
		"resolved) VALUES (1, 'h', 'CONFIG_A=y\n', 'r');",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
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
	sqlite3 *db;

	raw_schema(t->path, 3, 3);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO experiments (name, space_path, space_text) "
		"VALUES ('old', 'a.yaml', 'x');"
		"INSERT INTO variants (experiment_id, config_hash, requested, "
		"resolved) VALUES (1, 'h', 'CONFIG_A=y\n', 'r');"
		"INSERT INTO builds (variant_id, image_path, image_size, "
		"build_seconds) VALUES (1, 'a.elf', 4242, 1.5);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
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
	sqlite3 *db;

	raw_schema(t->path, store_schema_latest(), store_schema_latest());
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE exported (x)", NULL,
				      NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open_readonly(t->path, &st), 0);
	store_close(st);
	st = NULL;
	assert_int_equal(store_open(t->path, &st), 0);
	store_close(st);
}

static void test_inputs(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e");
	struct store_inputs in = { .base_config = "", .defconfig = "d1",
				   .kconfig = "k1" }, out;

	assert_int_equal(store_inputs_get(st, exp, &out), -ENOENT);
	assert_int_equal(store_inputs_set(st, exp, &in), 0);
	assert_int_equal(store_inputs_get(st, exp, &out), 0);
	assert_string_equal(out.base_config, "");
	assert_string_equal(out.defconfig, "d1");
	assert_string_equal(out.kconfig, "k1");
	/* A later call replaces the row. */
	snprintf(in.base_config, sizeof(in.base_config), "b2");
	assert_int_equal(store_inputs_set(st, exp, &in), 0);
	assert_int_equal(store_inputs_get(st, exp, &out), 0);
	assert_string_equal(out.base_config, "b2");
	assert_int_equal(raw_int(t->path, "SELECT count(*) FROM inputs"), 1);
	assert_int_equal(store_inputs_set(st, 999, &in), -ENOENT);
	in.kconfig[0] = '\0';
	assert_int_equal(store_inputs_set(st, exp, &in), -EINVAL);
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
	    cmocka_unit_test_setup_teardown(test_schema_created, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_too_new_refused, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_upsert_same_hash, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_runs_round_trip, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_killed_writer_leaves_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_points_and_means, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_empty_file, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_store, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_version1_migrated, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_version3_build_size_renamed,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_user_table_allowed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_version_lies, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_reads, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_inputs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
