/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread life cycle under UKSCHED_COOP: create (two stacks and a
 * descriptor), the entry trampoline, exit when fn returns, and join, which
 * is where a thread's memory goes back: an exiting thread still runs on
 * its stack, so it cannot free it itself.
 */
#include <uk/alloc.h>
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/switch.h>
#include "coop.h"

#define KIB 1024UL
/* Below this the entry frames and a single uk_printk would not fit. */
#define STACK_MIN (4 * KIB)
#define SYS_STACK_BYTES ((size_t)CONFIG_UKSYSCALL_STACK_KB * KIB)

static void release(struct uk_alloc *a, struct uk_thread *t)
{
	uk_free(a, t->sys_stack);
	uk_free(a, t->stack);
	uk_free(a, t);
}

/* Exited detached threads, freed by the next create (never the running
 * thread: an exited one is never scheduled again). */
static struct uk_thread *zombies;

static void reap(struct uk_alloc *a)
{
	unsigned long flags = arch_irq_save();
	struct uk_thread *list = zombies;

	zombies = NULL;
	arch_irq_restore(flags);
	while (list) {
		struct uk_thread *t = list;

		list = t->all_next;
		release(a, t);
	}
}

__noreturn void uksched_exit_detached(void)
{
	struct uk_thread *self = uksched_self();

	arch_irq_save();
	self->state = THREAD_EXITED;
	self->detached = true;
	if (self != uksched_main_thread()) {
		uksched_thread_remove(self);
		self->all_next = zombies;
		zombies = self;
	}
	uksched_reschedule();
	uk_panic("exited thread '%s' was scheduled again", self->name);
}

static __noreturn void thread_exit(struct uk_thread *self)
{
	arch_irq_save();
	self->state = THREAD_EXITED;
	while (self->exit_wq.head)
		uksched_make_ready(self->exit_wq.head);
	uksched_reschedule();
	uk_panic("exited thread '%s' was scheduled again", self->name);
}

/* Every thread's first frame (reached from arch_ctx_start): fn returning
 * ends here, never off the end of the stack. */
static __noreturn void thread_main(void *arg)
{
	struct uk_thread *self = arg;

	arch_irq_restore(self->start_flags);
	self->fn(self->arg);
	thread_exit(self);
}

static void name_copy(char *dst, const char *src)
{
	size_t n = 0;

	if (!src)
		src = "thread";
	while (src[n] && n < THREAD_NAME_MAX - 1) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

struct uk_thread *uk_thread_create(const char *name, uk_thread_fn fn,
				   void *arg, size_t stack_size)
{
	struct uk_alloc *a = uk_alloc_default();
	struct uk_thread *t = NULL;
	unsigned long flags;
	size_t size;

	uksched_self(); /* main exists before anything is queued */
	if (!a || !fn)
		goto fail;
	reap(a);
	size = stack_size ? stack_size : (size_t)CONFIG_UKSCHED_STACK_KB * KIB;
	if (size < STACK_MIN)
		size = STACK_MIN;
	size = ALIGN_UP(size, 16);

	t = uk_calloc(a, 1, sizeof(*t));
	if (!t)
		goto fail;
	t->stack = uk_memalign(a, 16, size);
	t->sys_stack = uk_memalign(a, 16, SYS_STACK_BYTES);
	if (!t->stack || !t->sys_stack)
		goto fail;

	name_copy(t->name, name);
	t->fn = fn;
	t->arg = arg;
	t->stack_size = size;
	t->start_flags = arch_irq_flags();
	if (IS_ENABLED(CONFIG_UKSCHED_THREADS))
		t->fs_base = rdmsr(MSR_FS_BASE);
	*(uint64_t *)t->stack = STACK_CANARY;
	*(uint64_t *)t->sys_stack = STACK_CANARY;
	t->sys_stack_top = (uintptr_t)t->sys_stack + SYS_STACK_BYTES;
	t->sp = arch_ctx_init(t->stack, size, thread_main, t);
	uk_waitq_init(&t->exit_wq);

	/* A new thread joins the run queue the way a woken one does. */
	flags = arch_irq_save();
	uksched_thread_add(t);
	t->state = THREAD_BLOCKED;
	uksched_make_ready(t);
	arch_irq_restore(flags);
	return t;

fail:
	if (t)
		release(a, t);
	return NULL;
}

int uk_thread_join(struct uk_thread *t)
{
	struct uk_thread *self = uksched_self();
	unsigned long flags = arch_irq_save();
	int err = 0;

	if (!t || t == self || t == uksched_main_thread() ||
	    !uksched_thread_is_live(t) || t->joiner || t->detached) {
		err = -EINVAL;
		goto out;
	}
	t->joiner = self;
	while (t->state != THREAD_EXITED) {
		self->joining = t;
		self->state = THREAD_BLOCKED;
		uksched_q_push(&t->exit_wq, self);
		uksched_reschedule();
	}
	self->joining = NULL;
	uksched_thread_remove(t);
out:
	arch_irq_restore(flags);
	/* Freed with interrupts on: no list holds t any more. */
	if (!err)
		release(uk_alloc_default(), t);
	return err;
}

struct uk_thread *uk_thread_current(void)
{
	return uksched_self();
}

const char *uk_thread_name(const struct uk_thread *t)
{
	return t ? t->name : "(none)";
}
