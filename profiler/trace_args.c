/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options shared by the verbs that read traces (trace_args.h).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "trace_args.h"

#include "count.h"

error_t trace_args_parse_opt(int key, char *arg, struct argp_state *state,
			     struct trace_args *a)
{
	unsigned long v;

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
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}
