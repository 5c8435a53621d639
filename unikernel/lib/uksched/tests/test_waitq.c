/* SPDX-License-Identifier: BSD-3-Clause */
/* UKSCHED_COOP wait queues: producer/consumer, wake_one, wake_all,
 * timeouts, and a wake-up from an interrupt handler. */
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/switch.h>
#include <uk/test.h>
#include <uk/x86.h>
#include "selfipi.h"

#define MS 1000000ULL

/* ---- producer / consumer ----------------------------------------------- */

#define RING 4
#define ITEMS 40

struct channel {
	int ring[RING];
	unsigned head, tail;	/* free-running; tail - head = items held */
	struct uk_waitq not_empty, not_full;
	int received[ITEMS];
	unsigned nreceived;
	unsigned producer_waits, consumer_waits;
};

static void producer_fn(void *p)
{
	struct channel *c = p;

	for (int i = 0; i < ITEMS; i++) {
		while (c->tail - c->head == RING) {
			c->producer_waits++;
			uk_waitq_wait(&c->not_full);
		}
		c->ring[c->tail++ % RING] = i * 3;
		uk_waitq_wake_one(&c->not_empty);
	}
}

static void consumer_fn(void *p)
{
	struct channel *c = p;

	while (c->nreceived < ITEMS) {
		while (c->tail == c->head) {
			c->consumer_waits++;
			uk_waitq_wait(&c->not_empty);
		}
		c->received[c->nreceived++] = c->ring[c->head++ % RING];
		uk_waitq_wake_one(&c->not_full);
		/* Give the producer a turn now and then, so both sides of
		 * the ring fill and drain. */
		if (c->nreceived % 7 == 0)
			uk_thread_yield();
	}
}

UK_TESTCASE(uksched, producer_consumer_through_waitq)
{
	static struct channel c;
	struct uk_thread *cons, *prod;
	int in_order = 1;

	c = (struct channel){ 0 };
	uk_waitq_init(&c.not_empty);
	uk_waitq_init(&c.not_full);
	/* Consumer first: it finds the ring empty and must wait. */
	cons = uk_thread_create("consumer", consumer_fn, &c, 0);
	prod = uk_thread_create("producer", producer_fn, &c, 0);
	UK_ASSERT_TRUE(cons && prod);
	UK_EXPECT_EQ(uk_thread_join(prod), 0);
	UK_EXPECT_EQ(uk_thread_join(cons), 0);
	UK_EXPECT_EQ(c.nreceived, ITEMS);
	for (int i = 0; i < ITEMS; i++)
		in_order &= c.received[i] == i * 3;
	UK_EXPECT(in_order);
	UK_EXPECT(c.consumer_waits > 0);
	UK_EXPECT(c.producer_waits > 0);
}

/* ---- wake_one / wake_all ----------------------------------------------- */

#define WAITERS 5

struct gate {
	struct uk_waitq wq;
	int open;
	int waiting, passed;
	char order[WAITERS + 1];
};

struct gate_arg {
	struct gate *g;
	char id;
};

static void gate_fn(void *p)
{
	struct gate_arg *a = p;
	struct gate *g = a->g;

	g->waiting++;
	while (!g->open)
		uk_waitq_wait(&g->wq);
	g->waiting--;
	g->order[g->passed++] = a->id;
}

static int start_waiters(struct gate *g, struct gate_arg *args,
			 struct uk_thread **t)
{
	*g = (struct gate){ 0 };
	uk_waitq_init(&g->wq);
	for (int i = 0; i < WAITERS; i++) {
		args[i] = (struct gate_arg){ g, (char)('a' + i) };
		t[i] = uk_thread_create("waiter", gate_fn, &args[i], 0);
		if (!t[i])
			return 0;
	}
	/* One yield lets every waiter run up to its wait. */
	uk_thread_yield();
	return 1;
}

