/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --db PATH and EXP for every tuner verb. See db_option.h.
 */
#include "db_option.h"
#include "run_args.h"

/* Long only: -j is --jobs elsewhere (tune, build). */
#define OPT_JSON 0x100

#define DB_ENTRY                                                             \
	{ "db", 'd', "PATH", 0,                                               \
	  "The results store (default: " STORE_DEFAULT_PATH ", relative to "  \
	  "the current directory; unitune tune creates it, the other verbs "  \
	  "need it to exist).", 0 }

static const struct argp_option options[] = { DB_ENTRY, { 0 } };

static const struct argp_option options_json[] = {
	DB_ENTRY,
	{ "json", OPT_JSON, NULL, 0,
	  "Print JSON instead of text (the schema is in docs/reports.md).",
	  0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct db_option *db = state->input;

	switch (key) {
	case 'd':
		db->path = arg;
		db->given = true;
		break;
	case OPT_JSON:
		db->json = true;
		break;
	case ARGP_KEY_ARG:
		if (db->exp)
			argp_error(state, "unexpected argument '%s'", arg);
		db->exp = arg;
		break;
	case ARGP_KEY_END:
		if (!db->exp && db->exp_missing)
			argp_error(state, "%s", db->exp_missing);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp db_argp = { options, parse_opt, NULL, NULL,
				     NULL, NULL, NULL };
static const struct argp db_json_argp = { options_json, parse_opt, NULL,
					  NULL, NULL, NULL, NULL };

struct verb_inputs {
	void *verb;
	struct db_option *db;
};

/* The root parser only hands each child its input. */
static error_t root_parse(int key, char *arg, struct argp_state *state)
{
	const struct verb_inputs *in = state->input;

	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = in->verb;
	state->child_inputs[1] = in->db;
	return 0;
}

void db_option_parse(const char *prog, const struct argp *verb, void *input,
		     struct db_option *db, int argc, char **argv)
{
	/* The verb's docs stay at the root so --help reads as before. */
	const struct argp own = { verb->options, verb->parser, NULL, NULL,
				  NULL, NULL, NULL };
	const struct argp_child children[] = {
		{ &own, 0, NULL, 0 },
		{ db->takes_json ? &db_json_argp : &db_argp, 0, NULL, 0 },
		{ 0 }
	};
	const struct argp root = { NULL, root_parse, verb->args_doc,
				   verb->doc, children, NULL, NULL };
	struct verb_inputs in = { input, db };

	run_args_parse_verb(&root, argc, argv, prog, &in);
}
