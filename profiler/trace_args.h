/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options of the verbs that read traces (`unitune report`, `unitune
 * diff`): -n/--limit, --no-inline, --force, --strict, --max-trace-size
 * and the hidden -h (RUN_ARGS_OPTION_H, as every verb has it). They mean
 * the same to both verbs and end up in the same struct trace_opts, so
 * they are parsed once, here, and a trace is loaded and its problems
 * printed the same way for both. Each verb keeps its own argp_option table
 * (the help texts of --limit and --force differ), handles its own keys
 * and hands the rest to trace_args_parse_opt(). Both write views to files
 * the same way too (trace_args_write_view()).
 */
#ifndef UNITUNE_PROF_TRACE_ARGS_H
#define UNITUNE_PROF_TRACE_ARGS_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "run_args.h"	/* RUN_ARGS_OPTION_H */
#include "trace.h"

/* argp keys of the shared long-only options; a verb numbers its own
 * from TRACE_ARGS_OPT_VERB up. */
enum {
	TRACE_ARGS_OPT_NO_INLINE = 0x100,
	TRACE_ARGS_OPT_FORCE,
	TRACE_ARGS_OPT_STRICT,
	TRACE_ARGS_OPT_MAX_SIZE,
	TRACE_ARGS_OPT_VERB,
};

/* Table entries whose text is the same in every verb. */
#define TRACE_ARGS_OPTION_NO_INLINE \
	{ "no-inline", TRACE_ARGS_OPT_NO_INLINE, NULL, 0, \
	  "One frame per address: do not expand inlined functions.", 0 }
#define TRACE_ARGS_OPTION_STRICT \
	{ "strict", TRACE_ARGS_OPT_STRICT, NULL, 0, \
	  "Refuse a trace whose stream has any error (status 1, no view): " \
	  "damage, header values no guest writes, trace points sharing a " \
	  "name. Without it they are reported on stderr and skipped.", 0 }
#define TRACE_ARGS_OPTION_MAX_SIZE \
	{ "max-trace-size", TRACE_ARGS_OPT_MAX_SIZE, "SIZE", 0, \
	  "Refuse a trace file larger than SIZE (bytes, or K, M, G; " \
	  "default 1G): the whole file is read into memory.", 0 }

struct trace_args {
	struct trace_opts load;	/* no_inline and force come from options */
	size_t limit;		/* -n; set the default before parsing */
	unsigned long limit_max;	/* largest -n accepted */
};

/* -h (run_args_parse_help), -n, --no-inline, --force, --strict and --max-trace-size;
 * ARGP_ERR_UNKNOWN for other keys. */
error_t trace_args_parse_opt(int key, char *arg, struct argp_state *state,
			     struct trace_args *a);

/*
 * trace_load() for a verb: what it has to say goes to stderr, each line
 * as "PROG: LINE" (the decoder's errors and warnings, then the reason it
 * failed). 0 or trace_load()'s error; close *t in every case.
 */
int trace_args_load(struct trace *t, const struct trace_opts *o,
		    const char *prog);

/* A view written by write(ctx, f, title): 0 or a negative errno. */
typedef int (*trace_view_fn)(const void *ctx, FILE *f, const char *title);

/*
 * Write a view to path, or to standard output when path is "-" and
 * dash_is_stdout, and say where it went: "WHAT: PATH" on info (nothing
 * for standard output). 0, or 1 after "PROG: cannot write WHAT PATH:
 * REASON" on stderr.
 */
int trace_args_write_view(const char *prog, const char *path,
			  bool dash_is_stdout, const char *what,
			  trace_view_fn write, const void *ctx,
			  const char *title, FILE *info);

/* The last component of a path, for titles. */
const char *trace_args_base_name(const char *path);


#endif
