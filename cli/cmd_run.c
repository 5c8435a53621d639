/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune run: boot one image and exit with the guest application's
 * status, or with a status naming what went wrong (outcome.h).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btlines.h"
#include "cli_cmds.h"
#include "cmdline.h"
#include "outcome.h"
#include "run_args.h"
#include "run_json.h"
#include "runner.h"
#include "strbuf.h"

#define PROG "unitune run"
#define DEFAULT_TIMEOUT "30"
#define OPT_JSON RUN_ARGS_OPT_VERB
#define OPT_PORT (RUN_ARGS_OPT_VERB + 1)
#define OPT_IDLE (RUN_ARGS_OPT_VERB + 2)
#define OPT_INITRD (RUN_ARGS_OPT_VERB + 3)

static const struct argp_option options[] = {
	{ "mem", 'm', "SIZE", 0,
	  "Guest memory: digits with an optional K, M, G or T suffix (binary "
	  "units; a bare number is MiB, as for QEMU's -m), at most 4G (the "
	  "guest maps only the low 4 GiB), passed to QEMU in KiB. An image that does not fit is refused (status 126); one that "
	  "loads but lacks room for its stack and heap says so and stops "
	  "(status 137). Default 32M.", 0 },
	{ "accel", 'a', "MODE", 0,
	  "auto, tcg or kvm. auto uses KVM only when /dev/kvm is usable and "
	  "a short calibration shows it runs guest code fast (cached per "
	  "host boot in ${XDG_CACHE_HOME:-~/.cache}/unitune/accel); "
	  "otherwise TCG. Default auto.", 0 },
	{ "deterministic", 'd', NULL, 0,
	  "Count instructions instead of time (-icount shift=0,sleep=off): "
	  "the same image gives the same cycle counts on every run. Needs "
	  "TCG.", 0 },
	{ "idle", OPT_IDLE, "MODE", 0,
	  "With --deterministic, how time passes while the guest halts. "
	  "skip (the default): its clock jumps to its next timer at once, so "
	  "a run that takes nothing from outside repeats to the cycle. real "
	  "(-icount sleep=on): its clock follows the host's, so a guest "
	  "serving the network waits for the host's packets instead of "
	  "racing its timers (and slirp's, which run on the guest's clock) "
	  "past them; instructions are still counted one cycle each, so "
	  "busy cycles repeat while elapsed ones follow the host.", 0 },
	{ "timeout", 't', "SECONDS", 0,
	  "Stop the guest after SECONDS (decimals allowed, 0 = never): "
	  "SIGTERM, then SIGKILL one second later. Default " DEFAULT_TIMEOUT
	  ", for a server with --publish too: give 0 to serve until "
	  "stopped.", 0 },
	{ "kernel-args", 'k', "OPTIONS", 0,
	  "Kernel options, placed before ' -- ' on the guest command line.",
	  0 },
	{ "initrd", OPT_INITRD, "FILE", 0,
	  "IMAGE is a Linux kernel (bzImage): boot it with the initramfs "
	  "FILE on the same machine, devices and accelerator (the Linux "
	  "baseline of bench http; docs/linux-baseline.md). Its command line "
	  "gets the serial console and the host's TSC frequency before "
	  "--kernel-args; APP ARGS go to its init. Give it --mem 128M or "
	  "more.", 0 },
	{ "env", 'e', "NAME=VALUE", 0,
	  "Put NAME=VALUE in the application's environment (repeatable).",
	  0 },
	{ "publish", 'p', "HOSTPORT:GUESTPORT", 0,
	  "Forward TCP port HOSTPORT of 127.0.0.1 (never another address) to "
	  "the guest's GUESTPORT through QEMU's user networking, as docker -p "
	  "does; HOSTPORT 0 picks a free port. Repeatable. Each port is "
	  "printed on stderr once QEMU listens on it: 'unitune: published "
	  "127.0.0.1:HOSTPORT -> guest:GUESTPORT'. A host port in use is "
	  "status 125. (-p was short for --port before: use --port "
	  "NAME=FILE.)", 0 },
	{ "net", RUN_ARGS_OPT_NET, "MODE", 0,
	  "none: no network device (the default without --publish); user: a "
	  "virtio-net device on QEMU's user networking with restrict=on (the "
	  "guest reaches nothing outside QEMU; --publish is the only way "
	  "in), the default with --publish.", 0 },
	{ "port", OPT_PORT, "NAME=FILE", 0,
	  "Give the guest a virtio-serial port named NAME whose output QEMU "
	  "writes to FILE (created or truncated; its directory must exist). "
	  "NAME: letters, digits, '.', '_', '-'. Repeatable; the guest finds "
	  "a port with uk_vcon_port_find(NAME), the tracer uses "
	  "'unitune.trace'. No short option.", 0 },
	{ "qemu", RUN_ARGS_OPT_QEMU, "PATH", 0,
	  "QEMU binary (default: $UNITUNE_QEMU, else qemu-system-x86_64 in "
	  "PATH).", 0 },
	{ "json", OPT_JSON, NULL, 0,
	  "Print one JSON document on stdout when the run ends: the outcome, "
	  "exit status, clock (deterministic or wall), accelerator, the boot "
	  "line's cycles and every result line's metrics with their units "
	  "(docs/json-output.md). The console then goes to stderr.", 0 },
	{ "verbose", 'v', NULL, 0,
	  "Print the accelerator choice, the QEMU command, QEMU's own "
	  "messages and the wall time on stderr.", 0 },
	RUN_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Boot a unikernel IMAGE under QEMU (microvm machine), show its console "
	"on stdout, and exit with the guest application's exit status."
	"\v"
	"APP ARGS after '--' become the application's argv[1..]. An argument "
	"that is empty or holds a space, tab, newline, '\"' or '\\' reaches "
	"the guest quoted, so it arrives intact.\n"
	"\n"
	"Limits (include/unitune/abi.h), checked before booting (status 2): "
	"at most 63 APP ARGS after argv[0], 32 environment variables (--env "
	"and NAME=VALUE words of --kernel-args, whose other words must be "
	"uk.PARAM=VALUE), and 4096 bytes of guest command line (the image "
	"path, a space, the kernel options, ' -- ' and the quoted APP ARGS, "
	"with a NUL).\n"
	"\n"
	"Network: the guest finds its virtio-net device by probing the "
	"virtio-mmio slots, like its other devices (nothing is added to its "
	"command line). QEMU accepts a connection to a published port even "
	"before the guest listens, then closes it if the guest never "
	"answers. -p/--publish replaced -p/--port; a '-p NAME=FILE' is "
	"refused (status 2) with a pointer to --port.\n"
	"\n"
	"Exit status:\n"
	"  0..255  the application's exit status\n"
	"  2       usage error\n"
	"  124     timed out\n"
	"  125     QEMU failed (error, a published host port it cannot listen\n"
	"          on, or killed by a signal not sent by us)\n"
	"  126     image missing, unreadable, or not a bootable x86 "
	"multiboot ELF (another machine, a program, truncated)\n"
	"  127     QEMU not installed\n"
	"  129..192 guest crashed: the signal Linux would send, plus 128 (139\n"
	"          page fault, 136 divide error, 132 invalid opcode, 134 abort,\n"
	"          137 out of memory)\n"
	"  200     guest crashed: kernel panic\n"
	"  201     guest crashed: stack smashing\n"
	"  202     guest reset (triple fault)\n"
	"Any status but the application's comes with exactly one line on "
	"stderr: 'unitune run: <outcome>: <reason>'. With --json, stdout "
	"holds the JSON document whenever the run was attempted (not after "
	"a usage error), with the same exit status.\n"
	"\n"
	"Examples:\n"
	"  unitune run build/hello/hello.elf\n"
	"  unitune run build/hello/hello.elf -- 3 \"big world\"   # exit status 3\n"
	"  unitune run --mem 64M --timeout 2.5 build/hello/hello.elf -- 0 \"a b\"\n"
	"  unitune run --deterministic -v build/hello/hello.elf\n"
	"  unitune run -d --idle real -p 0:80 build/hello/hello.elf\n"
	"  unitune run -d --json build/allocbench/allocbench.elf > allocbench.json\n"
	"  unitune run --accel tcg -k uk.trace=all build/hello/hello.elf\n"
	"  unitune run -e HOME=/root -e 'GREETING=hi there' build/hello/hello.elf\n"
	"  unitune run --port unitune.test=vcon.out build/vcontest/vcontest.elf\n"
	"  unitune run -p 0:80 build/hello/hello.elf\n"
	"  unitune run --net user --json build/hello/hello.elf > hello.json";

struct run_cmd_args {
	struct run_args vm;	/* the options every booting verb has */
	/* Kernel words: --kernel-args, then each --env, encoded. */
	struct strbuf kernel_words;
	struct runner_port *ports;	/* --port, in order */
	size_t nports;
	bool json;			/* --json */
	const char *idle;		/* --idle, NULL when not given */
	const char *initrd;		/* --initrd */
};

/* --idle, once every option is in: it means something only with
 * --deterministic. */
static void check_idle(struct argp_state *state, struct run_cmd_args *a)
{
	if (!a->idle)
		return;
	if (strcmp(a->idle, "skip") && strcmp(a->idle, "real"))
		argp_error(state, "--idle '%s' is not skip or real", a->idle);
	if (!a->vm.deterministic)
		argp_error(state, "--idle %s needs --deterministic (without it "
			   "the guest's clock is the host's anyway)", a->idle);
}

static void add_port(struct argp_state *state, struct run_cmd_args *a,
		     char *arg)
{
	struct runner_port p, *ports;
	char why[512];
	size_t i;

	if (runner_port_parse(arg, &p, why, sizeof(why)))
		argp_error(state, "--port: %s", why);
	for (i = 0; i < a->nports; i++)
		if (!strcmp(a->ports[i].name, p.name))
			argp_error(state, "--port: port '%s' given twice",
				   p.name);
	ports = realloc(a->ports, (a->nports + 1) * sizeof(*ports));
	if (!ports)
		argp_failure(state, 1, ENOMEM, "--port");
	a->ports = ports;
	a->ports[a->nports++] = p;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct run_cmd_args *a = state->input;

	switch (key) {
	case 'e':
		if (!cmdline_is_assignment(arg))
			argp_error(state, "--env '%s' is not NAME=VALUE (NAME: "
				   "letters, digits and _, not starting with a "
				   "digit)", arg);
		if ((a->kernel_words.len && strbuf_addc(&a->kernel_words, ' ')) ||
		    cmdline_add_arg(&a->kernel_words, arg))
			argp_failure(state, 1, ENOMEM, "--env");
		return 0;
	case OPT_PORT:
		add_port(state, a, arg);
		return 0;
	case OPT_JSON:
		a->json = true;
		return 0;
	case OPT_IDLE:
		a->idle = arg;
		return 0;
	case OPT_INITRD:
		if (!*arg)
			argp_error(state, "--initrd needs a file");
		a->initrd = arg;
		return 0;
	case ARGP_KEY_END: {
		error_t e = run_args_parse_opt(key, arg, state, &a->vm);

		check_idle(state, a);
		return e;
	}
	default:
		return run_args_parse_opt(key, arg, state, &a->vm);
	}
}

/* The JSON document; the status to exit with (a write error is QEMU's
 * status 125: the run's figures are lost). */
static int print_json(const struct runner_opts *o,
		      const struct runner_result *r, int status)
{
	struct json w;
	int e;

	json_init(&w, stdout);
	run_json_write(&w, o, r, status);
	e = json_finish(&w);
	if (!e)
		return status;
	fprintf(stderr, PROG ": error: cannot write JSON: %s\n", strerror(-e));
	return UNITUNE_EXIT_QEMU_FAILED;
}

int cmd_run(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt,
					  "IMAGE [-- APP ARGS...]", doc,
					  NULL, NULL, NULL };
	struct run_cmd_args a = { .vm = RUN_ARGS_INIT(DEFAULT_TIMEOUT) };
	struct runner_opts o = { 0 };
	struct runner_result r;
	int status, err;

	a.vm.has_port_option = true;
	status = run_args_parse(&argp, argc, argv, PROG, &a, &a.vm);
	if (status)
		return status;
	run_args_fill(&a.vm, &o);
	o.real_idle = a.idle && !strcmp(a.idle, "real");
	if (a.kernel_words.len) {
		struct strbuf words = STRBUF_INIT;
		if ((a.vm.kernel_args &&
		     strbuf_addf(&words, "%s ", a.vm.kernel_args)) ||
		    strbuf_add(&words, a.kernel_words.buf, a.kernel_words.len) ||
		    strbuf_addc(&words, '\0')) {
			fprintf(stderr, PROG ": error: out of memory\n");
			return UNITUNE_EXIT_QEMU_FAILED;
		}
		strbuf_release(&a.kernel_words);
		a.kernel_words = words;
		o.kernel_opts = a.kernel_words.buf;
	} else {
		o.kernel_opts = a.vm.kernel_args;
	}
	o.ports = a.ports;
	o.nports = a.nports;
	o.initrd = a.initrd;
	/* The unikernel's command-line rules are not Linux's. */
	status = a.initrd ? 0 :
		 run_args_check_cmdline(&a.vm, o.kernel_opts, PROG);
	if (status) {
		strbuf_release(&a.kernel_words);
		free(a.ports);
		return status;
	}
	/* stdout carries the JSON document alone. */
	if (a.json)
		o.echo = stderr;
	/* Source lines for a crash backtrace; without them, the plain echo. */
	err = btlines_run(&o, &r);
	run_args_print_qemu(&a.vm, &r, PROG);
	if (a.vm.verbose && r.qemu_ran)
		fprintf(stderr, PROG ": wall time %.3f s\n",
			(double)r.wall_ns / 1e9);
	if (err == -EINVAL) {
		/* The options were checked above except for this one. */
		fprintf(stderr, PROG ": --kernel-args must not contain a '--' "
			"word (it separates kernel options from app args)\n");
		status = UNITUNE_EXIT_USAGE;
	} else {
		status = run_args_exit_status(err, &r, PROG);
		if (!err && a.json)
			status = print_json(&o, &r, status);
	}
	runner_result_free(&r);
	strbuf_release(&a.kernel_words);
	free(a.ports);
	return status;
}
