/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune record: boot an image with its trace port wired to a file,
 * turn on the sampler and the trace points asked for, and leave a trace
 * for `unitune report` plus a sidecar FILE.meta naming the image.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btlines.h"
#include "count.h"
#include "coverage.h"
#include "meta.h"
#include "outcome.h"
#include "paths.h"
#include "profiler_cmds.h"
#include "run_args.h"
#include "runner.h"
#include "strbuf.h"
#include "stream.h"
#include "symbols.h"
#include "tptable.h"
#include "why.h"

#define PROG "unitune record"
#define DEFAULT_TIMEOUT "30"
#define DEFAULT_FREQ 1000u
#define FREQ_MAX 100000u

static const struct argp_option options[] = {
	{ "freq", 'F', "HZ", 0,
	  "Sample the call stack HZ times a second (uk.sample_hz=HZ; "
	  "default 1000; 0 turns the sampler off; at most 100000).", 0 },
	{ "trace", 'T', "MASK", 0,
	  "Trace points to enable (uk.trace=MASK): a comma list of names "
	  "where * matches any run of characters, 'all', or a hex mask "
	  "0x... by trace-point id. Each name or glob must match a trace "
	  "point of the image (checked before booting). Default: the "
	  "image's Kconfig choice.",
	  0 },
	{ "output", 'o', "FILE", 0,
	  "Where the trace goes (default: build/trace/IMAGE-NAME.uttr in "
	  "the Unitune tree); a missing folder is created. FILE.meta records "
	  "the image path.", 0 },
	{ "mem", 'm', "SIZE", 0,
	  "Guest memory, as for unitune run (default 32M).", 0 },
	{ "accel", 'a', "MODE", 0,
	  "auto, tcg or kvm, as for unitune run (default auto).", 0 },
	{ "deterministic", 'd', NULL, 0,
	  "Count instructions instead of time (-icount shift=0,sleep=off): "
	  "the same image gives the same profile on every run. Needs TCG.",
	  0 },
	{ "timeout", 't', "SECONDS", 0,
	  "Stop the guest after SECONDS (0 = never; default " DEFAULT_TIMEOUT
	  "). The trace then has no end record, which report says.", 0 },
	{ "kernel-args", 'k', "OPTIONS", 0,
	  "More kernel options, placed before ' -- ' (NAME=VALUE words there "
	  "are the application's environment).", 0 },
	{ "publish", 'p', "HOSTPORT:GUESTPORT", 0,
	  "Forward 127.0.0.1:HOSTPORT to the guest's GUESTPORT, as for "
	  "unitune run (repeatable; 0 picks a free port, printed on stderr "
	  "once QEMU listens), so a server can be profiled under load.", 0 },
	{ "net", RUN_ARGS_OPT_NET, "MODE", 0,
	  "none or user, as for unitune run (default: user with --publish, "
	  "else none).", 0 },
	{ "qemu", RUN_ARGS_OPT_QEMU, "PATH", 0,
	  "QEMU binary (default: $UNITUNE_QEMU, else qemu-system-x86_64).",
	  0 },
	{ "verbose", 'v', NULL, 0,
	  "Print the accelerator choice, the QEMU command and QEMU's own "
	  "messages on stderr.", 0 },
	RUN_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Boot IMAGE under QEMU like unitune run, with the virtio-serial port "
	"'" UNITUNE_TRACE_PORT "' written to a trace file; show the console "
	"on stdout, then where the trace is and a one-line summary (records, "
	"samples, lost) on stderr."
	"\v"
	"The image must be built with tracing (CONFIG_UKTRACE) for a trace "
	"to appear, and with frame pointers for whole call stacks. The "
	"sidecar FILE.meta keeps the image's absolute path and build-id, so "
	"'unitune report FILE' needs no --image; the trace itself carries "
	"only the build-id, which report checks against the image.\n"
	"\n"
	"Exit status: as unitune run: 0..255 the application's status; 124 "
	"timed out; 125 QEMU failed, or a published host port is in use; "
	"126 bad image; 127 no QEMU; 129..192 crashed, the signal Linux "
	"would send plus 128; 200 kernel panic; 201 stack smashing; 202 "
	"reset; 2 usage, which includes a --trace name matching no trace "
	"point of the image, a trace file whose folder cannot be created "
	"and a bad --publish or --net. A damaged trace is reported but "
	"does not change it.\n"
	"\n"
	"Examples:\n"
	"  unitune record build/hello/hello.elf\n"
	"  unitune record -d -F 4000 build/hello/hello.elf -- 3   # exit status 3\n"
	"  unitune record -T 'syscall*' -o alloc.uttr build/allocbench/allocbench.elf\n"
	"  unitune record --trace all --freq 0 build/hello/hello.elf\n"
	"  unitune record -d -p 0:80 -o net.uttr build/hello/hello.elf\n"
	"  unitune report build/trace/hello.uttr";

struct record_args {
	struct run_args vm;	/* the options every booting verb has */
	const char *output;
	const char *trace;
	unsigned freq;
};

/* The guest's uk.trace syntax (unikernel/lib/uktrace/control.c): names
 * are [A-Za-z0-9_.-], '*' globs, ',' separates; or all; or 0xHEX. */
static bool trace_mask_valid(const char *s)
{
	const char *p;
	bool word = false;
	uint64_t mask;

	if (!strcmp(s, "all"))
		return true;
	if (s[0] == '0' && s[1] == 'x')
		return strlen(s + 2) <= 16 && !count_parse_hex(s + 2, &mask);
	for (p = s; *p; p++) {
		if (*p == ',') {
			if (!word)
				return false;
			word = false;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		      *p == '-' || *p == '*'))
			return false;
		word = true;
	}
	return word;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct record_args *a = state->input;
	unsigned long v;

	switch (key) {
	case 'F':
		if (count_parse(arg, FREQ_MAX, &v))
			argp_error(state, "--freq '%s' is not a rate in 0..%u "
				   "Hz", arg, FREQ_MAX);
		a->freq = (unsigned)v;
		return 0;
	case 'T':
		if (!trace_mask_valid(arg))
			argp_error(state, "--trace '%s' is not a comma list of "
				   "names (letters, digits, _ . - and * "
				   "globs), 'all' or a hex mask 0x...", arg);
		a->trace = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	default:
		return run_args_parse_opt(key, arg, state, &a->vm);
	}
}

