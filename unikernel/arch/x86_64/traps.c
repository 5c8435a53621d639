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

/*
 * The status of each exception: 128 + the signal Linux sends a process
 * that raises it (arch/x86/kernel/traps.c), or a kernel panic for those
 * that have none.
 */
static int exception_status(uint64_t vector)
{
	switch (vector) {
	case 0:	 /* divide error */
	case 16: /* x87 floating-point error */
	case 19: /* SIMD floating-point error */
		return UNITUNE_CRASH_SIGFPE;
	case 1: /* debug */
	case 3: /* breakpoint */
		return UNITUNE_CRASH_SIGTRAP;
	case 6: /* invalid opcode */
		return UNITUNE_CRASH_SIGILL;
	case 17: /* alignment check */
	case 18: /* machine check */
		return UNITUNE_CRASH_SIGBUS;
	case 4:	 /* overflow */
	case 5:	 /* bound range exceeded */
	case 10: /* invalid TSS */
	case 11: /* segment not present */
	case 12: /* stack-segment fault */
	case 13: /* general protection fault */
	case 14: /* page fault */
		return UNITUNE_CRASH_SIGSEGV;
	default:
		return UNITUNE_CRASH_PANIC;
	}
}

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
	uk_crash_frame(f, exception_status(f->vector), reason);
}

/* Set while cpu_idle_timed halts; the first trap after it stamps the
 * wake-up. */
static volatile bool halted;
static volatile uint64_t woke_at;

uint64_t cpu_idle_timed(void)
{
	halted = true;
	cpu_idle();
	if (halted) {
		/* Only a trap ends a halt here; should the halt end
		 * otherwise (an SMI), its end is now. */
		halted = false;
		return rdtsc();
	}
	return woke_at;
}

void uk_trap(struct trap_frame *f)
{
	if (halted) {
		woke_at = rdtsc();
		halted = false;
	}
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
