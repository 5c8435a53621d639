/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verbs of the unitune CLI. Each takes the arguments after "unitune"
 * (argv[0] is the verb) and returns the process exit status.
 */
#ifndef UNITUNE_CMD_H
#define UNITUNE_CMD_H

#include <stdbool.h>

int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
/* The profiler's verbs (profiler/cmd_*.c, in libprofiler). */
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* The tuner's verbs (tuner/cmd_*.c, in libtuner). */
int cmd_tune(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_best(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* `unitune report EXP`: the experiment report. */
int cmd_report_experiment(int argc, char **argv);
/*
 * Which report `unitune report ARGS` means: the experiment report when
 * --db is given, or when no argument names an existing regular file and
 * no option but the experiment report's own is used, and there is a
 * positional argument; otherwise the trace report (cmd_report).
 */
bool cmd_report_is_experiment(int argc, char **argv);

#endif
