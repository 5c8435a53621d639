/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the read-side verbs (show, best, export, the experiment report)
 * share: open an existing results database, find an experiment by name,
 * load its stored space against the tree's Kconfig symbol table, and
 * (exp_open_table) its variants as one analysis table.
 * Problems are printed on stderr as "PROG: error: ..." and come back as
 * the verb's exit status.
 */
#ifndef UNITUNE_EXP_OPEN_H
#define UNITUNE_EXP_OPEN_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "kconfig.h"
#include "space.h"
#include "store.h"

/* Exit statuses of the read-side verbs. */
#define EXP_EXIT_FAIL 1	   /* error, or (best) no successful variant */
#define EXP_EXIT_UNKNOWN 2 /* no such experiment (or bad usage) */

struct exp_open {
	struct store *st;
	int64_t id;
	struct store_experiment exp;
	struct kconfig *kc;
	struct space *space;
	struct analysis_table *table; /* exp_open_table() only */
};

/*
 * Open the database at db, which must exist (the read side never creates
 * one). 0, or EXP_EXIT_FAIL when it is missing or unusable (said so).
 */
int exp_open_db(const char *prog, const char *db, struct store **st);

/*
 * Open db and load experiment name with its space into o. 0, or an exit
 * status: EXP_EXIT_UNKNOWN when db or the experiment does not exist (the
 * message lists the experiments there are), EXP_EXIT_FAIL otherwise.
 * With trace_too the "unknown" message also says no trace file of that
 * name exists (for `unitune report`, which takes either), and the status
 * is EXP_EXIT_FAIL, that of a missing trace. Always
 * release o with exp_open_close().
 */
int exp_open(struct exp_open *o, const char *prog, const char *db,
	     const char *name, bool trace_too);

/*
 * exp_open(), then the experiment as one table (analysis_load) in
 * o->table. 0, or an exit status as exp_open's (EXP_EXIT_FAIL when the
 * table cannot be read, said so).
 */
int exp_open_table(struct exp_open *o, const char *prog, const char *db,
		   const char *name);

void exp_open_close(struct exp_open *o);

/* The number of failed variants (build_failed ... bench_failed). */
int64_t exp_failed_count(const struct store_experiment *e);

#endif
