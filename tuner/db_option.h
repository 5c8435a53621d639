/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every tuner verb's command line shares: --db PATH and, for the
 * read-side verbs, the experiment EXP as the positional argument and
 * --json where the verb prints JSON.
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
	bool takes_json;	 /* the verb has --json (show, best) */
	bool json;		 /* --json was given */
};

/* EXP required (missing: the usage error without it) or optional
 * (NULL); --json offered or not. */
#define DB_OPTION(missing, with_json)                                  \
	{ .path = STORE_DEFAULT_PATH, .exp_missing = (missing),        \
	  .takes_json = (with_json) }
#define DB_OPTION_INIT DB_OPTION(NULL, false)
#define DB_OPTION_MISSING_EXP \
	"missing EXP (an experiment name; unitune show lists them)"

/*
 * Parse argc/argv (argv[0] becomes prog) with verb's options, parser,
 * args_doc and doc, plus --db (and --json if db->takes_json) into db. The verb's parser gets input as
 * state->input; a positional argument it does not take is EXP (a second
 * one is a usage error). Usage errors and --help exit, as argp does.
 */
void db_option_parse(const char *prog, const struct argp *verb, void *input,
		     struct db_option *db, int argc, char **argv);

#endif
