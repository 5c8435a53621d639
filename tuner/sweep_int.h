/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the sweep: what its parts share. sweep_state.c holds the
 * messages and the variants in memory; sweep_race.c picks the contenders
 * of a race for more repetitions; sweep_jobs.c starts, waits for and
 * records the workers; sweep_points.c turns the strategy's points into
 * variants; sweep_setup.c opens the space, the store and the experiment;
 * sweep.c runs the loop. Each file uses only those listed before it. Not
 * for other users (see sweep.h).
 */
#ifndef UNITUNE_SWEEP_INT_H
#define UNITUNE_SWEEP_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#include "config.h"
#include "dead_tally.h"
#include "kconfig.h"
#include "progress.h"
#include "race.h"
#include "space.h"
#include "spawn.h"
#include "store.h"
#include "strategy.h"
#include "sweep.h"
#include "worker.h"

#define PROG "unitune tune"
#define HASH_HEX (SHA256_DIGEST_SIZE * 2)
/* Variant directories are named by this many hex digits of the hash. */
#define DIR_HASH_DIGITS 16
/* The build jobs and the measuring one. */
#define MAX_JOBS_POLLED (SWEEP_MAX_JOBS + 1)
/* The strategy's seed when the space gives none (tpe). */
#define DEFAULT_SEED 1

struct variant {
	int64_t id;
	char hash[HASH_HEX + 1];
	char *requested;	/* the first point that resolved to it */
	char *resolved;
	enum store_status status;
	bool running;
	bool queued;		/* built, waiting for its (wall) measurement */
	bool lost;		/* its worker ended without a result */
	bool scored;		/* score/no_score hold variant_score()'s */
	bool no_score;
	double score;
	/* Racing (sweep_race.c): a top-up of race_more repetitions from
	 * number race_first is running; race holds the first objective's
	 * figures when race_known (read again after each top-up). */
	bool racing;
	int race_first;
	unsigned race_more;
	bool race_known;
	bool race_out;		/* a top-up added no sample: never again */
	struct race_entry race;
	size_t *waiters;	/* points (n_options each) awaiting its result */
	size_t n_waiters;
	char dir[PATH_MAX + DIR_HASH_DIGITS + 2];
};

/* A point, by its requested text, and the variant it resolved to. */
struct alias {
	char *requested;
	struct variant *v;
};

struct job {
	struct variant *v;	/* NULL: the slot is free */
	struct worker_task task;
	struct spawn sp;
};

struct sweep {
	const struct sweep_opts *o;
	char root[PATH_MAX];
	char unikernel[PATH_MAX + 16];
	char work[PATH_MAX];
	char slots[PATH_MAX + 32];
	char resolve_dir[PATH_MAX + 16];
	struct kconfig *kc;
	struct space *space;
	char *space_text;
	struct store *st;
	int64_t exp;
	struct config_set base;	/* the app's defconfig and base_config */
	struct store_inputs inputs;	/* their hashes and the Kconfig tree's */
	struct strategy *strat;
	struct variant **vars;
	size_t n_vars;
	struct alias *aliases;
	size_t n_aliases;
	struct job *jobs;	/* o->jobs build(+measure) jobs, then one
				 * measure-only job for wall sweeps */
	size_t n_jobs;
	struct progress prog;
	uint64_t started;	/* variants finished or running */
	bool exhausted;		/* the strategy has nothing more */
	bool budget_spent;
	long make_jobs;
	bool ccache;
	bool wall;
	int lock_fds[2];
	size_t n_locks;
	/* Requested values dead by dependency, told once at the end. */
	struct dead_tally dead;
	/* This run's race: top-ups started, repetitions they asked for. */
	unsigned long race_topups, race_reps;
};

/* --- sweep_state.c ------------------------------------------------------- */

/* SIGINT/SIGTERM handler: notes the signal for sw_interrupted(). */
void sw_on_signal(int sig);
bool sw_interrupted(void);
void sw_interrupt_clear(void);

/* One "unitune tune: ..." line through the progress display. */
__attribute__((format(printf, 2, 3)))
void sw_say(struct sweep *s, const char *fmt, ...);
/* Says so and returns -ENOMEM. */
int sw_oom(struct sweep *s);
/* Says the store's error about what; returns err. */
int sw_db_fail(struct sweep *s, int err, const char *what);

/*
 * "UKALLOC_TLSF UKALLOC_TLSF_SL_LOG2=3": one value per option (NULL ones
 * left out), short, for messages.
 */
void sw_options_label(const struct space *sp, char *const *vals, char *buf,
		      size_t len);
/* The same for a point: every option's requested value. */
void sw_point_label(const struct space *sp, const size_t *idx, char *buf,
		    size_t len);

/* The variant a point (by its requested text) or a hash names, or NULL. */
struct variant *sw_find_variant(struct sweep *s, const char *requested,
				const char *hash);
/* A new variant in memory, or NULL (said) when out of memory. */
struct variant *sw_add_variant(struct sweep *s, int64_t id, const char *hash,
			       const char *requested, const char *resolved,
			       enum store_status status);
/* Another point that resolved to v. */
int sw_add_alias(struct sweep *s, const char *requested, struct variant *v);
/* store_points() and store_variants_by_status() callbacks (ctx: sweep). */
int sw_load_point(void *ctx, const struct store_point *p);
int sw_load_one(void *ctx, const struct store_variant *sv);
void sw_free_variants(struct sweep *s);
/* The status is final: built and measured, or failed. */
bool sw_finished(enum store_status st);
/* The strategy's score of a variant (score_variant()), read once a
 * variant is finished: its results never change. */
int sw_variant_score(struct sweep *s, struct variant *v, double *score,
		     bool *failed);
/* Gives the strategy v's result for the point idx. */
int sw_tell(struct sweep *s, const size_t *idx, struct variant *v);
/* The point idx waits for v's result. */
int sw_add_waiter(struct sweep *s, struct variant *v, const size_t *idx);

/* --- sweep_race.c -------------------------------------------------------- */

/*
 * When the space races and nothing runs (the search is over): the
 * variant to measure more next (tuner/race.h), its top-up set in it, in
 * *out; NULL when the race is over. 0 or -errno (said).
 */
int sw_race_next(struct sweep *s, struct variant **out);
/* The race's line about a finished top-up of v (r: its result). */
void sw_race_done(struct sweep *s, struct variant *v,
		  const struct worker_result *r);

/* --- sweep_jobs.c -------------------------------------------------------- */

size_t sw_running_builds(const struct sweep *s);
/* Starts v's build (or, built in a wall sweep, its measurement). */
int sw_run_job_for(struct sweep *s, struct variant *v);
/* Wait up to timeout_ms for a job to end; handle it. */
int sw_wait_jobs(struct sweep *s, int timeout_ms);
void sw_kill_jobs(struct sweep *s);
/* Starts v's top-up (v->race_first, v->race_more, set by
 * sw_race_next()) on the measuring job. */
int sw_start_topup(struct sweep *s, struct variant *v);

/* --- sweep_points.c ------------------------------------------------------ */

/* Propose points while there is room for another build. */
int sw_fill(struct sweep *s);

/* --- sweep_setup.c ------------------------------------------------------- */

/* Everything before the loop; 0 or a SWEEP_EXIT_* status (said). */
int sw_set_up(struct sweep *s);

#endif
