/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep's jobs: starting a worker for a variant, waiting for the
 * workers, recording what they report and what became of the best.
 */
#include "sweep_int.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "host_metrics.h"
#include "http_metrics.h"
#include "paths.h"
#include "stats.h"
#include "strbuf.h"

/* ---- jobs -------------------------------------------------------------- */

size_t sw_running_builds(const struct sweep *s)
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
	char path[PATH_MAX + 32];
	int err;

	err = paths_mkdir_p(v->dir, 0755);
	if (err) {
		sw_say(s, "error: cannot create %s: %s", v->dir, strerror(-err));
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
			return sw_oom(s);
	}
	measure_opts_for_space(&t->measure, s->space, !s->wall);
	t->measure.timeout_ns = s->o->run_timeout_ns;
	if (v->racing) {
		t->measure.first_repetition = v->race_first;
		t->measure.repetitions = v->race_more;
	}
	/* Measured with the first repetitions already. */
	if (v->racing)
		t->measure.min_mem = t->measure.per_request = false;
	t->sweep_locks = s->lock_fds;
	t->n_sweep_locks = s->n_locks;
	err = spawn_fn(&j->sp, worker_main, t, &cfg);
	if (err) {
		free((char *)t->image);
		t->image = NULL;
		sw_say(s, "error: cannot start a worker: %s", strerror(-err));
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

int sw_start_topup(struct sweep *s, struct variant *v)
{
	int err = start_job(s, &s->jobs[s->o->jobs], v, WORKER_MEASURE);

	if (err)
		v->racing = false;
	return err;
}

int sw_run_job_for(struct sweep *s, struct variant *v)
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
	return -EBUSY; /* callers check sw_running_builds() first */
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
		return sw_oom(s);
	if (r->status != STORE_DONE && r->status != STORE_BUILT &&
	    !(tail = failure_tail(v, r->reason, log))) {
		free(build_tail);
		return sw_oom(s);
	}
	if (r->status == STORE_DONE && r->m.n &&
	    !(runs = calloc(r->m.n, sizeof(*runs)))) {
		free(build_tail);
		free(tail);
		return sw_oom(s);
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
		err = store_build_add(s->st, v->id, r->image, r->file_bytes,
				      r->build_seconds, build_tail);
	if (!err && runs)
		err = store_runs_add(s->st, v->id, runs, r->m.n);
	if (!err)
		err = store_variant_set_status(s->st, v->id, r->status, tail);
	if (!err)
		err = store_commit(s->st);
	if (err) {
		sw_db_fail(s, err, "recording a variant");
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
	double *x;
	size_t i, k;
	int err = 0;

	/* Each objective's median over the repetitions (none if the
	 * memory is short: the line is only a message). */
	err = strbuf_addf(&sb, "variant %llu: %.12s %s",
			  (unsigned long long)(s->prog.done + s->prog.failed),
			  v->hash, store_status_name(r->status));
	x = r->status == STORE_DONE ? calloc(r->m.n + 1, sizeof(*x)) : NULL;
	for (k = 0; !err && x && k < s->space->n_objectives; k++) {
		const char *m = s->space->objectives[k].metric;
		size_t n = 0;

		for (i = 0; i < r->m.n; i++)
			if (!strcmp(r->m.v[i].metric, m))
				x[n++] = r->m.v[i].value;
		stats_sort(x, n);
		if (n)
			err = strbuf_addf(&sb, " %s=%g", m,
					  stats_quantile_sorted(x, n, 0.5));
	}
	free(x);
	if (!err && r->status != STORE_DONE)
		err = strbuf_addf(&sb, ": %s", r->reason);
	if (!err)
		sw_say(s, "%s (%.1f s)", sb.buf, seconds);
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
		    sw_variant_score(s, s->vars[i], &score, &failed) || failed)
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
		return sw_oom(s);
	if (err) {
		/*
		 * Killed (the OOM killer, sw_say) or stopped by a problem of the
		 * host: nothing is known about the variant, so it stays
		 * pending for the next run. This run goes on without it.
		 */
		bool topup = v->racing;

		v->lost = true;
		v->racing = false;
		spawn_describe(ex->wstatus, desc, sizeof(desc));
		sw_say(s, "warning: variant %.12s: the worker %s without a "
		       "result%s (see %s/%s); %s when the sweep is run again",
		       v->hash, desc, err == -EINVAL ? " (malformed)" : "",
		       v->dir,
		       j->task.phases & WORKER_BUILD ? WORKER_BUILD_LOG
						  : WORKER_MEASURE_LOG,
		       topup ? "its samples so far are kept, and its extra "
			       "repetitions are retried"
			     : "it stays pending and is retried");
		err = 0;
		if (topup)
			return start_queued_measure(s);
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
	if (v->racing) { /* a top-up: the strategy knows the variant */
		sw_race_done(s, v, &r);
		err = start_queued_measure(s);
		goto out;
	}
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
		err = sw_tell(s, v->waiters + i * n, v);
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
int sw_wait_jobs(struct sweep *s, int timeout_ms)
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

void sw_kill_jobs(struct sweep *s)
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
