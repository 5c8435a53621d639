/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt controllers and the one-shot timer. The legacy 8259 PICs are
 * remapped out of the exception range and masked (an unmasked PIT tick
 * would otherwise arrive as vector 8, a double fault). The LAPIC timer is
 * the only interrupt source; its rate is measured against the TSC.
 */
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/trap.h>
#include <uk/x86.h>
#include "microvm.h"

#define LAPIC_BASE 0xfee00000UL
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define SVR_ENABLE (1u << 8)
#define APIC_BASE_ENABLE (1u << 11)
#define DIV_BY_16 0x3

static struct {
	int time_ready;
	struct tsc_info tsc;
	uint64_t lapic_hz;
	plat_timer_fn fn;
	void *arg;
} clock;

static inline uint32_t lapic_read(unsigned reg)
{
	return *(volatile uint32_t *)(LAPIC_BASE + reg);
}

static inline void lapic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC_BASE + reg) = v;
}

static void pic_disable(void)
{
	/* ICW1-4: remap master to 0xe0, slave to 0xe8, then mask all. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0xe0);
	outb(0xa1, 0xe8);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void timer_irq(struct trap_frame *frame, void *arg)
{
	(void)frame;
	(void)arg;
	plat_timer_fn fn = clock.fn;
	clock.fn = NULL;
	if (fn)
		fn(clock.arg);
}

void plat_irq_init(void)
{
	pic_disable();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	uk_irq_register(IRQ_VECTOR_TIMER, timer_irq, NULL);
}

void plat_irq_ack(unsigned vector)
{
	(void)vector;
	lapic_write(LAPIC_EOI, 0);
}

/* Count LAPIC ticks over 1 ms of TSC time. */
static uint64_t lapic_measure_hz(void)
{
	uint64_t window = clock.tsc.hz / 1000;

	lapic_write(LAPIC_TIMER_DIV, DIV_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = rdtsc();
	while (rdtsc() - t0 < window)
		cpu_relax();
	uint32_t elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	return (uint64_t)elapsed * 1000;
}

/* Calibration costs a millisecond or two, so it runs on first use rather
 * than on every boot: an image that never asks for time never pays. */
void plat_time_init(void)
{
	if (clock.time_ready)
		return;
	tsc_calibrate(&clock.tsc);
	clock.lapic_hz = lapic_measure_hz();
	if (!clock.lapic_hz)
		uk_pr_warn("LAPIC timer does not count; timers disabled\n");
	clock.time_ready = 1;
	uk_pr_info("time: tsc %lu Hz (%s), lapic timer %lu Hz\n", clock.tsc.hz,
		   clock.tsc.source, clock.lapic_hz);
}

uint64_t plat_tsc_hz(void)
{
	plat_time_init();
	return clock.tsc.hz;
}

const char *plat_tsc_source(void)
{
	plat_time_init();
	return clock.tsc.source;
}

uint64_t plat_ns_to_tsc(uint64_t ns)
{
	uint64_t hz = plat_tsc_hz();
	return ns / 1000000000ULL * hz + ns % 1000000000ULL * hz / 1000000000ULL;
}

int plat_timer_oneshot(uint64_t ns, plat_timer_fn fn, void *arg)
{
	plat_time_init();
	if (!clock.lapic_hz)
		return -ENODEV;
	uint64_t ticks = ns / 1000 * clock.lapic_hz / 1000000;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffULL)
		ticks = 0xffffffffULL;
	clock.fn = fn;
	clock.arg = arg;
	lapic_write(LAPIC_LVT_TIMER, IRQ_VECTOR_TIMER); /* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
	return 0;
}

void plat_timer_cancel(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
	clock.fn = NULL;
}
