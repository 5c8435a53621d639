/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune show: the experiments in a results database, or one of them:
 * its space, environment, variants ranked by the primary objective,
 * failures and what kconfig changed.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_option.h"
#include "analysis.h"
#include "analysis_json.h"
#include "tuner_cmds.h"
#include "exp_open.h"
#include "strbuf.h"

#define PROG "unitune show"

static const char doc[] =
	"Without EXP, list the experiments of the results database; with "
	"EXP, show that experiment."
	"\v"
	"For an experiment: the space (options, objectives, mode, strategy), "
	"the environment it ran in, variants per status, every successful "
	"variant ranked by the primary objective with its option values and "
	"objective values (the median over the repetitions; for a "
	"wall-clock metric with its bootstrap 95% interval, [low, high], and "
	"a column of repetitions), a tie when the best's interval overlaps "
	"others' (\"tie: the 95% intervals of v4 and v7 on M overlap\"), "
	"the failures with their class and last log line, the options "
	"kconfig resolved to other values than requested although their "
	"dependencies were met (their rows say \"changed by kconfig\"), and "
	"one line per option kconfig dropped because a dependency was off "
	"(\"not applicable in N variants because CONFIG_Y=n\").\n"
	"\n"
	"With --json the same facts go to stdout as one JSON object "
	"(errors still go to stderr).\n"
	"\n"
	"Exit status: 0 done; 1 the database cannot be read; 2 unknown "
	"experiment or usage.\n"
	"\n"
	"Examples:\n"
	"  unitune show\n"
	"  unitune show alloc\n"
	"  unitune show --json alloc | jq '.variants[0]'\n"
	"  unitune show --db results/unitune.db alloc";

struct list_ctx {
	int n;
	struct json *j; /* NULL: text */
};

static void list_json(struct json *j, const struct store_experiment *e)
{
	json_begin_object(j);
	json_key(j, "name");
	json_string(j, e->name);
	json_key(j, "status");
	json_string(j, e->status);
	json_key(j, "done");
	json_i64(j, e->counts[STORE_DONE]);
	json_key(j, "failed");
	json_i64(j, exp_failed_count(e));
	json_key(j, "pending");
	json_i64(j, e->counts[STORE_PENDING] + e->counts[STORE_BUILT]);
	json_key(j, "created");
	json_string(j, e->created);
	json_end_object(j);
}

static int list_cb(void *ctx, const struct store_experiment *e)
{
	struct list_ctx *c = ctx;

	if (c->j) {
		list_json(c->j, e);
		return 0;
	}
	if (!c->n++)
		printf("%-24s %-8s %6s %6s %7s  %s\n", "NAME", "STATUS", "DONE",
		       "FAILED", "PENDING", "CREATED");
	printf("%-24s %-8s %6lld %6lld %7lld  %s\n", e->name, e->status,
	       (long long)e->counts[STORE_DONE],
	       (long long)exp_failed_count(e),
	       (long long)(e->counts[STORE_PENDING] + e->counts[STORE_BUILT]),
	       e->created);
	return 0;
}

static int list(const char *db, bool as_json)
{
	struct json j;
	struct list_ctx c = { 0 };
	struct store *st;
	int status;

	status = exp_open_db(PROG, db, &st);
	if (status)
		return status;
	if (as_json) {
		json_init(&j, stdout);
		c.j = &j;
		json_begin_object(&j);
		json_key(&j, "experiments");
		json_begin_array(&j);
	}
	if (store_experiments(st, list_cb, &c)) {
		fprintf(stderr, PROG ": error: %s\n", store_errmsg(st));
		status = EXP_EXIT_FAIL;
	} else if (as_json) {
		json_end_array(&j);
		json_end_object(&j);
		status = json_finish(&j) ? EXP_EXIT_FAIL : 0;
	} else if (!c.n) {
		printf("no experiments in %s\n", db);
	}
	store_close(st);
	return status;
}

