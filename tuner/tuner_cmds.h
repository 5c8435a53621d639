/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tuner's verbs of bin/unitune (tuner/cmd_*.c, in libtuner),
 * dispatched by cli/unitune.c. Each takes the arguments after "unitune"
 * (argv[0] is the verb) and returns the process exit status.
 */
#ifndef UNITUNE_TUNER_CMDS_H
#define UNITUNE_TUNER_CMDS_H

#include <stdbool.h>

int cmd_tune(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_best(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* `unitune report --experiment EXP`: the experiment report. */
int cmd_report_experiment(int argc, char **argv);
/* Does ARGS name an experiment with --experiment or -e? */
bool cmd_report_names_experiment(int argc, char **argv);
/*
 * The old form `unitune report EXP`: true when --db is given, or when no
 * argument names an existing regular file and no option but the
 * experiment report's own is used, and there is a positional argument.
 * Kept so old scripts work; cli/unitune.c notes the new form.
 */
bool cmd_report_is_old_experiment_form(int argc, char **argv);

#endif
