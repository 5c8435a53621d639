/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune export: an experiment's measurements as CSV, one record per
 * run, for a spreadsheet or a data frame.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "tuner_cmds.h"
#include "csv.h"
#include "db_option.h"
#include "exp_open.h"

#define PROG "unitune export"

struct export_args {
	struct db_option db;
	const char *out;
	bool csv;
};

static const struct argp_option options[] = {
	{ "csv", 'c', NULL, 0, "Write CSV (RFC 4180). Required: the only "
	  "format so far.", 0 },
	{ "output", 'o', "FILE", 0, "Write to FILE instead of stdout.", 0 },
	{ 0 }
};

static const char doc[] =
	"Export the runs of experiment EXP as CSV: one record per measured "
	"run, one per variant that has none (a failure, say)."
	"\v"
	"Columns: experiment, variant (vID), config_hash, status, one "
	"column per option (CONFIG_X, its value as kconfig resolved it; "
	"empty when kconfig dropped it, n for a bool), metric, value, "
	"unit, repetition (0-based), kind (deterministic or wall), "
	"accelerator. A variant without runs has the last six empty. "
	"Values are exact (17 significant digits); records end with CRLF; "
	"a field with a comma, a quote or a line break is quoted.\n"
	"\n"
	"Exit status: 0 done; 1 the database cannot be read or FILE cannot "
	"be written; 2 unknown experiment, no --csv, or usage.\n"
	"\n"
	"Examples:\n"
	"  unitune export alloc --csv > alloc.csv\n"
	"  unitune export --db results/unitune.db alloc --csv -o runs.csv";

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct export_args *a = state->input;

	switch (key) {
	case 'c':
		a->csv = true;
		break;
	case 'o':
		a->out = arg;
		break;
	case ARGP_KEY_END:
		/* After db_option's "missing EXP": children end first. */
		if (!a->csv)
			argp_error(state, "say which format: --csv");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

struct rows {
	struct csv csv;
	const struct analysis_table *t;
	const struct analysis_variant *v;
	const char *exp;
	size_t n; /* runs of the current variant */
};

/* experiment, variant, config_hash, status and the options. */
static void variant_fields(struct rows *r)
{
	const struct analysis_variant *v = r->v;
	char id[32];
	size_t i;

	snprintf(id, sizeof(id), "v%lld", (long long)v->id);
	csv_field(&r->csv, r->exp);
	csv_field(&r->csv, id);
	csv_field(&r->csv, v->hash);
	csv_field(&r->csv, store_status_name(v->status));
	for (i = 0; i < r->t->space->n_options; i++)
		csv_field(&r->csv, v->resolved_vals[i]);
}

static int run_cb(void *ctx, const struct store_run *run)
{
	struct rows *r = ctx;
	char rep[16];

	variant_fields(r);
	csv_field(&r->csv, run->metric);
	csv_number(&r->csv, run->value);
	csv_field(&r->csv, run->unit);
	snprintf(rep, sizeof(rep), "%d", run->repetition);
	csv_field(&r->csv, rep);
	csv_field(&r->csv, store_kind_name(run->kind));
	csv_field(&r->csv, run->accel);
	csv_end_record(&r->csv);
	r->n++;
	return 0;
}

static void header(struct rows *r)
{
	static const char *const head[] = { "experiment", "variant",
					    "config_hash", "status" };
	static const char *const tail[] = { "metric", "value", "unit",
					    "repetition", "kind",
					    "accelerator" };
	char sym[256];
	size_t i;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_field(&r->csv, head[i]);
	for (i = 0; i < r->t->space->n_options; i++) {
		snprintf(sym, sizeof(sym), "CONFIG_%s",
			 r->t->space->options[i].symbol);
		csv_field(&r->csv, sym);
	}
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		csv_field(&r->csv, tail[i]);
	csv_end_record(&r->csv);
}

/* Every variant by id, its runs by metric and repetition. */
static int write_csv(FILE *f, struct exp_open *o)
{
	const struct analysis_table *t = o->table;
	struct rows r = { .t = t, .exp = o->exp.name };
	size_t i, k;

	csv_init(&r.csv, f);
	header(&r);
	for (i = 0; i < t->n; i++) {
		r.v = &t->v[i];
		r.n = 0;
		if (store_runs_for_variant(o->st, r.v->id, run_cb, &r)) {
			fprintf(stderr, PROG ": error: %s\n",
				store_errmsg(o->st));
			return EXP_EXIT_FAIL;
		}
		if (r.n)
			continue;
		variant_fields(&r);
		for (k = 0; k < 6; k++)
			csv_field(&r.csv, NULL);
		csv_end_record(&r.csv);
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "EXP", doc,
					  NULL, NULL, NULL };
	struct export_args a = { .db = DB_OPTION(DB_OPTION_MISSING_EXP, false) };
	struct exp_open o;
	FILE *f = stdout;
	int status, e;

	db_option_parse(PROG, &argp, &a, &a.db, argc, argv);
	status = exp_open_table(&o, PROG, a.db.path, a.db.exp);
	if (status)
		goto out;
	if (a.out && !(f = fopen(a.out, "w"))) {
		fprintf(stderr, PROG ": error: cannot write %s: %s\n", a.out,
			strerror(errno));
		status = EXP_EXIT_FAIL;
		goto out;
	}
	status = write_csv(f, &o);
	e = ferror(f);
	if (f != stdout)
		e |= fclose(f);
	else
		e |= fflush(f);
	if (e && !status) {
		fprintf(stderr, PROG ": error: cannot write %s\n",
			a.out ? a.out : "the output");
		status = EXP_EXIT_FAIL;
	}
out:
	exp_open_close(&o);
	return status;
}
