/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * void arch_ctx_switch(uintptr_t *old_sp, uintptr_t new_sp)
 *
 * Cooperative switch: the caller treats this as a function call, so only
 * what the SysV ABI says survives a call is saved: rbx, rbp, r12-r15, the
 * MXCSR control bits and the x87 control word. Frame, lowest address first
 * (arch_ctx_init in uk/switch.h builds the same one for a new context):
 *
 *   sp+0   MXCSR (low 4 bytes), x87 control word (bytes 4-5)
 *   sp+8   r15, r14, r13, r12, rbx
 *   sp+48  rbp
 *   sp+56  return address
 *
 * rbp and the return address form a frame record, so a backtrace of a
 * switched-out context can start from the saved rbp.
 */
#include <uk/x86.h>

	.text
	.globl arch_ctx_switch
	.type arch_ctx_switch, @function
arch_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq %rsp, (%rdi)

	movq %rsi, %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	POP_CALLEE_SAVED
	ret
	.size arch_ctx_switch, . - arch_ctx_switch

/*
 * A new context's first instruction: arch_ctx_switch "returned" here with
 * rsp 16-byte aligned, rbp = 0, rbx = entry, r12 = its argument. entry
 * never returns; ud2 turns a broken promise into a crash report rather
 * than a run into whatever follows.
 */
	.globl arch_ctx_start
	.type arch_ctx_start, @function
arch_ctx_start:
	movq %r12, %rdi
	call *%rbx
	ud2
	.size arch_ctx_start, . - arch_ctx_start

	.section .note.GNU-stack, "", @progbits
