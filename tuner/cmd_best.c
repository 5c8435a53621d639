/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune best: the winning variant of an experiment, and its options as
 * a defconfig fragment for `unitune build --config`.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_option.h"
#include "analysis.h"
#include "analysis_json.h"
#include "tuner_cmds.h"
#include "exp_open.h"

#define PROG "unitune best"

struct best_args {
	struct db_option db;
	const char *export_path;
};

static const struct argp_option options[] = {
	{ "export", 'e', "FILE", 0,
	  "Write the winning options as a defconfig fragment (the varied "
	  "symbols as kconfig resolved them) to FILE.", 0 },
	{ 0 }
};

static const char doc[] =
	"Print the best variant of experiment EXP: the successful variant "
	"ranked first by the space's objectives (the first one decides, the "
	"next ones break ties)."
	"\v"
	"The fragment written by --export starts with comment lines naming "
	"the experiment, the objective and its value; "
	"`unitune build --app APP --config FILE` builds that variant.\n"
	"\n"
	"With --json the same facts go to stdout as one JSON object (the "
	"variant, every measured metric, the fragment, the exported file); "
	"errors still go to stderr.\n"
	"\n"
	"Exit status: 0 done; 1 no variant of EXP succeeded, or an error; 2 "
	"unknown experiment (the known ones are listed) or usage.\n"
	"\n"
	"Examples:\n"
	"  unitune best alloc\n"
	"  unitune best alloc --export best.config\n"
	"  unitune best --json alloc\n"
	"  unitune build --app allocbench --config best.config -o build/best";

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct best_args *a = state->input;

	switch (key) {
	case 'e':
		a->export_path = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void print_best(const char *name, const struct analysis_table *t,
		       const struct analysis_variant *b,
		       const struct strbuf *frag)
{
	const struct space *s = t->space;
	char m[48], sd[48];
	size_t k, i;

	printf("best of %s: v%lld (config hash %s), rank 1 of %zu "
	       "successful\n",
	       name, (long long)b->id, b->hash, t->n_ranked);
	for (k = 0; k < s->n_objectives; k++) {
		const struct analysis_stat *st = analysis_objective(t, b, k);

		if (!st->n) {
			printf("  %s: not measured\n", s->objectives[k].metric);
			continue;
		}
		analysis_fmt(st->mean, m, sizeof(m));
		printf("  %s = %s%s%s (%s", s->objectives[k].metric, m,
		       *t->units[t->obj[k]] ? " " : "", t->units[t->obj[k]],
		       space_goal_name(s->objectives[k].goal));
		if (st->n > 1) {
			analysis_fmt(st->stddev, sd, sizeof(sd));
			printf("; mean of %u, +-%s", st->n, sd);
		}
		printf(")\n");
	}
	printf("options (as resolved):\n");
	fwrite(frag->buf, 1, frag->len, stdout);
	for (i = 0; i < s->n_options; i++)
		if (b->opt_changed[i])
			printf("note: CONFIG_%s was requested as %s; kconfig "
			       "resolved it to %s\n",
			       s->options[i].symbol,
			       analysis_value_name(t, b, i),
			       b->resolved_vals[i] ? b->resolved_vals[i]
						   : "(unset)");
}

static int print_json(const struct exp_open *o,
		      const struct analysis_table *t,
		      const struct analysis_variant *b,
		      const struct strbuf *frag, const char *export_path)
{
	struct json j;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "experiment");
	json_string(&j, o->exp.name);
	analysis_json_space(&j, t);
	json_key(&j, "ranked");
	json_i64(&j, (int64_t)t->n_ranked);
	json_key(&j, "best");
	analysis_json_variant(&j, t, b, 1);
	json_key(&j, "fragment");
	json_string(&j, frag->buf ? frag->buf : "");
	json_key(&j, "export");
	json_string(&j, export_path);
	json_end_object(&j);
	if (json_finish(&j)) {
		fprintf(stderr, PROG ": error: cannot write the JSON output\n");
		return EXP_EXIT_FAIL;
	}
	return 0;
}

static int export(const char *path, const struct exp_open *o,
		  const struct analysis_table *t,
		  const struct analysis_variant *b, const struct strbuf *frag,
		  bool quiet)
{
	const struct analysis_stat *st = analysis_objective(t, b, 0);
	FILE *f = fopen(path, "w");
	char m[48];
	int e;

	if (!f) {
		fprintf(stderr, PROG ": error: cannot write %s: %s\n", path,
			strerror(errno));
		return EXP_EXIT_FAIL;
	}
	analysis_fmt(st->mean, m, sizeof(m));
	fprintf(f,
		"# The best variant of experiment %s: v%lld (config hash %s)\n"
		"# %s (%s) = %s%s%s\n"
		"# Build it with: unitune build --app %s --config %s\n",
		o->exp.name, (long long)b->id, b->hash,
		o->space->objectives[0].metric,
		space_goal_name(o->space->objectives[0].goal), m,
		*t->units[t->obj[0]] ? " " : "", t->units[t->obj[0]],
		o->space->app, path);
	fwrite(frag->buf, 1, frag->len, f);
	e = ferror(f);
	if (fclose(f) || e) {
		fprintf(stderr, PROG ": error: cannot write %s\n", path);
		return EXP_EXIT_FAIL;
	}
	if (!quiet)
		printf("wrote %s\n", path);
	return 0;
}

int cmd_best(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "EXP", doc,
					  NULL, NULL, NULL };
	struct best_args a = { .db = DB_OPTION(DB_OPTION_MISSING_EXP, true) };
	const struct analysis_table *t;
	const struct analysis_variant *b;
	struct strbuf frag = STRBUF_INIT;
	struct exp_open o;
	int status;

	db_option_parse(PROG, &argp, &a, &a.db, argc, argv);
	status = exp_open_table(&o, PROG, a.db.path, a.db.exp);
	if (status)
		goto out;
	status = EXP_EXIT_FAIL;
	t = o.table;
	b = analysis_best(t);
	if (!b) {
		fprintf(stderr,
			PROG ": %s: no successful variant (%lld variants, "
			"%lld failed; unitune show %s lists them)\n",
			a.db.exp, (long long)t->n,
			(long long)exp_failed_count(&o.exp), a.db.exp);
		goto out;
	}
	if (analysis_export(t, b, &frag)) {
		fprintf(stderr, PROG ": error: out of memory\n");
		goto out;
	}
	if (!a.db.json)
		print_best(a.db.exp, t, b, &frag);
	/* The JSON names the file only once it is written. */
	status = a.export_path ? export(a.export_path, &o, t, b, &frag,
					a.db.json)
			       : 0;
	if (!status && a.db.json)
		status = print_json(&o, t, b, &frag, a.export_path);
out:
	strbuf_release(&frag);
	exp_open_close(&o);
	return status;
}
