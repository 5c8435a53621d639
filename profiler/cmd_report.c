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

#include "profiler_cmds.h"
#include "json.h"
#include "outcome.h"
#include "pprof.h"
#include "output.h"
#include "report.h"
#include "trace.h"
#include "count.h"
#include "run_args.h"
#include "trace_args.h"
#include "why.h"

#define PROG "unitune report"
#define LIMIT_DEFAULT 25

enum {
	OPT_FOLDED = TRACE_ARGS_OPT_VERB,
	OPT_FLAME,
	OPT_TIMELINE,
	OPT_BINS,
	OPT_TOP,
	OPT_JSON,
	OPT_SPEEDSCOPE,
	OPT_PPROF,
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
	{ "json", OPT_JSON, NULL, 0,
	  "The top view as one JSON document on stdout: the summary "
	  "(samples, duration, lost records, stream errors, how the run "
	  "ended) and the rows (docs/json-output.md). Messages go to "
	  "stderr.", 0 },
	{ "folded", OPT_FOLDED, "FILE", OPTION_ARG_OPTIONAL,
	  "Folded stacks 'outer;...;inner count' (flamegraph.pl and "
	  "speedscope input), to FILE or stdout (the summary then goes to "
	  "stderr). Write it as --folded=FILE.", 0 },
	{ "flame", OPT_FLAME, "OUT.svg", 0,
	  "Write an SVG flame graph.", 0 },
	{ "speedscope", OPT_SPEEDSCOPE, "OUT.json", 0,
	  "Write the profile for speedscope (www.speedscope.app, or the "
	  "speedscope npm package): one sampled profile.", 0 },
	{ "pprof", OPT_PPROF, "OUT.pb.gz", 0,
	  "Write the profile as gzipped pprof protobuf, as `go tool pprof` "
	  "and Pyroscope read it.", 0 },
	{ "tracepoints", 't', NULL, 0,
	  "Counts per trace point, and latency percentiles (p50/p90/p99/max) "
	  "for each pair x / x_ret.", 0 },
	{ "timeline", OPT_TIMELINE, "OUT.png", 0,
	  "Plot samples and events per trace point over time with gnuplot.",
	  0 },
	{ "bins", OPT_BINS, "N", 0,
	  "Time bins of the timeline (default 100).", 0 },
	TRACE_ARGS_OPTION_NO_INLINE,
	TRACE_ARGS_OPTION_MAX_SIZE,
	{ "force", TRACE_ARGS_OPT_FORCE, NULL, 0,
	  "Symbolize even when the build-ids differ (a warning, not an "
	  "error; the names may be wrong).", 0 },
	TRACE_ARGS_OPTION_STRICT,
	RUN_ARGS_OPTION_H,
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
	"instead (docs/reports.md); its options follow this help.\n"
	"\n"
	"Exit status: 0 done; 1 the trace or image cannot be used (a missing "
	"trace too), an output cannot be written (standard output "
	"included), or, with --strict, the stream has errors; 2 usage.\n"
	"\n"
	"Examples:\n"
	"  unitune report build/trace/hello.uttr\n"
	"  unitune report --image build/hello/hello.elf -n 10 build/trace/hello.uttr\n"
	"  unitune report --flame hello.svg --tracepoints build/trace/hello.uttr\n"
	"  unitune report --json -n 0 build/trace/hello.uttr > hello-top.json\n"
	"  unitune report --speedscope hello.speedscope.json build/trace/hello.uttr\n"
	"  unitune report --pprof hello.pb.gz build/trace/hello.uttr\n"
	"  unitune report --folded build/trace/hello.uttr > hello.folded\n"
	"  unitune report --folded=alloc.folded --timeline alloc.png alloc.uttr";

struct report_args {
	struct trace_args common;	/* -n, --no-inline, --force */
	const char *file;
	const char *image;
	const char *flame;
	const char *timeline;
	const char *folded_path;
	const char *speedscope;
	const char *pprof;
	bool folded;
	bool json;
	bool top;
	bool tracepoints;
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
	case OPT_JSON:
		a->json = true;
		break;
	case OPT_SPEEDSCOPE:
		a->speedscope = arg;
		break;
	case OPT_PPROF:
		a->pprof = arg;
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
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "unexpected argument '%s'", arg);
		a->file = arg;
		break;
	case ARGP_KEY_END:
		if (!a->file)
			argp_error(state, "missing FILE (a trace from unitune "
				   "record)");
		if (a->json && ((a->folded && !a->folded_path) ||
				a->tracepoints))
			argp_error(state, "--json puts a JSON document on "
				   "stdout: it goes with neither --tracepoints "
				   "nor --folded without =FILE");
		if (!a->folded && !a->flame && !a->tracepoints &&
		    !a->timeline && !a->speedscope && !a->pprof)
			a->top = true;
		if (a->json)
			a->top = true;
		break;
	default:
		return trace_args_parse_opt(key, arg, state, &a->common);
	}
	return 0;
}

