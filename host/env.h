/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The environment a measurement is made in, stored with a sweep's
 * experiment and with each bench run so any number can be traced to how
 * it was made: the tree's git commit ("-dirty"
 * appended when it has uncommitted changes), the host name, QEMU's
 * version line and the CPU model. What cannot be found reads "unknown".
 */
#ifndef UNITUNE_ENV_H
#define UNITUNE_ENV_H

#include <stddef.h>

struct env_facts {
	char git_commit[64];
	char host[256];
	char qemu_version[256];
	char cpu_model[256];
};

/* root: the Unitune tree; qemu: NULL for qemu-system-x86_64. */
void env_collect(const char *root, const char *qemu, struct env_facts *f);

#endif
