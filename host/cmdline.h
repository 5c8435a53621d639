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
 * Note: with multiboot, QEMU itself prepends the -kernel path (always
 * RUNNER_KERNEL_PATH, so no figure depends on the image's path) and a space to
 * what the guest receives.
 *
 * The guest's limits (include/unitune/abi.h): the whole line it receives
 * fits in UNITUNE_CMDLINE_MAX bytes with its NUL, argv has at most
 * UNITUNE_ARGC_MAX entries with argv[0], and at most UNITUNE_ENVC_MAX
 * kernel words are NAME=VALUE variables. cmdline_check() enforces them.
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

/* NAME=VALUE with NAME of letters, digits and '_', not starting with a
 * digit: what the guest takes for an environment variable. */
bool cmdline_is_assignment(const char *word);

/*
 * Whether the guest can take this command line whole, before booting:
 * every kernel word (split and unquoted as the guest does) is a kernel
 * parameter uk.NAME[=VALUE] or a variable NAME=VALUE (a bare word would
 * silently become an application argument), at most UNITUNE_ENVC_MAX
 * variables, at most UNITUNE_ARGC_MAX - 1 application arguments, and
 * kernel_path (what QEMU is given as -kernel, which it puts first), a
 * space, cmdline_build()'s line and a NUL within UNITUNE_CMDLINE_MAX.
 * 0; -EINVAL (a bad kernel word, an unterminated quote or a "--" word) or
 * -E2BIG (a limit) with why naming the limit and the offending word;
 * -ENOMEM.
 */
int cmdline_check(const char *kernel_opts, const char *const *argv,
		  size_t argc, const char *kernel_path, char *why,
		  size_t why_len);

#endif
