/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store: one SQLite file (results/unitune.db by default; the
 * caller passes the path) holding experiments, their variants, builds,
 * measured runs and the environment they were measured in. The schema is
 * tuner/schema.sql, embedded at build time, applied as versioned
 * migrations (PRAGMA user_version).
 *
 * Contract:
 * - Explicit handle: everything goes through a struct store from
 *   store_open(); there is no global state. One handle per thread.
 * - Errors: functions return 0 (or a documented positive value) on
 *   success, a negative errno (-EINVAL bad argument, -ENOENT no such row,
 *   -EEXIST uniqueness violated, -EBUSY database locked past the busy
 *   timeout, -ENOMEM) or STORE_ESQL / STORE_ETOONEW. After any failure
 *   store_errmsg() says what went wrong, in words.
 * - Atomicity: the database is in WAL mode with a busy timeout; every
 *   write function is one transaction (or a savepoint inside the caller's
 *   store_begin() ... store_commit()), so a failure or a killed process
 *   leaves none of that call's rows. Group "set status done + add its
 *   runs" in store_begin()/store_commit() so a resumed sweep never sees a
 *   variant half-recorded.
 * - Strings passed in are copied; strings passed to callbacks are valid
 *   only during the callback.
 */
#ifndef UNITUNE_STORE_H
#define UNITUNE_STORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Where the verbs look when --db is not given: relative to the current
 * directory (the tree root, when run as bin/unitune from there).
 */
#define STORE_DEFAULT_PATH "results/unitune.db"

/* Store-specific errors, beyond negative errno values. */
#define STORE_ESQL    (-4096) /* SQLite failed (message in store_errmsg) */
#define STORE_ETOONEW (-4097) /* database schema newer than this program */
#define STORE_ENOTSTORE (-4098) /* the file is not a Unitune store */
#define STORE_ETOOOLD (-4099) /* read-only: schema older than this program */

struct store;

/* Variant outcome. Keep in step with the CHECK in tuner/schema.sql. */
enum store_status {
	STORE_PENDING,
	STORE_BUILT,
	STORE_DONE,
	STORE_BUILD_FAILED,
	STORE_BOOT_FAILED,
	STORE_CRASHED,
	STORE_TIMEOUT,
	STORE_BENCH_FAILED,
	STORE_STATUS_COUNT,
};
/* Matches every status in store_variants_by_status(). */
#define STORE_STATUS_ANY ((enum store_status) - 1)

enum store_kind {
	STORE_DETERMINISTIC, /* -icount: no run-to-run noise */
	STORE_WALL,	     /* wall-clock: needs repetitions and statistics */
};

/* "pending", "build_failed", ...; NULL for a value out of range. */
const char *store_status_name(enum store_status s);
/* The inverse; -EINVAL for NULL or an unknown name. */
int store_status_parse(const char *name, enum store_status *out);
const char *store_kind_name(enum store_kind k);
int store_kind_parse(const char *name, enum store_kind *out);

/*
 * Opens (creating if needed) the database at path, turns on WAL, foreign
 * keys and the busy timeout, and applies pending migrations in one
 * transaction. Like hiredis' connect, on failure *out is still a handle
 * (holding only the error, for store_errmsg()) that the caller must
 * store_close(); it is NULL only when even that could not be allocated
 * (-ENOMEM). A database whose user_version is newer than the newest
 * migration this program knows gives STORE_ETOONEW and is left alone.
 */
int store_open(const char *path, struct store **out);
/*
 * Before anything is written, store_open() checks that path is a regular
 * file (or missing) and that its schema is exactly what the migrations up
 * to its user_version create (an empty or 0-byte file counts as a new
 * store); anything else is STORE_ENOTSTORE ("PATH: not a Unitune store:
 * ...") and is left alone.
 *
 * store_open_readonly() is for the verbs that only read (show, best,
 * report): SQLITE_OPEN_READONLY, so the file is never written (SQLite may
 * create the -wal/-shm files beside a WAL database). A missing file is
 * -ENOENT; a 0-byte file, an empty database or anything not a Unitune
 * store is STORE_ENOTSTORE; a store of an older schema version is
 * STORE_ETOOOLD (the message says how to migrate it), a newer one
 * STORE_ETOONEW. Same handle rules as store_open(); write calls on it
 * fail.
 */
int store_open_readonly(const char *path, struct store **out);
void store_close(struct store *st);
/* The last error's message; "" before any error; safe with NULL. */
const char *store_errmsg(const struct store *st);

/* The database's user_version, and the newest migration compiled in. */
int store_schema_version(struct store *st);
int store_schema_latest(void);
/* How many migrations this handle's store_open() applied (0 if none). */
int store_migrations_applied(const struct store *st);

/*
 * Caller-level transaction. Nests: inside one, each store_* write is a
 * savepoint, and store_rollback() undoes everything since store_begin().
 * store_commit()/store_rollback() without store_begin() is -EINVAL.
 */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* -EEXIST when an experiment of that name exists (see _find). */
int store_experiment_create(struct store *st, const char *name,
			    const char *space_path, const char *space_text,
			    int64_t *id);
/* -ENOENT when there is none of that name. */
int store_experiment_find(struct store *st, const char *name, int64_t *id);
/* status is "running", "done" or "stopped". */
int store_experiment_set_status(struct store *st, int64_t id,
				const char *status);

/*
 * The variant of experiment exp whose resolved config hashes to hash:
 * inserted as pending when new (returns 1), else the existing row is left
 * as it is (returns 0). Either way *variant_id is its id and *status its
 * current status (either pointer may be NULL). -ENOENT for an unknown
 * experiment.
 */
int store_variant_upsert(struct store *st, int64_t exp, const char *hash,
			 const char *requested, const char *resolved,
			 int64_t *variant_id, enum store_status *status);
