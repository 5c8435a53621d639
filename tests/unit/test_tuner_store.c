/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store: a new schema, upsert by config hash, runs, atomicity
 * (a failing row, a killed writer), two handles on one WAL file, bad
 * inputs, points and inputs rows. Older schemas and files that are not
 * stores: test_tuner_store_schema.c. Each test uses its own database
 * file under /tmp.
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

#include "store_fixture.h"

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

	raw_exec(t->path, "PRAGMA user_version = 99");

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
static void test_points_and_samples(void **state)
{
	struct tmpdb *t = *state;
	struct store *st = open_ok(t->path);
	int64_t exp = new_experiment(st, "e"), v1, v2;
	struct points_seen ps = { 0 };
	double *x = NULL;
	size_t n = 9;
	int next = -1;

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
	assert_int_equal(store_run_add(st, v1, "other", 99, "", 2,
				       STORE_WALL, "tcg"), 0);
	/* By repetition, whatever the order they were added in. */
	assert_int_equal(store_run_add(st, v2, "m", 5, "", 1,
				       STORE_WALL, "tcg"), 0);
	assert_int_equal(store_run_add(st, v2, "m", 4, "", 0,
				       STORE_WALL, "tcg"), 0);
	assert_int_equal(store_metric_samples(st, v1, "m", &x, &n), 0);
	assert_int_equal(n, 2);
	assert_float_equal(x[0], 10, 0);
	assert_float_equal(x[1], 13, 0);
	free(x);
	assert_int_equal(store_metric_samples(st, v2, "m", &x, &n), 0);
	assert_int_equal(n, 2);
	assert_float_equal(x[0], 4, 0);
	assert_float_equal(x[1], 5, 0);
	free(x);
	assert_int_equal(store_metric_samples(st, v2, "none", &x, &n), 0);
	assert_int_equal(n, 0);
	assert_null(x);
	/* The next repetition is past every metric's highest. */
	assert_int_equal(store_next_repetition(st, v1, &next), 0);
	assert_int_equal(next, 3);
	assert_int_equal(store_next_repetition(st, 999, &next), 0);
	assert_int_equal(next, 0);
	store_close(st);
}

/* A file's bytes and modification time, to show nothing wrote it. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_schema_created, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_new_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_upsert_same_hash, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_runs_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_killed_writer_leaves_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_points_and_samples, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_inputs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
