/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every tuner verb's command line shares: --db PATH and, for the
 * read-side verbs, the experiment EXP as the positional argument.
 * db_option_parse() parses a verb's own options together with these, so
 * a verb's parser sees only its own keys (and the positional arguments,
 * if it takes them itself, as tune does).
 */
#ifndef UNITUNE_DB_OPTION_H
#define UNITUNE_DB_OPTION_H

#include <argp.h>
#include <stdbool.h>

#include "store.h"

struct db_option {
	const char *path;	 /* STORE_DEFAULT_PATH unless given */
	bool given;		 /* --db was on the command line */
	const char *exp;	 /* EXP, when the verb leaves it to us */
	const char *exp_missing; /* usage error without EXP; NULL: optional */
};

#define DB_OPTION_INIT { .path = STORE_DEFAULT_PATH }
/* EXP required, with this usage error when it is missing. */
#define DB_OPTION_EXP(missing) \
	{ .path = STORE_DEFAULT_PATH, .exp_missing = (missing) }
#define DB_OPTION_MISSING_EXP \
	"missing EXP (an experiment name; unitune show lists them)"

/* --json, for the verbs that print JSON (show, best); long only: -j is
 * --jobs elsewhere (tune, build). */
#define DB_OPTION_JSON 0x100
#define DB_OPTION_JSON_ENTRY                                                \
	{ "json", DB_OPTION_JSON, NULL, 0,                                  \
	  "Print JSON instead of text (the schema is in docs/reports.md).", \
	  0 }

/*
 * Parse argc/argv (argv[0] becomes prog) with verb's options, parser,
 * args_doc and doc, plus --db into db. The verb's parser gets input as
 * state->input; a positional argument it does not take is EXP (a second
 * one is a usage error). Usage errors and --help exit, as argp does.
 */
void db_option_parse(const char *prog, const struct argp *verb, void *input,
		     struct db_option *db, int argc, char **argv);

#endif
