/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scheduling, chosen in Kconfig:
 *   UKSCHED_NONE  run to completion: one thread (main); sleeping halts the
 *                 CPU until the timer fires.
 *   UKSCHED_COOP  cooperative threads: create, yield, sleep, join, wait
 *                 queues. A thread runs until it yields, sleeps, waits or
 *                 exits; the idle loop halts until the next timer event.
 * uk_sleep_ns and uk_sched_init exist in both.
 */
#ifndef UK_SCHED_H
#define UK_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Called once at boot, on the main stack, before main(). The caller
 * becomes the thread named "main" (COOP). */
void uk_sched_init(void);

/* Block the caller for at least ns nanoseconds (measured on the TSC; an
 * early or unrelated interrupt does not end it). ns == 0 yields. */
void uk_sleep_ns(uint64_t ns);

struct uk_thread;
typedef void (*uk_thread_fn)(void *arg);

struct uk_waitq {
	struct uk_thread *head, *tail;
};
#define UK_WAITQ_INIT { NULL, NULL }

/*
 * COOP only (they return -ENOSYS / do nothing useful under NONE).
 *
 * uk_thread_create: a thread running fn(arg) on a stack of stack_size
 * bytes (0: CONFIG_UKSCHED_STACK_KB), plus its own syscall stack. It joins
 * the back of the run queue and first runs when the creator yields or
 * blocks; it starts with its creator's interrupt flag and the default
 * MXCSR / x87 control word. The thread exits when fn returns. NULL when
 * memory runs out (or under NONE).
 */
struct uk_thread *uk_thread_create(const char *name, uk_thread_fn fn,
				   void *arg, size_t stack_size);
void uk_thread_yield(void);
/*
 * Wait for t to finish and release it (its stacks are freed here); 0 or
 * -errno. -EINVAL for NULL, the caller itself, main, a thread someone else
 * is joining, or one already joined (recognised as long as its memory has
 * not been reused by a newer thread). Every created thread must be joined
 * once, or its stacks stay allocated.
 */
int uk_thread_join(struct uk_thread *t);
/* The running thread (never NULL under COOP; NULL under NONE). */
struct uk_thread *uk_thread_current(void);
const char *uk_thread_name(const struct uk_thread *t);

/*
 * Wait queues, FIFO. uk_waitq_wake_one / _all may be called from interrupt
 * handlers. A waiter whose condition is set by an interrupt handler checks
 * it with interrupts disabled, so the wake-up cannot slip in between the
 * check and the wait (waiting halts with interrupts enabled):
 *
 *     unsigned long f = arch_irq_save();      // <uk/switch.h>
 *     while (!ready)
 *             uk_waitq_wait(&wq);
 *     arch_irq_restore(f);
 *
 * Under NONE there is no other thread: a wait halts until the next
 * interrupt (the callers re-check), and waking does nothing.
 */
void uk_waitq_init(struct uk_waitq *wq);
/* Sleep on wq until woken (callers re-check their condition). */
void uk_waitq_wait(struct uk_waitq *wq);
/* Like uk_waitq_wait with a deadline; returns false on timeout. */
bool uk_waitq_wait_timeout(struct uk_waitq *wq, uint64_t ns);
void uk_waitq_wake_one(struct uk_waitq *wq);
void uk_waitq_wake_all(struct uk_waitq *wq);

/*
 * When every thread is blocked and none sleeps, nothing but an interrupt
 * can make progress. Without a registered interrupt waker (a driver whose
 * handler calls uk_waitq_wake_*) that is a deadlock, reported with
 * uk_panic("deadlock: ...") naming the blocked threads; with one, the CPU
 * halts until the next interrupt. Calls nest (a count).
 */
void uk_sched_irq_waker_add(void);
void uk_sched_irq_waker_remove(void);

/*
 * Idle accounting, in TSC cycles (under `unitune run --deterministic`,
 * QEMU's -icount, a cycle is an instruction, and a halt is the time QEMU
 * skipped): so that "busy" (cycles - idle over a window) counts only work.
 * Idle is
 *   - every halt, from the halt to the entry of the interrupt that ended
 *     it (halted_cycles counts these alone), and
 *   - every span a wait loop marks: from the start of its first round
 *     that found nothing to do (a NIC polled in vain, timers with nothing
 *     due, no descriptor ready) to the start of the round that found
 *     something. A polling NIC's idle is all such spans; halts inside a
 *     span are counted once. A switch to another thread ends a span (that
 *     thread has work).
 */
struct uk_sched_idle {
	uint64_t now;		/* TSC when taken */
	uint64_t idle_cycles;	/* halts and wait spans, up to now */
	uint64_t halted_cycles;	/* halts alone */
	uint64_t halts;
};
void uk_sched_idle_get(struct uk_sched_idle *st);
/* For wait loops (thread context): idle since the TSC value since; a
 * span already open keeps its start. */
void uk_sched_idle_enter(uint64_t since);
/* Not idle from the TSC value at on; nothing when no span is open. */
void uk_sched_idle_leave(uint64_t at);

#endif
