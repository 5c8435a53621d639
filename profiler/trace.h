/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One pass over a trace file feeding the consumers a verb asked for: the
 * profile (samples, symbolized against the image), the trace-point
 * statistics and the timeline. Shared by `unitune report` and `unitune
 * diff` so decoding, image resolution and the build-id gate exist once;
 * the verbs print what it returns (trace_args_load()).
 *
 * The image is --image when given, else the image= line of the sidecar
 * FILE.meta that `unitune record` wrote (meta.h). Only the profile needs
 * it: trace-point statistics and timelines work without an image.
 */
#ifndef UNITUNE_PROF_TRACE_H
#define UNITUNE_PROF_TRACE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "profile.h"
#include "stream.h"
#include "symbols.h"
#include "timeline.h"
#include "tracepoints.h"

/* Frames one sample can expand to: every pc with its inlined callees,
 * plus the "[truncated]" root. */
#define TRACE_FRAMES_MAX (UT_STACK_MAX * SYM_FRAMES_MAX + 1)
#define TRACE_TRUNCATED "[truncated]"

struct trace_opts {
	const char *path;	/* the trace file */
	const char *image;	/* NULL: from the sidecar */
	bool profile;		/* symbolize samples into a profile */
	bool tracepoints;
	bool timeline;
	bool no_inline;		/* one frame per pc, no inlined callees */
	bool force;		/* build-id mismatch is a warning */
	bool keep_order;	/* a wall-clock trace's profile keeps its
				 * sample order (profile_halves()) */
	bool strict;		/* any stream error is fatal */
	size_t max_size;	/* largest trace file read; 0: STREAM_FILE_MAX */
};

struct trace {
	struct stream *stream;
	struct symbolizer *sym;
	struct profile *prof;
	struct tpstats *tps;
	struct timeline *tl;
	char image[PATH_MAX];	/* "" when none was needed */
	bool deterministic;	/* the sidecar says clock=deterministic */
};

/*
 * Decode o->path into the consumers o asks for. What the caller shows
 * besides the views is appended to diag (when not NULL), one line each:
 * the decoder's errors ("FILE: offset N: ...", the first
 * STREAM_ERRORS_KEPT, then "FILE: ... and N more errors"), not fatal
 * unless o->strict, and a build-id mismatch that o->force lets through
 * ("warning: ... (--force: symbolizing anyway)"). 0, or a negative errno
 * with why (host/why.h): -EBADMSG for an unusable header or table (why is
 * its fatal error, the decoder's earlier ones are in diag) or for o->strict
 * and any stream error ("FILE: refused: N stream errors (--strict)");
 * -EINVAL, -ESRCH or -errno for an unreadable file, no image or a
 * build-id mismatch; -ENOMEM. Close *t in every case.
 */
struct strbuf;
int trace_load(struct trace *t, const struct trace_opts *o,
	       struct strbuf *diag, char *why, size_t why_len);

/* The header lines every view prints: samples, duration, records, and
 * lost records whenever any were lost (never omitted). */
void trace_print_summary(const struct trace *t, FILE *out);

/*
 * The summary as members of an open JSON object: trace, build_id, image,
 * samples, samples_taken, sample_hz, tsc_hz, duration_s,
 * duration_cycles, events, records, lost {...}, stream_errors,
 * bytes_skipped, run {...} (docs/json-output.md).
 */
struct json;
void trace_summary_json(const struct trace *t, const char *path,
			struct json *w);

/* The lost-records line alone ("" when nothing was lost): for views whose
 * stdout is data, printed to stderr. Returns 1 if it printed. */
int trace_print_lost(const struct trace *t, FILE *out);

/*
 * The frames of a sample, outermost first: return addresses are looked up
 * at pc - 1 (the call instruction, whose line and inlining are the right
 * ones; the return address may already be the next line or function),
 * the interrupted pc as is. A truncated stack starts with TRACE_TRUNCATED.
 * 0, or -ENOMEM.
 */
int trace_sample_frames(struct symbolizer *sym, const struct stream_rec *rec,
			bool no_inline, struct prof_frame *frames,
			size_t *n);

void trace_close(struct trace *t);

#endif
