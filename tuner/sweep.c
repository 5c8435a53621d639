/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep loop. See sweep.h; the worker (worker.h) does the building
 * and measuring in child processes, this file decides what to do next and
 * is the only writer of the store.
 */
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "analysis.h"
#include "build.h"
#include "config.h"
#include "env.h"
#include "exp_open.h"
#include "dead_tally.h"
#include "inputs.h"
#include "kconfig.h"
#include "paths.h"
#include "progress.h"
#include "runner.h"
#include "spawn.h"
#include "space.h"
#include "store.h"
#include "score.h"
#include "strategy.h"
#include "strbuf.h"
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
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static void say(struct sweep *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct sweep *s, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	progress_say(&s->prog, PROG ": %s", line);
}

static int oom(struct sweep *s)
{
	say(s, "error: out of memory");
	return -ENOMEM;
}

static int db_fail(struct sweep *s, int err, const char *what)
{
	say(s, "error: %s: %s: %s", s->o->db_path, what, store_errmsg(s->st));
	return err;
}

/*
 * "UKALLOC_TLSF UKALLOC_TLSF_SL_LOG2=3": one value per option (NULL ones
 * left out), short, for messages.
 */
static void options_label(const struct space *sp, char *const *vals,
			  char *buf, size_t len)
{
	size_t i, pos = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < sp->n_options && pos < len; i++) {
		const struct space_option *o = &sp->options[i];

		if (!vals[i]) /* dropped by kconfig */
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s%s%s", pos ? " " : "",
			     o->kind == SPACE_OPT_CHOICE ? "" : o->symbol,
			     o->kind == SPACE_OPT_CHOICE ? "" : "=", vals[i]);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
}

/* The same for a point: every option's requested value. */
static void point_label(const struct space *sp, const size_t *idx, char *buf,
			size_t len)
{
	char *vals[sp->n_options ? sp->n_options : 1];
	size_t i;

	for (i = 0; i < sp->n_options; i++)
		vals[i] = sp->options[i].values[idx[i]];
	options_label(sp, vals, buf, len);
}

/* ---- variants in memory ------------------------------------------------ */

static struct variant *find_variant(struct sweep *s, const char *requested,
				    const char *hash)
{
	size_t i;

	for (i = 0; requested && i < s->n_aliases; i++)
		if (!strcmp(s->aliases[i].requested, requested))
			return s->aliases[i].v;

	for (i = 0; i < s->n_vars; i++) {
		struct variant *v = s->vars[i];

		if ((requested && !strcmp(v->requested, requested)) ||
		    (hash && !strcmp(v->hash, hash)))
			return v;
	}
	return NULL;
}

static struct variant *add_variant(struct sweep *s, int64_t id,
				   const char *hash, const char *requested,
				   const char *resolved,
				   enum store_status status)
{
	struct variant **vv, *v;

	vv = realloc(s->vars, (s->n_vars + 1) * sizeof(*vv));
	if (!vv)
		return NULL;
	s->vars = vv;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->requested = strdup(requested);
	v->resolved = strdup(resolved);
	if (!v->requested || !v->resolved) {
		free(v->requested);
		free(v->resolved);
		free(v);
		return NULL;
	}
	v->id = id;
	snprintf(v->hash, sizeof(v->hash), "%s", hash);
	v->status = status;
	snprintf(v->dir, sizeof(v->dir), "%s/%.*s", s->work, DIR_HASH_DIGITS,
		 hash);
	s->vars[s->n_vars++] = v;
	return v;
}

static int add_alias(struct sweep *s, const char *requested,
		     struct variant *v)
{
	struct alias *a = realloc(s->aliases,
				  (s->n_aliases + 1) * sizeof(*a));

	if (!a)
		return -ENOMEM;
	s->aliases = a;
	a[s->n_aliases].requested = strdup(requested);
	if (!a[s->n_aliases].requested)
		return -ENOMEM;
	a[s->n_aliases++].v = v;
	return 0;
}

static int load_point(void *ctx, const struct store_point *p)
{
	struct sweep *s = ctx;
	size_t i;

	for (i = 0; i < s->n_vars; i++)
		if (s->vars[i]->id == p->variant_id)
			return add_alias(s, p->requested, s->vars[i]);
	return 0;
}

static void free_variants(struct sweep *s)
{
	size_t i;

	for (i = 0; i < s->n_aliases; i++)
		free(s->aliases[i].requested);
	free(s->aliases);
	for (i = 0; i < s->n_vars; i++) {
		free(s->vars[i]->requested);
		free(s->vars[i]->resolved);
		free(s->vars[i]->waiters);
		free(s->vars[i]);
	}
	free(s->vars);
}

static bool finished(enum store_status st)
{
	return st != STORE_PENDING && st != STORE_BUILT;
}

static int load_one(void *ctx, const struct store_variant *sv)
{
	struct sweep *s = ctx;

	if (!add_variant(s, sv->id, sv->hash, sv->requested, sv->resolved,
			 sv->status))
		return -ENOMEM;
	if (finished(sv->status))
		s->started++;
	return 0;
}

/* The strategy's score of a variant (score_variant()), read once a
 * variant is finished: its results never change. */
static int variant_score(struct sweep *s, struct variant *v, double *score,
			 bool *failed)
{
	int err;

	if (!v->scored) {
		err = score_variant(s->st, s->space, v->id, v->status,
				    &v->score, &v->no_score);
		if (err)
			return db_fail(s, err, "reading runs");
		v->scored = finished(v->status);
	}
	*failed = v->no_score;
	*score = v->score;
	return 0;
}

