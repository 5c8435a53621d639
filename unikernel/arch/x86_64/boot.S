/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multiboot entry. QEMU (microvm, -kernel) enters _start32 in 32-bit
 * protected mode with paging off, EAX = multiboot magic, EBX = boot info.
 * We record the TSC first (boot cost is measured from here), build page
 * tables identity-mapping the low 4 GiB (but the NULL page), enter long mode and call C.
 */
#include <uk/x86.h>

#define MB_MAGIC 0x1BADB002
/* bit 1: memory map wanted; bit 16: load addresses are in this header
 * (QEMU refuses to load a 64-bit ELF through its ELF path). */
#define MB_FLAGS 0x00010002

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header
	.long _image_start
	.long _edata
	.long _end
	.long _start32

	.section .text.boot, "ax"
	.code32
	.globl _start32
_start32:
	cli
	movl %eax, %edi
	movl %ebx, %esi
	rdtsc
	movl %eax, boot_tsc_first
	movl %edx, boot_tsc_first + 4

	/* No .bss clearing: with the a.out fields the multiboot loader
	 * zeroes up to bss_end_addr (spec 3.1.3), and under icount every byte
	 * of a rep stos would count as an instruction of boot time. */

	movl $boot_stack_top, %esp

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages. */
	movl $boot_pdpt, %eax
	orl $(PTE_PRESENT | PTE_WRITE), %eax
	movl %eax, boot_pml4

	movl $boot_pd, %eax
	orl $(PTE_PRESENT | PTE_WRITE), %eax
	xorl %ecx, %ecx
1:	movl %eax, boot_pdpt(, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jne 1b

	/* Above 3 GiB lie the LAPIC and virtio-mmio windows: map uncached. */
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_PRESENT | PTE_WRITE | PTE_LARGE), %eax
	cmpl $1536, %ecx
	jb 3f
	orl $(PTE_PCD | PTE_PWT), %eax
3:	movl %eax, boot_pd(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 2b

	/* The first 2 MiB in 4 KiB pages, page 0 left out: NULL faults. */
	movl $1, %ecx
5:	movl %ecx, %eax
	shll $12, %eax
	orl $(PTE_PRESENT | PTE_WRITE), %eax
	movl %eax, boot_pt(, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 5b
	movl $boot_pt, %eax
	orl $(PTE_PRESENT | PTE_WRITE), %eax
	movl %eax, boot_pd

	movl $boot_pml4, %eax
	movl %eax, %cr3

	/* PAE, SSE (OSFXSR, OSXMMEXCPT): musl and apps use SSE anywhere. */
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4

	/* Long mode, SYSCALL/SYSRET enable, no-execute bit. */
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_SCE), %eax
	wrmsr

	/* Paging on; FPU native (NE, MP) and not emulated (EM clear). */
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PG | CR0_PE | CR0_MP | CR0_NE | CR0_WP), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $BOOT_CS, $_start64

	.code64
_start64:
	movw $BOOT_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	/* A zero frame pointer ends every backtrace here. */
	xorq %rbp, %rbp
	fninit
	/* Zero-extend: upper halves are undefined after the mode switch. */
	movl %edi, %edi
	movl %esi, %esi
	call uk_boot_entry
4:	cli
	hlt
	jmp 4b

	.section .rodata
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.data
	.align 8
	.globl boot_tsc_first
boot_tsc_first:
	.quad 0

	.bss
	.align 4096
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4096 * 4
boot_pt:
	.skip 4096
	.align 16
boot_stack:
	.skip 16384
boot_stack_top:
