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
	"Values are medians over the repetitions. A wall-clock objective "
	"also shows the bootstrap 95% interval of its median, and when the "
	"best's interval overlaps others' the output says so (\"tie: the "
	"95% intervals of v4 and v7 on M overlap: the measurements do not "
	"say which is best\", one line per tied variant; in JSON, "
	"tied_with): the variant printed is first by its median only.\n"
	"\n"
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

/* "84 [80, 88] cycles (minimize; median of 8, bootstrap 95% interval)" */
static void print_objective(const struct analysis_table *t,
			    const struct analysis_variant *b, size_t k)
{
	const struct analysis_stat *st = analysis_objective(t, b, k);
	const char *unit = t->units[t->obj[k]];
	char text[160];

	if (!st->n) {
		printf("  %s: not measured\n", t->space->objectives[k].metric);
		return;
	}
	analysis_stat_text(st, text, sizeof(text));
	printf("  %s = %s%s%s (%s", t->space->objectives[k].metric, text,
	       *unit ? " " : "", unit,
	       space_goal_name(t->space->objectives[k].goal));
	if (st->wall)
		printf("; median of %u, bootstrap 95%% interval", st->n);
	else if (st->n > 1)
		printf("; median of %u", st->n);
	printf(")\n");
}

static void print_best(const char *name, const struct analysis_table *t,
		       const struct analysis_variant *b,
		       const struct strbuf *frag, const struct strbuf *tie)
{
	const struct space *s = t->space;
	size_t k, i;

	printf("best of %s: v%lld (config hash %s), rank 1 of %zu "
	       "successful\n",
	       name, (long long)b->id, b->hash, t->n_ranked);
	for (k = 0; k < s->n_objectives; k++)
		print_objective(t, b, k);
	if (tie->len)
		fwrite(tie->buf, 1, tie->len, stdout);
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
	size_t i, r;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "experiment");
	json_string(&j, o->exp.name);
	analysis_json_space(&j, t);
	json_key(&j, "ranked");
	json_i64(&j, (int64_t)t->n_ranked);
	json_key(&j, "best");
	analysis_json_variant(&j, t, b, 1);
	json_key(&j, "tied_with");
	json_begin_array(&j);
	for (i = 0; i < t->n_tied; i++) {
		for (r = 0; t->rank[r] != t->tied[i]; r++)
			;
		analysis_json_variant(&j, t, &t->v[t->tied[i]], r + 1);
	}
	json_end_array(&j);
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
	char m[160];
	size_t i;
	int e;

	if (!f) {
		fprintf(stderr, PROG ": error: cannot write %s: %s\n", path,
			strerror(errno));
		return EXP_EXIT_FAIL;
	}
	analysis_stat_text(st, m, sizeof(m));
	fprintf(f,
		"# The best variant of experiment %s: v%lld (config hash %s)\n"
		"# %s (%s) = %s%s%s",
		o->exp.name, (long long)b->id, b->hash,
		o->space->objectives[0].metric,
		space_goal_name(o->space->objectives[0].goal), m,
		*t->units[t->obj[0]] ? " " : "", t->units[t->obj[0]]);
	for (i = 0; i < t->n_tied; i++)
		fprintf(f, "%s v%lld", i ? (i + 1 == t->n_tied ? " and" : ",")
					  : "; tied within the noise with",
			(long long)t->v[t->tied[i]].id);
	fprintf(f, "\n# Build it with: unitune build --app %s --config %s\n",
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
	struct strbuf frag = STRBUF_INIT, tie = STRBUF_INIT;
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
	if (analysis_export(t, b, &frag) || analysis_tie_text(t, &tie)) {
		fprintf(stderr, PROG ": error: out of memory\n");
		goto out;
	}
	if (!a.db.json)
		print_best(a.db.exp, t, b, &frag, &tie);
	/* The JSON names the file only once it is written. */
	status = a.export_path ? export(a.export_path, &o, t, b, &frag,
					a.db.json)
			       : 0;
	if (!status && a.db.json)
		status = print_json(&o, t, b, &frag, a.export_path);
out:
	strbuf_release(&frag);
	strbuf_release(&tie);
	exp_open_close(&o);
	return status;
}