static int tell(struct sweep *s, const size_t *idx, struct variant *v)
{
	double score;
	bool failed;
	int err = variant_score(s, v, &score, &failed);

	if (!err)
		err = strategy_tell(s->strat, idx, score, failed);
	if (err)
		say(s, "error: the strategy refused a result: %s",
		    strerror(-err));
	return err;
}

static int add_waiter(struct sweep *s, struct variant *v, const size_t *idx)
{
	size_t n = s->space->n_options;
	size_t *w = realloc(v->waiters, (v->n_waiters + 1) * n * sizeof(*w));

	if (!w)
		return oom(s);
	memcpy(w + v->n_waiters * n, idx, n * sizeof(*w));
	v->waiters = w;
	v->n_waiters++;
	return 0;
}

/* ---- jobs -------------------------------------------------------------- */

static size_t running_builds(const struct sweep *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->o->jobs; i++)
		n += s->jobs[i].v != NULL;
	return n;
}

static int start_job(struct sweep *s, struct job *j, struct variant *v,
		     unsigned phases)
{
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_INHERIT,
				       .err = SPAWN_INHERIT };
	struct worker_task *t = &j->task;
	const struct space_bench *b = &s->space->bench;
	char path[PATH_MAX + 32];
	size_t i;
	int err;

	err = paths_mkdir_p(v->dir, 0755);
	if (err) {
		say(s, "error: cannot create %s: %s", v->dir, strerror(-err));
		return err;
	}
	snprintf(path, sizeof(path), "%s/" WORKER_RESULT, v->dir);
	unlink(path);
	memset(t, 0, sizeof(*t));
	t->phases = phases;
	t->unikernel = s->unikernel;
	t->dir = v->dir;
	t->resolved = v->resolved;
	t->slot_root = s->slots;
	t->make_jobs = s->make_jobs;
	t->ccache = s->ccache;
	t->build_timeout_ns = s->o->build_timeout_ns;
	if (!(phases & WORKER_BUILD)) {
		/* Built by an earlier run: its image is in the builds table. */
		struct store_build built = { 0 };

		if (store_build_for_variant(s->st, v->id, &built) == 0 &&
		    access(built.image_path, R_OK) == 0)
			t->image = strdup(built.image_path);
		else /* the image is gone: build it again */
			t->phases = phases |= WORKER_BUILD;
		store_build_release(&built);
		if ((t->phases & WORKER_BUILD) == 0 && !t->image)
			return oom(s);
	}
	t->measure.args = (const char *const *)b->args;
	t->measure.n_args = b->n_args;
	t->measure.deterministic = !s->wall;
	t->measure.timeout_ns = s->o->run_timeout_ns;
	t->measure.repetitions = b->repetitions ? b->repetitions : 1;
	t->measure.wanted = (const char *const *)b->metrics;
	t->measure.n_wanted = b->n_metrics;
	for (i = 0; i < b->n_metrics; i++)
		t->measure.min_mem |= !strcmp(b->metrics[i], "min_mem");
	for (i = 0; i < s->space->n_objectives; i++)
		t->measure.min_mem |= !strcmp(s->space->objectives[i].metric,
					      "min_mem");
	err = spawn_fn(&j->sp, worker_main, t, &cfg);
	if (err) {
		free((char *)t->image);
		t->image = NULL;
		say(s, "error: cannot start a worker: %s", strerror(-err));
		return err;
	}
	j->v = v;
	if (!v->running) { /* a queued measurement counts already */
		v->running = true;
		s->prog.running++;
	}
	return 0;
}

/* Start the next queued measurement when the measuring job is free. */
static int start_queued_measure(struct sweep *s)
{
	struct job *j = &s->jobs[s->o->jobs];
	size_t i;

	if (!s->wall || j->v)
		return 0;
	for (i = 0; i < s->n_vars; i++)
		if (s->vars[i]->queued) {
			s->vars[i]->queued = false;
			return start_job(s, j, s->vars[i], WORKER_MEASURE);
		}
	return 0;
}

static int run_job_for(struct sweep *s, struct variant *v)
{
	size_t i;

	if (s->wall && v->status == STORE_BUILT) {
		v->queued = true;
		v->running = true;
		s->prog.running++;
		return start_queued_measure(s);
	}
	for (i = 0; i < s->o->jobs; i++)
		if (!s->jobs[i].v)
			return start_job(s, &s->jobs[i], v,
					 s->wall ? WORKER_BUILD
						 : WORKER_BUILD | WORKER_MEASURE);
	return -EBUSY; /* callers check running_builds() first */
}

/* Log tail for the store: the one-line reason, then the log's end. */
static char *failure_tail(const struct variant *v, const char *reason,
			  const char *log)
{
	struct strbuf sb = STRBUF_INIT;
	char *tail = worker_log_tail(v->dir, log);

	if (!tail || strbuf_addf(&sb, "%s\n---\n%s", reason, tail)) {
		free(tail);
		strbuf_release(&sb);
		return NULL;
	}
	free(tail);
	return strbuf_detach(&sb, NULL);
}

