/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt controllers and the one-shot timer. The legacy 8259 PICs are
 * remapped out of the exception range and masked (an unmasked PIT tick
 * would otherwise arrive as vector 8, a double fault). The LAPIC timer is
 * the kernel's own interrupt source (devices come through the IOAPIC,
 * ioapic.c); its rate is measured against the TSC.
 */
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/trap.h>
#include <uk/x86.h>
#include <uk/switch.h>
#include "microvm.h"

#define LAPIC_BASE 0xfee00000UL
#define LAPIC_ID 0x020
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

/*
 * One LAPIC timer serves every client: a one-shot deadline (the
 * scheduler's sleeps) and a list of periodic ones (the sampling profiler,
 * the trace drain). Deadlines are kept in TSC ticks and the timer is
 * armed for the nearest.
 */
static struct {
	int time_ready;
	struct tsc_info tsc;
	uint64_t lapic_hz;
	struct {
		uint64_t deadline;
		plat_timer_fn fn;
		void *arg;
	} oneshot;
	struct plat_periodic *periodic;	/* running clients */
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

/* The LAPIC and the TSC are calibrated separately, so the timer may fire
 * a hair early: a deadline this close counts as reached. */
static uint64_t slack(void)
{
	return clock.tsc.hz / 100000; /* 10 us */
}

static void arm(void)
{
	uint64_t now = rdtsc(), next = UINT64_MAX;

	if (clock.oneshot.fn)
		next = clock.oneshot.deadline;
	for (struct plat_periodic *p = clock.periodic; p; p = p->link)
		if (p->next < next)
			next = p->next;
	if (next == UINT64_MAX) {
		lapic_write(LAPIC_TIMER_INIT, 0);
		return;
	}
	uint64_t delta = next > now ? next - now : 1;
	/* At most a second per arming keeps the product below 2^64. */
	if (delta > clock.tsc.hz)
		delta = clock.tsc.hz;
	uint64_t ticks = delta * clock.lapic_hz / clock.tsc.hz;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffULL)
		ticks = 0xffffffffULL;
	lapic_write(LAPIC_LVT_TIMER, IRQ_VECTOR_TIMER); /* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}

/*
 * When a client fires inside its current window. A jittered one draws a
 * fresh offset per window from a fixed-seed xorshift generator: a sampler
 * with a fixed period (or a period varied around a mean, whose phase only
 * drifts slowly) keeps hitting the same phase of a loop whose length
 * divides it, under deterministic execution on every run, and misattributes
 * the loop's parts. One uniform draw per window gives every instruction of
 * the window the same chance, whatever the loop's length.
 */
static void periodic_schedule(struct plat_periodic *p)
{
	uint64_t *x = &p->rng;

	if (!p->jitter) {
		p->next = p->window;
		return;
	}
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	p->next = p->window + *x % p->period;
}

/* Skip the windows that ended before t; returns how many. */
static uint64_t periodic_skip_ended(struct plat_periodic *p, uint64_t t)
{
	uint64_t n;

	if (t < p->window + p->period)
		return 0;
	n = (t - p->window) / p->period;
	p->window += n * p->period;
	periodic_schedule(p);
	return n;
}

static void periodic_fire(struct plat_periodic *p, struct trap_frame *frame,
			  uint64_t now)
{
	uint64_t missed = p->missed;

	p->window += p->period;
	p->missed = 0;
	periodic_schedule(p);
	missed += periodic_skip_ended(p, now);
	p->fn(frame, missed, p->arg);
	/* Windows the handler itself outlasted count with the next firing. */
	p->missed += periodic_skip_ended(p, rdtsc());
}

static void timer_irq(struct trap_frame *frame, void *arg)
{
	uint64_t now = rdtsc();
	struct plat_periodic *p, *link;
	(void)arg;

	for (p = clock.periodic; p; p = link) {
		link = p->link;
		if (now + slack() >= p->next)
			periodic_fire(p, frame, now);
	}
	if (clock.oneshot.fn && now + slack() >= clock.oneshot.deadline) {
		plat_timer_fn fn = clock.oneshot.fn;
		clock.oneshot.fn = NULL;
		fn(clock.oneshot.arg);
	}
	arm();
}

void plat_irq_init(void)
{
	pic_disable();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	uk_irq_register(IRQ_VECTOR_TIMER, timer_irq, NULL);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void plat_irq_ack(unsigned vector)
{
	(void)vector;
	lapic_write(LAPIC_EOI, 0);
}

/*
 * The LAPIC timer's rate over about 1 ms of TSC time. Under TCG the vCPU's
 * thread can be preempted on the shared host between starting the timer
 * and reading the TSC, or between the last TSC read and reading the
 * count: ticks then pass outside the window, and single windows were seen
 * off by 1% to 20x under load (63.3-1286 MHz for QEMU's 62.5). So each
 * LAPIC access is bracketed by TSC reads, a window with a wide bracket is
 * measured again, the window runs from the midpoint of one bracket to the
 * other's; and of three windows the median is kept.
 */
static uint64_t lapic_window_hz(void)
{
	uint64_t window = clock.tsc.hz / 1000, a, b, c, d, tsc, ticks;
	uint32_t cur;

	/* A bracket wider than 2% of the window was preempted: measure
	 * again (a few times at most; the median copes with the rest). */
	for (int tries = 0; tries < 8; tries++) {
		a = rdtsc();
		lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
		b = rdtsc();
		while (rdtsc() - b < window)
			cpu_relax();
		c = rdtsc();
		cur = lapic_read(LAPIC_TIMER_CUR);
		d = rdtsc();
		lapic_write(LAPIC_TIMER_INIT, 0);
		if (b - a <= window / 50 && d - c <= window / 50)
			break;
	}
	tsc = (c - a) + (d - b); /* twice the midpoints' distance */
	ticks = 0xffffffff - cur;
	/* ticks * 2 Hz / tsc; a window preempted for long has ticks enough
	 * to overflow the product: halve both sides until it fits. */
	while (ticks > UINT64_MAX / (2 * clock.tsc.hz)) {
		ticks >>= 1;
		tsc >>= 1;
	}
	return tsc ? ticks * 2 * clock.tsc.hz / tsc : 0;
}

static uint64_t lapic_measure_hz(void)
{
	uint64_t a, b;

	lapic_write(LAPIC_TIMER_DIV, DIV_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	a = lapic_window_hz();
	b = lapic_window_hz();
	return median3(a, b, lapic_window_hz());
}

/* Calibration costs a few milliseconds, so it runs on first use rather
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

uint64_t plat_ns_to_tsc(uint64_t ns)
{
	uint64_t hz = plat_tsc_hz();
	return ns / 1000000000ULL * hz + ns % 1000000000ULL * hz / 1000000000ULL;
}

int plat_timer_oneshot(uint64_t ns, plat_timer_fn fn, void *arg)
{
	unsigned long flags;

	plat_time_init();
	if (!clock.lapic_hz)
		return -ENODEV;
	flags = arch_irq_save();
	clock.oneshot.deadline = rdtsc() + plat_ns_to_tsc(ns);
	clock.oneshot.fn = fn;
	clock.oneshot.arg = arg;
	arm();
	arch_irq_restore(flags);
	return 0;
}

void plat_timer_cancel(void)
{
	unsigned long flags = arch_irq_save();

	clock.oneshot.fn = NULL;
	arm();
	arch_irq_restore(flags);
}

static void periodic_unlink(struct plat_periodic *p)
{
	struct plat_periodic **pp;

	for (pp = &clock.periodic; *pp; pp = &(*pp)->link)
		if (*pp == p) {
			*pp = p->link;
			break;
		}
	p->link = NULL;
	p->running = false;
}

int plat_periodic_start(struct plat_periodic *p, uint64_t period_ns,
			bool jitter, plat_periodic_fn fn, void *arg)
{
	unsigned long flags;
	uint64_t period;

	if (!period_ns || !fn)
		return -EINVAL;
	plat_time_init();
	if (!clock.lapic_hz)
		return -ENODEV;
	period = plat_ns_to_tsc(period_ns);
	flags = arch_irq_save();
	if (p->running)
		periodic_unlink(p);
	p->period = period ? period : 1;
	p->jitter = jitter;
	p->fn = fn;
	p->arg = arg;
	p->missed = 0;
	p->rng = 0x9e3779b97f4a7c15ULL;
	/* The first window opens one period from now. */
	p->window = rdtsc() + p->period;
	periodic_schedule(p);
	p->link = clock.periodic;
	clock.periodic = p;
	p->running = true;
	arm();
	arch_irq_restore(flags);
	return 0;
}

void plat_periodic_stop(struct plat_periodic *p)
{
	unsigned long flags;

	if (!p->running)
		return;
	flags = arch_irq_save();
	periodic_unlink(p);
	arm();
	arch_irq_restore(flags);
}
