/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP: the core of the cooperative scheduler. One CPU; a FIFO
 * run queue; a sleep list sorted by deadline; no idle thread: a thread
 * that blocks with nothing ready halts on its own stack until the timer
 * (armed for the earliest sleeper) or another interrupt fires, then looks
 * again. Interrupts are disabled from the moment a thread queues itself
 * until it runs again, so a wake-up from an interrupt handler can never be
 * lost between the two.
 */
#include <uk/debug.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/trace.h>
#include <uk/string.h>
#include <uk/switch.h>
#include <uk/syscall.h>
#include <uk/x86.h>
#include "coop.h"
#include "sched_impl.h"

#if CONFIG_UKSCHED_TRACEPOINTS
UK_TRACEPOINT(sched_switch, 2, UT_ARG_HEX, UT_ARG_HEX);
#else
UK_TRACEPOINT_OFF(sched_switch, 2);
#endif

static struct {
	bool ready;
	struct uk_thread *current;
	struct uk_waitq runq;
	struct uk_thread *sleepers;	/* earliest deadline first */
	struct uk_thread *all;		/* live threads, newest first */
	struct uk_thread main;
} sched;

void uk_sched_init(void)
{
	struct uk_thread *m = &sched.main;

	if (sched.ready)
		return;
	memset(m, 0, sizeof(*m));
	memcpy(m->name, "main", sizeof("main"));
	m->state = THREAD_RUNNING;
	m->sys_stack_top = uk_syscall_main_stack();
	sched.current = m;
	sched.all = m;
	sched.ready = true;
}

struct uk_thread *uksched_self(void)
{
	/* Early callers (before boot's uk_sched_init) run on main too. */
	if (!sched.ready)
		uk_sched_init();
	return sched.current;
}

const struct uk_thread *uksched_main_thread(void)
{
	return &sched.main;
}

/* ---- queues ------------------------------------------------------------ */

