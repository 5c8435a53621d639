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
