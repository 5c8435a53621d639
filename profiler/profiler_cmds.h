/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The profiler's verbs of bin/unitune (profiler/cmd_*.c, in libprofiler),
 * dispatched by cli/unitune.c. Each takes the arguments after "unitune"
 * (argv[0] is the verb) and returns the process exit status.
 */
#ifndef UNITUNE_PROFILER_CMDS_H
#define UNITUNE_PROFILER_CMDS_H

int cmd_record(int argc, char **argv);
/* `unitune report TRACE`: a trace's report. */
int cmd_report_trace(int argc, char **argv);
int cmd_diff(int argc, char **argv);

#endif
