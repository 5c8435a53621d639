/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * GDT, TSS and IDT. Every vector runs on an IST stack: applications are
 * compiled with a red zone, and a ring-0 interrupt pushes its frame onto the
 * current stack unless the IDT names an IST. Exceptions, the double fault
 * (and NMI, machine check) and device interrupts each get their own stack,
 * so a fault inside an interrupt handler does not land on the stack it was
 * using.
 */
#include <stddef.h>
#include <stdint.h>
#include <uk/errno.h>
#include <uk/trap.h>
#include <uk/x86.h>

#define IST_EXCEPTION 1
#define IST_CRITICAL 2
#define IST_IRQ 3
#define IST_STACK_SIZE 16384

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define GDT_TSS 0x18

static uint64_t gdt[5] = {
	0,
	0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0, 0,		    /* 0x18 TSS (16 bytes) */
};
static struct tss tss __attribute__((aligned(16)));
static struct idt_entry idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

static struct {
	irq_handler_fn fn;
	void *arg;
} irq_table[256];

extern const uint64_t isr_stub_table[256];

static unsigned ist_for_vector(unsigned v)
{
	if (v == 2 || v == 8 || v == 18)
		return IST_CRITICAL;
	return v < 32 ? IST_EXCEPTION : IST_IRQ;
}

void uk_trap_init(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);

	/* 64-bit available TSS descriptor: type 0x9, present. */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = isr_stub_table[v];
		idt[v] = (struct idt_entry){
			.offset_lo = a & 0xffff,
			.selector = BOOT_CS,
			.ist = ist_for_vector(v),
			.type_attr = 0x8e, /* present, ring 0, interrupt gate */
			.offset_mid = (a >> 16) & 0xffff,
			.offset_hi = a >> 32,
		};
	}

	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	/* Reload CS through a far return, then the data segments. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 :
			 : "i"((uint64_t)BOOT_CS), "i"(BOOT_DS)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS));
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

int uk_irq_register(unsigned vector, irq_handler_fn fn, void *arg)
{
	if (vector < 32 || vector > 255)
		return -EINVAL;
	irq_table[vector].fn = fn;
	irq_table[vector].arg = arg;
	return 0;
}

/* Called from uk_trap for vectors >= 32. Returns 0 when nobody owns it. */
int uk_irq_dispatch(struct trap_frame *frame)
{
	unsigned v = frame->vector;

	if (!irq_table[v].fn)
		return 0;
	irq_table[v].fn(frame, irq_table[v].arg);
	return 1;
}
