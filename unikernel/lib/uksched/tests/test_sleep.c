/* SPDX-License-Identifier: BSD-3-Clause */
/* Sleeping, which both policies provide, measured on the TSC. */
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/switch.h>
#include <uk/test.h>
#include <uk/x86.h>
#include "selfipi.h"

#define MS 1000000ULL

UK_TESTCASE(uksched, sleep_2ms_takes_at_least_2ms)
{
	uint64_t start = rdtsc();

	uk_sleep_ns(2 * MS);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
}

/* The sleep loops on the TSC: an interrupt that ends the halt before the
 * deadline (here a self-IPI, pending before the sleep starts) must not end
 * the sleep. */
static void count_ipi(struct trap_frame *frame, void *arg)
{
	(void)frame;
	(*(volatile int *)arg)++;
}

UK_TESTCASE(uksched, early_interrupt_does_not_end_sleep)
{
	static volatile int ipis;
	unsigned long flags;
	uint64_t start;

	ipis = 0;
	UK_ASSERT_TRUE(uk_irq_register(SELFIPI_VECTOR, count_ipi, (void *)&ipis) == 0);
	flags = arch_irq_save();
	selfipi_send();
	start = rdtsc();
	uk_sleep_ns(3 * MS);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(3 * MS));
	UK_EXPECT_EQ(ipis, 1);
	uk_irq_register(SELFIPI_VECTOR, NULL, NULL);
	arch_irq_restore(flags);
}

UK_TESTCASE(uksched, sleep_restores_interrupt_flag)
{
	unsigned long flags = arch_irq_save();

	uk_sleep_ns(100000);
	UK_EXPECT_EQ(arch_irq_flags() & RFLAGS_IF, 0);
	irq_enable();
	uk_sleep_ns(100000);
	UK_EXPECT_EQ(arch_irq_flags() & RFLAGS_IF, RFLAGS_IF);
	arch_irq_restore(flags);
}
