/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Waiting for files to become ready: the one primitive every blocking
 * call uses (a read on a blocking fd, poll, select, epoll_wait, and the
 * socket calls), in both scheduler modes, and the progress hooks that let
 * a run-to-completion network stack work while the application waits.
 *
 * uk_poll_wait(waiter, cond, arg, deadline) loops:
 *   1. run every progress hook once (a NIC poll, lwIP's timers);
 *   2. cond(arg): anything but -EAGAIN ends the wait with that value;
 *   3. a hook that made progress: back to 1 without sleeping;
 *   4. deadline passed: -EAGAIN (still not ready);
 *   5. sleep until the waiter is woken (uk_file_notify on a watched file,
 *      uk_poll_kick from an interrupt), the deadline, or the earliest time
 *      a hook asked to run again:
 *        UKSCHED_COOP  on the waiter's wait queue (other threads run);
 *        UKSCHED_NONE  halting until the next interrupt or that time;
 *      with a UK_POLL_HOOK_SPIN hook registered (a NIC in polling mode)
 *      it never sleeps: it yields (COOP) and goes round again.
 * Hooks run before the first check, so even a zero timeout processes what
 * arrived (epoll_wait(..., 0) in a run-to-completion server).
 *
 * A wait that nothing can end (no deadline, no hook asking for time, no
 * interrupt waker: uk_sched_irq_waker_add) is a deadlock and is reported
 * as one by the scheduler (uk_panic), never a silent hang.
 *
 * Deadlines are TSC values, like the scheduler's: UK_POLL_NOW (do not
 * sleep) and UK_POLL_FOREVER need no calibrated clock.
 */
#ifndef UK_POLL_H
#define UK_POLL_H

#include <stdbool.h>
#include <stdint.h>
#include <uk/file.h>
#include <uk/sched.h>

#define UK_POLL_NOW 0
#define UK_POLL_FOREVER UINT64_MAX

/* Deadlines from relative timeouts. ns 0 is UK_POLL_NOW; a timeout too
 * long to represent is UK_POLL_FOREVER. ms < 0 is UK_POLL_FOREVER. */
uint64_t uk_poll_deadline_ns(uint64_t ns);
uint64_t uk_poll_deadline_ms(long ms);
/* Nanoseconds left until deadline (0 once passed; not for FOREVER). */
uint64_t uk_poll_remaining_ns(uint64_t deadline);

/* One blocked caller; lives on its stack for the duration of one wait. */
struct uk_poll_waiter {
	struct uk_waitq wq;
	volatile bool woken;
	/* While sleeping: on the list uk_poll_kick walks. */
	struct uk_poll_waiter *next, *prev;
};

void uk_poll_waiter_init(struct uk_poll_waiter *w);
/* Wake w (thread or interrupt context); its wait re-checks. */
void uk_poll_waiter_wake(struct uk_poll_waiter *w);

/* A watch on a file that wakes a waiter (for poll/select-like callers). */
struct uk_poll_watch {
	struct uk_file_watch watch;
	struct uk_poll_waiter *waiter;
};
/* The caller holds a reference on f until uk_poll_unwatch. UK_EPOLL_ALWAYS
 * is added to events. */
void uk_poll_watch(struct uk_poll_watch *pw, struct uk_poll_waiter *w,
		   struct uk_file *f, uint32_t events);
void uk_poll_unwatch(struct uk_poll_watch *pw);

/* cond returns -EAGAIN for "not yet". */
typedef long (*uk_poll_cond_fn)(void *arg);

/* The loop above: cond's first answer other than -EAGAIN, or -EAGAIN when
 * the deadline came first. cond runs at least once, whatever the deadline,
 * and may return any other error (-ETIMEDOUT of a failed connect is its
 * own). */
long uk_poll_wait(struct uk_poll_waiter *w, uk_poll_cond_fn cond, void *arg,
		  uint64_t deadline);

/*
 * Progress hooks. fn(arg, &next_ns) does a bounded amount of work (poll a
 * NIC with a budget, run due timers) and returns > 0 when it made
 * progress (something may have become ready: the waiter re-checks without
 * sleeping), 0 otherwise. It may lower *next_ns (UINT64_MAX on entry) to
 * the nanoseconds after which it must run again even if nothing wakes the
 * waiter (lwIP's next timer). UK_POLL_HOOK_SPIN: while this hook is
 * registered, waiting never sleeps or halts (polling mode).
 *
 * The caller owns struct uk_poll_hook (static storage); registering fills
 * it. Hooks run in registration order, from thread context, never nested
 * inside one another (a hook that calls uk_poll_wait does not re-run them).
 */
typedef int (*uk_poll_hook_fn)(void *arg, uint64_t *next_ns);
#define UK_POLL_HOOK_SPIN 1u
struct uk_poll_hook {
	uk_poll_hook_fn fn;
	void *arg;
	unsigned int flags;
	struct uk_poll_hook *next;
};
void uk_poll_hook_register(struct uk_poll_hook *h, uk_poll_hook_fn fn,
			   void *arg, unsigned int flags);
void uk_poll_hook_unregister(struct uk_poll_hook *h);

/*
 * Run every hook once: the number that made progress. *due is lowered to
 * the earliest TSC deadline a hook asked for (leave it UK_POLL_FOREVER to
 * start). For kinds that want rx processed before a non-blocking answer.
 */
int uk_poll_hooks_run(uint64_t *due);

/* From an interrupt handler (or anywhere): every waiter now sleeping in
 * uk_poll_wait wakes, re-runs the hooks and re-checks. */
void uk_poll_kick(void);

/*
 * poll(2) and select(2) on descriptors (poll.c, select.c), for the
 * syscall layer. struct uk_pollfd is struct pollfd. nfds above UK_FD_MAX
 * is -EINVAL; an fd < 0 is skipped; a closed one reports UK_EPOLLNVAL.
 * Returns the number of ready entries (0 at the deadline) or -errno.
 */
struct uk_pollfd {
	int fd;
	short events;
	short revents;
};
long uk_poll_fds(struct uk_pollfd *fds, unsigned long nfds, uint64_t deadline);

/*
 * select: sets of nfds bits (unsigned long words; NULL: empty), replaced
 * by the ready ones. nfds < 0 is -EINVAL; above UK_FD_MAX it is cut to it,
 * as Linux cuts it to the table's size; a closed fd in a set is -EBADF.
 */
long uk_select(int nfds, unsigned long *rfds, unsigned long *wfds,
	       unsigned long *efds, uint64_t deadline);

#endif