/* --trace against the image's own table: the guest would only warn on
 * its console about a name that matches nothing. An image that cannot be
 * read is left to the runner, which says why (status 126). */
static bool trace_spec_ok(const char *image, const char *spec)
{
	struct tptable t;
	char why[UNITUNE_WHY_MAX];
	bool ok = true;

	if (!tptable_read(image, &t, why, sizeof(why)) &&
	    tptable_check_spec(&t, spec, why, sizeof(why))) {
		fprintf(stderr, PROG ": --trace: %s: %s\n", image, why);
		ok = false;
	}
	tptable_free(&t);
	return ok;
}

/* build/trace/<image name without .elf>.uttr in the tree. */
static int default_output(const char *image, char *buf, size_t len)
{
	char root[PATH_MAX];
	const char *base = strrchr(image, '/');
	size_t n;
	int err = paths_root(root, sizeof(root));

	if (err)
		return err;
	base = base ? base + 1 : image;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".elf"))
		n -= 4;
	if (snprintf(buf, len, "%s/build/trace/%.*s.uttr", root, (int)n,
		     base) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int parent_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	return paths_mkdir_p(dir, 0777);
}

/* The one-line summary of what arrived, and the sidecar. */
static void summarize(const char *out, const char *image,
		      bool deterministic, const struct runner_result *r)
{
	uint8_t id[UT_BUILD_ID_MAX];
	char hex[2 * UT_BUILD_ID_MAX + 1], thex[2 * UT_BUILD_ID_MAX + 1];
	char why[UNITUNE_WHY_MAX];
	const struct stream_stats *st;
	const struct stream_info *in;
	struct coverage cov;
	struct stream *s = NULL;
	struct stream_rec rec;
	size_t idlen = 0;
	struct stat sb;
	int e;

	hex[0] = '\0';
	if (!symbols_read_build_id(image, id, sizeof(id), &idlen, why,
				   sizeof(why)))
		stream_build_id_hex(id, idlen, hex, sizeof(hex));
	e = meta_write(out, image, hex, outcome_name(r->outcome),
		       deterministic ? META_CLOCK_DETERMINISTIC
				     : META_CLOCK_WALL);
	if (e)
		fprintf(stderr, PROG ": cannot write %s.meta: %s\n", out,
			strerror(-e));
	if (stat(out, &sb) || !sb.st_size) {
		fprintf(stderr,
			PROG ": no trace data in %s: was the image built with "
			"CONFIG_UKTRACE, and did it reach the tracer?\n",
			out);
		return;
	}
	e = stream_open_file(&s, out);
	if (e && e != -EBADMSG) {
		fprintf(stderr, PROG ": cannot read %s: %s\n", out,
			strerror(-e));
		return;
	}
	while (!e && stream_next(s, &rec) > 0)
		;
	st = stream_stats(s);
	in = stream_info(s);
	fprintf(stderr,
		PROG ": trace %s: %llu records, %llu samples, %llu lost",
		out, (unsigned long long)st->records,
		(unsigned long long)st->samples,
		(unsigned long long)(st->have_end ? st->end_lost : st->lost));
	if (st->errors)
		fprintf(stderr, ", %llu stream errors",
			(unsigned long long)st->errors);
	if (e)
		fprintf(stderr, " (unreadable header)");
	fprintf(stderr, "\n");
	if (!e) {
		coverage_get(in, st, &cov);
		coverage_print_sampling(&cov, PROG ": ", stderr);
		coverage_print_end(&cov, PROG ": ", stderr);
	}
	stream_build_id_hex(in->build_id, in->build_id_len, thex,
			    sizeof(thex));
	if (!e && idlen && strcmp(hex, thex))
		fprintf(stderr,
			PROG ": warning: trace was recorded from build-id %s, "
			"%s has %s\n",
			thex, image, hex);
	fprintf(stderr, PROG ": report with: unitune report %s\n", out);
	stream_close(s);
}

