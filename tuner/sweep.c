/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep loop. See sweep.h; the worker (worker.h) does the building
 * and measuring in child processes, the sweep decides what to do next and
 * is the only writer of the store (sweep_int.h lists its parts).
 */
#include "sweep_int.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "analysis.h"
#include "exp_push.h"
#include "strbuf.h"
#include "why.h"

static void dead_notes(struct sweep *s)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	for (i = 0; i < s->dead.n; i++) {
		line.len = 0;
		if (dead_tally_text(&s->dead.v[i], "points", &line))
			break;
		sw_say(s, "note: %s (kconfig dropped the requested value)",
		       line.buf);
	}
	strbuf_release(&line);
}

/* A tie with the best, line by line (analysis_tie_text). */
static void say_lines(struct sweep *s, const struct analysis_table *t)
{
	struct strbuf tie = STRBUF_INIT;
	char *line, *nl;

	if (analysis_tie_text(t, &tie) || !tie.len) {
		strbuf_release(&tie);
		return;
	}
	for (line = tie.buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		sw_say(s, "%s", line);
	}
	strbuf_release(&tie);
}

static void summary(struct sweep *s, bool complete)
{
	struct analysis_table *t = NULL;
	const struct analysis_variant *best;
	double elapsed = (double)(spawn_now_ns() - s->prog.start_ns) / 1e9;
	uint64_t fresh = s->prog.done + s->prog.failed;
	char el[16], label[512], value[160];

	progress_end(&s->prog);
	progress_format_duration(elapsed, el, sizeof(el));
	sw_say(s, "%s: %llu points, %zu distinct variants; this run measured "
	       "%llu (%llu failed) in %s%s", complete ? "complete" : "stopped",
	       (unsigned long long)s->prog.handled, s->n_vars,
	       (unsigned long long)fresh, (unsigned long long)s->prog.failed, el,
	       complete && s->budget_spent ? " (budget reached)" : "");
	if (fresh && elapsed > 0)
		sw_say(s, "throughput: %.0f variants/hour", (double)fresh * 3600 /
		       elapsed);
	dead_notes(s);
	if (s->race_topups)
		sw_say(s, "race: %lu top-ups gave the contenders %lu more "
		       "repetitions (at most %u each)", s->race_topups,
		       s->race_reps, s->space->bench.max_repetitions);
	if (analysis_load(s->st, s->exp, s->space, &t) || !(best =
							    analysis_best(t))) {
		analysis_free(t);
		return;
	}
	/* As resolved: options kconfig dropped are left out. */
	sw_options_label(s->space, best->resolved_vals, label, sizeof(label));
	analysis_stat_text(analysis_objective(t, best, 0), value,
			   sizeof(value));
	sw_say(s, "best: %s (variant %.12s) %s=%s", label, best->hash,
	       s->space->objectives[0].metric, value);
	say_lines(s, t);
	sw_say(s, "see: unitune show %s --db %s", s->space->name, s->o->db_path);
	analysis_free(t);
}

/* The complete experiment to the Pushgateway; a failure is the sweep's
 * error, though every result stays in the store. */
static int push_results(struct sweep *s)
{
	char why[UNITUNE_WHY_MAX] = "";
	size_t pushed = 0;
	int err;

	err = exp_push_experiment(s->st, s->exp, s->space, s->o->push_url,
				  &pushed, why, sizeof(why));
	if (err) {
		sw_say(s, "error: push to %s: %s", s->o->push_url, why);
		sw_say(s, "the results are in %s; run the same command again "
		       "to push them", s->o->db_path);
		return SWEEP_EXIT_ERROR;
	}
	sw_say(s, "pushed %zu variants to %s (job %s, experiment %s)", pushed,
	       s->o->push_url, EXP_PUSH_JOB, s->space->name);
	return 0;
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
	struct sigaction sa = { .sa_handler = sw_on_signal }, old_int, old_term;
	int status, err = 0;

	if (!o->jobs || o->jobs > SWEEP_MAX_JOBS || !o->space_path ||
	    !o->db_path)
		return SWEEP_EXIT_USAGE;
	progress_init(&s.prog, o->out, o->tty, 0);
	status = sw_set_up(&s);
	if (status)
		goto out;
	progress_init(&s.prog, o->out, o->tty, s.prog.total);

	sw_interrupt_clear();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (;;) {
		struct variant *topup = NULL;

		err = sw_fill(&s);
		/* The search is over once nothing runs: then the race. */
		if (!err && !s.prog.running)
			err = sw_race_next(&s, &topup);
		if (!err && topup)
			err = sw_start_topup(&s, topup);
		if (err || sw_interrupted())
			break;
		if (!s.prog.running) /* exhausted, budget spent, or stuck */
			break;
		err = sw_wait_jobs(&s, 200);
		if (err || sw_interrupted())
			break;
		progress_draw(&s.prog, false);
	}
	if (sw_interrupted()) {
		sw_kill_jobs(&s);
		store_experiment_set_status(s.st, s.exp, "stopped");
		summary(&s, false);
		sw_say(&s, "interrupted: finished variants are recorded; run the "
		       "same command to resume");
		status = SWEEP_EXIT_INTERRUPTED;
	} else if (err) {
		sw_kill_jobs(&s);
		store_experiment_set_status(s.st, s.exp, "stopped");
		status = SWEEP_EXIT_ERROR;
	} else if (unfinished(&s)) {
		store_experiment_set_status(s.st, s.exp, "stopped");
		summary(&s, false);
		sw_say(&s, "error: %zu variants have no result (see the warnings "
		       "above); run the same command again to retry them",
		       unfinished(&s));
		status = SWEEP_EXIT_ERROR;
	} else {
		if (!s.exhausted && !s.budget_spent)
			sw_say(&s, "warning: the strategy stopped proposing with "
			       "nothing running");
		err = store_experiment_set_status(s.st, s.exp, "done");
		if (err)
			sw_db_fail(&s, err, "marking it done");
		summary(&s, true);
		status = err ? SWEEP_EXIT_ERROR : 0;
		if (!status && o->push_url)
			status = push_results(&s);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	progress_end(&s.prog);
	strategy_free(s.strat);
	free(s.jobs);
	sw_free_variants(&s);
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
