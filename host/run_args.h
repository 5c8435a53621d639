/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options of the verbs that boot an image (`unitune run`, `unitune
 * record`): --mem, --accel, --deterministic, --timeout, --kernel-args,
 * --publish (-p), --net, --qemu, -v, -h, IMAGE and the application's
 * argv after "--". Parsing,
 * checking and turning them into struct runner_opts live here once so
 * the verbs cannot drift apart; each verb keeps its own argp_option
 * table, because the help texts say different things, and handles its
 * own keys before handing the rest to run_args_parse_opt().
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
 *	if (run_args_parse(&argp, argc, argv, PROG, &a, &a.vm)) ... ENOMEM
 *	run_args_fill(&a.vm, &o);
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
 * RUNNER_QEMU_DEFAULT. Usage errors exit. 0 or -ENOMEM (nothing parsed).
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

#endif