static int record(struct sweep *s, struct variant *v,
		  const struct worker_result *r)
{
	struct store_run *runs = NULL;
	char *build_tail = NULL, *tail = NULL;
	const char *log = r->status == STORE_BUILD_FAILED ? WORKER_BUILD_LOG
							 : WORKER_MEASURE_LOG;
	size_t i;
	int err;

	/* A variant built by an earlier run has its build row already. */
	if (r->build_seconds >= 0 && r->status != STORE_BUILD_FAILED &&
	    v->status != STORE_BUILT &&
	    !(build_tail = worker_log_tail(v->dir, WORKER_BUILD_LOG)))
		return oom(s);
	if (r->status != STORE_DONE && r->status != STORE_BUILT &&
	    !(tail = failure_tail(v, r->reason, log))) {
		free(build_tail);
		return oom(s);
	}
	if (r->status == STORE_DONE && r->m.n &&
	    !(runs = calloc(r->m.n, sizeof(*runs)))) {
		free(build_tail);
		free(tail);
		return oom(s);
	}
	for (i = 0; runs && i < r->m.n; i++) {
		runs[i].metric = r->m.v[i].metric;
		runs[i].value = r->m.v[i].value;
		runs[i].unit = r->m.v[i].unit;
		runs[i].repetition = r->m.v[i].repetition;
		runs[i].kind = r->m.v[i].kind;
		runs[i].accel = r->m.accel[0] ? r->m.accel : "tcg";
	}
	err = store_begin(s->st);
	if (!err && build_tail)
		err = store_build_add(s->st, v->id, r->image, r->image_size,
				      r->build_seconds, build_tail);
	if (!err && runs)
		err = store_runs_add(s->st, v->id, runs, r->m.n);
	if (!err)
		err = store_variant_set_status(s->st, v->id, r->status, tail);
	if (!err)
		err = store_commit(s->st);
	if (err) {
		db_fail(s, err, "recording a variant");
		store_rollback(s->st);
	}
	free(runs);
	free(build_tail);
	free(tail);
	return err;
}

/* One line per finished variant: status, the objectives, the time. */
static void report_variant(struct sweep *s, const struct variant *v,
			   const struct worker_result *r, double seconds)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;
	int err = 0;

	err = strbuf_addf(&sb, "variant %llu: %.12s %s",
			  (unsigned long long)(s->prog.done + s->prog.failed),
			  v->hash, store_status_name(r->status));
	for (k = 0; !err && k < s->space->n_objectives &&
		    r->status == STORE_DONE; k++) {
		const char *m = s->space->objectives[k].metric;
		double sum = 0;
		unsigned n = 0;

		for (i = 0; i < r->m.n; i++)
			if (!strcmp(r->m.v[i].metric, m)) {
				sum += r->m.v[i].value;
				n++;
			}
		if (n)
			err = strbuf_addf(&sb, " %s=%g", m, sum / n);
	}
	if (!err && r->status != STORE_DONE)
		err = strbuf_addf(&sb, ": %s", r->reason);
	if (!err)
		say(s, "%s (%.1f s)", sb.buf, seconds);
	strbuf_release(&sb);
}

static void update_best(struct sweep *s)
{
	const struct space_objective *obj = &s->space->objectives[0];
	double best = 0, score;
	bool have = false, failed;
	size_t i;

	for (i = 0; i < s->n_vars; i++) {
		if (s->vars[i]->status != STORE_DONE ||
		    variant_score(s, s->vars[i], &score, &failed) || failed)
			continue;
		if (!have || score < best)
			best = score;
		have = true;
	}
	if (have)
		snprintf(s->prog.best, sizeof(s->prog.best), "%s=%g",
			 obj->metric, obj->goal == SPACE_MAXIMIZE ? -best : best);
}

static int finish_job(struct sweep *s, struct job *j,
		      const struct spawn_exit *ex)
{
	struct variant *v = j->v;
	struct worker_result r;
	size_t i, n = s->space->n_options;
	char desc[128];
	int err;

	j->v = NULL;
	free((char *)j->task.image);
	j->task.image = NULL;
	v->running = false;
	s->prog.running--;
	err = worker_result_read(v->dir, &r);
	if (err == -ENOMEM)
		return oom(s);
	if (err) {
		/*
		 * Killed (the OOM killer, say) or stopped by a problem of the
		 * host: nothing is known about the variant, so it stays
		 * pending for the next run. This run goes on without it.
		 */
		err = 0;
		v->lost = true;
		spawn_describe(ex->wstatus, desc, sizeof(desc));
		say(s, "warning: variant %.12s: the worker %s without a "
		    "result%s (see %s/%s); it stays pending and is retried "
		    "when the sweep is run again", v->hash, desc,
		    err == -EINVAL ? " (malformed)" : "", v->dir,
		    j->task.phases & WORKER_BUILD ? WORKER_BUILD_LOG
						  : WORKER_MEASURE_LOG);
		s->prog.failed++;
		for (i = 0; !err && i < v->n_waiters; i++) {
			err = strategy_tell(s->strat, v->waiters + i * n, 0,
					    true);
			s->prog.handled++;
		}
		v->n_waiters = 0;
		return err ? err : start_queued_measure(s);
	}
	err = record(s, v, &r);
	if (err)
		goto out;
	v->status = r.status;
	v->lost = false;
	if (r.status == STORE_BUILT) { /* wall: measured one at a time */
		v->queued = true;
		v->running = true;
		s->prog.running++;
		err = start_queued_measure(s);
		goto out;
	}
	if (r.status == STORE_DONE) {
		s->prog.done++;
		update_best(s);
	} else {
		s->prog.failed++;
	}
	report_variant(s, v, &r, (double)ex->elapsed_ns / 1e9);
	for (i = 0; !err && i < v->n_waiters; i++) {
		err = tell(s, v->waiters + i * n, v);
		s->prog.handled++;
	}
	v->n_waiters = 0;
	if (!err)
		err = start_queued_measure(s);
out:
	worker_result_free(&r);
	return err;
}

