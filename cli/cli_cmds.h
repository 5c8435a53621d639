/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verbs of bin/unitune that belong to no library (cli/cmd_*.c). Each
 * takes the arguments after "unitune" (argv[0] is the verb) and returns
 * the process exit status. The libraries' verbs are declared in their own
 * headers (profiler/profiler_cmds.h, tuner/tuner_cmds.h).
 */
#ifndef UNITUNE_CLI_CMDS_H
#define UNITUNE_CLI_CMDS_H

int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
