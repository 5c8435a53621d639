/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Idle accounting (uk/sched.h), which both policies keep: halts count
 * on their own, wait loops' spans count exactly what they mark, and a
 * halt inside a span is not counted twice.
 */
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/x86.h>

#define MS 1000000ULL

static void spin(unsigned n)
{
	for (volatile unsigned i = 0; i < n; i++)
		;
}

UK_TESTCASE(uksched, idle_counts_a_sleeps_halts)
{
	struct uk_sched_idle a, b;

	uk_sched_idle_get(&a);
	uk_sleep_ns(2 * MS);
	uk_sched_idle_get(&b);
	UK_EXPECT(b.halts > a.halts);
	/* The timer may end a halt a little early and the sleep halts
	 * again; half the sleep is a bound no overhead can break. */
	UK_EXPECT(b.halted_cycles - a.halted_cycles >= plat_ns_to_tsc(1 * MS));
	UK_EXPECT(b.idle_cycles - a.idle_cycles >=
		  b.halted_cycles - a.halted_cycles);
	UK_EXPECT(b.idle_cycles - a.idle_cycles <= b.now - a.now);
}

UK_TESTCASE(uksched, work_is_not_idle)
{
	struct uk_sched_idle a, b;

	uk_sched_idle_get(&a);
	spin(100000);
	uk_sched_idle_get(&b);
	UK_EXPECT_EQ(b.idle_cycles, a.idle_cycles);
	UK_EXPECT_EQ(b.halts, a.halts);
	UK_EXPECT(b.now > a.now);
}

UK_TESTCASE(uksched, a_span_counts_what_it_marks)
{
	struct uk_sched_idle a, b, c;
	uint64_t t;

	uk_sched_idle_get(&a);
	t = rdtsc();
	uk_sched_idle_enter(t);
	/* A second enter keeps the first start: one span, not two. */
	uk_sched_idle_enter(t + 500);
	spin(1000);
	/* Read while open: idle up to now. */
	uk_sched_idle_get(&b);
	UK_EXPECT_EQ(b.idle_cycles - a.idle_cycles, b.now - t);
	uk_sched_idle_leave(t + 2000);
	uk_sched_idle_get(&b);
	UK_EXPECT_EQ(b.idle_cycles - a.idle_cycles, 2000);
	/* Leaving with no span open changes nothing. */
	uk_sched_idle_leave(rdtsc());
	spin(1000);
	uk_sched_idle_get(&c);
	UK_EXPECT_EQ(c.idle_cycles, b.idle_cycles);
}

UK_TESTCASE(uksched, a_halt_inside_a_span_counts_once)
{
	struct uk_sched_idle a, b;
	uint64_t from, to;

	uk_sched_idle_get(&a);
	from = rdtsc();
	uk_sched_idle_enter(from);
	uk_sleep_ns(1 * MS);
	to = rdtsc();
	uk_sched_idle_leave(to);
	uk_sched_idle_get(&b);
	UK_EXPECT(b.halts > a.halts);
	UK_EXPECT(b.halted_cycles > a.halted_cycles);
	/* Counted twice, the halts would make idle exceed the span. Under
	 * COOP another thread (lwIP's) may run meanwhile and end the span
	 * early; alone, the span is exactly what counts. */
	if (IS_ENABLED(CONFIG_UKSCHED_NONE))
		UK_EXPECT_EQ(b.idle_cycles - a.idle_cycles, to - from);
	else
		UK_EXPECT(b.idle_cycles - a.idle_cycles <= to - from);
}

#if CONFIG_UKSCHED_COOP
static void work(void *arg)
{
	*(volatile int *)arg = 1;
	spin(1000);
}

/* A thread that gets the CPU has work: switching to it ends the span a
 * polling waiter opened before yielding. */
UK_TESTCASE(uksched, a_switch_ends_a_span)
{
	static volatile int ran;
	struct uk_sched_idle a, b;
	struct uk_thread *t;

	ran = 0;
	t = uk_thread_create("idle-worker", work, (void *)&ran, 0);
	UK_ASSERT_TRUE(t != NULL);
	uk_sched_idle_enter(rdtsc());
	uk_thread_yield();
	UK_EXPECT_EQ(ran, 1);
	uk_sched_idle_get(&a);
	spin(1000);
	uk_sched_idle_get(&b);
	UK_EXPECT_EQ(b.idle_cycles, a.idle_cycles);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
}
#endif
