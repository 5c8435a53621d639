/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --db PATH for every tuner verb. See db_option.h.
 */
#include "db_option.h"

static const struct argp_option options[] = {
	{ "db", 'd', "PATH", 0,
	  "The results store (default: " STORE_DEFAULT_PATH ", relative to "
	  "the current directory; unitune tune creates it, the other verbs "
	  "need it to exist).", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct db_option *db = state->input;

	if (key != 'd')
		return ARGP_ERR_UNKNOWN;
	db->path = arg;
	db->given = true;
	return 0;
}

const struct argp db_option_argp = { options, parse_opt, NULL, NULL, NULL,
				     NULL, NULL };
