/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The --db PATH option every tuner verb takes, as an argp child parser.
 * A verb lists { &db_option_argp, 0, NULL, 0 } among its argp children
 * and, on ARGP_KEY_INIT, points state->child_inputs[i] at its struct
 * db_option.
 */
#ifndef UNITUNE_DB_OPTION_H
#define UNITUNE_DB_OPTION_H

#include <argp.h>
#include <stdbool.h>

#include "store.h"

struct db_option {
	const char *path;	/* STORE_DEFAULT_PATH unless given */
	bool given;		/* --db was on the command line */
};

#define DB_OPTION_INIT { .path = STORE_DEFAULT_PATH, .given = false }

extern const struct argp db_option_argp;

#endif
