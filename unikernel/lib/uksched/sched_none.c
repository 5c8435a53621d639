/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_NONE: run to completion. There is one thread, main; sleeping
 * halts the CPU until the timer says the time is up, and the thread API
 * reports that it does not exist.
 */
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/sched.h>
#include <uk/switch.h>
#include <uk/x86.h>
#include "sched_impl.h"

void uk_sched_init(void)
{
}

void uk_sleep_ns(uint64_t ns)
{
	uint64_t deadline;
	unsigned long flags;

	if (!ns)
		return;
	deadline = uksched_deadline(ns);
	/* Interrupts stay off between reading the TSC and halting, or the
	 * timer could fire in between and the halt would never end. */
	flags = arch_irq_save();
	while (rdtsc() < deadline)
		uksched_halt_until(deadline);
	arch_irq_restore(flags);
}

struct uk_thread *uk_thread_create(const char *name, uk_thread_fn fn,
				   void *arg, size_t stack_size)
{
	(void)name;
	(void)fn;
	(void)arg;
	(void)stack_size;
	return NULL;
}

void uk_thread_yield(void)
{
}

int uk_thread_join(struct uk_thread *t)
{
	(void)t;
	return -ENOSYS;
}

struct uk_thread *uk_thread_current(void)
{
	return NULL;
}

const char *uk_thread_name(const struct uk_thread *t)
{
	(void)t;
	return "main";
}

void uk_waitq_init(struct uk_waitq *wq)
{
	wq->head = wq->tail = NULL;
}

/* Nobody else can run, so nothing but an interrupt can change the
 * waiter's condition: halt for one. */
void uk_waitq_wait(struct uk_waitq *wq)
{
	unsigned long flags = arch_irq_save();

	if (!uksched_irq_wakers())
		uk_panic("deadlock: main waits on waitq %p under the NONE "
			 "scheduler and no interrupt handler can wake it",
			 (void *)wq);
	uksched_halt_until(UINT64_MAX);
	arch_irq_restore(flags);
}

bool uk_waitq_wait_timeout(struct uk_waitq *wq, uint64_t ns)
{
	uint64_t deadline = uksched_deadline(ns);
	unsigned long flags = arch_irq_save();
	bool woken;

	(void)wq;
	/* Our own timer firing early is not a wake-up; any other interrupt
	 * may be, and the caller re-checks. */
	while (rdtsc() < deadline)
		if (uksched_halt_until(deadline))
			break;
	woken = rdtsc() < deadline;
	arch_irq_restore(flags);
	return woken;
}

void uk_waitq_wake_one(struct uk_waitq *wq)
{
	(void)wq;
}

void uk_waitq_wake_all(struct uk_waitq *wq)
{
	(void)wq;
}
