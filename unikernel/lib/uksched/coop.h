/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to the cooperative scheduler (sched_coop.c, thread.c,
 * waitq.c). Every list here is also touched by interrupt handlers that
 * wake waiters, so all of it is read and written with interrupts disabled
 * (arch_irq_save / arch_irq_restore).
 */
#ifndef UKSCHED_COOP_H
#define UKSCHED_COOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/compiler.h>
#include <uk/sched.h>

enum uk_thread_state {
	THREAD_RUNNING,	/* the current thread */
	THREAD_READY,	/* on the run queue */
	THREAD_BLOCKED,	/* on a wait queue, the sleep list, or both */
	THREAD_EXITED,	/* fn returned; waits to be joined */
};

#define THREAD_NAME_MAX 32

struct uk_thread {
	uintptr_t sp;			/* saved while switched out */
	enum uk_thread_state state;
	/* The run queue or one wait queue; q says which (NULL: none). */
	struct uk_thread *next, *prev;
	struct uk_waitq *q;
	/* The sleep list, sorted by deadline (a TSC value). */
	struct uk_thread *sleep_next, *sleep_prev;
	bool sleeping;
	bool timed_out;		/* the last block ended by its deadline */
	uint64_t deadline;
	/* Every thread not yet joined, for join checks and reports. */
	struct uk_thread *all_next;
	struct uk_waitq exit_wq;	/* the joiner waits here */
	struct uk_thread *joiner;
	const struct uk_thread *joining; /* what this thread waits for */
	uk_thread_fn fn;
	void *arg;
	unsigned long start_flags;	/* creator's RFLAGS (interrupt flag) */
	void *stack;			/* NULL for main (boot's stack) */
	size_t stack_size;
	void *sys_stack;
	uintptr_t sys_stack_top;
	char name[THREAD_NAME_MAX];
	/* UKSCHED_THREADS: the FS base (musl's thread pointer: errno, TLS,
	 * the stack-protector canary) saved while switched out; a new
	 * thread inherits its creator's, clone's CLONE_SETTLS replaces it. */
	uint64_t fs_base;
	/* clone threads: the tid (0: a kernel thread, or main, whose tid is
	 * the pid) and the word cleared and futex-woken at exit
	 * (CLONE_CHILD_CLEARTID, set_tid_address). */
	int tid;
	int *clear_tid;
	/* Nobody joins it: at exit it is freed by the next create. */
	bool detached;
};

/* Written at the lowest word of every stack we allocate; a switch that
 * finds it changed reports an overflow instead of corrupting the heap. */
#define STACK_CANARY 0x5ac4ed5ac4ed5ac4ULL

/* Queues (interrupts disabled). */
void uksched_q_push(struct uk_waitq *q, struct uk_thread *t);
void uksched_q_remove(struct uk_thread *t);

/* The running thread; initialises the scheduler on first use. */
struct uk_thread *uksched_self(void);

/*
 * The caller has queued itself (ready, on a wait queue, on the sleep list)
 * or exited: run the next ready thread, idling until there is one.
 * Returns when the caller is scheduled again. Interrupts disabled.
 */
void uksched_reschedule(void);

/* Blocked -> ready (interrupts disabled); a no-op for any other state. */
void uksched_make_ready(struct uk_thread *t);

/* Put the current thread on the sleep list until deadline (TSC). */
void uksched_sleep_until(struct uk_thread *self, uint64_t deadline);

/*
 * End the running thread for good without a joiner (clone threads): it
 * leaves the live list and its memory goes back at the next
 * uk_thread_create. Main cannot be freed: it only stops running.
 * Interrupts may be on or off.
 */
__noreturn void uksched_exit_detached(void);

/* The list of live threads (interrupts disabled). */
void uksched_thread_add(struct uk_thread *t);
bool uksched_thread_remove(struct uk_thread *t);
bool uksched_thread_is_live(const struct uk_thread *t);
const struct uk_thread *uksched_main_thread(void);

#endif
