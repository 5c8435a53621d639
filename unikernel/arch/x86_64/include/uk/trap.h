/* SPDX-License-Identifier: BSD-3-Clause */
/* Interrupt and exception frames, vector numbers and handler registration. */
#ifndef UK_TRAP_H
#define UK_TRAP_H

#include <stdint.h>

/* Layout pushed by isr.S, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_PAGE_FAULT 14
/* Device interrupts live above the exception range. */
#define IRQ_VECTOR_TIMER 0x20
/* IOAPIC lines: GSI n arrives as vector IRQ_VECTOR_GSI_BASE + n. */
#define IRQ_VECTOR_GSI_BASE 0x30
#define IRQ_VECTOR_GSI_MAX 0x5f
#define IRQ_VECTOR_SPURIOUS 0xff

typedef void (*irq_handler_fn)(struct trap_frame *frame, void *arg);

/* Install the GDT, TSS (with IST stacks) and IDT. */
void uk_trap_init(void);

/* Route a device vector (>= 32) to fn; returns -EINVAL for bad vectors. */
int uk_irq_register(unsigned vector, irq_handler_fn fn, void *arg);

/* Platform hook: acknowledge a device interrupt (LAPIC EOI). */
void plat_irq_ack(unsigned vector);

void uk_trap(struct trap_frame *frame);

#endif
