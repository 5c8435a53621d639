/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune report --experiment EXP -o DIR: the experiment report
 * (exp_report.c), and the rule that still reads the old form
 * `unitune report EXP` as one (the trace report shares the verb).
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "count.h"
#include "db_option.h"
#include "tuner_cmds.h"
#include "exp_open.h"
#include "exp_report.h"

#define PROG "unitune report"

struct xreport_args {
	struct db_option db; /* db.exp: EXP, named by -e or not */
	bool named; /* by --experiment: no trace is meant */
	const char *dir;
	unsigned top;
};

enum { OPT_TOP = 0x100 };

static const struct argp_option options[] = {
	{ "experiment", 'e', "EXP", 0,
	  "The experiment to report on (the old form, EXP without -e, "
	  "still works and says so).", 0 },
	{ "output", 'o', "DIR", 0,
	  "Write the report into DIR (created if needed; default: "
	  "report-EXP).", 0 },
	{ "top", OPT_TOP, "N", 0,
	  "Rows in the table of top configurations (default 10).", 0 },
	{ 0 }
};

static const char doc[] =
	"Write the report of experiment EXP into a directory: index.html "
	"(static, self-contained, readable offline) and the plots it shows, "
	"each as data (.dat), gnuplot script (.gp) and SVG."
	"\v"
	"Plots: the primary objective per variant (failures marked), the "
	"main effect of each option, and the Pareto front when the space has "
	"two objectives. index.html adds the space, the environment, the "
	"best variant, the top configurations, the options kconfig changed "
	"and the failures. See docs/reports.md.\n"
	"\n"
	"Without --experiment, `unitune report TRACE` is the trace report "
	"(see `unitune report --help`). The old form `unitune report EXP` "
	"still works, with a note on stderr: with --db, or when EXP is not "
	"an existing file nor a path (with a '/' or ending in .uttr).\n"
	"\n"
	"Exit status: 0 done; 1 an error, or gnuplot is missing or failed "
	"(the rest of the report is written and says so), or, in the old "
	"form without --db, a name that is neither a trace file nor an "
	"experiment (a missing trace, as for the trace report and diff); 2 "
	"unknown experiment (with --experiment or --db) or usage.\n"
	"\n"
	"Examples:\n"
	"  unitune report --experiment alloc -o build/report\n"
	"  unitune report -e alloc --db results/unitune.db -o alloc-report";

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct xreport_args *a = state->input;
	unsigned long v;

	switch (key) {
	case 'o':
		a->dir = arg;
		break;
	case 'e':
		if (a->db.exp)
			argp_error(state, "more than one experiment: '%s' and "
				   "'%s'", a->db.exp, arg);
		a->db.exp = arg;
		a->named = true;
		break;
	case OPT_TOP:
		if (count_parse(arg, 100000, &v) || !v)
			argp_error(state, "--top '%s' is not a count in "
				   "1..100000", arg);
		a->top = (unsigned)v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static bool is_trace_name(const char *arg)
{
	size_t n = strlen(arg);

	return n > 5 && !strcmp(arg + n - 5, ".uttr");
}

/* Is arg one of this report's options (or its help)? */
static bool own_option(const char *arg)
{
	static const char *const own[] = { "-o", "--output", "-d", "--db",
					   "-e", "--experiment",
					   "--top", "-?", "--help", "--usage",
					   NULL };
	size_t i, n;

	for (i = 0; own[i]; i++) {
		n = strlen(own[i]);
		if (!strncmp(arg, own[i], n) &&
		    (!arg[n] || arg[n] == '=' || own[i][1] != '-'))
			return true;
	}
	return false;
}

/* Is the word after arg (one of own_option's) its value, "-o DIR"? */
static bool value_follows(const char *arg)
{
	return !strcmp(arg, "-o") || !strcmp(arg, "--output") ||
	       !strcmp(arg, "--top") || !strcmp(arg, "-e") ||
	       !strcmp(arg, "--experiment");
}

bool cmd_report_names_experiment(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--experiment") ||
		    !strncmp(argv[i], "--experiment=", 13) ||
		    !strncmp(argv[i], "-e", 2))
			return true;
	return false;
}

bool cmd_report_is_old_experiment_form(int argc, char **argv)
{
	struct stat st;
	bool positional = false;
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--db") || !strncmp(argv[i], "--db=", 5) ||
		    !strncmp(argv[i], "-d", 2))
			return true;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (argv[i][0] == '-' && argv[i][1]) {
			/* A trace option: the trace report says what is
			 * wrong (a missing file, say). */
			if (!own_option(argv[i]))
				return false;
			/* "-o build/report": a folder, not a trace path. */
			if (value_follows(argv[i]))
				i++;
			continue;
		}
		/* Any file but a directory: the trace report says what is
		 * wrong with a FIFO or a device. */
		if (!stat(argv[i], &st) && !S_ISDIR(st.st_mode))
			return false;
		/* A path is a trace, missing or not: the trace report
		 * says "cannot read" with the status of a missing trace. */
		if (strchr(argv[i], '/') || is_trace_name(argv[i]))
			return false;
		positional = true;
	}
	return positional;
}

int cmd_report_experiment(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt,
					  "--experiment EXP\nEXP", doc,
					  NULL, NULL, NULL };
	struct xreport_args a = {
		.db = DB_OPTION("missing --experiment EXP (an experiment "
				"name) or a trace file", false),
	};
	char why[UNITUNE_WHY_MAX];
	char dir[512];
	struct exp_open o;
	int status, e;

	db_option_parse(PROG, &argp, &a, &a.db, argc, argv);
	status = exp_open(&o, PROG, a.db.path, a.db.exp,
			  !a.db.given && !a.named);
	if (status)
		goto out;
	if (!a.dir) {
		snprintf(dir, sizeof(dir), "report-%s", a.db.exp);
		a.dir = dir;
	}
	e = exp_report_write(o.st, o.id, o.space, o.kc, a.dir, a.top, why,
			     sizeof(why));
	if (e < 0) {
		fprintf(stderr, PROG ": error: %s\n", why);
		status = EXP_EXIT_FAIL;
		goto out;
	}
	if (e == EXP_REPORT_NO_PLOTS) {
		fprintf(stderr, PROG ": error: %s; %s/index.html says so\n",
			why, a.dir);
		status = EXP_EXIT_FAIL;
	}
	printf("report: %s/index.html\n", a.dir);
out:
	exp_open_close(&o);
	return status;
}
