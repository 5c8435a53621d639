/* SPDX-License-Identifier: BSD-3-Clause */
/* Where every vector lands: exceptions end in a crash report, device
 * interrupts go to their registered handler. */
#include <uk/debug.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/trap.h>
#include <uk/x86.h>

int uk_irq_dispatch(struct trap_frame *frame);

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error",
	"alignment check", "machine check", "SIMD floating-point error",
	"virtualization exception", "control protection", "reserved (22)",
	"reserved (23)", "reserved (24)", "reserved (25)", "reserved (26)",
	"reserved (27)", "hypervisor injection", "VMM communication",
	"security exception", "reserved (31)",
};

static void exception(struct trap_frame *f)
{
	char reason[192];
	uint64_t off = 0;
	const char *fn = uk_ksym_lookup(f->rip, &off);
	int n;

	if (f->vector == TRAP_PAGE_FAULT)
		n = uk_snprintf(reason, sizeof(reason),
				"page fault at 0x%lx (%s, %s)", read_cr2(),
				(f->error & 2) ? "write" : (f->error & 16) ? "fetch" : "read",
				(f->error & 1) ? "protection" : "not present");
	else
		n = uk_snprintf(reason, sizeof(reason), "%s (vector %lu, error %lx)",
				exception_names[f->vector], f->vector, f->error);
	if (n > 0 && (size_t)n < sizeof(reason)) {
		if (fn)
			uk_snprintf(reason + n, sizeof(reason) - n, " in %s+0x%lx", fn, off);
		else
			uk_snprintf(reason + n, sizeof(reason) - n, " at 0x%lx", f->rip);
	}
	uk_crash_frame(f, reason);
}

void uk_trap(struct trap_frame *f)
{
	if (f->vector < 32) {
		exception(f);
		return;
	}
	if (f->vector == IRQ_VECTOR_SPURIOUS)
		return; /* spurious LAPIC interrupts need no EOI */
	if (!uk_irq_dispatch(f))
		uk_pr_warn("unexpected interrupt, vector %lu\n", f->vector);
	plat_irq_ack(f->vector);
}
