/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune report: read a trace that `unitune record` wrote and show where
 * the guest spent its time (top functions, folded stacks, a flame graph),
 * what its trace points measured, and a timeline.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "outcome.h"
#include "report.h"
#include "trace.h"
#include "count.h"
#include "trace_args.h"

#define PROG "unitune report"
#define LIMIT_DEFAULT 25

enum {
	OPT_FOLDED = TRACE_ARGS_OPT_VERB,
	OPT_FLAME,
	OPT_TIMELINE,
	OPT_BINS,
	OPT_STRICT,
	OPT_TOP,
};

static const struct argp_option options[] = {
	{ "image", 'i', "IMAGE", 0,
	  "The image the trace was recorded from (default: the image= line "
	  "of FILE.meta, written by unitune record). Its GNU build-id must "
	  "match the trace's.", 0 },
	{ "top", OPT_TOP, NULL, 0,
	  "Top functions by self share, with total share and the hottest "
	  "source line (the default view when no other is asked for).", 0 },
	{ "limit", 'n', "N", 0,
	  "Rows of the top view (default 25; 0: all).", 0 },
	{ "folded", OPT_FOLDED, "FILE", OPTION_ARG_OPTIONAL,
	  "Folded stacks 'outer;...;inner count' (flamegraph.pl and "
	  "speedscope input), to FILE or stdout (the summary then goes to "
	  "stderr). Write it as --folded=FILE.", 0 },
	{ "flame", OPT_FLAME, "OUT.svg", 0,
	  "Write an SVG flame graph.", 0 },
	{ "tracepoints", 't', NULL, 0,
	  "Counts per trace point, and latency percentiles (p50/p90/p99/max) "
	  "for each pair x / x_ret.", 0 },
	{ "timeline", OPT_TIMELINE, "OUT.png", 0,
	  "Plot samples and events per trace point over time with gnuplot.",
	  0 },
	{ "bins", OPT_BINS, "N", 0,
	  "Time bins of the timeline (default 100).", 0 },
	TRACE_ARGS_OPTION_NO_INLINE,
	{ "force", TRACE_ARGS_OPT_FORCE, NULL, 0,
	  "Symbolize even when the build-ids differ (a warning, not an "
	  "error; the names may be wrong).", 0 },
	{ "strict", OPT_STRICT, NULL, 0,
	  "Exit with status 1 when the stream had any error.", 0 },
	TRACE_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Decode a trace FILE, symbolize it against the image it was "
	"recorded from, and show the views asked for (top functions when "
	"none is)."
	"\v"
	"Every view starts with the sample count, the duration and, whenever "
	"records were lost, the lost totals. Damage in the stream (a cut-"
	"off file, garbage) is reported on stderr with its byte offset, and "
	"decoding goes on at the next valid record.\n"
	"\n"
	"The image: --image, else the image= line of FILE.meta. A trace "
	"recorded from another build (another GNU build-id) is refused.\n"
	"\n"
	"Given an experiment name instead of a trace file (or --db), "
	"`unitune report EXP -o DIR` writes the experiment's HTML report "
	"instead (docs/reports.md).\n"
	"\n"
	"Exit status: 0 done; 1 the trace or image cannot be used (or, with "
	"--strict, the stream had errors); 2 usage.\n"
	"\n"
	"Examples:\n"
	"  unitune report build/trace/hello.uttr\n"
	"  unitune report --image build/hello/hello.elf -n 10 trace.uttr\n"
	"  unitune report --flame hello.svg --tracepoints trace.uttr\n"
	"  unitune report --folded trace.uttr | flamegraph.pl > fg.svg\n"
	"  unitune report --folded=hello.folded --timeline hello.png trace.uttr";

struct report_args {
	struct trace_args common;	/* -n, --no-inline, --force */
	const char *file;
	const char *image;
	const char *flame;
	const char *timeline;
	const char *folded_path;
	bool folded;
	bool top;
	bool tracepoints;
	bool strict;
	unsigned bins;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct report_args *a = state->input;
	unsigned long v;

	switch (key) {
	case 'i':
		a->image = arg;
		break;
	case OPT_TOP:
		a->top = true;
		break;
	case OPT_FOLDED:
		a->folded = true;
		a->folded_path = arg;
		break;
	case OPT_FLAME:
		a->flame = arg;
		break;
	case 't':
		a->tracepoints = true;
		break;
	case OPT_TIMELINE:
		a->timeline = arg;
		break;
	case OPT_BINS:
		if (count_parse(arg, 100000, &v) || !v)
			argp_error(state, "--bins '%s' is not a count in "
				   "1..100000", arg);
		a->bins = (unsigned)v;
		break;
	case OPT_STRICT:
		a->strict = true;
		break;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "unexpected argument '%s'", arg);
		a->file = arg;
		break;
	case ARGP_KEY_END:
		if (!a->file)
			argp_error(state, "missing FILE (a trace from unitune "
				   "record)");
		if (!a->folded && !a->flame && !a->tracepoints && !a->timeline)
			a->top = true;
		break;
	default:
		return trace_args_parse_opt(key, arg, state, &a->common);
	}
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Views in a fixed order; returns 0 or 1 (something failed, said so). */
static int views(const struct report_args *a, struct trace *t, FILE *info)
{
	char title[512], why[512];
	FILE *f;
	int status = 0, e;

	if (a->top) {
		fprintf(stdout, "\n");
		report_top(t->prof, stdout, a->common.limit);
	}
	if (a->tracepoints) {
		fprintf(stdout, "\n");
		tpstats_print(t->tps, stdout,
			      stream_info(t->stream)->tsc_hz);
	}
	if (a->folded) {
		f = a->folded_path ? fopen(a->folded_path, "w") : stdout;
		if (!f || folded_write(t->prof, f) ||
		    (f != stdout && fclose(f))) {
			fprintf(stderr, PROG ": cannot write folded stacks to "
				"%s: %s\n",
				a->folded_path ? a->folded_path : "stdout",
				strerror(errno));
			status = 1;
		} else if (a->folded_path) {
			fprintf(info, "folded stacks: %s\n", a->folded_path);
		}
	}
	if (a->flame) {
		snprintf(title, sizeof(title), "%s: %llu samples",
			 base_name(a->file),
			 (unsigned long long)profile_samples(t->prof));
		f = fopen(a->flame, "w");
		e = f ? flame_write(t->prof, f, title) : -errno;
		if (f && fclose(f) && !e)
			e = -errno;
		if (e) {
			fprintf(stderr, PROG ": cannot write %s: %s\n",
				a->flame, strerror(-e));
			status = 1;
		} else {
			fprintf(info, "flame graph: %s\n", a->flame);
		}
	}
	if (a->timeline) {
		snprintf(title, sizeof(title), "%s: samples and trace-point "
			 "events over time", base_name(a->file));
		e = timeline_render(t->tl, a->timeline, title, a->bins, why,
				    sizeof(why));
		if (e) {
			fprintf(stderr, PROG ": timeline: %s\n", why);
			status = 1;
		} else {
			fprintf(info, "timeline: %s\n", a->timeline);
		}
	}
	return status;
}

int cmd_report(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "FILE", doc,
					  NULL, NULL, NULL };
	struct report_args a = { .common = { .limit = LIMIT_DEFAULT,
					     .limit_max = 1000000000ul },
				 .bins = TIMELINE_BINS_DEFAULT };
	struct trace_opts o;
	struct trace t;
	FILE *info;
	int status, e;

	argv[0] = PROG;
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	o = a.common.load;
	o.prog = PROG;
	o.path = a.file;
	o.image = a.image;
	o.profile = a.top || a.folded || a.flame;
	o.tracepoints = a.tracepoints;
	o.timeline = a.timeline != NULL;
	/* Folded stacks on stdout are data: everything else to stderr. */
	info = a.folded && !a.folded_path ? stderr : stdout;
	e = trace_load(&t, &o, stderr);
	if (e) {
		status = 1;
		goto out;
	}
	fprintf(info, "trace %s, ", a.file);
	trace_print_summary(&t, info);
	status = views(&a, &t, info);
	if (a.strict && stream_stats(t.stream)->errors) {
		fprintf(stderr, PROG ": %s: %llu stream errors (--strict)\n",
			a.file,
			(unsigned long long)stream_stats(t.stream)->errors);
		status = 1;
	}
out:
	trace_close(&t);
	return status;
}