/* Wait up to timeout_ms for a job to end; handle it. */
static int wait_jobs(struct sweep *s, int timeout_ms)
{
	struct pollfd pfd[MAX_JOBS_POLLED];
	struct job *who[MAX_JOBS_POLLED];
	size_t i, n = 0;
	bool no_pidfd = false;
	int r;

	for (i = 0; i < s->n_jobs && n < MAX_JOBS_POLLED; i++) {
		if (!s->jobs[i].v || s->jobs[i].task.phases == 0)
			continue;
		if (s->jobs[i].sp.pid_fd < 0) {
			no_pidfd = true;
			continue;
		}
		pfd[n].fd = s->jobs[i].sp.pid_fd;
		pfd[n].events = POLLIN;
		who[n++] = &s->jobs[i];
	}
	r = poll(pfd, n, no_pidfd ? 50 : timeout_ms);
	if (r < 0 && errno != EINTR)
		return -errno;
	for (i = 0; i < s->n_jobs; i++) {
		struct job *j = &s->jobs[i];
		struct spawn_wait_cfg wc = { 0 };
		struct spawn_exit ex;
		siginfo_t si = { 0 };
		size_t k;
		bool done = false;

		if (!j->v)
			continue;
		for (k = 0; k < n; k++)
			if (who[k] == j && (pfd[k].revents & POLLIN))
				done = true;
		if (j->sp.pid_fd < 0 &&
		    waitid(P_PID, (id_t)j->sp.pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
			done = true;
		if (!done)
			continue;
		r = spawn_wait(&j->sp, &wc, &ex);
		if (r)
			return r;
		r = finish_job(s, j, &ex);
		if (r)
			return r;
	}
	return 0;
}

static void kill_jobs(struct sweep *s)
{
	struct spawn_wait_cfg wc = { 0 };
	struct spawn_exit ex;
	size_t i;

	for (i = 0; i < s->n_jobs; i++) {
		if (!s->jobs[i].v)
			continue;
		/* The worker's make or QEMU die with it (PDEATHSIG). */
		kill(s->jobs[i].sp.pid, SIGKILL);
		spawn_wait(&s->jobs[i].sp, &wc, &ex);
		free((char *)s->jobs[i].task.image);
		s->jobs[i].v = NULL;
	}
}

/* ---- points -------------------------------------------------------------- */

/*
 * What kconfig changed of a point's request, with the dependencies as
 * they stand in this variant (a symbol table loaded with its config, as
 * `unitune build` does), into changes.
 */
static int report_changes(struct sweep *s, const struct config_set *merged,
			  const struct config_set *req,
			  const struct config_set *resolved,
			  struct strbuf *changes)
{
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	struct strbuf dead = STRBUF_INIT;
	struct kconfig *kc = NULL;
	int err;

	/* Whether a value changed (and whether it is dead by dependency)
	 * does not depend on the variant: ask the table at hand, and load
	 * the variant's only to explain a surprising change. */
	err = build_changes(s->kc, req, resolved, changes, &dead);
	if (err >= 0 && dead.len && dead_tally_add_lines(&s->dead, dead.buf))
		err = -ENOMEM;
	strbuf_release(&dead);
	if (err <= 0)
		return err < 0 ? oom(s) : 0;
	strbuf_release(changes);
	err = config_set_write(merged, &text);
	if (!err)
		err = kconfig_load(s->unikernel, BUILD_KCONFIG_ROOT,
				   text.buf ? text.buf : "", &kc, &msg);
	if (err == -ENOMEM)
		err = oom(s);
	else if (err)
		say(s, "error: %s", msg.len ? msg.buf : strerror(-err));
	else if (build_changes(kc, req, resolved, changes, &dead) < 0)
		err = oom(s);
	strbuf_release(&dead);
	kconfig_free(kc);
	strbuf_release(&text);
	strbuf_release(&msg);
	return err;
}

/*
 * Resolve a point nobody asked for before: requested options over the
 * base, olddefconfig, hash. Reports what kconfig changed. *out is the
 * (possibly existing) variant.
 */
static int resolve_point(struct sweep *s, const size_t *idx,
			 const char *requested, struct variant **out)
{
	struct config_set merged = { 0 }, req = { 0 }, resolved = { 0 };
	struct strbuf canon = STRBUF_INIT, changes = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT;
	char hash[HASH_HEX + 1], label[512], why[PATH_MAX + 256];
	enum store_status status;
	struct variant *v;
	bool unresolved = false, created = false;
	int64_t id;
	size_t i;
	int err;

	*out = NULL;
	err = config_parse_text(requested, strlen(requested), "point", &req,
				NULL) < 0 ? -ENOMEM : 0;
	for (i = 0; !err && i < s->base.n; i++)
		err = config_set_put_copy(&merged, &s->base.v[i]);
	for (i = 0; !err && i < req.n; i++)
		err = config_set_put_copy(&merged, &req.v[i]);
	if (err) {
		err = oom(s);
		goto out;
	}
	point_label(s->space, idx, label, sizeof(label));
	err = build_resolve(s->unikernel, s->resolve_dir, &merged,
			    s->o->resolve_timeout_ns, &resolved, &text, why,
			    sizeof(why));
	if (err == -ENOMEM) {
		err = oom(s);
		goto out;
	}
	if (err && interrupted) { /* make died of the user's Ctrl-C */
		err = -EINTR;
		goto out;
	}
	if (err) {
		/* Unresolvable: a build failure keyed by what was asked. */
		say(s, "%s: kconfig cannot resolve it: %s", label, why);
		inputs_sha256_hex(requested, strlen(requested), hash);
		unresolved = true;
	} else {
		err = config_set_write(&resolved, &canon);
		if (err) {
			err = oom(s);
			goto out;
		}
		err = report_changes(s, &merged, &req, &resolved, &changes);
		if (err)
			goto out;
		inputs_sha256_hex(canon.buf ? canon.buf : "", canon.len, hash);
	}
	if (changes.len) {
		char *line = changes.buf, *nl;

		for (; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			*nl = '\0';
			say(s, "note: %s: %s (variant %.12s)", label, line, hash);
		}
	}
	/* The variant (new or not) and the point, in one transaction. */
	v = find_variant(s, NULL, hash);
	id = v ? v->id : 0;
	status = v ? v->status : STORE_PENDING;
	err = store_begin(s->st);
	if (!err && !v) {
		err = store_variant_upsert(s->st, s->exp, hash, requested,
					   unresolved ? "" : text.buf ? text.buf
								: "",
					   &id, &status);
		created = err == 1;
		err = err < 0 ? err : 0;
		if (!err && created && unresolved) {
			err = store_variant_set_status(s->st, id,
						       STORE_BUILD_FAILED, why);
			status = STORE_BUILD_FAILED;
		}
	}
	if (!err) {
		err = store_point_add(s->st, s->exp, requested, id);
		err = err < 0 ? err : 0;
	}
	if (!err)
		err = store_commit(s->st);
	if (err) {
		store_rollback(s->st);
		goto db;
	}
	if (!v) {
		v = add_variant(s, id, hash, requested,
				unresolved || !text.buf ? "" : text.buf,
				status);
		/* A failure counts against the budget like a measured one. */
		if (v && created && unresolved)
			s->started++;
	}
	if (!v || add_alias(s, requested, v)) {
		err = oom(s);
		goto out;
	}
	*out = v;
	goto out;
db:
	err = db_fail(s, err, "adding a variant");
out:
	config_set_release(&merged);
	config_set_release(&req);
	config_set_release(&resolved);
	strbuf_release(&canon);
	strbuf_release(&changes);
	strbuf_release(&text);
	return err;
}

static int handle_point(struct sweep *s, const size_t *idx)
{
	struct strbuf req = STRBUF_INIT;
	struct variant *v;
	int err;

	err = space_point_format(s->space, idx, &req);
	if (err) {
		strbuf_release(&req);
		return oom(s);
	}
	v = find_variant(s, req.buf, NULL);
	err = v ? 0 : resolve_point(s, idx, req.buf, &v);
	strbuf_release(&req);
	if (err)
		return err;
	if (finished(v->status)) {
		s->prog.handled++;
		s->prog.replayed++;
		return tell(s, idx, v);
	}
	err = add_waiter(s, v, idx);
	if (err || v->running)
		return err;
	s->started++;
	return run_job_for(s, v);
}

static bool budget_left(struct sweep *s)
{
	const struct space *sp = s->space;

	if (sp->max_evaluations && s->started >= sp->max_evaluations)
		s->budget_spent = true;
	if (sp->max_seconds && (uint64_t)((spawn_now_ns() - s->prog.start_ns) /
					  1000000000LL) >= sp->max_seconds)
		s->budget_spent = true;
	return !s->budget_spent;
}

/* Propose points while there is room for another build. */
static int fill(struct sweep *s)
{
	size_t *idx = calloc(s->space->n_options, sizeof(*idx));
	int r = 0;

	if (!idx)
		return oom(s);
	while (!interrupted && !s->exhausted && budget_left(s) &&
	       running_builds(s) < s->o->jobs) {
		r = strategy_next(s->strat, idx);
		if (r == -EAGAIN) {
			r = 0;
			break;
		}
		if (r < 0) {
			say(s, "error: the strategy failed: %s", strerror(-r));
			break;
		}
		if (r == 0) {
			s->exhausted = true;
			break;
		}
		r = handle_point(s, idx);
		if (r)
			break;
		progress_draw(&s->prog, false);
	}
	free(idx);
	return r;
}

/* ---- set-up ---------------------------------------------------------------- */

static int load_space(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	char why[PATH_MAX + 256];
	int err;

	err = strbuf_read_file(&text, o->space_path, STRBUF_TEXT_MAX, why,
			       sizeof(why));
	if (err) {
		say(s, "error: cannot read the space file %s", why);
		return SWEEP_EXIT_USAGE;
	}
	s->space_text = strbuf_detach(&text, NULL);
	/* The symbol table with the defaults, to validate the space. */
	err = kconfig_load(s->unikernel, BUILD_KCONFIG_ROOT, "", &s->kc, &msg);
	if (err) {
		say(s, "error: %s", msg.len ? msg.buf : strerror(-err));
		strbuf_release(&msg);
		return SWEEP_EXIT_ERROR;
	}
	/* Parse the very text the experiment will store. */
	err = space_load_text(s->space_text, strlen(s->space_text),
			      o->space_path, s->kc, &s->space, &msg);
	if (err) {
		say(s, "error: %s", msg.len ? msg.buf : strerror(-err));
		strbuf_release(&msg);
		return SWEEP_EXIT_USAGE;
	}
	strbuf_release(&msg);
	err = build_app_config(s->unikernel, s->space->app, &s->base, NULL, why,
			       sizeof(why));
	if (err) {
		say(s, "error: %s:%u: %s", o->space_path, s->space->app_line,
		    why);
		return SWEEP_EXIT_USAGE;
	}
	err = space_read_base(s->space, s->kc, &s->base, NULL, &msg);
	if (err) {
		say(s, "error: %s", msg.len ? msg.buf : strerror(-err));
		strbuf_release(&msg);
		return SWEEP_EXIT_USAGE;
	}
	err = inputs_hash(s->unikernel, s->space, s->kc, &s->inputs, why,
			  sizeof(why));
	if (err) {
		say(s, "error: %s", why);
		return SWEEP_EXIT_ERROR;
	}
	return 0;
}

/* Create the experiment with the hashes of its inputs, both or neither. */
static int create_experiment(struct sweep *s)
{
	int err = store_begin(s->st);

	if (err)
		return err;
	err = store_experiment_create(s->st, s->space->name, s->o->space_path,
				      s->space_text, &s->exp);
	if (!err)
		err = store_inputs_set(s->st, s->exp, &s->inputs);
	if (err) {
		store_rollback(s->st);
		return err;
	}
	return store_commit(s->st);
}

/*
 * On resume: the base_config, defconfig and Kconfig tree must be those
 * the experiment began with (inputs.h says why). An experiment from
 * before they were recorded gets them recorded now.
 */
static int check_inputs(struct sweep *s)
{
	struct store_inputs old;
	char what[128];
	int err;

	err = store_inputs_get(s->st, s->exp, &old);
	if (err == -ENOENT) {
		say(s, "note: recording the hashes of the base_config, the "
		    "app's defconfig and the Kconfig tree now; changes to "
		    "them before this run cannot be detected");
		err = store_inputs_set(s->st, s->exp, &s->inputs);
		return err ? (db_fail(s, err, "recording the inputs"),
			      SWEEP_EXIT_ERROR) : 0;
	}
	if (err)
		return db_fail(s, err, "reading the inputs"), SWEEP_EXIT_ERROR;
	inputs_describe_changes(&old, &s->inputs, what, sizeof(what));
	if (!what[0])
		return 0;
	say(s, "error: since experiment '%s' began, %s changed: its recorded "
	    "points were resolved from the old ones, and resuming would mix "
	    "variants of both. Restore them, or sweep into a new experiment "
	    "(give the space another name: or use another --db)",
	    s->space->name, what);
	return SWEEP_EXIT_USAGE;
}

static int open_experiment(struct sweep *s)
{
	struct store_experiment e = { 0 };
	struct store_env old;
	struct env_facts env;
	int err;

	err = store_open(s->o->db_path, &s->st);
	if (err) {
		/* The message names the file. */
		say(s, "error: cannot open the results store: %s",
		    store_errmsg(s->st));
		return SWEEP_EXIT_ERROR;
	}
	err = store_experiment_find(s->st, s->space->name, &s->exp);
	if (err == -ENOENT) {
		err = create_experiment(s);
		if (err)
			return db_fail(s, err, "creating the experiment"),
			       SWEEP_EXIT_ERROR;
		say(s, "experiment %s in %s", s->space->name, s->o->db_path);
	} else if (err) {
		return db_fail(s, err, "looking up the experiment"),
		       SWEEP_EXIT_ERROR;
	} else {
		err = store_experiment_get(s->st, s->exp, &e);
		if (err)
			return db_fail(s, err, "reading the experiment"),
			       SWEEP_EXIT_ERROR;
		if (strcmp(e.space_text, s->space_text)) {
			say(s, "error: %s already holds an experiment named "
			    "'%s' with a different space file; give the space "
			    "another name: or use another --db",
			    s->o->db_path, s->space->name);
			store_experiment_release(&e);
			return SWEEP_EXIT_USAGE;
		}
		err = check_inputs(s);
		if (err) {
			store_experiment_release(&e);
			return err;
		}
		say(s, "resuming experiment %s in %s (%s): %lld finished, "
		    "%lld to do", s->space->name, s->o->db_path, e.status,
		    (long long)(e.counts[STORE_DONE] + exp_failed_count(&e)),
		    (long long)(e.counts[STORE_PENDING] +
				e.counts[STORE_BUILT]));
		store_experiment_release(&e);
		err = store_experiment_set_status(s->st, s->exp, "running");
		if (err)
			return db_fail(s, err, "marking it running"),
			       SWEEP_EXIT_ERROR;
	}
	env_collect(s->root, NULL, &env);
	if (!store_env_get(s->st, s->exp, &old)) {
		if (strcmp(old.git_commit, env.git_commit) ||
		    strcmp(old.qemu_version, env.qemu_version))
			say(s, "warning: the experiment began at commit %s "
			    "with %s; this run is at %s with %s. Its results "
			    "will mix both (the store keeps the latest); "
			    "sweep into a new experiment to compare them",
			    old.git_commit, old.qemu_version, env.git_commit,
			    env.qemu_version);
		store_env_release(&old);
	}
	err = store_env_set(s->st, s->exp, env.git_commit, env.host,
			    env.qemu_version, env.cpu_model);
	if (err)
		return db_fail(s, err, "recording the environment"),
		       SWEEP_EXIT_ERROR;
	err = store_variants_by_status(s->st, s->exp, STORE_STATUS_ANY,
				       load_one, s);
	if (!err)
		err = store_points(s->st, s->exp, load_point, s);
	if (err)
		return db_fail(s, err, "reading variants"), SWEEP_EXIT_ERROR;
	return 0;
}

/*
 * Hold path with flock() for the rest of the process (the descriptor is
 * never closed): a second sweep on the same experiment or work directory
 * is refused instead of both corrupting each other's files and rows.
 */
static int lock_exclusive(struct sweep *s, const char *path,
			  const char *what)
{
	char pid[32] = "";
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0) {
		say(s, "error: cannot create the lock %s: %s", path,
		    strerror(errno));
		return SWEEP_EXIT_ERROR;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		say(s, "error: %s is being swept by another unitune tune%s%s "
		    "(lock %s)", what, pid[0] ? ", pid " : "", pid, path);
		close(fd);
		return SWEEP_EXIT_USAGE;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || write(fd, pid, strlen(pid)) < 0) {
		/* the pid is only for the message above */
	}
	s->lock_fds[s->n_locks++] = fd;
	return 0;
}

/* The programs a sweep runs, checked before anything is recorded. */
static int need_tools(struct sweep *s)
{
	static const struct { const char *prog, *package; } tools[] = {
		{ "make", "make" },
		{ "kconfig-conf", "kconfig-frontends" },
		{ RUNNER_QEMU_DEFAULT, "qemu-system-x86" },
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (paths_which(tools[i].prog, path, sizeof(path))) {
			say(s, "error: %s is not installed (Debian package "
			    "%s; scripts/deps.sh installs it)", tools[i].prog,
			    tools[i].package);
			return SWEEP_EXIT_ERROR;
		}
	return 0;
}

static int set_up(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	uint64_t grid;
	char ccache[PATH_MAX], lock[PATH_MAX + 280];
	const char *slash;
	int err;

	err = paths_root(s->root, sizeof(s->root));
	if (err) {
		say(s, "error: cannot find the Unitune tree: %s",
		    strerror(-err));
		return SWEEP_EXIT_ERROR;
	}
	snprintf(s->unikernel, sizeof(s->unikernel), "%s/unikernel", s->root);
	err = need_tools(s);
	if (!err)
		err = load_space(s);
	if (err)
		return err;
	if (o->work_dir)
		err = paths_absolute(o->work_dir, s->work, sizeof(s->work));
	else
		err = snprintf(s->work, sizeof(s->work), "%s/build/tune/%s",
			       s->root, s->space->name) >= (int)sizeof(s->work)
			      ? -ENAMETOOLONG : 0;
	if (!err && build_dir_check(s->work))
		err = -EINVAL;
	if (!err)
		err = paths_mkdir_p(s->work, 0755);
	if (err) {
		say(s, "error: work directory %s: %s", s->work,
		    err == -EINVAL ? "contains whitespace, which make cannot "
				     "handle" : strerror(-err));
		return SWEEP_EXIT_USAGE;
	}
	/*
	 * One set of slots for every sweep on this tree: ccache keys on
	 * the compiler's command line, which names the slot, so sharing
	 * slots is what lets one experiment reuse another's objects.
	 */
	snprintf(s->slots, sizeof(s->slots), "%s/build/tune/slots", s->root);
	snprintf(s->resolve_dir, sizeof(s->resolve_dir), "%s/resolve",
		 s->work);
	/* The store is created on first use, its folder too. */
	slash = strrchr(o->db_path, '/');
	if (slash && slash != o->db_path &&
	    (size_t)(slash - o->db_path) < sizeof(lock)) {
		snprintf(lock, sizeof(lock), "%.*s", (int)(slash - o->db_path),
			 o->db_path);
		err = paths_mkdir_p(lock, 0755);
		if (err) {
			say(s, "error: cannot create %s for the results store: "
			    "%s", lock, strerror(-err));
			return SWEEP_EXIT_ERROR;
		}
	}
	/* Before the store: a strategy that cannot start must leave no
	 * experiment behind marked running. */
	err = strategy_new_for_space(s->space, s->space->strategy,
				     s->space->has_seed ? s->space->seed
							: DEFAULT_SEED,
				     &s->strat);
	if (err) {
		say(s, "error: strategy %s: %s",
		    space_strategy_name(s->space->strategy), strerror(-err));
		return SWEEP_EXIT_ERROR;
	}

	snprintf(lock, sizeof(lock), "%s/.lock", s->work);
	err = lock_exclusive(s, lock, s->work);
	if (err)
		return err;
	/* The experiment is (store, name): lock it beside the store. */
	snprintf(lock, sizeof(lock), "%s.%s.lock", o->db_path, s->space->name);
	err = lock_exclusive(s, lock, s->space->name);
	if (err)
		return err;
	err = open_experiment(s);
	if (err)
		return err;

	s->wall = s->space->mode == SPACE_WALL;
	s->n_jobs = o->jobs + 1;
	s->jobs = calloc(s->n_jobs, sizeof(*s->jobs));
	if (!s->jobs)
		return oom(s), SWEEP_EXIT_ERROR;
	s->make_jobs = build_cpu_count() / (long)o->jobs;
	if (s->make_jobs < 1)
		s->make_jobs = 1;
	s->ccache = o->ccache && !paths_which("ccache", ccache, sizeof(ccache));
	if (o->ccache && !s->ccache)
		say(s, "ccache is not installed: every variant builds from "
		    "scratch");

	/* The bar's total: points the strategy can give, within budget. */
	if (s->space->strategy == SPACE_GRID ||
	    s->space->strategy == SPACE_RANDOM) {
		if (space_grid_size(s->space, &grid))
			grid = 0;
		if (s->space->max_evaluations && grid &&
		    s->space->max_evaluations < grid &&
		    s->space->max_evaluations >= s->n_vars)
			grid = 0; /* the budget counts variants, not points */
		s->prog.total = grid;
	}
	return 0;
}

/* One line per option kconfig dropped because a dependency was off. */
static void dead_notes(struct sweep *s)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	for (i = 0; i < s->dead.n; i++) {
		line.len = 0;
		if (dead_tally_text(&s->dead.v[i], "points", &line))
			break;
		say(s, "note: %s (kconfig dropped the requested value)",
		    line.buf);
	}
	strbuf_release(&line);
}

static void summary(struct sweep *s, bool complete)
{
	struct analysis_table *t = NULL;
	const struct analysis_variant *best;
	double elapsed = (double)(spawn_now_ns() - s->prog.start_ns) / 1e9;
	uint64_t fresh = s->prog.done + s->prog.failed;
	char el[16], label[512];

	progress_end(&s->prog);
	progress_format_duration(elapsed, el, sizeof(el));
	say(s, "%s: %llu points, %zu distinct variants; this run measured "
	    "%llu (%llu failed) in %s%s", complete ? "complete" : "stopped",
	    (unsigned long long)s->prog.handled, s->n_vars,
	    (unsigned long long)fresh, (unsigned long long)s->prog.failed, el,
	    complete && s->budget_spent ? " (budget reached)" : "");
	if (fresh && elapsed > 0)
		say(s, "throughput: %.0f variants/hour", (double)fresh * 3600 /
		    elapsed);
	dead_notes(s);
	if (analysis_load(s->st, s->exp, s->space, &t) || !(best =
							    analysis_best(t))) {
		analysis_free(t);
		return;
	}
	/* As resolved: options kconfig dropped are left out. */
	options_label(s->space, best->resolved_vals, label, sizeof(label));
	say(s, "best: %s (variant %.12s) %s=%g", label, best->hash,
	    s->space->objectives[0].metric,
	    analysis_objective(t, best, 0)->mean);
	say(s, "see: unitune show %s --db %s", s->space->name, s->o->db_path);
	analysis_free(t);
}

/* Variants this run proposed but could not finish (no result). */
static size_t unfinished(const struct sweep *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_vars; i++)
		n += s->vars[i]->lost;
	return n;
}

