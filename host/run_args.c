/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options shared by the verbs that boot an image (run_args.h).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "count.h"
#include "duration.h"
#include "outcome.h"
#include "publish.h"
#include "run_args.h"
#include "runner.h"
#include "size.h"
#include "why.h"

/* One --publish, kept in order. */
static void add_publish(struct argp_state *state, struct run_args *a,
			const char *arg)
{
	char why[UNITUNE_WHY_MAX];

	/* Before issue 11, -p was --port NAME=FILE; a port spec never has
	 * an '='. */
	if (strchr(arg, '=') && a->has_port_option)
		argp_error(state, "-p/--publish '%s' is not HOSTPORT:GUESTPORT: "
			   "-p now means --publish; for a virtio-serial port "
			   "write --port %s", arg, arg);
	if (a->npublish == PUBLISH_MAX)
		argp_error(state, "--publish %s: at most %d ports may be "
			   "published", arg, PUBLISH_MAX);
	if (publish_parse(arg, &a->publish[a->npublish], why, sizeof(why)))
		argp_error(state, "--publish %s", why);
	a->npublish++;
}

/* --net against --publish, once both are in. */
static void check_net(struct argp_state *state, struct run_args *a)
{
	char why[UNITUNE_WHY_MAX];

	if (!a->net)
		a->net_mode = a->npublish ? RUNNER_NET_USER : RUNNER_NET_NONE;
	else if (!strcmp(a->net, "none"))
		a->net_mode = RUNNER_NET_NONE;
	else if (!strcmp(a->net, "user"))
		a->net_mode = RUNNER_NET_USER;
	else
		argp_error(state, "--net '%s' is not none or user", a->net);
	if (a->npublish && a->net_mode == RUNNER_NET_NONE)
		argp_error(state, "--net none gives the guest no network, so "
			   "nothing can be published: drop --net none or "
			   "--publish");
	if (publish_check_list(a->publish, a->npublish, why, sizeof(why)))
		argp_error(state, "--publish: %s", why);
}

/* Every value is checked here, after all options are in, so that the
 * order the user typed them in does not matter (--deterministic needs
 * the final --accel). */
static void check_values(struct argp_state *state, struct run_args *a)
{
	char *probe = NULL;
	int err;

	if (!a->image)
		argp_error(state, "missing IMAGE");
	err = size_parse_mem_kib(a->mem, &a->mem_kib);
	if (err == -ERANGE)
		argp_error(state, "--mem '%s' is above the maximum of %s (%s)",
			   a->mem, UNITUNE_MEM_MAX_TEXT, UNITUNE_MEM_MAX_WHY);
	else if (err)
		argp_error(state, "--mem '%s' is not a size above zero "
			   "(expected e.g. 32M, 512K, 1G or 64)",
			   a->mem);
	err = duration_parse_ns(a->timeout, &a->timeout_ns);
	if (err == -ERANGE)
		argp_error(state, "--timeout '%s' is too large",
			   a->timeout);
	else if (err)
		argp_error(state, "--timeout '%s' is not a number of "
			   "seconds (expected e.g. 30 or 1.5)",
			   a->timeout);
	if (!strcmp(a->accel, "auto"))
		a->acc = RUNNER_ACCEL_AUTO;
	else if (!strcmp(a->accel, "tcg"))
		a->acc = RUNNER_ACCEL_TCG;
	else if (!strcmp(a->accel, "kvm"))
		a->acc = RUNNER_ACCEL_KVM;
	else
		argp_error(state, "--accel '%s' is not auto, tcg or kvm",
			   a->accel);
	/* Caught now, as a usage error, rather than by the runner later. */
	if (cmdline_build(a->kernel_args, NULL, 0, &probe) == -EINVAL)
		argp_error(state, "--kernel-args must not contain a '--' "
			   "word (it separates kernel options from "
			   "app args)");
	free(probe);
	if (a->deterministic && a->acc == RUNNER_ACCEL_KVM)
		argp_error(state, "--deterministic needs TCG (it counts "
			   "emulated instructions); drop --accel kvm");
	check_net(state, a);
}

error_t run_args_parse_verb(const struct argp *argp, int argc, char **argv,
			    const char *prog, void *input)
{
	/* argp never writes through argv[0]. */
	argv[0] = (char *)prog;
	return argp_parse(argp, argc, argv, 0, NULL, input);
}

error_t run_args_parse_help(int key, struct argp_state *state)
{
	if (key != 'h')
		return ARGP_ERR_UNKNOWN;
	argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
	return 0;
}

unsigned long run_args_parse_jobs(struct argp_state *state, const char *arg,
				  unsigned long max)
{
	unsigned long n;

	if (count_parse(arg, max, &n) || !n)
		argp_error(state, "--jobs '%s' is not a number from 1 to %lu",
			   arg, max);
	return n;
}

