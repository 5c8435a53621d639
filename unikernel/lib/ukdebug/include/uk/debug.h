/* SPDX-License-Identifier: BSD-3-Clause */
/* Crashes, backtraces and the embedded function table. */
#ifndef UK_DEBUG_H
#define UK_DEBUG_H

#include <stddef.h>
#include <stdint.h>
#include <unitune/abi.h>
#include <uk/compiler.h>

struct trap_frame;

/*
 * Stop the guest after printing "[uk] crash: <message>", the registers
 * (for a frame) and a backtrace. status is the UNITUNE_CRASH_* status of
 * the kind of crash (unitune/abi.h); uk_panic is a kernel panic
 * (UNITUNE_CRASH_PANIC).
 */
__noreturn void uk_crash(int status, const char *fmt, ...) __printf_like(2, 3);
#define uk_panic(...) uk_crash(UNITUNE_CRASH_PANIC, __VA_ARGS__)
__noreturn void uk_crash_frame(const struct trap_frame *frame, int status,
			       const char *reason);

#define UK_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!(cond))                                                   \
			uk_panic("assertion failed: %s at %s:%d", #cond,       \
				 __FILE__, __LINE__);                          \
	} while (0)

/*
 * Walk frame pointers from (rip, rbp); store up to max return addresses in
 * pcs (pcs[0] = rip). Returns the count; *truncated is set when the walk
 * stopped at max rather than at the outermost frame.
 */
size_t uk_backtrace_collect(uint64_t rip, uint64_t rbp, uint64_t *pcs,
			    size_t max, int *truncated);
/* The same from an interrupted context, which may not have its frame yet. */
size_t uk_backtrace_collect_trap(uint64_t rip, uint64_t rsp, uint64_t rbp,
				 uint64_t *pcs, size_t max, int *truncated);
/* Print "  #i 0x... name+0xoff" lines (rsp 0: not from a trap). */
void uk_backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp);

/* Name of the function containing addr, or NULL; *offset is addr - start. */
const char *uk_ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
