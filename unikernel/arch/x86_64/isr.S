/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt and exception entry. Every vector arrives on an IST stack (see
 * desc.c), so the interrupted code's red zone is never overwritten. The
 * common path saves the general registers and the FPU/SSE state, because
 * kernel C code and musl may use SSE registers that the interrupted code
 * was using too.
 */


	.text
	.altmacro
.macro ISR_STUB v
	.align 16
isr_stub_\v:
	.if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	pushq $0
	.endif
	pushq $\v
	jmp isr_common
.endm

.set vec, 0
.rept 256
	ISR_STUB %vec
	.set vec, vec + 1
.endr

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	movq %rsp, %rbx
	subq $512, %rsp
	andq $-16, %rsp
	fxsave64 (%rsp)
	call uk_trap
	fxrstor64 (%rsp)
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

/* Table of stub addresses for desc.c. */
	.section .rodata
	.align 8
	.globl isr_stub_table
isr_stub_table:
.macro STUB_ADDR v
	.quad isr_stub_\v
.endm
.set vec, 0
.rept 256
	STUB_ADDR %vec
	.set vec, vec + 1
.endr