void uksched_q_push(struct uk_waitq *q, struct uk_thread *t)
{
	UK_ASSERT(!t->q);
	t->q = q;
	t->next = NULL;
	t->prev = q->tail;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

void uksched_q_remove(struct uk_thread *t)
{
	struct uk_waitq *q = t->q;

	if (!q)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		q->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		q->tail = t->prev;
	t->next = t->prev = NULL;
	t->q = NULL;
}

/* ---- sleep list -------------------------------------------------------- */

/* Equal deadlines keep their arrival order. */
static void sleep_insert(struct uk_thread *t, uint64_t deadline)
{
	struct uk_thread **link = &sched.sleepers, *prev = NULL;

	while (*link && (*link)->deadline <= deadline) {
		prev = *link;
		link = &(*link)->sleep_next;
	}
	t->deadline = deadline;
	t->sleep_prev = prev;
	t->sleep_next = *link;
	if (*link)
		(*link)->sleep_prev = t;
	*link = t;
	t->sleeping = true;
}

static void sleep_remove(struct uk_thread *t)
{
	if (!t->sleeping)
		return;
	if (t->sleep_prev)
		t->sleep_prev->sleep_next = t->sleep_next;
	else
		sched.sleepers = t->sleep_next;
	if (t->sleep_next)
		t->sleep_next->sleep_prev = t->sleep_prev;
	t->sleep_next = t->sleep_prev = NULL;
	t->sleeping = false;
}

void uksched_sleep_until(struct uk_thread *self, uint64_t deadline)
{
	self->timed_out = false;
	self->state = THREAD_BLOCKED;
	sleep_insert(self, deadline);
}

void uksched_make_ready(struct uk_thread *t)
{
	if (t->state != THREAD_BLOCKED)
		return;
	sleep_remove(t);
	uksched_q_remove(t);
	t->state = THREAD_READY;
	uksched_q_push(&sched.runq, t);
}

static void wake_expired(uint64_t now)
{
	while (sched.sleepers && sched.sleepers->deadline <= now) {
		struct uk_thread *t = sched.sleepers;

		/* Only blocked threads sleep, so this always shortens the
		 * list (make_ready takes it off). */
		UK_ASSERT(t->state == THREAD_BLOCKED);
		uksched_make_ready(t);
		t->timed_out = true;
	}
}

/* ---- live threads ------------------------------------------------------ */

void uksched_thread_add(struct uk_thread *t)
{
	t->all_next = sched.all;
	sched.all = t;
}

bool uksched_thread_remove(struct uk_thread *t)
{
	for (struct uk_thread **link = &sched.all; *link;
	     link = &(*link)->all_next) {
		if (*link == t) {
			*link = t->all_next;
			t->all_next = NULL;
			return true;
		}
	}
	return false;
}

bool uksched_thread_is_live(const struct uk_thread *t)
{
	for (const struct uk_thread *p = sched.all; p; p = p->all_next)
		if (p == t)
			return true;
	return false;
}

/* ---- switching --------------------------------------------------------- */

/* Name every blocked thread and what it waits for, then stop: waiting
 * forever would look like a slow test, not a bug. */
static __noreturn void deadlock(void)
{
	char buf[400];
	size_t len = 0, n = 0;

	for (const struct uk_thread *t = sched.all; t; t = t->all_next) {
		int w;

		if (t->state != THREAD_BLOCKED)
			continue;
		if (t->joining)
			w = uk_snprintf(buf + len, sizeof(buf) - len,
					"%s'%s' (joining '%s')", n ? ", " : "",
					t->name, t->joining->name);
		else if (t->q)
			w = uk_snprintf(buf + len, sizeof(buf) - len,
					"%s'%s' (waitq %p)", n ? ", " : "",
					t->name, (void *)t->q);
		else
			w = uk_snprintf(buf + len, sizeof(buf) - len,
					"%s'%s' (sleeping forever)",
					n ? ", " : "", t->name);
		n++;
		if (w < 0 || (size_t)w >= sizeof(buf) - len) {
			/* Keep what fits and say that more was blocked. */
			memcpy(buf + sizeof(buf) - 5, "...", 4);
			break;
		}
		len += (size_t)w;
	}
	if (!n)
		memcpy(buf, "none", sizeof("none"));
	uk_panic("deadlock: no thread can run, none sleeps and no interrupt "
		 "can wake one; blocked: %s", buf);
}

/* The next thread to run; halts while there is none. */
static struct uk_thread *pick_next(void)
{
	for (;;) {
		struct uk_thread *t;
		uint64_t deadline;

		wake_expired(rdtsc());
		t = sched.runq.head;
		if (t) {
			uksched_q_remove(t);
			return t;
		}
		/* A deadline of UINT64_MAX (a timeout too long to represent)
		 * never comes: such a sleeper cannot end a deadlock. */
		deadline = sched.sleepers ? sched.sleepers->deadline : UINT64_MAX;
		if (deadline == UINT64_MAX && !uksched_irq_wakers())
			deadlock();
		uksched_halt_until(deadline);
	}
}

static void check_stack(const struct uk_thread *t)
{
	if (t->stack && *(const uint64_t *)t->stack != STACK_CANARY)
		uk_panic("stack overflow in thread '%s' (%zu bytes)", t->name,
			 t->stack_size);
	if (t->sys_stack && *(const uint64_t *)t->sys_stack != STACK_CANARY)
		uk_panic("syscall stack overflow in thread '%s'", t->name);
}

/* Each thread keeps its own thread pointer (its errno, its TLS); the
 * MSR is read rather than tracked because arch_prctl writes it directly. */
static void switch_fs_base(struct uk_thread *prev, struct uk_thread *next)
{
	prev->fs_base = rdmsr(MSR_FS_BASE);
	if (next->fs_base != prev->fs_base)
		wrmsr(MSR_FS_BASE, next->fs_base);
}

void uksched_reschedule(void)
{
	struct uk_thread *prev = sched.current, *next;

	check_stack(prev);
	next = pick_next();
	next->state = THREAD_RUNNING;
	if (next == prev)
		return;
	sched.current = next;
	/* The incoming thread has work: a waiter's idle span ends here. */
	if (uksched_idle_open())
		uk_sched_idle_leave(rdtsc());
	/* A thread blocked inside a syscall keeps its frames on its own
	 * syscall stack; the next syscall must use the incoming one's. */
	uk_tp_sched_switch((uint64_t)(uintptr_t)prev, (uint64_t)(uintptr_t)next);
	uk_syscall_set_stack(next->sys_stack_top);
	if (IS_ENABLED(CONFIG_UKSCHED_THREADS))
		switch_fs_base(prev, next);
	arch_ctx_switch(&prev->sp, next->sp);
}

/* ---- the public calls that are pure scheduling ------------------------- */

void uk_thread_yield(void)
{
	struct uk_thread *self = uksched_self();
	unsigned long flags = arch_irq_save();

	self->state = THREAD_READY;
	uksched_q_push(&sched.runq, self);
	uksched_reschedule();
	arch_irq_restore(flags);
}

void uk_sleep_ns(uint64_t ns)
{
	struct uk_thread *self = uksched_self();
	uint64_t deadline;
	unsigned long flags;

	if (!ns) {
		uk_thread_yield();
		return;
	}
	deadline = uksched_deadline(ns);
	flags = arch_irq_save();
	/* Only the deadline ends a sleep; a sleeper is not on any wait
	 * queue, so nothing else can make it ready early. */
	uksched_sleep_until(self, deadline);
	uksched_reschedule();
	arch_irq_restore(flags);
}