UK_TESTCASE(uksched, wake_all_wakes_every_waiter)
{
	static struct gate g;
	struct gate_arg args[WAITERS];
	struct uk_thread *t[WAITERS];

	UK_ASSERT_TRUE(start_waiters(&g, args, t));
	UK_EXPECT_EQ(g.waiting, WAITERS);
	g.open = 1;
	uk_waitq_wake_all(&g.wq);
	uk_thread_yield();
	UK_EXPECT_EQ(g.passed, WAITERS);
	UK_EXPECT_EQ(g.wq.head, NULL);
	/* FIFO: they leave in the order they arrived. */
	UK_EXPECT(g.order[0] == 'a' && g.order[4] == 'e');
	for (int i = 0; i < WAITERS; i++)
		UK_EXPECT_EQ(uk_thread_join(t[i]), 0);
}

UK_TESTCASE(uksched, wake_one_wakes_the_oldest_waiter)
{
	static struct gate g;
	struct gate_arg args[WAITERS];
	struct uk_thread *t[WAITERS];

	UK_ASSERT_TRUE(start_waiters(&g, args, t));
	g.open = 1;
	uk_waitq_wake_one(&g.wq);
	uk_thread_yield();
	UK_EXPECT_EQ(g.passed, 1);
	UK_EXPECT_EQ(g.order[0], 'a');
	UK_EXPECT_EQ(g.waiting, WAITERS - 1);
	uk_waitq_wake_all(&g.wq);
	for (int i = 0; i < WAITERS; i++)
		UK_EXPECT_EQ(uk_thread_join(t[i]), 0);
	UK_EXPECT_EQ(g.passed, WAITERS);
}

/* ---- timeouts ---------------------------------------------------------- */

UK_TESTCASE(uksched, wait_timeout_expires_after_deadline)
{
	struct uk_waitq wq = UK_WAITQ_INIT;
	uint64_t start = rdtsc();

	UK_EXPECT(!uk_waitq_wait_timeout(&wq, 2 * MS));
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
	/* A timed-out waiter leaves the queue. */
	UK_EXPECT_EQ(wq.head, NULL);
}

struct timed_waiter {
	struct uk_waitq wq;
	int result;
	uint64_t elapsed;
};

static void timed_wait_fn(void *p)
{
	struct timed_waiter *w = p;
	uint64_t start = rdtsc();

	w->result = uk_waitq_wait_timeout(&w->wq, 1000 * MS);
	w->elapsed = rdtsc() - start;
}

UK_TESTCASE(uksched, wait_timeout_returns_true_when_woken)
{
	static struct timed_waiter w;
	struct uk_thread *t;

	w = (struct timed_waiter){ UK_WAITQ_INIT, -1, 0 };
	t = uk_thread_create("timed", timed_wait_fn, &w, 0);
	UK_ASSERT_TRUE(t != NULL);
	uk_thread_yield();
	uk_sleep_ns(1 * MS);
	uk_waitq_wake_one(&w.wq);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT_EQ(w.result, 1);
	/* Woken long before its deadline, and off the sleep list: the
	 * join did not wait out the second. */
	UK_EXPECT(w.elapsed < plat_ns_to_tsc(500 * MS));
}

/* ---- a wake-up from interrupt context ---------------------------------- */

struct irq_wake {
	struct uk_waitq wq;
	volatile int flag;
};

static void irq_wake_handler(struct trap_frame *frame, void *arg)
{
	struct irq_wake *w = arg;

	(void)frame;
	w->flag = 1;
	uk_waitq_wake_one(&w->wq);
}

UK_TESTCASE(uksched, interrupt_handler_wakes_waiter)
{
	static struct irq_wake w;
	unsigned long flags;

	w = (struct irq_wake){ UK_WAITQ_INIT, 0 };
	UK_ASSERT_TRUE(uk_irq_register(SELFIPI_VECTOR, irq_wake_handler, &w) == 0);
	uk_sched_irq_waker_add();
	/* The documented pattern: check and wait with interrupts off. */
	flags = arch_irq_save();
	selfipi_send();
	while (!w.flag)
		uk_waitq_wait(&w.wq);
	arch_irq_restore(flags);
	uk_sched_irq_waker_remove();
	uk_irq_register(SELFIPI_VECTOR, NULL, NULL);
	UK_EXPECT_EQ(w.flag, 1);
	UK_EXPECT_EQ(w.wq.head, NULL);
}