static void summary(const struct exp_open *o, const struct store_env *env,
		    bool has_env)
{
	const struct space *s = o->space;
	size_t i, j;
	int k, n = 0;

	printf("experiment %s (%s, created %s)\n", o->exp.name, o->exp.status,
	       o->exp.created);
	printf("space: %s; app %s; mode %s; strategy %s", o->exp.space_path,
	       s->app, space_mode_name(s->mode),
	       space_strategy_name(s->strategy));
	if (s->has_seed)
		printf(" (seed %llu)", (unsigned long long)s->seed);
	printf("\noptions:\n");
	for (i = 0; i < s->n_options; i++) {
		printf("  CONFIG_%s (%s):", s->options[i].symbol,
		       space_opt_kind_name(s->options[i].kind));
		for (j = 0; j < s->options[i].n_values; j++)
			printf(" %s", s->options[i].values[j]);
		printf("\n");
	}
	printf("objectives:");
	for (i = 0; i < s->n_objectives; i++)
		printf("%s %s (%s)", i ? "," : "", s->objectives[i].metric,
		       space_goal_name(s->objectives[i].goal));
	if (has_env)
		printf("\nenvironment: git %s, host %s, %s, CPU %s\n",
		       env->git_commit, env->host, env->qemu_version,
		       env->cpu_model);
	else
		printf("\nenvironment: not recorded\n");
	printf("variants:");
	for (k = 0; k < STORE_STATUS_COUNT; k++)
		if (o->exp.counts[k])
			printf("%s %lld %s", n++ ? "," : "",
			       (long long)o->exp.counts[k],
			       store_status_name((enum store_status)k));
	printf("%s\n", n ? "" : " none yet");
}

/* Wall mode has a column of repetitions (a race gives them unevenly). */
static bool reps_column(const struct analysis_table *t)
{
	return t->space->mode == SPACE_WALL;
}

/* Column widths: rank, variant, reps, one per option, one per
 * objective. */
static void widths(const struct analysis_table *t, size_t *w)
{
	const struct space *s = t->space;
	size_t i, r, c;
	char buf[128];

	w[0] = 4;
	w[1] = 7;
	w[2 + s->n_options + s->n_objectives] = 4;
	for (i = 0; i < s->n_options; i++)
		w[2 + i] = strlen(s->options[i].symbol);
	for (i = 0; i < s->n_objectives; i++)
		w[2 + s->n_options + i] = strlen(s->objectives[i].metric);
	for (r = 0; r < t->n; r++) {
		const struct analysis_variant *v = &t->v[r];

		for (i = 0; i < s->n_options; i++) {
			c = strlen(analysis_resolved_name(v, i));
			if (c > w[2 + i])
				w[2 + i] = c;
		}
		for (i = 0; i < s->n_objectives; i++) {
			analysis_stat_text(analysis_objective(t, v, i), buf,
					   sizeof(buf));
			c = strlen(buf);
			if (c > w[2 + s->n_options + i])
				w[2 + s->n_options + i] = c;
		}
	}
}

/*
 * What kconfig changed, sorted (analysis_changes): the surprises as
 * lines in text, the variants they are in, the values dead by
 * dependency counted.
 */
struct kchanges {
	const struct analysis_table *t;
	bool *surprised; /* per variant (index in t->v) */
	struct strbuf text;
	struct dead_tally dead;
};

static int note_change(void *ctx, const struct analysis_variant *v,
		       size_t opt)
{
	struct kchanges *k = ctx;
	const struct space *s = k->t->space;

	k->surprised[v - k->t->v] = true;
	return strbuf_addf(&k->text, "  v%-5lld CONFIG_%s: %s -> %s\n",
			   (long long)v->id, s->options[opt].symbol,
			   analysis_value_name(k->t, v, opt),
			   v->resolved_vals[opt] ? v->resolved_vals[opt]
						 : "(unset)");
}

static int kchanges_load(struct kchanges *k, const struct analysis_table *t,
			 const struct kconfig *kc)
{
	k->t = t;
	k->surprised = calloc(t->n + 1, sizeof(*k->surprised));
	if (!k->surprised)
		return -ENOMEM;
	return analysis_changes(t, kc, &k->dead, note_change, k);
}

