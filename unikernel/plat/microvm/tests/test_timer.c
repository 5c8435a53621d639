/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/plat.h>
#include <uk/test.h>
#include <uk/x86.h>

static volatile int fired;
static volatile uint64_t fired_tsc;

static void on_timer(void *arg)
{
	fired = (int)(uintptr_t)arg;
	fired_tsc = rdtsc();
}

UK_TESTCASE(microvm, tsc_frequency_plausible)
{
	uint64_t hz = plat_tsc_hz();

	UK_EXPECT(hz >= 100000000ULL);
	UK_EXPECT(hz <= 10000000000ULL);
	UK_EXPECT_EQ(plat_ns_to_tsc(1000000000ULL), hz);
}

UK_TESTCASE(microvm, oneshot_timer_fires_after_deadline)
{
	const uint64_t ns = 2000000; /* 2 ms */
	uint64_t start, limit;

	fired = 0;
	start = rdtsc();
	UK_ASSERT_TRUE(plat_timer_oneshot(ns, on_timer, (void *)7) == 0);
	/* Bounded wait: 100x the deadline, so a dead timer fails, not hangs. */
	limit = start + plat_ns_to_tsc(ns) * 100;
	while (!fired && rdtsc() < limit)
		cpu_idle();
	UK_EXPECT_EQ(fired, 7);
	/* 10% slack for the timer's and the TSC's separate calibrations. */
	UK_EXPECT(fired_tsc - start >= plat_ns_to_tsc(ns) * 9 / 10);
}

UK_TESTCASE(microvm, cancelled_timer_stays_silent)
{
	fired = 0;
	UK_ASSERT_TRUE(plat_timer_oneshot(1000000, on_timer, (void *)1) == 0);
	plat_timer_cancel();
	uint64_t end = rdtsc() + plat_ns_to_tsc(3000000);
	while (rdtsc() < end)
		cpu_relax();
	UK_EXPECT_EQ(fired, 0);
}

static volatile uint64_t periodic_calls, periodic_missed, plain_calls;

static void on_periodic(struct trap_frame *frame, uint64_t missed, void *arg)
{
	(void)frame, (void)arg;
	periodic_calls++;
	periodic_missed += missed;
}

/* Busy-wait ns with interrupts on or off (guest tests start with them
 * off), then put the flag back. */
static void spin_ns(uint64_t ns, bool irqs_on)
{
	uint64_t end = rdtsc() + plat_ns_to_tsc(ns);
	unsigned long flags = arch_irq_save();

	if (irqs_on)
		irq_enable();
	while (rdtsc() < end)
		cpu_relax();
	arch_irq_restore(flags);
}

/* Windows of period_ns that can have ended between two TSC readings. */
static uint64_t windows_within(uint64_t t0, uint64_t t1, uint64_t period_ns)
{
	return (t1 - t0) / plat_ns_to_tsc(period_ns);
}

/*
 * Every window of a periodic client is either fired or counted as missed,
 * even while interrupts are off for several windows. Guest tests run on
 * the wall clock, so only what holds under any host load is checked.
 */
UK_TESTCASE(microvm, periodic_counts_missed_windows)
{
	static struct plat_periodic p;
	const uint64_t period = 1000000; /* 1 ms */
	uint64_t t0, t1, calls;

	periodic_calls = periodic_missed = 0;
	t0 = rdtsc();
	UK_ASSERT_TRUE(plat_periodic_start(&p, period, true, on_periodic,
					   NULL) == 0);
	/*
	 * The first window opens a period after the start. With interrupts
	 * off for 10 periods, the interrupt pending since the first window
	 * fires once they are back on, and the 8 or more windows that ended
	 * since are missed.
	 */
	spin_ns(10 * period, false);
	spin_ns(5 * period, true);
	plat_periodic_stop(&p);
	t1 = rdtsc();
	UK_EXPECT(periodic_missed >= 8);
	UK_EXPECT(periodic_calls >= 1);
	UK_EXPECT(periodic_calls + periodic_missed <=
		  windows_within(t0, t1, period));
	/* Stopped: nothing fires any more. */
	calls = periodic_calls;
	spin_ns(3 * period, true);
	UK_EXPECT_EQ(periodic_calls, calls);
}

static void on_plain(struct trap_frame *frame, uint64_t missed, void *arg)
{
	(void)frame, (void)arg;
	plain_calls += 1 + missed;
}

/* Two periodic clients share the timer, each at its own period. */
UK_TESTCASE(microvm, periodic_clients_share_the_timer)
{
	static struct plat_periodic a, b;
	uint64_t t0, t1;

	periodic_calls = periodic_missed = plain_calls = 0;
	t0 = rdtsc();
	UK_ASSERT_TRUE(plat_periodic_start(&a, 1000000, true, on_periodic,
					   NULL) == 0);
	UK_ASSERT_TRUE(plat_periodic_start(&b, 4000000, false, on_plain,
					   NULL) == 0);
	spin_ns(20500000, true);
	plat_periodic_stop(&a);
	plat_periodic_stop(&b);
	t1 = rdtsc();
	UK_EXPECT(periodic_calls >= 1);
	UK_EXPECT(plain_calls >= 1);
	UK_EXPECT(periodic_calls + periodic_missed <=
		  windows_within(t0, t1, 1000000));
	UK_EXPECT(plain_calls <= windows_within(t0, t1, 4000000));
}
