/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options shared by the verbs that read traces (trace_args.h).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "trace_args.h"

#include "count.h"
#include "size.h"

error_t trace_args_parse_opt(int key, char *arg, struct argp_state *state,
			     struct trace_args *a)
{
	unsigned long v;
	uint64_t bytes;

	switch (key) {
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
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
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}