static void kchanges_release(struct kchanges *k)
{
	free(k->surprised);
	strbuf_release(&k->text);
	dead_tally_release(&k->dead);
}

/* The surprises one by one, then one line per option dead by
 * dependency. */
static void kchanges_print(const struct kchanges *k)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	if (k->text.len)
		printf("\nchanged by kconfig although the dependencies were "
		       "met (requested -> resolved):\n%s", k->text.buf);
	for (i = 0; i < k->dead.n; i++) {
		if (!i)
			printf("\nnot applicable (kconfig dropped the "
			       "requested value: a dependency is off):\n");
		line.len = 0;
		if (dead_tally_text(&k->dead.v[i], "variants", &line))
			break;
		printf("  %s\n", line.buf);
	}
	strbuf_release(&line);
}

static void row(const struct kchanges *k, const size_t *w, const char *rank,
		const struct analysis_variant *v)
{
	const struct analysis_table *t = k->t;
	const struct space *s = t->space;
	char id[32], buf[128];
	size_t i;

	snprintf(id, sizeof(id), "v%lld", (long long)v->id);
	printf("%-*s %-*s", (int)w[0], rank, (int)w[1], id);
	for (i = 0; i < s->n_options; i++)
		printf(" %-*s", (int)w[2 + i], analysis_resolved_name(v, i));
	for (i = 0; i < s->n_objectives; i++) {
		analysis_stat_text(analysis_objective(t, v, i), buf,
				   sizeof(buf));
		printf(" %*s", (int)w[2 + s->n_options + i], buf);
	}
	if (reps_column(t))
		printf(" %*u", (int)w[2 + s->n_options + s->n_objectives],
		       analysis_objective(t, v, 0)->n);
	printf(" %s%s%s\n", store_status_name(v->status),
	       v->tied ? " (tied with the best)" : "",
	       k->surprised[v - t->v] ? " (changed by kconfig)" : "");
}

static void failures(const struct analysis_table *t)
{
	const struct space *s = t->space;
	char line[512];
	size_t i, r, n;

	for (i = 0, n = 0; i < t->n; i++) {
		const struct analysis_variant *v = &t->v[i];

		if (v->status <= STORE_DONE)
			continue;
		if (!n++)
			printf("\nfailures:\n");
		analysis_first_line(v->log_tail, line, sizeof(line));
		printf("  v%-5lld %-13s", (long long)v->id,
		       store_status_name(v->status));
		for (r = 0; r < s->n_options; r++)
			printf(" %s=%s", s->options[r].symbol,
			       analysis_resolved_name(v, r));
		printf("%s%s\n", *line ? ": " : "", line);
	}
}

static int variants(const struct analysis_table *t, const struct kconfig *kc)
{
	const struct space *s = t->space;
	size_t *w = calloc(3 + s->n_options + s->n_objectives, sizeof(*w));
	struct strbuf tie = STRBUF_INIT;
	struct kchanges k = { 0 };
	char rank[32];
	size_t i, r;

	if (!w || kchanges_load(&k, t, kc) || analysis_tie_text(t, &tie)) {
		free(w);
		kchanges_release(&k);
		strbuf_release(&tie);
		fprintf(stderr, PROG ": error: out of memory\n");
		return EXP_EXIT_FAIL;
	}
	widths(t, w);
	printf("\n%-*s %-*s", (int)w[0], "rank", (int)w[1], "variant");
	for (i = 0; i < s->n_options; i++)
		printf(" %-*s", (int)w[2 + i], s->options[i].symbol);
	for (i = 0; i < s->n_objectives; i++)
		printf(" %*s", (int)w[2 + s->n_options + i],
		       s->objectives[i].metric);
	if (reps_column(t))
		printf(" %*s", (int)w[2 + s->n_options + s->n_objectives],
		       "reps");
	printf(" status\n");
	for (r = 0; r < t->n_ranked; r++) {
		snprintf(rank, sizeof(rank), "%zu", r + 1);
		row(&k, w, rank, &t->v[t->rank[r]]);
	}
	if (!t->n_ranked)
		printf("(no successful variant)\n");
	/* Done but without the primary objective, pending, then failed. */
	for (i = 0; i < t->n; i++)
		if (t->v[i].status <= STORE_DONE &&
		    !(t->v[i].status == STORE_DONE &&
		      analysis_objective(t, &t->v[i], 0)->n))
			row(&k, w, "-", &t->v[i]);
	if (tie.len)
		printf("\n%s", tie.buf);
	failures(t);
	kchanges_print(&k);
	kchanges_release(&k);
	strbuf_release(&tie);
	free(w);
	return 0;
}