int sweep_run(const struct sweep_opts *o)
{
	struct sweep s = { .o = o };
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	int status, err = 0;

	if (!o->jobs || o->jobs > SWEEP_MAX_JOBS || !o->space_path ||
	    !o->db_path)
		return SWEEP_EXIT_USAGE;
	progress_init(&s.prog, o->out, o->tty, 0);
	status = set_up(&s);
	if (status)
		goto out;
	progress_init(&s.prog, o->out, o->tty, s.prog.total);

	interrupted = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (;;) {
		err = fill(&s);
		if (err || interrupted)
			break;
		if (!s.prog.running) /* exhausted, budget spent, or stuck */
			break;
		err = wait_jobs(&s, 200);
		if (err || interrupted)
			break;
		progress_draw(&s.prog, false);
	}
	if (interrupted) {
		kill_jobs(&s);
		store_experiment_set_status(s.st, s.exp, "stopped");
		summary(&s, false);
		say(&s, "interrupted: finished variants are recorded; run the "
		    "same command to resume");
		status = SWEEP_EXIT_INTERRUPTED;
	} else if (err) {
		kill_jobs(&s);
		store_experiment_set_status(s.st, s.exp, "stopped");
		status = SWEEP_EXIT_ERROR;
	} else if (unfinished(&s)) {
		store_experiment_set_status(s.st, s.exp, "stopped");
		summary(&s, false);
		say(&s, "error: %zu variants have no result (see the warnings "
		    "above); run the same command again to retry them",
		    unfinished(&s));
		status = SWEEP_EXIT_ERROR;
	} else {
		if (!s.exhausted && !s.budget_spent)
			say(&s, "warning: the strategy stopped proposing with "
			    "nothing running");
		err = store_experiment_set_status(s.st, s.exp, "done");
		if (err)
			db_fail(&s, err, "marking it done");
		summary(&s, true);
		status = err ? SWEEP_EXIT_ERROR : 0;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	progress_end(&s.prog);
	strategy_free(s.strat);
	free(s.jobs);
	free_variants(&s);
	config_set_release(&s.base);
	space_free(s.space);
	free(s.space_text);
	kconfig_free(s.kc);
	dead_tally_release(&s.dead);
	store_close(s.st);
	while (s.n_locks)
		close(s.lock_fds[--s.n_locks]);
	return status;
}
