/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * void uksched_clone_return(const struct syscall_frame *frame)
 *
 * A clone child's first step into the caller's code (clone.c): the
 * registers arch/x86_64/syscall_entry.S saved when the parent entered
 * clone, rax = 0 (the child's result), then the same exit as a syscall's:
 * RFLAGS by popfq, the stack pointer (the new stack, set in the copy) and
 * a jump to the return address. The copy sits on the child's kernel
 * stack, which is left for good.
 */
#include <uk/x86.h>

	.text
	.globl uksched_clone_return
	.type uksched_clone_return, @function
uksched_clone_return:
	cli
	movq %rdi, %rsp
	popq %r9
	popq %r8
	popq %r10
	popq %rdx
	popq %rsi
	popq %rdi
	POP_CALLEE_SAVED
	addq $8, %rsp			/* the frame record's return address */
	xorl %eax, %eax
	popfq				/* may set IF: later interrupts use IST */
	popq %rcx
	movq (%rsp), %rsp
	jmp *%rcx
	.size uksched_clone_return, . - uksched_clone_return

	.section .note.GNU-stack, "", @progbits
