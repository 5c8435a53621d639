/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Halting until a deadline, shared by both policies. Deadlines are TSC
 * values, because the TSC is what tests and callers measure with: the
 * LAPIC timer is calibrated separately and may fire a little early, so
 * the timer only ends a halt and the TSC decides whether time is up.
 */
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/trace.h>
#include <uk/x86.h>
#include "sched_impl.h"

#define NSEC_PER_SEC 1000000000ULL

/* The LAPIC counter is 32 bits; re-arming once a second is free. */
#define MAX_ARM_NS NSEC_PER_SEC

static unsigned irq_wakers;

/* Idle accounting (uk/sched.h). Touched with interrupts off or from
 * thread context only: no handler reads or writes it. */
static struct {
	uint64_t idle, halted, halts;
	uint64_t since;	/* start of the open span */
	bool open;
} acct;

void uk_sched_idle_enter(uint64_t since)
{
	if (acct.open)
		return;
	acct.open = true;
	acct.since = since;
}

void uk_sched_idle_leave(uint64_t at)
{
	if (!acct.open)
		return;
	acct.open = false;
	if (at > acct.since)
		acct.idle += at - acct.since;
}

bool uksched_idle_open(void)
{
	return acct.open;
}

void uk_sched_idle_get(struct uk_sched_idle *st)
{
	unsigned long flags = arch_irq_save();

	st->now = rdtsc();
	st->idle_cycles = acct.idle;
	if (acct.open && st->now > acct.since)
		st->idle_cycles += st->now - acct.since;
	st->halted_cycles = acct.halted;
	st->halts = acct.halts;
	arch_irq_restore(flags);
}

/* A stretch of waiting [from, to) that no span covers is idle too. */
static void idle_add(uint64_t from, uint64_t to, bool halt)
{
	uint64_t d = to > from ? to - from : 0;

	if (halt) {
		acct.halts++;
		acct.halted += d;
	}
	if (!acct.open)
		acct.idle += d;
}

uint64_t uksched_deadline(uint64_t ns)
{
	uint64_t now = rdtsc();
	uint64_t ticks = plat_ns_to_tsc(ns);

	/* plat_ns_to_tsc wraps beyond 2^64 / hz seconds (58 years at 10 GHz);
	 * anything over 2^60 ns (36 years) is forever anyway. */
	if (ns >= (1ULL << 60) || ticks > UINT64_MAX - now)
		return UINT64_MAX;
	return now + ticks;
}

/* Rounded up: a timer that fires a nanosecond late costs nothing, one
 * that fires early costs another halt. */
static uint64_t tsc_to_ns(uint64_t ticks)
{
	uint64_t hz = plat_tsc_hz();
	uint64_t whole = ticks / hz, rest = ticks % hz;

	if (whole >= MAX_ARM_NS / NSEC_PER_SEC)
		return MAX_ARM_NS;
	return whole * NSEC_PER_SEC + (rest * NSEC_PER_SEC + hz - 1) / hz;
}

/* The interrupt itself ends the halt; the flag tells the halting code
 * that it was only its own timer. */
static void timer_fired(void *arg)
{
	*(volatile bool *)arg = true;
}

bool uksched_halt_until(uint64_t deadline)
{
	volatile bool fired = false;
	bool armed = false;
	uint64_t halt_from;

	/* Idle time is the cheapest moment to ship the trace buffer. */
	if (IS_ENABLED(CONFIG_UKTRACE))
		uk_trace_drain();

	if (deadline != UINT64_MAX) {
		uint64_t now = rdtsc();

		if (now >= deadline)
			return false;
		armed = plat_timer_oneshot(tsc_to_ns(deadline - now),
					   timer_fired, (void *)&fired) == 0;
		if (!armed) {
			/* No timer (the LAPIC does not count): poll, with a
			 * window for device interrupts. */
			uint64_t from = rdtsc();

			irq_enable();
			cpu_relax();
			irq_disable();
			idle_add(from, rdtsc(), false);
			return true;
		}
	}
	halt_from = rdtsc();
	idle_add(halt_from, cpu_idle_timed(), true);
	/* Interrupts are off again, so the callback cannot run after this
	 * (cancel forgets it), and fired is stable. */
	if (armed)
		plat_timer_cancel();
	return !fired;
}

void uk_sched_irq_waker_add(void)
{
	irq_wakers++;
}

void uk_sched_irq_waker_remove(void)
{
	if (irq_wakers)
		irq_wakers--;
}

bool uksched_irq_wakers(void)
{
	return irq_wakers != 0;
}
