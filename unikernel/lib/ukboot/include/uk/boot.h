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
 * Split a boot command line in place into argv (NULL-terminated, at most
 * max entries including the NULL). The loader's first word (the image
 * path) is dropped and argv[0] is argv0. Words before "--" that start with
 * "uk." are kernel parameters, applied through UK_PARAM; everything after
 * "--" belongs to the application. Quoting: "..." groups words, and a
 * backslash takes the next character literally.
 * Returns argc, or -E2BIG when there are too many words, -EINVAL for an
 * unterminated quote. Unknown parameters are reported by name in *bad.
 */
int uk_boot_parse_cmdline(char *cmdline, const char *argv0, char **argv,
			  int max, const char **bad);

const struct plat_bootinfo *uk_boot_info(void);
uint64_t uk_boot_tsc_first(void);

#endif
