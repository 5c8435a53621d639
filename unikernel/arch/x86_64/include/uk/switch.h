/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel context switch (switch.S) and the interrupt-flag helpers that
 * surround it. A context is one saved stack pointer: the callee-saved
 * registers (rbx, rbp, r12-r15), MXCSR and the x87 control word sit on the
 * stack just below it. The caller-saved registers need no saving, because
 * a switch is an ordinary function call to the compiler. Only the control
 * parts of the FPU/SSE state are preserved across calls by the SysV ABI,
 * so those are the only FPU state a switch carries.
 */
#ifndef UK_SWITCH_H
#define UK_SWITCH_H

#include <stddef.h>
#include <stdint.h>
#include <uk/x86.h>

/* Power-on defaults (SysV process start): all exceptions masked, round to
 * nearest, 64-bit x87 precision. */
#define ARCH_MXCSR_DEFAULT 0x1f80U
#define ARCH_FCW_DEFAULT 0x037fU

/*
 * Save the running context, storing its stack pointer in *old_sp, and
 * resume the context saved at new_sp. Returns when another context switches
 * back to *old_sp. Call with interrupts disabled: a context is not
 * consistent until both halves are done.
 */
void arch_ctx_switch(uintptr_t *old_sp, uintptr_t new_sp);

/* First code of every new context (switch.S): calls rbx(r12) with
 * rbp = 0, so frame-pointer walks end at the context's first frame. */
extern char arch_ctx_start[];

/*
 * Build a context on the stack [stack, stack + size) that starts in
 * entry(arg) with the default MXCSR and x87 control word. entry must not
 * return. Returns the stack pointer to pass to arch_ctx_switch.
 */
static inline uintptr_t arch_ctx_init(void *stack, size_t size,
				      void (*entry)(void *), void *arg)
{
	/* The ABI wants rsp % 16 == 0 before a call: arch_ctx_start's call
	 * happens with rsp at top. */
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top - 8;

	/* Popped by arch_ctx_switch, lowest address first. */
	sp[0] = ARCH_MXCSR_DEFAULT | ((uint64_t)ARCH_FCW_DEFAULT << 32);
	sp[1] = 0;			/* r15 */
	sp[2] = 0;			/* r14 */
	sp[3] = 0;			/* r13 */
	sp[4] = (uintptr_t)arg;		/* r12 */
	sp[5] = (uintptr_t)entry;	/* rbx */
	sp[6] = 0;			/* rbp: the end of every backtrace */
	sp[7] = (uintptr_t)arch_ctx_start; /* return address */
	return (uintptr_t)sp;
}

static inline unsigned long arch_irq_flags(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
	return flags;
}

#endif /* UK_SWITCH_H */
