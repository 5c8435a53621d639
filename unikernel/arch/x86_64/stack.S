/* SPDX-License-Identifier: BSD-3-Clause */
/* void arch_call_on_stack(void *top, void (*fn)(void *), void *arg)
 * Runs fn(arg) on a fresh stack; fn must not return. A zero frame pointer
 * marks the outermost frame for backtraces. */
	.text
	.globl arch_call_on_stack
arch_call_on_stack:
	movq %rdi, %rsp
	andq $-16, %rsp
	xorq %rbp, %rbp
	movq %rdx, %rdi
	pushq $0		/* fake return address: keeps 16-byte call alignment */
	jmp *%rsi
	.section .note.GNU-stack, "", @progbits
