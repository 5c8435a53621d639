/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune nightly SUITE: the command line of a night (nightly.h).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "nightly.h"
#include "nightly_cmds.h"
#include "push.h"
#include "store.h"

enum {
	OPT_COMMIT = 0x100,
	OPT_COMMITS,
	OPT_DB,
	OPT_WORK,
	OPT_PUSH,
	OPT_BISECT,
	OPT_ADVISORY,
	OPT_NO_CONFIRM,
	OPT_CONFIRM_MAX,
	OPT_REPO,
	OPT_BUILD_TIMEOUT,
	OPT_RUN_TIMEOUT,
};

static const struct argp_option options[] = {
	{ "commit", OPT_COMMIT, "REV", 0,
	  "Measure the one commit REV (default: HEAD of the repository).", 0 },
	{ "commits", OPT_COMMITS, "A..B", 0,
	  "Measure every commit of the range A..B (as git rev-list reads "
	  "it: B and its ancestors that are not A's), oldest first.", 0 },
	{ "repo", OPT_REPO, "DIR", 0,
	  "The git repository whose commits are measured (default: the "
	  "Unitune tree this program belongs to).", 0 },
	{ "db", OPT_DB, "PATH", 0,
	  "The results store (default " STORE_DEFAULT_PATH ").", 0 },
	{ "output", 'o', "DIR", 0,
	  "Write the report to DIR: index.html with a history plot per "
	  "metric, summary.md, junit.xml, profiles/.", 0 },
	{ "work", OPT_WORK, "DIR", 0,
	  "Where the worktree, builds, images and logs go (default: "
	  "build/nightly in the Unitune tree). One night at a time uses it.",
	  0 },
	{ "bisect", OPT_BISECT, 0, 0,
	  "Bisect each confirmed regression whose ends are not adjacent "
	  "commits, with git bisect, measuring only the regressed metric.",
	  0 },
	{ "advisory", OPT_ADVISORY, 0, 0,
	  "Exit 0 after reporting, even with a confirmed regression.", 0 },
	{ "no-confirm", OPT_NO_CONFIRM, 0, 0,
	  "Do not re-measure wall-clock suspects: list them unconfirmed.", 0 },
	{ "confirm-max", OPT_CONFIRM_MAX, "N", 0,
	  "Most samples per side a confirmation takes (default 20).", 0 },
	{ "push", OPT_PUSH, "URL", 0,
	  "Push the newest commit's figures to the Prometheus Pushgateway at "
	  "URL (job unitune_nightly, grouped by suite, benchmark, commit and "
	  "host fingerprint).", 0 },
	{ "jobs", 'j', "N", 0, "Parallel make jobs (default: the CPUs).", 0 },
	{ "build-timeout", OPT_BUILD_TIMEOUT, "SECONDS", 0,
	  "Give up a build after SECONDS (default 1200; 0: never).", 0 },
	{ "run-timeout", OPT_RUN_TIMEOUT, "SECONDS", 0,
	  "Give up one guest run after SECONDS (default 300; 0: never).", 0 },
	{ 0 }
};

static const char doc[] =
	"Measure the benchmarks of SUITE (a suite file: docs/suite-file.md) "
	"on commits of a git repository, keep every repetition in the "
	"store's history, and report what changed: deterministic metrics "
	"by an exact threshold, wall-clock metrics by E-divisive means and "
	"a two-sample test, each wall suspect re-measured against its "
	"parent before it counts (docs/nightly.md)."
	"\v"
	"Each commit is built from a clean git worktree of it (ccache makes "
	"the unchanged files free); the measuring program is this one, so "
	"only the unikernel changes between commits. Results of another "
	"host, CPU, QEMU version or accelerator are never compared: their "
	"fingerprint differs. Measuring a commit again adds repetitions.\n"
	"\n"
	"The Markdown summary goes to stdout, progress to stderr.\n"
	"\n"
	"Exit status: 0 no confirmed regression (or --advisory); 1 a "
	"confirmed regression; 2 the tool failed, or SUITE or an option is "
	"invalid.\n"
	"\n"
	"Examples:\n"
	"  unitune nightly benchmarks/suites/nightly.yaml -o build/night\n"
	"  unitune nightly SUITE --commits v1.0..main --bisect -o report\n"
	"  unitune nightly SUITE --commit HEAD~3 --advisory";

struct nightly_args {
	struct nightly_opts o;
	int positional;
};

static int parse_seconds(const char *arg, int64_t *ns)
{
	char *end;
	long long s;

	errno = 0;
	s = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || s < 0 || s > 86400 * 7)
		return duration_parse_ns(arg, ns);
	*ns = s * 1000000000LL;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct nightly_args *a = state->input;
	struct nightly_opts *o = &a->o;
	char why[512];
	char *end;
	long v;

	switch (key) {
	case OPT_COMMIT:
		o->commit = arg;
		break;
	case OPT_COMMITS:
		o->range = arg;
		break;
	case OPT_REPO:
		o->repo = arg;
		break;
	case OPT_DB:
		o->db = arg;
		break;
	case 'o':
		o->out_dir = arg;
		break;
	case OPT_WORK:
		o->work = arg;
		break;
	case OPT_BISECT:
		o->bisect = true;
		break;
	case OPT_ADVISORY:
		o->advisory = true;
		break;
	case OPT_NO_CONFIRM:
		o->no_confirm = true;
		break;
	case OPT_CONFIRM_MAX:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 2 || v > 1000)
			argp_error(state, "--confirm-max: '%s' is not a count "
				   "from 2 to 1000", arg);
		o->confirm_max = (unsigned)v;
		break;
	case 'j':
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 1 || v > 1024)
			argp_error(state, "--jobs: '%s' is not a count from 1 "
				   "to 1024", arg);
		o->jobs = v;
		break;
	case OPT_PUSH:
		if (push_url_check(arg, why, sizeof(why)))
			argp_error(state, "--push: %s", why);
		o->push_url = arg;
		break;
	case OPT_BUILD_TIMEOUT:
		if (parse_seconds(arg, &o->build_timeout_ns))
			argp_error(state, "--build-timeout: '%s' is not a "
				   "duration", arg);
		break;
	case OPT_RUN_TIMEOUT:
		if (parse_seconds(arg, &o->run_timeout_ns))
			argp_error(state, "--run-timeout: '%s' is not a "
				   "duration", arg);
		break;
	case ARGP_KEY_ARG:
		if (a->positional++)
			argp_error(state, "one SUITE only (got '%s' too)", arg);
		o->suite_path = arg;
		break;
	case ARGP_KEY_END:
		if (!o->suite_path)
			argp_error(state, "missing SUITE (a suite file, e.g. "
				   "benchmarks/suites/nightly.yaml)");
		if (o->commit && o->range)
			argp_error(state, "--commit and --commits exclude each "
				   "other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_nightly(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "SUITE", doc,
					  NULL, NULL, NULL };
	struct nightly_args a = {
		.o = { .db = STORE_DEFAULT_PATH,
		       .build_timeout_ns = 1200LL * 1000000000LL,
		       .run_timeout_ns = 300LL * 1000000000LL },
	};

	argv[0] = "unitune nightly";
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	return nightly_run(&a.o);
}
