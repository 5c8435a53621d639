/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's __stack_chk_fail executes hlt, which at ring 0 only waits for the
 * next interrupt and then returns into the smashed frame. The link wraps
 * the symbol (-Wl,--wrap=__stack_chk_fail) so every caller, musl's own
 * included, reports the overflow instead.
 */
#include <uk/debug.h>

__noreturn void __wrap___stack_chk_fail(void);

void __wrap___stack_chk_fail(void)
{
	uk_crash(UNITUNE_CRASH_STACK_SMASH, "stack smashing detected");
}