/* log_tail may be NULL (kept as NULL). -ENOENT for an unknown variant. */
int store_variant_set_status(struct store *st, int64_t variant,
			     enum store_status status, const char *log_tail);

int store_build_add(struct store *st, int64_t variant, const char *image_path,
		    int64_t file_bytes, double build_seconds,
		    const char *log_tail);

struct store_run {
	const char *metric;
	double value;
	const char *unit; /* "" for a plain count */
	int repetition;	  /* 0-based; (variant, metric, repetition) unique */
	enum store_kind kind;
	const char *accel; /* "kvm", "tcg" */
};

int store_run_add(struct store *st, int64_t variant, const char *metric,
		  double value, const char *unit, int repetition,
		  enum store_kind kind, const char *accel);
/* All n runs or none: one failing row (a duplicate, say) stores nothing. */
int store_runs_add(struct store *st, int64_t variant,
		   const struct store_run *runs, size_t n);

/* One row per experiment; a later call replaces it. */
int store_env_set(struct store *st, int64_t exp, const char *git_commit,
		  const char *host, const char *qemu_version,
		  const char *cpu_model);

struct store_variant {
	int64_t id;
	int64_t experiment_id;
	const char *hash;
	const char *requested;
	const char *resolved;
	enum store_status status;
	const char *log_tail; /* NULL when none */
};

/*
 * Callbacks return 0 to continue; any other value stops the walk and is
 * returned by the query function (so a callback's own negative errno
 * comes back unchanged).
 */
typedef int (*store_variant_cb)(void *ctx, const struct store_variant *v);
typedef int (*store_run_cb)(void *ctx, const struct store_run *r);

/* Variants of exp with that status (or STORE_STATUS_ANY), by id. */
int store_variants_by_status(struct store *st, int64_t exp,
			     enum store_status status, store_variant_cb cb,
			     void *ctx);
/* Runs of a variant by metric, then repetition. */
int store_runs_for_variant(struct store *st, int64_t variant, store_run_cb cb,
			   void *ctx);

/* --- reading back ------------------------------------------------------- */

struct store_experiment {
	int64_t id;
	char *name;
	char *space_path;
	char *space_text;
	char *status;  /* "running", "done" or "stopped" */
	char *created; /* UTC, ISO 8601 */
	/* Variants per status, indexed by enum store_status. */
	int64_t counts[STORE_STATUS_COUNT];
};

/*
 * Experiment id with its status counts into *out, whose strings the
 * caller frees with store_experiment_release(). -ENOENT when there is no
 * such experiment (out is then zeroed and needs no release, though one
 * does no harm).
 */
int store_experiment_get(struct store *st, int64_t id,
			 struct store_experiment *out);
void store_experiment_release(struct store_experiment *e);

/* Every experiment, by id; e (with counts) is valid during the call. */
typedef int (*store_experiment_cb)(void *ctx,
				   const struct store_experiment *e);
int store_experiments(struct store *st, store_experiment_cb cb, void *ctx);

/* How many variants of exp have each status (all zero for none). */
int store_status_counts(struct store *st, int64_t exp,
			int64_t counts[STORE_STATUS_COUNT]);

struct store_env {
	char *git_commit;
	char *host;
	char *qemu_version;
	char *cpu_model;
	char *updated;
};

/* The environment recorded for exp; -ENOENT when none was. Release with
 * store_env_release(). */
int store_env_get(struct store *st, int64_t exp, struct store_env *out);
void store_env_release(struct store_env *e);

/*
 * What an experiment's points were resolved from besides its space text
 * (tuner/inputs.h computes them): SHA-256 hex digests of its base_config
 * ("" when it has none), the app's defconfig and the Kconfig files.
 */
#define STORE_HASH_HEX 64
struct store_inputs {
	char base_config[STORE_HASH_HEX + 1];
	char defconfig[STORE_HASH_HEX + 1];
	char kconfig[STORE_HASH_HEX + 1];
};

/* One row per experiment; a later call replaces it. -ENOENT for an
 * unknown experiment. */
int store_inputs_set(struct store *st, int64_t exp,
		     const struct store_inputs *in);
/* -ENOENT when none were recorded (an experiment begun before schema
 * version 3). */
int store_inputs_get(struct store *st, int64_t exp, struct store_inputs *out);

struct store_build {
	char *image_path;
	int64_t file_bytes;
	double build_seconds;
	char *log_tail; /* NULL when none */
	char *created;
};

/* The variant's latest build; -ENOENT when it has none. Release with
 * store_build_release(). */
int store_build_for_variant(struct store *st, int64_t variant,
			    struct store_build *out);
void store_build_release(struct store_build *b);

/*
 * Points: each point a strategy proposed (requested .config lines) and the
 * variant it resolved to; several points may share a variant. Adding a
 * point already recorded leaves it alone: 1 added, 0 existed; -ENOENT
 * for an unknown experiment or variant.
 */
int store_point_add(struct store *st, int64_t exp, const char *requested,
		    int64_t variant);

struct store_point {
	const char *requested;
	int64_t variant_id;
};
typedef int (*store_point_cb)(void *ctx, const struct store_point *p);
/* Points of exp in the order they were first proposed. */
int store_points(struct store *st, int64_t exp, store_point_cb cb, void *ctx);

/* A variant's runs of metric, by repetition: *x (the caller frees it;
 * NULL when *n is 0) holds *n values. */
int store_metric_samples(struct store *st, int64_t variant,
			 const char *metric, double **x, size_t *n);

/* The repetition a variant's next run takes: one past the highest any
 * of its runs has, 0 when it has none. */
int store_next_repetition(struct store *st, int64_t variant, int *next);

#endif /* UNITUNE_STORE_H */
