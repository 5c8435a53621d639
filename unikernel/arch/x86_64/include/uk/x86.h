/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64 registers, bits and the few instructions C cannot express. */
#ifndef UK_X86_H
#define UK_X86_H

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_OSXSAVE (1 << 18)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define MSR_APIC_BASE 0x1b
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084

#define PTE_PRESENT (1 << 0)
#define PTE_WRITE (1 << 1)
#define PTE_PWT (1 << 3)
#define PTE_PCD (1 << 4)
#define PTE_LARGE (1 << 7)

#define BOOT_CS 0x08
#define BOOT_DS 0x10

#ifdef __ASSEMBLER__
/* Restore the SysV callee-saved registers from a frame that pushed rbp,
 * rbx, r12, r13, r14, r15 in that order (arch_ctx_switch, syscall_entry). */
.macro POP_CALLEE_SAVED
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
.endm
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* rdtsc is not ordered; lfence keeps measured code from leaking across it. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* sti takes effect after the next instruction, so no interrupt slips in
 * between enabling and halting. */
static inline void cpu_idle(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }
/* cpu_idle, returning the TSC at which the interrupt that ended the halt
 * entered uk_trap (traps.c): the halt's end, before the handler's work,
 * so idle accounting does not count the handler as idle. */
uint64_t cpu_idle_timed(void);
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

#define RFLAGS_IF (1ul << 9)

/* Disable interrupts; returns the previous RFLAGS for arch_irq_restore. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

/* Put the interrupt flag back as arch_irq_save found it. */
static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
	else
		irq_disable();
}


#endif /* __ASSEMBLER__ */
#endif /* UK_X86_H */
