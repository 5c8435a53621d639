/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options shared by the verbs that read traces, and how they load one
 * (trace_args.h).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_args.h"

#include "count.h"
#include "size.h"
#include "strbuf.h"
#include "why.h"

error_t trace_args_parse_opt(int key, char *arg, struct argp_state *state,
			     struct trace_args *a)
{
	unsigned long v;
	uint64_t bytes;

	switch (key) {
	case 'n':
		if (count_parse(arg, a->limit_max, &v))
			argp_error(state, "--limit '%s' is not a count", arg);
		a->limit = v;
		break;
	case TRACE_ARGS_OPT_NO_INLINE:
		a->load.no_inline = true;
		break;
	case TRACE_ARGS_OPT_FORCE:
		a->load.force = true;
		break;
	case TRACE_ARGS_OPT_STRICT:
		a->load.strict = true;
		break;
	case TRACE_ARGS_OPT_MAX_SIZE:
		if (size_parse(arg, 1, &bytes) || !bytes || bytes > SIZE_MAX)
			argp_error(state, "--max-trace-size '%s' is not a size "
				   "(bytes, or a number with K, M or G)", arg);
		a->load.max_size = (size_t)bytes;
		break;
	default:
		return run_args_parse_help(key, state);
	}
	return 0;
}

int trace_args_load(struct trace *t, const struct trace_opts *o,
		    const char *prog)
{
	struct strbuf diag = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX];
	const char *line, *nl;
	int e = trace_load(t, o, &diag, why, sizeof(why));

	for (line = diag.buf; line && (nl = strchr(line, '\n'));
	     line = nl + 1)
		fprintf(stderr, "%s: %.*s\n", prog, (int)(nl - line), line);
	if (e)
		fprintf(stderr, "%s: %s\n", prog, why);
	strbuf_release(&diag);
	return e;
}

int trace_args_write_view(const char *prog, const char *path,
			  bool dash_is_stdout, const char *what,
			  trace_view_fn write, const void *ctx,
			  const char *title, FILE *info)
{
	bool to_stdout = dash_is_stdout && !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "w");
	int e = f ? write(ctx, f, title) : -errno;

	if (!to_stdout && f && fclose(f) && !e)
		e = -errno;
	if (e) {
		fprintf(stderr, "%s: cannot write %s %s: %s\n", prog, what,
			to_stdout ? "to standard output" : path, strerror(-e));
		return 1;
	}
	if (!to_stdout)
		fprintf(info, "%s: %s\n", what, path);
	return 0;
}

const char *trace_args_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}
