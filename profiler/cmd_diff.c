/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune diff: what got slower. Compares the self share of every
 * function between two traces (each symbolized against its own image)
 * and lists the changes, largest first; optionally also as a
 * differential flame graph and as two-column folded stacks.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiler_cmds.h"
#include "count.h"
#include "diff.h"
#include "output.h"
#include "report.h"
#include "trace.h"
#include "run_args.h"
#include "trace_args.h"

#define PROG "unitune diff"
#define LIMIT_DEFAULT 30

enum {
	OPT_IMAGE_A = TRACE_ARGS_OPT_VERB,
	OPT_IMAGE_B,
	OPT_MIN_DELTA,
	OPT_FLAME,
	OPT_FOLDED,
};

static const struct argp_option options[] = {
	{ "image-a", OPT_IMAGE_A, "IMAGE", 0,
	  "Image of trace A (default: from A.meta).", 0 },
	{ "image-b", OPT_IMAGE_B, "IMAGE", 0,
	  "Image of trace B (default: from B.meta).", 0 },
	{ "limit", 'n', "N", 0,
	  "Rows to show (default 30; 0: all).", 0 },
	{ "min-delta", OPT_MIN_DELTA, "POINTS", 0,
	  "Hide changes smaller than POINTS percentage points (default "
	  "0.1).", 0 },
	{ "flame", OPT_FLAME, "FILE.svg", 0,
	  "Also write a differential flame graph: B's frames coloured by "
	  "how their share changed from A (red grew, blue shrank; '-': "
	  "standard output, instead of the table).", 0 },
	{ "folded", OPT_FOLDED, "FILE", 0,
	  "Also write folded stacks of both, 'outer;...;inner countA "
	  "countB' (difffolded's form; '-': standard output, instead of "
	  "the table).", 0 },
	TRACE_ARGS_OPTION_NO_INLINE,
	TRACE_ARGS_OPTION_MAX_SIZE,
	{ "force", TRACE_ARGS_OPT_FORCE, NULL, 0,
	  "Symbolize even when a build-id differs from its image's.", 0 },
	TRACE_ARGS_OPTION_STRICT,
	RUN_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Compare two traces: functions whose self share (the function "
	"itself running) or total share (it or its callees: inclusive) "
	"changed from A to B, with both shares and the changes in "
	"percentage points."
	"\v"
	"Functions are matched by name, so A and B may come from different "
	"builds (each trace is checked against its own image's build-id). "
	"Lost records are reported for each trace whenever there were any.\n"
	"\n"
	"Noise: a trace recorded with --deterministic repeats exactly, so "
	"between two such traces every change is exact. A wall-clock trace "
	"is noisy: each change gets a noise estimate (+-, two standard "
	"deviations: the larger of the sampling error and the drift "
	"between the trace's first and second half), and a change within "
	"it is marked '~' and listed after the real ones. Which clock a "
	"trace used comes from FILE.meta (clock=); a trace without it counts "
	"as wall-clock.\n"
	"\n"
	"Differential flame graph (--flame): laid out from B's samples (the "
	"new profile); each frame is coloured by how its share of its "
	"trace's samples (so A and B may differ in length) changed from A "
	"to B: grey unchanged, red grew, blue shrank, stronger the more "
	"points it moved (full at the largest change in the graph, at "
	"least 1 point); a frame A does not have is full red. Frames are "
	"matched by their stack of function names. A stack only A has is "
	"not drawn; the table lists its functions. The tooltip of a frame "
	"gives B's samples and share, A's and the change.\n"
	"\n"
	"With --flame or --folded writing to a file the table is printed "
	"as always; with '-' standard output has only that view and the "
	"trace summaries go to stderr.\n"
	"\n"
	"Exit status: 0 done; 1 a trace or image cannot be used (a missing "
	"trace too), standard output or a --flame/--folded file cannot be "
	"written, or, with --strict, a stream has errors; 2 usage.\n"
	"\n"
	"Examples:\n"
	"  unitune record -d -o before.uttr build/hello/hello.elf\n"
	"  unitune record -d -o after.uttr build/hello-banner/hello.elf\n"
	"  unitune diff before.uttr after.uttr\n"
	"  unitune diff --image-a build/hello/hello.elf before.uttr after.uttr\n"
	"  unitune diff -n 0 --min-delta 0 before.uttr after.uttr\n"
	"  unitune diff --flame=diff.svg before.uttr after.uttr\n"
	"  unitune diff --folded=- before.uttr after.uttr > diff.folded";

struct diff_args {
	struct trace_args common;	/* -n, --no-inline, --force */
	const char *file[2];
	const char *image[2];
	const char *flame;	/* --flame; "-": stdout */
	const char *folded;	/* --folded; "-": stdout */
	double min_delta;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct diff_args *a = state->input;
	double d;

	switch (key) {
	case OPT_IMAGE_A:
		a->image[0] = arg;
		break;
	case OPT_IMAGE_B:
		a->image[1] = arg;
		break;
	case OPT_MIN_DELTA:
		if (count_parse_real(arg, strlen(arg), &d) ||
		    !(d >= 0 && d <= 100))
			argp_error(state, "--min-delta '%s' is not a number of "
				   "points in 0..100", arg);
		a->min_delta = d;
		break;
	case OPT_FLAME:
		a->flame = arg;
		break;
	case OPT_FOLDED:
		a->folded = arg;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num >= 2)
			argp_error(state, "unexpected argument '%s'", arg);
		a->file[state->arg_num] = arg;
		break;
	case ARGP_KEY_END:
		if (!a->file[1])
			argp_error(state, "need two traces, A and B");
		if (a->flame && a->folded && !strcmp(a->flame, "-") &&
		    !strcmp(a->folded, "-"))
			argp_error(state, "only one of --flame and --folded "
				   "can write to standard output ('-')");
		break;
	default:
		return trace_args_parse_opt(key, arg, state, &a->common);
	}
	return 0;
}

static bool is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

static int flame_view(const void *t, FILE *f, const char *title)
{
	const struct trace *ab = t;

	return flame_diff_write(ab[0].prof, ab[1].prof, f, title);
}

static int folded_view(const void *t, FILE *f, const char *title)
{
	const struct trace *ab = t;

	(void)title;
	return folded_diff_write(ab[0].prof, ab[1].prof, f);
}

/* --flame and --folded, where asked; 0 or 1 (said why). */
static int pair_views(const struct diff_args *a, const struct trace t[2],
		      FILE *info)
{
	char title[512];
	int status = 0;

	snprintf(title, sizeof(title), "%s (%llu samples) -> %s (%llu "
		 "samples)", trace_args_base_name(a->file[0]),
		 (unsigned long long)profile_samples(t[0].prof),
		 trace_args_base_name(a->file[1]),
		 (unsigned long long)profile_samples(t[1].prof));
	if (a->folded)
		status |= trace_args_write_view(PROG, a->folded, true,
						"folded stacks", folded_view,
						t, title, info);
	if (a->flame)
		status |= trace_args_write_view(PROG, a->flame, true,
						"differential flame graph",
						flame_view, t, title, info);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "A B", doc, NULL,
					  NULL, NULL };
	/* diff has no upper bound on -n: 0 already means all. */
	struct diff_args a = { .common = { .limit = LIMIT_DEFAULT,
					   .limit_max = ULONG_MAX },
			       .min_delta = 0.1 };
	struct prof_halves halves[2];
	struct diff_input in[2];
	struct trace t[2];
	struct trace_opts o;
	struct diff_row *rows = NULL;
	size_t n, i;
	int status = 1;
	bool table;
	FILE *info;

	memset(t, 0, sizeof(t));
	memset(halves, 0, sizeof(halves));
	run_args_parse_verb(&argp, argc, argv, PROG, &a);
	/* A view on standard output is all it has there. */
	table = !is_stdout(a.flame) && !is_stdout(a.folded);
	info = table ? stdout : stderr;
	for (i = 0; i < 2; i++) {
		o = a.common.load;
		o.path = a.file[i];
		o.image = a.image[i];
		o.profile = true;
		o.keep_order = true;
		if (trace_args_load(&t[i], &o, PROG))
			goto out;
		in[i].prof = t[i].prof;
		in[i].halves = NULL;
		/* A deterministic trace has no noise: no halves. */
		if (t[i].deterministic)
			continue;
		if (profile_halves(t[i].prof, &halves[i]))
			goto oom;
		in[i].halves = &halves[i];
	}
	for (i = 0; i < 2; i++) {
		fprintf(info, "%c: trace %s (%s), ", "AB"[i], a.file[i],
			t[i].deterministic ? "deterministic" : "wall-clock");
		trace_print_summary(&t[i], info);
	}
	if (table) {
		if (diff_profiles(&in[0], &in[1], &rows, &n))
			goto oom;
		printf("\n");
		diff_print(stdout, rows, n, a.common.limit, a.min_delta,
			   profile_samples(t[0].prof),
			   profile_samples(t[1].prof),
			   !in[0].halves && !in[1].halves);
	}
	status = pair_views(&a, t, info);
	goto out;
oom:
	fprintf(stderr, PROG ": out of memory\n");
out:
	if (output_finish_stdout(PROG))
		status = 1;
	free(rows);
	profile_halves_free(&halves[0]);
	profile_halves_free(&halves[1]);
	trace_close(&t[0]);
	trace_close(&t[1]);
	return status;
}