static int flame_view(const void *t, FILE *f, const char *title)
{
	return flame_write(((const struct trace *)t)->prof, f, title);
}

static int speedscope_view(const void *t, FILE *f, const char *title)
{
	return speedscope_write(((const struct trace *)t)->prof, f, title);
}

static int pprof_view(const void *t, FILE *f, const char *title)
{
	(void)title;
	return pprof_write(t, f);
}

/* Write one file view and say where it went; 0 or 1 (said why). */
static int to_file(const char *path, const char *what, trace_view_fn write,
		   const struct trace *t, const char *title, FILE *info)
{
	return trace_args_write_view(PROG, path, false, what, write, t, title,
				     info);
}

/* The top view as one JSON document on stdout; 0 or 1. */
static int top_json(const struct report_args *a, const struct trace *t)
{
	struct json w;
	int e;

	json_init(&w, stdout);
	json_begin_object(&w);
	trace_summary_json(t, a->file, &w);
	e = report_top_json(t->prof, &w, a->common.limit);
	json_end_object(&w);
	if (!e)
		e = json_finish(&w);
	if (e) {
		fprintf(stderr, PROG ": cannot write JSON: %s\n",
			strerror(-e));
		return 1;
	}
	return 0;
}

/* Views in a fixed order; returns 0 or 1 (something failed, said so). */
static int views(const struct report_args *a, struct trace *t, FILE *info)
{
	char title[512], why[UNITUNE_WHY_MAX];
	FILE *f;
	int status = 0, e;

	snprintf(title, sizeof(title), "%s: %llu samples",
		 trace_args_base_name(a->file),
		 (unsigned long long)(t->prof ? profile_samples(t->prof) : 0));
	if (a->json) {
		status |= top_json(a, t);
	} else if (a->top) {
		fprintf(stdout, "\n");
		report_top(t->prof, stdout, a->common.limit);
	}
	if (a->tracepoints) {
		fprintf(stdout, "\n");
		tpstats_print(t->tps, stdout,
			      stream_info(t->stream)->tsc_hz);
	}
	if (a->folded && !a->folded_path) {
		if (folded_write(t->prof, stdout)) {
			fprintf(stderr, PROG ": cannot write folded stacks to "
				"stdout: %s\n", strerror(errno));
			status = 1;
		}
	} else if (a->folded) {
		f = fopen(a->folded_path, "w");
		if (!f || folded_write(t->prof, f) || fclose(f)) {
			fprintf(stderr, PROG ": cannot write folded stacks to "
				"%s: %s\n", a->folded_path, strerror(errno));
			status = 1;
		} else {
			fprintf(info, "folded stacks: %s\n", a->folded_path);
		}
	}
	if (a->flame)
		status |= to_file(a->flame, "flame graph", flame_view, t,
				  title, info);
	if (a->speedscope)
		status |= to_file(a->speedscope, "speedscope profile",
				  speedscope_view, t, title, info);
	if (a->pprof)
		status |= to_file(a->pprof, "pprof profile", pprof_view, t,
				  title, info);
	if (a->timeline) {
		snprintf(title, sizeof(title), "%s: samples and trace-point "
			 "events over time", trace_args_base_name(a->file));
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

int cmd_report_trace(int argc, char **argv)
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

	run_args_parse_verb(&argp, argc, argv, PROG, &a);
	o = a.common.load;
	o.path = a.file;
	o.image = a.image;
	o.profile = a.top || a.folded || a.flame || a.speedscope || a.pprof;
	o.tracepoints = a.tracepoints;
	o.timeline = a.timeline != NULL;
	/* Folded stacks or JSON on stdout are data: everything else to
	 * stderr. */
	info = (a.folded && !a.folded_path) || a.json ? stderr : stdout;
	e = trace_args_load(&t, &o, PROG);
	if (e) {
		status = 1;
		goto out;
	}
	fprintf(info, "trace %s, ", a.file);
	trace_print_summary(&t, info);
	status = views(&a, &t, info);
out:
	if (output_finish_stdout(PROG))
		status = 1;
	trace_close(&t);
	return status;
}