int cmd_record(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt,
					  "IMAGE [-- APP ARGS...]", doc,
					  NULL, NULL, NULL };
	struct record_args a = { .vm = RUN_ARGS_INIT(DEFAULT_TIMEOUT),
				 .freq = DEFAULT_FREQ };
	struct runner_opts o = { 0 };
	struct runner_result r;
	struct runner_port port;
	struct strbuf kopts = STRBUF_INIT;
	char out[PATH_MAX], why[UNITUNE_WHY_MAX];
	int status, err;

	memset(&r, 0, sizeof(r));
	status = run_args_parse(&argp, argc, argv, PROG, &a, &a.vm);
	if (status)
		return status;
	if (a.trace && !trace_spec_ok(a.vm.image, a.trace)) {
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	err = a.output ? (strlen(a.output) < sizeof(out) ? 0 : -ENAMETOOLONG)
		       : default_output(a.vm.image, out, sizeof(out));
	if (err) {
		fprintf(stderr, PROG ": cannot name the trace file%s%s: %s\n",
			a.output ? " " : "", a.output ? a.output : "",
			strerror(-err));
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	if (a.output)
		strcpy(out, a.output);
	err = parent_dir(out);
	if (err) {
		fprintf(stderr, PROG ": cannot create the folder of the trace "
			"file %s: %s\n", out, strerror(-err));
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	port.name = UNITUNE_TRACE_PORT;
	port.path = out;
	if (runner_port_check(&port, why, sizeof(why))) {
		fprintf(stderr, PROG ": -o: %s\n", why);
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	if (strbuf_addf(&kopts, "uk.sample_hz=%u", a.freq) ||
	    (a.trace && strbuf_addf(&kopts, " uk.trace=%s", a.trace)) ||
	    (a.vm.kernel_args &&
	     strbuf_addf(&kopts, " %s", a.vm.kernel_args))) {
		fprintf(stderr, PROG ": error: out of memory\n");
		status = UNITUNE_EXIT_QEMU_FAILED;
		goto out;
	}
	status = run_args_check_cmdline(&a.vm, kopts.buf, PROG);
	if (status)
		goto out;
	run_args_fill(&a.vm, &o);
	o.kernel_opts = kopts.buf;
	o.ports = &port;
	o.nports = 1;
	/* Source lines for a crash backtrace, as `unitune run` adds them. */
	err = btlines_run(&o, &r);
	run_args_print_qemu(&a.vm, &r, PROG);
	if (err == -EINVAL) {
		fprintf(stderr, PROG ": invalid options for the runner\n");
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	status = run_args_exit_status(err, &r, PROG);
	if (err)
		goto out;
	/* Nothing ran, or QEMU could not set the guest up (a published
	 * port in use): no trace to speak of. */
	if (r.qemu_ran && !r.publish_failed)
		summarize(out, a.vm.image, o.deterministic, &r);
out:
	runner_result_free(&r);
	strbuf_release(&kopts);
	return status;
}
