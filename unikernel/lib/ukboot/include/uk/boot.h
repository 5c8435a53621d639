/* SPDX-License-Identifier: BSD-3-Clause */
/* Boot sequence, command line and kernel parameters. */
#ifndef UK_BOOT_H
#define UK_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include <uk/compiler.h>
#include <uk/plat.h>

/*
 * A kernel parameter "uk.<name>=<value>" on the command line. Libraries
 * declare theirs with UK_PARAM; set() returns 0 or a negative errno.
 */
struct uk_param {
	const char *name;
	int (*set)(const char *value);
	const char *help;
};
#define UK_PARAM(pname, fn, text)                                              \
	static const struct uk_param __uk_param_##fn                           \
		__table_entry(".uk_params") = { pname, fn, text }

/*
 * Run at application exit, before the guest stops (in link order): for
 * reports that belong at the end of a run. UK_EXIT_HOOK(fn) with
 * void fn(void).
 */
typedef void (*uk_exit_hook_fn)(void);
#define UK_EXIT_HOOK(fn)                                                       \
	static const uk_exit_hook_fn __uk_exit_hook_##fn                       \
		__table_entry(".uk_exit_hooks") = fn

/*
 * Split a boot command line in place into argv and envp (each
 * NULL-terminated, at most argv_max / env_max entries including the NULL).
 * The loader's first word (the image path) is dropped and argv[0] is
 * argv0. Before "--": words starting with "uk." are kernel parameters,
 * applied through UK_PARAM; other NAME=VALUE words are environment
 * variables; the rest are arguments. Everything after "--" belongs to the
 * application. Quoting: "..." groups words, and a backslash takes the
 * next character literally.
 * Returns argc, or -E2BIG when there are too many words, -EINVAL for an
 * unterminated quote. Unknown parameters are reported by name in *bad.
 */
struct uk_cmdline {
	char **argv;
	int argv_max;
	char **envp;
	int env_max;
	const char *bad;	/* OUT: first unknown or rejected parameter */
};
int uk_boot_parse_cmdline(char *cmdline, const char *argv0,
			  struct uk_cmdline *out);

/* Record the TSC at the entry to main() and print the boot line. */
void uk_boot_enter_main(void);

const struct plat_bootinfo *uk_boot_info(void);
uint64_t uk_boot_tsc_first(void);

#endif
