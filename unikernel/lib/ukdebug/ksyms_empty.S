/* SPDX-License-Identifier: BSD-3-Clause */
/* The first link's stand-in for the generated function table. */
	.section .ksyms, "a"
	.balign 8
	.globl uk_ksyms_count, uk_ksyms_addr, uk_ksyms_name
uk_ksyms_count:
	.quad 0
uk_ksyms_addr:
uk_ksyms_name:
	.section .note.GNU-stack, "", @progbits
