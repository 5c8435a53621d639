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
 * Is ret the return address of a direct call to the function that starts
 * at fn_start? Return addresses follow the call: e8 rel32 ends at ret.
 */
static int is_direct_call_to(uint64_t ret, uint64_t fn_start)
{
	const uint8_t *call = (const uint8_t *)(ret - 5);
	int32_t rel;

	if (!plat_addr_readable(ret - 5, 5) || call[0] != 0xe8)
		return 0;
	__builtin_memcpy(&rel, call + 1, sizeof(rel));
	return ret + (uint64_t)(int64_t)rel == fn_start;
}

/*
 * An interrupted function may not have its frame yet: it was stopped on
 * its first instruction (before "push %rbp"), or the compiler built it
 * without one (GCC leaves frameless leaf functions alone even with
 * -fno-omit-frame-pointer). Then rbp is still the caller's, and the
 * frame-pointer walk would skip the caller. Its return address is at
 * [rsp] in both cases: take it when rip is at offset 0, or when [rsp] is
 * the return address of a direct call to rip's function (a framed
 * function has its saved rbp there, a stack address, which fails that
 * test).
 */
size_t uk_backtrace_collect_trap(uint64_t rip, uint64_t rsp, uint64_t rbp,
				 uint64_t *pcs, size_t max, int *truncated)
{
	uint64_t off = 1, ret;

	*truncated = 0;
	if (!rsp || max < 2 || !uk_ksym_lookup(rip, &off) ||
	    !plat_addr_readable(rsp, 8))
		return uk_backtrace_collect(rip, rbp, pcs, max, truncated);
	ret = *(const uint64_t *)rsp;
	if (!uk_ksym_lookup(ret - 1, NULL) ||
	    (off != 0 && !is_direct_call_to(ret, rip - off)))
		return uk_backtrace_collect(rip, rbp, pcs, max, truncated);
	pcs[0] = rip;
	return 1 + uk_backtrace_collect(ret, rbp, pcs + 1, max - 1, truncated);
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