error_t run_args_parse_opt(int key, char *arg, struct argp_state *state,
			   struct run_args *a)
{
	switch (key) {
	case 'm':
		a->mem = arg;
		break;
	case 'a':
		a->accel = arg;
		break;
	case 'd':
		a->deterministic = true;
		break;
	case 't':
		a->timeout = arg;
		break;
	case 'k':
		a->kernel_args = arg;
		break;
	case RUN_ARGS_OPT_QEMU:
		a->qemu = arg;
		break;
	case 'p':
		add_publish(state, a, arg);
		break;
	case RUN_ARGS_OPT_NET:
		a->net = arg;
		break;
	case 'v':
		a->verbose = true;
		break;
	case ARGP_KEY_ARG:
		if (a->image)
			argp_error(state, "unexpected argument '%s' "
				   "(application arguments go after '--')",
				   arg);
		a->image = arg;
		break;
	case ARGP_KEY_END:
		check_values(state, a);
		break;
	default:
		return run_args_parse_help(key, state);
	}
	return 0;
}

int run_args_parse(const struct argp *argp, int argc, char **argv,
		   const char *prog, void *input, struct run_args *a)
{
	char **opt_argv;
	int i, split = argc;

	/* argp cannot tell arguments after "--" from IMAGE: split first. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			split = i;
			break;
		}
	}
	opt_argv = calloc((size_t)split + 1, sizeof(*opt_argv));
	if (!opt_argv) {
		fprintf(stderr, "%s: error: out of memory\n", prog);
		return UNITUNE_EXIT_QEMU_FAILED;
	}
	for (i = 1; i < split; i++)
		opt_argv[i] = argv[i];
	if (!a->qemu)
		a->qemu = getenv("UNITUNE_QEMU");
	run_args_parse_verb(argp, split, opt_argv, prog, input);
	/* argp keeps the strings, not the array: it can go now. */
	free(opt_argv);
	if (!a->qemu || !*a->qemu)
		a->qemu = RUNNER_QEMU_DEFAULT;
	a->app_argv = (const char *const *)argv + split + 1;
	a->app_argc = split < argc ? (size_t)(argc - split - 1) : 0;
	return 0;
}

int run_args_check_cmdline(const struct run_args *a, const char *kernel_opts,
			   const char *prog)
{
	char why[UNITUNE_WHY_MAX];
	/* QEMU is given RUNNER_KERNEL_PATH, not the image's own path. */
	int err = cmdline_check(kernel_opts, a->app_argv, a->app_argc,
				RUNNER_KERNEL_PATH, why, sizeof(why));

	if (err == -ENOMEM) {
		fprintf(stderr, "%s: error: out of memory\n", prog);
		return UNITUNE_EXIT_QEMU_FAILED;
	}
	if (err) {
		fprintf(stderr, "%s: %s\n", prog, why);
		return UNITUNE_EXIT_USAGE;
	}
	return 0;
}

static void print_published(void *ctx, const struct runner_publish *p,
			    size_t n)
{
	FILE *f = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "unitune: published " PUBLISH_ADDRESS ":%u -> "
			"guest:%u\n", p[i].host, p[i].guest);
	fflush(f);
}

void run_args_fill(const struct run_args *a, struct runner_opts *o)
{
	o->image = a->image;
	o->qemu = a->qemu;
	o->mem_kib = a->mem_kib;
	/* --deterministic with auto: TCG, the only accelerator it works on. */
	o->accel = a->deterministic ? RUNNER_ACCEL_TCG : a->acc;
	o->deterministic = a->deterministic;
	o->timeout_ns = a->timeout_ns;
	o->app_argv = a->app_argv;
	o->app_argc = a->app_argc;
	o->net = a->net_mode;
	o->publish = a->publish;
	o->npublish = a->npublish;
	o->on_published = print_published;
	o->on_published_ctx = stderr;
	o->echo = stdout;
	o->log = a->verbose ? stderr : NULL;
}

void run_args_print_qemu(const struct run_args *a,
			 const struct runner_result *r, const char *prog)
{
	if (a->verbose && r->qemu_stderr_len)
		fprintf(stderr, "%s: qemu said:\n%s%s", prog, r->qemu_stderr,
			r->qemu_stderr[r->qemu_stderr_len - 1] == '\n' ? ""
									: "\n");
}

/* A server is stopped by the timeout like any guest: say so where its
 * clients would otherwise see only refused and reset connections. */
static const char *timeout_hint(const struct runner_result *r)
{
	if (r->outcome != RUNNER_TIMEOUT || !r->npublished)
		return "";
	return " (published ports do not keep a guest running: --timeout 0 "
	       "serves until the guest is stopped)";
}

int run_args_exit_status(int err, const struct runner_result *r,
			 const char *prog)
{
	if (err) {
		fprintf(stderr, "%s: error: %s\n", prog, strerror(-err));
		return UNITUNE_EXIT_QEMU_FAILED;
	}
	if (r->outcome != RUNNER_EXITED)
		fprintf(stderr, "%s: %s: %s%s\n", prog,
			outcome_name(r->outcome), r->reason, timeout_hint(r));
	return runner_exit_status(r);
}
