/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune tune: run (or resume) the sweep a space file describes.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "tuner_cmds.h"
#include "duration.h"
#include "push.h"
#include "why.h"
#include "db_option.h"
#include "run_args.h"
#include "store.h"
#include "sweep.h"

#define PROG "unitune tune"

/* Long-only options: keys outside the characters of short ones. */
enum { OPT_PUSH = 0x100 };

static const struct argp_option options[] = {
	{ "jobs", 'j', "N", 0,
	  "Variants built (and, in deterministic mode, measured) at once "
	  "(default: the number of CPUs).", 0 },
	{ "work", 'w', "DIR", 0,
	  "Build directories (default: build/tune/NAME in the Unitune "
	  "tree).", 0 },
	{ "build-timeout", 'B', "SECONDS", 0,
	  "Limit for building one variant (default 600).", 0 },
	{ "run-timeout", 'R', "SECONDS", 0,
	  "Limit for each boot of an image: a repetition or a min_mem probe "
	  "(default 120).", 0 },
	{ "resolve-timeout", 'K', "SECONDS", 0,
	  "Limit for kconfig's olddefconfig on one point (default 60).", 0 },
	{ "no-ccache", 'C', NULL, 0,
	  "Build every variant without ccache.", 0 },
	{ "push", OPT_PUSH, "URL", 0,
	  "Once the sweep is complete, push every variant's results to the "
	  "Prometheus Pushgateway at URL (http://HOST:PORT; job unitune_tune, "
	  "grouped by experiment, commit and config_hash).", 0 },
	{ "progress", 'P', "WHEN", 0,
	  "A progress bar: auto (on a terminal; default), always or never "
	  "(plain lines).", 0 },
	RUN_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Sweep the Kconfig options a space file names: build, boot and "
	"benchmark each variant, record everything in the results store."
	"\v"
	"SPACE is a YAML space file (docs/space-file.md). The experiment is "
	"named by the space's name:. Running the same command again after "
	"an interruption (Ctrl-C, kill, a crash) resumes it: finished "
	"variants are not redone.\n"
	"\n"
	"Each point the strategy proposes is resolved with olddefconfig; "
	"points that resolve to the same configuration (SHA-256 of the "
	"resolved .config) are built and measured once, and a requested "
	"value kconfig changed is reported. A variant that fails is stored "
	"with its class (build_failed, boot_failed, crashed, timeout, "
	"bench_failed) and the tail of its log, and the sweep goes on.\n"
	"\n"
	"Timeouts are seconds, with an optional fraction (\"1.5\").\n"
	"\n"
	"With --push, a complete sweep ends by pushing its results "
	"(docs/prometheus.md); a push that fails makes the exit status 1, "
	"and running the command again pushes them again.\n"
	"\n"
	"Exit status: 0 the sweep is complete; 1 it could not go on; 2 usage "
	"error or invalid space file; 130 interrupted (resume by running "
	"it again).\n"
	"\n"
	"Examples:\n"
	"  unitune tune benchmarks/spaces/alloc.yaml\n"
	"  unitune tune --jobs 2 --progress never benchmarks/spaces/alloc.yaml\n"
	"  unitune show alloc\n"
	"  unitune best alloc --export best.config";

struct tune_args {
	struct sweep_opts o;
	struct db_option db;
	int progress; /* -1 auto, 0 never, 1 always */
};

static int get_time(struct argp_state *state, const char *opt,
		    const char *arg, int64_t *ns)
{
	if (duration_parse_ns(arg, ns) || *ns <= 0)
		argp_error(state, "%s '%s' is not a number of seconds such "
			   "as 90 or 1.5", opt, arg);
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct tune_args *a = state->input;

	switch (key) {
	case 'w':
		a->o.work_dir = arg;
		break;
	case 'j':
		a->o.jobs = (unsigned)run_args_parse_jobs(state, arg,
							  SWEEP_MAX_JOBS);
		break;
	case 'B':
		return get_time(state, "--build-timeout", arg,
				&a->o.build_timeout_ns);
	case 'R':
		return get_time(state, "--run-timeout", arg,
				&a->o.run_timeout_ns);
	case 'K':
		return get_time(state, "--resolve-timeout", arg,
				&a->o.resolve_timeout_ns);
	case 'C':
		a->o.ccache = false;
		break;
	case OPT_PUSH: {
		char why[UNITUNE_WHY_MAX];

		if (push_url_check(arg, why, sizeof(why)))
			argp_error(state, "--push: %s", why);
		a->o.push_url = arg;
		break;
	}
	case 'P':
		if (!strcmp(arg, "auto"))
			a->progress = -1;
		else if (!strcmp(arg, "always"))
			a->progress = 1;
		else if (!strcmp(arg, "never"))
			a->progress = 0;
		else
			argp_error(state, "--progress '%s': expected auto, "
				   "always or never", arg);
		break;
	case ARGP_KEY_ARG:
		if (a->o.space_path)
			argp_error(state, "unexpected argument '%s' (one space "
				   "file at a time)", arg);
		a->o.space_path = arg;
		break;
	case ARGP_KEY_END:
		if (!a->o.space_path)
			argp_error(state, "missing the space file");
		break;
	default:
		return run_args_parse_help(key, state);
	}
	return 0;
}

int cmd_tune(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "SPACE", doc,
					  NULL, NULL, NULL };
	struct tune_args a = {
		.o = {
			.resolve_timeout_ns = 60 * 1000000000LL,
			.build_timeout_ns = 600 * 1000000000LL,
			.run_timeout_ns = 120 * 1000000000LL,
			.ccache = true,
			.out = stderr,
		},
		.db = DB_OPTION_INIT,
		.progress = -1,
	};

	db_option_parse(PROG, &argp, &a, &a.db, argc, argv);
	a.o.db_path = a.db.path;
	if (!a.o.jobs)
		a.o.jobs = (unsigned)(build_cpu_count() < SWEEP_MAX_JOBS
				      ? build_cpu_count() : SWEEP_MAX_JOBS);
	a.o.tty = a.progress < 0 ? isatty(fileno(stderr)) : a.progress;
	return sweep_run(&a.o);
}
