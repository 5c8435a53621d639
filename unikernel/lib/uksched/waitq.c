/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wait queues under UKSCHED_COOP: FIFO lists of blocked threads. Waking
 * moves a thread to the run queue and never switches, so it is safe from
 * interrupt handlers and from threads that must keep running.
 */
#include <uk/sched.h>
#include <uk/switch.h>
#include "coop.h"
#include "sched_impl.h"

void uk_waitq_init(struct uk_waitq *wq)
{
	wq->head = wq->tail = NULL;
}

void uk_waitq_wait(struct uk_waitq *wq)
{
	struct uk_thread *self = uksched_self();
	unsigned long flags = arch_irq_save();

	self->state = THREAD_BLOCKED;
	uksched_q_push(wq, self);
	uksched_reschedule();
	arch_irq_restore(flags);
}

bool uk_waitq_wait_timeout(struct uk_waitq *wq, uint64_t ns)
{
	struct uk_thread *self = uksched_self();
	uint64_t deadline = uksched_deadline(ns);
	unsigned long flags = arch_irq_save();
	bool woken;

	/* On both lists: whichever wakes it first takes it off the other. */
	uksched_sleep_until(self, deadline);
	uksched_q_push(wq, self);
	uksched_reschedule();
	woken = !self->timed_out;
	arch_irq_restore(flags);
	return woken;
}

void uk_waitq_wake_one(struct uk_waitq *wq)
{
	unsigned long flags = arch_irq_save();

	if (wq->head)
		uksched_make_ready(wq->head);
	arch_irq_restore(flags);
}

void uk_waitq_wake_all(struct uk_waitq *wq)
{
	unsigned long flags = arch_irq_save();

	while (wq->head)
		uksched_make_ready(wq->head);
	arch_irq_restore(flags);
}