/* The experiment as one JSON object; see docs/reports.md. */
static int show_json(const struct exp_open *o, const struct store_env *env,
		     bool has_env, const struct analysis_table *t)
{
	const struct space *s = o->space;
	struct json j;
	size_t r, i;
	int k;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "experiment");
	json_string(&j, o->exp.name);
	json_key(&j, "status");
	json_string(&j, o->exp.status);
	json_key(&j, "created");
	json_string(&j, o->exp.created);
	json_key(&j, "space_path");
	json_string(&j, o->exp.space_path);
	json_key(&j, "app");
	json_string(&j, s->app);
	json_key(&j, "mode");
	json_string(&j, space_mode_name(s->mode));
	json_key(&j, "strategy");
	json_string(&j, space_strategy_name(s->strategy));
	json_key(&j, "seed");
	if (s->has_seed)
		json_i64(&j, (int64_t)s->seed);
	else
		json_null(&j);
	analysis_json_space(&j, t);
	json_key(&j, "environment");
	if (has_env) {
		json_begin_object(&j);
		json_key(&j, "git_commit");
		json_string(&j, env->git_commit);
		json_key(&j, "host");
		json_string(&j, env->host);
		json_key(&j, "qemu_version");
		json_string(&j, env->qemu_version);
		json_key(&j, "cpu_model");
		json_string(&j, env->cpu_model);
		json_end_object(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "counts");
	json_begin_object(&j);
	for (k = 0; k < STORE_STATUS_COUNT; k++) {
		json_key(&j, store_status_name((enum store_status)k));
		json_i64(&j, o->exp.counts[k]);
	}
	json_end_object(&j);
	/* Ranked first, best first; then the others by id. */
	json_key(&j, "variants");
	json_begin_array(&j);
	for (r = 0; r < t->n_ranked; r++)
		analysis_json_variant(&j, t, &t->v[t->rank[r]], r + 1);
	for (i = 0; i < t->n; i++) {
		for (r = 0; r < t->n_ranked && t->rank[r] != i; r++)
			;
		if (r == t->n_ranked)
			analysis_json_variant(&j, t, &t->v[i], 0);
	}
	json_end_array(&j);
	json_end_object(&j);
	if (json_finish(&j)) {
		fprintf(stderr, PROG ": error: cannot write the JSON output\n");
		return EXP_EXIT_FAIL;
	}
	return 0;
}

static int show(const char *db, const char *name, bool as_json)
{
	struct store_env env = { 0 };
	struct exp_open o;
	int status, e;

	status = exp_open_table(&o, PROG, db, name);
	if (status)
		goto out;
	e = store_env_get(o.st, o.id, &env);
	if (e && e != -ENOENT) {
		fprintf(stderr, PROG ": error: %s\n", store_errmsg(o.st));
		status = EXP_EXIT_FAIL;
		goto out;
	}
	if (as_json) {
		status = show_json(&o, &env, !e, o.table);
		goto out;
	}
	summary(&o, &env, !e);
	status = variants(o.table, o.kc);
out:
	store_env_release(&env);
	exp_open_close(&o);
	return status;
}

int cmd_show(int argc, char **argv)
{
	static const struct argp argp = { NULL, NULL, "[EXP]", doc, NULL,
					  NULL, NULL };
	struct db_option db = DB_OPTION(NULL, true);

	db_option_parse(PROG, &argp, NULL, &db, argc, argv);
	return db.exp ? show(db.path, db.exp, db.json) : list(db.path, db.json);
}
