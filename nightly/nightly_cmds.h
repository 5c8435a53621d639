/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nightly's verb of bin/unitune (nightly/cmd_nightly.c, in libnightly),
 * dispatched by cli/unitune.c: it takes the arguments after "unitune"
 * (argv[0] is the verb) and returns the process exit status.
 */
#ifndef UNITUNE_NIGHTLY_CMDS_H
#define UNITUNE_NIGHTLY_CMDS_H

int cmd_nightly(int argc, char **argv);

#endif
