/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What lwIP needs from the kernel in both integration modes: the
 * millisecond clock, random numbers, and (in the modes that take memory
 * from the kernel allocator) malloc. The threaded mode's semaphores,
 * mailboxes and threads are in sys_arch_threaded.c.
 */
#include <uk/alloc.h>
#include <uk/plat.h>
#include <uk/x86.h>
#include "lwip/sys.h"

/* Milliseconds from the TSC (calibrated on first use); lwIP's timers
 * compare differences, so the 32-bit wrap after 49 days is harmless. */
u32_t sys_now(void)
{
	static uint64_t tsc_per_ms;

	if (!tsc_per_ms)
		tsc_per_ms = plat_tsc_hz() / 1000 ? plat_tsc_hz() / 1000 : 1;
	return (u32_t)(rdtsc() / tsc_per_ms);
}

/*
 * xorshift64*: local ports and DHCP transaction ids. Seeded from the TSC
 * at the first call, so a deterministic (-icount) run draws the same
 * numbers every time. Nothing here needs to be unpredictable: lwIP's
 * sequence numbers do not come from it.
 */
unsigned uk_lwip_rand(void)
{
	static uint64_t state;

	if (!state)
		state = rdtsc() | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (unsigned)((state * 0x2545f4914f6cdd1dULL) >> 32);
}

#if MEM_LIBC_MALLOC
void *uk_lwip_malloc(size_t size)
{
	return uk_malloc(uk_alloc_default(), size);
}

void *uk_lwip_calloc(size_t n, size_t size)
{
	return uk_calloc(uk_alloc_default(), n, size);
}

void uk_lwip_free(void *ptr)
{
	uk_free(uk_alloc_default(), ptr);
}
#endif
