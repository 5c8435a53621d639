/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The applications a tree can build: unikernel/apps/<name>/ with a
 * defconfig in it.
 */
#ifndef UNITUNE_APPS_H
#define UNITUNE_APPS_H

#include <stdbool.h>

#include "strbuf.h"

/* Is name a plain directory name (no '/', not "." or "..", not empty)? */
bool apps_name_valid(const char *name);

/* Append the app names under apps_dir to list, sorted, comma-separated.
 * Returns how many, or -errno. */
int apps_list(const char *apps_dir, struct strbuf *list);

#endif
