/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest command line: "<kernel options> -- <app args>".
 *
 * The separator " -- " is always present, even when either side is
 * empty, so the guest can split on it without guessing. App arguments are
 * separated by one space. An argument that is empty or contains a space,
 * tab, newline, '"' or '\' is wrapped in double quotes, and inside the
 * quotes '"' and '\' are escaped with a backslash; any other argument is
 * passed verbatim. The guest's parser (unikernel/lib/ukboot/cmdline.c)
 * undoes this rule.
 *
 * Kernel options are passed verbatim and so must not contain a "--" word
 * of their own (cmdline_build rejects it).
 *
 * Note: with multiboot, QEMU itself prepends the image path and a space to
 * what the guest receives.
 */
#ifndef UNITUNE_CMDLINE_H
#define UNITUNE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

bool cmdline_needs_quotes(const char *arg);

/* Append one encoded argument. 0 or -ENOMEM. */
int cmdline_add_arg(struct strbuf *sb, const char *arg);

/*
 * Build the whole command line into a new string (*out, caller frees).
 * kernel_opts may be NULL. 0, -EINVAL (kernel_opts has a "--" word or a
 * NULL argument) or -ENOMEM.
 */
int cmdline_build(const char *kernel_opts, const char *const *argv,
		  size_t argc, char **out);

#endif
