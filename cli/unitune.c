/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune: one front end with verbs, the way git and perf work. This file
 * only dispatches; each verb parses its own options. The verbs live with
 * their library (profiler_cmds.h, tuner_cmds.h) or here (cli_cmds.h):
 * this folder sits above the libraries, which never include it.
 */
#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unitune/abi.h>

#include "cli_cmds.h"
#include "outcome.h"
#include "profiler_cmds.h"
#include "tuner_cmds.h"
#include "nightly_cmds.h"

static bool asks_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-?"))
			return true;
	return false;
}

/*
 * `unitune report --help` shows both reports' options. argp exits once it
 * has printed a help, so the trace report's is printed by a child and the
 * experiment report's by this process.
 */
static int report_help(int argc, char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return cmd_report_trace(argc, argv);
	if (pid == 0)
		_exit(cmd_report_trace(argc, argv));
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 1;
	printf("\n");
	return cmd_report_experiment(argc, argv);
}

/*
 * One verb, two reports: `report TRACE` and `report --experiment EXP`.
 * The old `report EXP` still reaches the experiment report, with a note.
 */
static int report(int argc, char **argv)
{
	if (cmd_report_names_experiment(argc, argv))
		return cmd_report_experiment(argc, argv);
	if (cmd_report_is_old_experiment_form(argc, argv)) {
		if (!asks_help(argc, argv))
			fprintf(stderr,
				"unitune report: note: reading the argument as "
				"an experiment; write 'unitune report "
				"--experiment EXP' (-e EXP) for an experiment, "
				"'unitune report TRACE' for a trace\n");
		return cmd_report_experiment(argc, argv);
	}
	if (asks_help(argc, argv))
		return report_help(argc, argv);
	return cmd_report_trace(argc, argv);
}

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct verb verbs[] = {
	{ "build", cmd_build, "configure and build a unikernel image of an app" },
	{ "run", cmd_run, "boot an image under QEMU and report how it ended" },
	{ "record", cmd_record, "boot an image and record a trace (samples, trace points)" },
	{ "report", report, "a trace's top functions and flame graph, or -e EXP's report" },
	{ "diff", cmd_diff, "compare two traces: which functions' share changed" },
	{ "tune", cmd_tune, "sweep Kconfig options: build, boot and benchmark each variant" },
	{ "show", cmd_show, "list experiments, or one's variants ranked, failures, environment" },
	{ "best", cmd_best, "the best variant of an experiment; --export a defconfig fragment" },
	{ "export", cmd_export, "an experiment's runs as CSV (--csv), one record per run" },
	{ "nightly", cmd_nightly, "measure a suite per commit; find, confirm and bisect regressions" },
	{ "bench", cmd_bench, "wrk against an image's HTTP server: table, JSON, store" },
	{ "doctor", cmd_doctor, "which tools this host has, and what a missing one disables" },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: unitune COMMAND [OPTION...] [ARG...]\n"
		"\n"
		"Build, boot, profile and tune Unitune unikernel images.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f,
		"  %-8s %s\n"
		"\n"
		"Options:\n"
		"  -h, --help      show this help\n"
		"  -V, --version   show the version and the guest ABI version\n"
		"\n"
		"Run 'unitune COMMAND --help' for the options of a command.\n"
		"\n"
		"Examples:\n"
		"  unitune build --app hello\n"
		"  unitune build --app hello --set CONFIG_UKBOOT_BANNER=y -o build/banner\n"
		"  unitune run build/hello/hello.elf -- 3 \"big world\"   # exit status 3\n"
		"  unitune run --deterministic --timeout 5 build/hello/hello.elf\n"
		"  unitune record --freq 4000 build/hello/hello.elf\n"
		"  unitune report --flame hello.svg build/trace/hello.uttr\n"
		"  unitune tune benchmarks/spaces/alloc.yaml\n"
		"  unitune show alloc\n"
		"  unitune best alloc --export best.config\n"
		"  unitune report --experiment alloc -o build/report\n"
		"  unitune bench http build/httpd/httpd.elf\n",
		"help", "show the help of a command (unitune help run)");
}

static const struct verb *find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

static int unknown(const char *name)
{
	fprintf(stderr,
		"unitune: unknown command '%s'\n"
		"Run 'unitune --help' for the list of commands.\n",
		name);
	return UNITUNE_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct verb *v;
	char *help_argv[3];

	/* argp's default for bad usage is 64 (EX_USAGE); ours is 2. */
	argp_err_exit_status = UNITUNE_EXIT_USAGE;
	if (argc < 2) {
		usage(stderr);
		return UNITUNE_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("unitune 0.1 (guest ABI %d)\n", UNITUNE_ABI_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		v = find_verb(argv[2]);
		if (!v)
			return unknown(argv[2]);
		help_argv[0] = argv[2];
		help_argv[1] = "--help";
		help_argv[2] = NULL;
		return v->fn(2, help_argv);
	}
	if (argv[1][0] == '-') {
		fprintf(stderr,
			"unitune: unknown option '%s' (options go after the "
			"command)\nRun 'unitune --help' for usage.\n",
			argv[1]);
		return UNITUNE_EXIT_USAGE;
	}
	v = find_verb(argv[1]);
	if (!v)
		return unknown(argv[1]);
	return v->fn(argc - 1, argv + 1);
}
