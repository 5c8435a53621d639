/* SPDX-License-Identifier: BSD-3-Clause */
/* Boot sequence, command line and kernel parameters. */
#ifndef UK_BOOT_H
#define UK_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include <uk/boot_steps.h>
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
 * Device drivers register their probe with UK_DRIVER_INIT(fn), void
 * fn(void); the boot sequence runs them after the allocator and the
 * scheduler are up, in link order.
 */
typedef void (*uk_driver_init_fn)(void);
#define UK_DRIVER_INIT(fn)                                                     \
	static const uk_driver_init_fn __uk_driver_init_##fn                   \
		__table_entry(".uk_driver_inits") = fn
void uk_drivers_init(void);

/*
 * Run once when the guest stops, in link order: for reports that belong
 * at the end of a run and for flushing the trace. UK_EXIT_HOOK(fn) with
 * void fn(int status): the application's exit status, or -1 after a
 * crash (the crash report is already on the console).
 */
typedef void (*uk_exit_hook_fn)(int status);
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

/*
 * Print UNITUNE_MSG_MEM, the least memory this run predicts it needed
 * (nothing before the allocator is up). uk_exit calls it after the exit
 * hooks, once the trace is finished and the sampler stopped, so the
 * allocator's work for it (a scan of the free heap) stays out of
 * profiles and traces.
 */
void uk_boot_report_memory(void);

/* Record the TSC at the entry to main() and print the boot line. */
void uk_boot_enter_main(void);

/*
 * Boot steps, for the boot-time breakdown: the TSC when each is reached is
 * kept here (tracing cannot start before the allocator and the virtio
 * port exist) and sent as trace events once it does. The intervals between
 * consecutive steps add up to the boot line's cycles. The steps are
 * listed once, in uk/boot_steps.h.
 */
#define UK__BOOT_STEP_ENUM(id, name) UK_BOOT_STEP_##id,
enum uk_boot_step {
	UK_BOOT_STEPS(UK__BOOT_STEP_ENUM)
	UK_BOOT_STEP_COUNT
};
#undef UK__BOOT_STEP_ENUM
void uk_boot_step(enum uk_boot_step step);
/* 0 for a step not reached (yet). */
uint64_t uk_boot_step_tsc(enum uk_boot_step step);

uint64_t uk_boot_tsc_first(void);

#endif
