/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot steps, the one list: in the order boot reaches them, each as
 * X(ID, name). From it come enum uk_boot_step (UK_BOOT_STEP_ID, uk/boot.h),
 * the trace point boot_<name> of each step and the table from step to
 * trace point (lib/uktrace/trace.c).
 *
 * The names are part of the trace stream: the host finds the steps by
 * their "boot_" prefix and orders them by TSC, so a trace from an older
 * image decodes as long as a name keeps its meaning. Adding a step here is
 * all it takes; boot.c calls uk_boot_step() where the step begins.
 */
#ifndef UK_BOOT_STEPS_H
#define UK_BOOT_STEPS_H

#define UK_BOOT_STEPS(X)                                                       \
	X(ENTRY, entry)		/* first instruction (boot.S) */               \
	X(CONSOLE, console)                                                    \
	X(TRAPS, traps)                                                        \
	X(MEMORY, memory)                                                      \
	X(IRQ, irq)                                                            \
	X(ALLOC, alloc)                                                        \
	X(SYSCALL, syscall)                                                    \
	X(SCHED, sched)                                                        \
	X(DRIVERS, drivers)                                                    \
	X(CMDLINE, cmdline)                                                    \
	X(TESTS, tests)                                                        \
	X(LIBC, libc)		/* musl's start-up, until main() */            \
	X(MAIN, main)		/* entry to main() */

#endif
