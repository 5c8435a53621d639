/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's `syscall` instruction, taken at ring 0. The CPU leaves RSP alone,
 * and the caller (compiled for user space) may keep live data in the 128
 * bytes below it, so nothing is pushed until RSP points at the syscall
 * stack. FMASK cleared IF, so nothing can interrupt the switch.
 *
 * In:  rax = number, rdi rsi rdx r10 r8 r9 = arguments,
 *      rcx = return address, r11 = caller's RFLAGS.
 * Out: rax = result; rcx and r11 clobbered, as the ABI allows.
 *
 * Return is not sysretq (which would drop to ring 3): restore RFLAGS with
 * popfq while still on the syscall stack, load the caller's RSP (mov does
 * not touch flags), and jump to rcx.
 */
#include <uk/x86.h>

	.text
	.globl syscall_entry
syscall_entry:
	movq %rsp, syscall_scratch_rsp(%rip)
	movq syscall_stack_top(%rip), %rsp
	pushq syscall_scratch_rsp(%rip)	/* caller's rsp */
	pushq %rcx			/* return address */
	pushq %r11			/* caller's rflags */
	/* A frame record (caller's rbp, return address) the backtrace
	 * walker and the profiler can follow into the caller. */
	pushq %rcx
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %r10
	pushq %r8
	pushq %r9
	/* Arguments for uk_syscall_dispatch(nr, a0..a5): sixth goes on stack. */
	movq %rsp, %rbx
	andq $-16, %rsp
	subq $8, %rsp
	pushq %r9
	movq %r8, %r9
	movq %r10, %r8
	movq %rdx, %rcx
	movq %rsi, %rdx
	movq %rdi, %rsi
	movq %rax, %rdi
	/* Handlers may sleep and wait for the timer. */
	sti
	call uk_syscall_dispatch
#if CONFIG_UKSIGNAL
	/* The safe point: deliver what is pending (lib/uksignal) by
	 * rewriting the frame above; rax is what the caller sees. */
	movq %rax, %rdi
	call uk_signal_syscall_return
#endif
	cli
	movq %rbx, %rsp
	popq %r9
	popq %r8
	popq %r10
	popq %rdx
	popq %rsi
	popq %rdi
	POP_CALLEE_SAVED
	addq $8, %rsp			/* the frame record's return address */
	popfq				/* may set IF: later interrupts use IST */
	popq %rcx
	movq (%rsp), %rsp
	jmp *%rcx
	.section .note.GNU-stack, "", @progbits
