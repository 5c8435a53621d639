/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options of the verbs that boot an image (`unitune run`, `unitune
 * record`): --mem, --accel, --deterministic, --timeout, --kernel-args,
 * --publish (-p), --net, --qemu, -v, -h, IMAGE and the application's
 * argv after "--". Parsing,
 * checking and turning them into struct runner_opts live here once so
 * the verbs cannot drift apart; each verb keeps its own argp_option
 * table, because the help texts say different things, and handles its
 * own keys before handing the rest to run_args_parse_opt(). What such a
 * verb does once QEMU has returned (QEMU's own messages with -v, the
 * outcome line and the exit status) lives here too.
 *
 * Three pieces serve every verb, booting or not: argp_parse() under the
 * verb's name (run_args_parse_verb), the hidden -h (RUN_ARGS_OPTION_H,
 * run_args_parse_help) and --jobs N (run_args_parse_jobs).
 *
 *	struct my_args { struct run_args vm; ... };
 *	static error_t parse_opt(int key, char *arg, struct argp_state *state)
 *	{
 *		struct my_args *a = state->input;
 *		switch (key) {
 *		case 'F': ... return 0;
 *		}
 *		return run_args_parse_opt(key, arg, state, &a->vm);
 *	}
 *	...
 *	status = run_args_parse(&argp, argc, argv, PROG, &a, &a.vm);
 *	if (status) return status;
 *	run_args_fill(&a.vm, &o);
 *	err = runner_run(&o, &r);
 *	run_args_print_qemu(&a.vm, &r, PROG);
 *	status = run_args_exit_status(err, &r, PROG);
 */
#ifndef UNITUNE_RUN_ARGS_H
#define UNITUNE_RUN_ARGS_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "publish.h"
#include "runner.h"

/* The argp keys of the shared options without a short one. A verb's
 * own long-only keys start at RUN_ARGS_OPT_VERB. */
#define RUN_ARGS_OPT_QEMU 0x100
#define RUN_ARGS_OPT_NET 0x101
#define RUN_ARGS_OPT_VERB 0x110

struct run_args {
	/* As typed; set the defaults before parsing (RUN_ARGS_INIT). */
	const char *image;
	const char *mem;
	const char *accel;
	const char *timeout;
	const char *kernel_args;
	const char *qemu;	/* after run_args_parse: never NULL */
	const char *net;	/* --net; NULL: user with --publish, else none */
	bool deterministic;
	bool verbose;
	/* Set by a verb that has --port NAME=FILE (run), so that the old
	 * "-p NAME=FILE" is told where it went. */
	bool has_port_option;
	/* Each --publish, parsed as it comes (publish_parse). */
	struct runner_publish publish[PUBLISH_MAX];
	size_t npublish;
	/* Parsed at ARGP_KEY_END. */
	uint64_t mem_kib;
	int64_t timeout_ns;
	enum runner_accel acc;
	enum runner_net net_mode;
	/* The application's arguments, after "--" (pointers into argv). */
	const char *const *app_argv;
	size_t app_argc;
};

#define RUN_ARGS_INIT(timeout_secs) \
	{ .mem = "32M", .accel = "auto", .timeout = (timeout_secs) }

/*
 * argp_parse(argp, argc, argv, 0, NULL, input) with argv[0] (the verb)
 * replaced by prog, which argp names in its messages ("unitune build:
 * missing --app NAME") and help. Usage errors and --help exit, as argp
 * does; argp_parse()'s value otherwise.
 */
error_t run_args_parse_verb(const struct argp *argp, int argc, char **argv,
			    const char *prog, void *input);

/* -h is what everyone types; argp only knows -? and --help. Every verb
 * lists this entry and hands 'h' to run_args_parse_help(). */
#define RUN_ARGS_OPTION_H { NULL, 'h', NULL, OPTION_HIDDEN, NULL, 0 }

/* 'h': the verb's help on stdout, then exit 0 (as --help). Returns
 * ARGP_ERR_UNKNOWN for any other key, so a verb's parser may end with
 * `default: return run_args_parse_help(key, state);`. */
error_t run_args_parse_help(int key, struct argp_state *state);

/* --jobs ARG: a count from 1 to max, or a usage error (exit status 2)
 * "--jobs 'ARG' is not a number from 1 to MAX". */
unsigned long run_args_parse_jobs(struct argp_state *state, const char *arg,
				  unsigned long max);

/*
 * Handle one of the shared keys (see above) for argp; ARGP_KEY_END
 * checks every value and reports the first bad one with argp_error
 * (exit status 2). Returns ARGP_ERR_UNKNOWN for any other key.
 */
error_t run_args_parse_opt(int key, char *arg, struct argp_state *state,
			   struct run_args *a);

/*
 * Parse argv (argv[0] is the verb) with argp: the words before the first
 * "--" as options, with prog as the program name in messages; those
 * after it become a->app_argv. input is the argp input (the verb's
 * struct holding *a). --qemu defaults to $UNITUNE_QEMU, then
 * RUNNER_QEMU_DEFAULT. Usage errors exit. 0, or
 * UNITUNE_EXIT_QEMU_FAILED after "PROG: error: out of memory" on stderr
 * (nothing parsed).
 */
int run_args_parse(const struct argp *argp, int argc, char **argv,
		   const char *prog, void *input, struct run_args *a);

/*
 * Whether the guest can take the command line these arguments and
 * kernel_opts (the verb's whole set of kernel words) make, before
 * booting (cmdline_check: kernel words, argument and variable counts,
 * length). 0, or an exit status after a line "PROG: <why>" on stderr:
 * UNITUNE_EXIT_USAGE, or UNITUNE_EXIT_QEMU_FAILED when out of memory.
 */
int run_args_check_cmdline(const struct run_args *a, const char *kernel_opts,
			   const char *prog);

/* Set the fields of *o that come from *a: image, qemu, mem_kib, accel,
 * deterministic, timeout_ns, the app arguments, net and publish, echo
 * (stdout), log (stderr with -v), and on_published, which prints one
 * line a port on stderr once QEMU listens on them:
 *	unitune: published 127.0.0.1:HOSTPORT -> guest:GUESTPORT
 * kernel_opts and ports are the verb's. */
void run_args_fill(const struct run_args *a, struct runner_opts *o);

/* With -v, what QEMU wrote on its stderr during runner_run(), as
 * "PROG: qemu said:" and the text, on stderr. */
void run_args_print_qemu(const struct run_args *a,
			 const struct runner_result *r, const char *prog);

/*
 * The exit status after runner_run() returned err, which is not
 * -EINVAL (each verb words that one itself): for an error,
 * UNITUNE_EXIT_QEMU_FAILED after "PROG: error: <strerror>"; else
 * runner_exit_status(), after "PROG: <outcome>: <reason>" when the
 * application did not exit by itself (a timeout with published ports
 * adds how to serve without one). All on stderr.
 */
int run_args_exit_status(int err, const struct runner_result *r,
			 const char *prog);

#endif
