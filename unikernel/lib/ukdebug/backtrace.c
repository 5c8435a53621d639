/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-pointer stack walking. Every pointer read is checked against RAM
 * first: a corrupt frame must end the walk, not fault inside a crash report.
 */
#include <uk/debug.h>
#include <uk/plat.h>
#include <uk/print.h>

size_t uk_backtrace_collect(uint64_t rip, uint64_t rbp, uint64_t *pcs,
			    size_t max, int *truncated)
{
	size_t n = 0;

	*truncated = 0;
	if (!max)
		return 0;
	pcs[n++] = rip;
	while (rbp) {
		if ((rbp & 7) || !plat_addr_readable(rbp, 16))
			break;
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1], next = frame[0];
		if (!ret)
			break;
		if (n == max) {
			*truncated = 1;
			break;
		}
		pcs[n++] = ret;
		/* Stacks grow down: the caller's frame is above ours. */
		if (next <= rbp)
			break;
		rbp = next;
	}
	return n;
}

/*
 * A fault on a function's first instruction (or in a function the compiler
 * built without a frame) comes before "push %rbp": rbp is still the
 * caller's, whose return address would be skipped. At offset 0 the return
 * address is at [rsp]; take it so the caller appears.
 */
size_t uk_backtrace_collect_trap(uint64_t rip, uint64_t rsp, uint64_t rbp,
				 uint64_t *pcs, size_t max, int *truncated)
{
	uint64_t off = 1;

	uk_ksym_lookup(rip, &off);
	if (off != 0 || max < 2 || !plat_addr_readable(rsp, 8) ||
	    !uk_ksym_lookup(*(const uint64_t *)rsp - 1, NULL))
		return uk_backtrace_collect(rip, rbp, pcs, max, truncated);
	pcs[0] = rip;
	return 1 + uk_backtrace_collect(*(const uint64_t *)rsp, rbp, pcs + 1,
					max - 1, truncated);
}

void uk_backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
	uint64_t pcs[CONFIG_UKDEBUG_BACKTRACE_DEPTH];
	int truncated;
	size_t n = uk_backtrace_collect_trap(rip, rsp, rbp, pcs, ARRAY_SIZE(pcs),
					     &truncated);

	uk_printk("[uk] backtrace:\n");
	for (size_t i = 0; i < n; i++) {
		uint64_t off = 0;
		/* Return addresses point after the call: look up pc - 1. */
		const char *name = uk_ksym_lookup(i ? pcs[i] - 1 : pcs[i], &off);
		if (i)
			off++;
		if (name)
			uk_printk("  #%zu 0x%016lx %s+0x%lx\n", i, pcs[i], name, off);
		else
			uk_printk("  #%zu 0x%016lx ?\n", i, pcs[i]);
	}
	if (truncated)
		uk_printk("  ... (deeper frames not shown)\n");
}
