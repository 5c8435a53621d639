/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_THREADS: the futex system call, so that musl's mutexes,
 * condition variables, semaphores and pthread_join block instead of
 * spinning. Operations: WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE,
 * CMP_REQUEUE, with FUTEX_PRIVATE_FLAG (every futex is private: one
 * address space) and FUTEX_CLOCK_REALTIME (WAIT and WAIT_BITSET only, as
 * Linux). Anything else is -ENOSYS, like a kernel without that operation.
 *
 * A waiter is a record on its own stack, linked in a bucket of a hash
 * keyed by the word's address, with a wait queue of its own: a wake takes
 * it off the bucket and marks it woken, so it can tell a wake from its
 * timeout, and a requeue only moves the record. Scheduling is cooperative
 * and nothing here is touched from interrupt handlers, so checking the
 * word and queueing need no lock.
 *
 * Timeouts: relative (CLOCK_MONOTONIC) for WAIT, absolute for
 * WAIT_BITSET (CLOCK_MONOTONIC, or CLOCK_REALTIME with the flag); the
 * wait sleeps on the timer and returns -ETIMEDOUT.
 *
 * Under UKSCHED_NONE nobody else can change the word or wake the waiter,
 * so a wait on an unchanged word sleeps (halted) until its timeout and
 * returns -ETIMEDOUT; without a timeout it is a deadlock, reported by
 * uk_waitq_wait as a panic (or, while a driver may wake waiters, a hang,
 * as on Linux).
 */
#include <uk/errno.h>
#include <uk/futex.h>
#include <uk/sched.h>
#include <uk/syscall_impl.h>

#define FUTEX_BITSET_ANY 0xffffffffu

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define NSEC 1000000000ULL

#define BUCKETS 64

struct futex_waiter {
	struct futex_waiter *next, *prev;
	const uint32_t *addr;
	uint32_t bitset;
	bool woken;
	struct uk_waitq wq; /* this waiter alone */
};

struct futex_bucket {
	struct futex_waiter *head;
};

static struct futex_bucket buckets[BUCKETS];

struct timespec_abi {
	long sec, nsec;
};

static struct futex_bucket *bucket_of(const uint32_t *addr)
{
	uint64_t h = ((uintptr_t)addr >> 2) * 0x9e3779b97f4a7c15ULL;

	return &buckets[h >> 58];
}

static void waiter_link(struct futex_waiter *w, const uint32_t *addr)
{
	struct futex_bucket *b = bucket_of(addr);

	w->addr = addr;
	w->prev = NULL;
	w->next = b->head;
	if (b->head)
		b->head->prev = w;
	b->head = w;
}

static void waiter_unlink(struct futex_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		bucket_of(w->addr)->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->next = w->prev = NULL;
}

/* Waiters are linked newest first; waking goes oldest first (FIFO). */
static struct futex_waiter *oldest(const uint32_t *addr, uint32_t bitset)
{
	struct futex_waiter *found = NULL;

	for (struct futex_waiter *w = bucket_of(addr)->head; w; w = w->next)
		if (w->addr == addr && (w->bitset & bitset))
			found = w;
	return found;
}

static int wake(const uint32_t *addr, int n, uint32_t bitset)
{
	int woken = 0;
	struct futex_waiter *w;

	while (woken < n && (w = oldest(addr, bitset))) {
		waiter_unlink(w);
		w->woken = true;
		uk_waitq_wake_one(&w->wq);
		woken++;
	}
	return woken;
}

int uk_futex_wake(const uint32_t *addr, int n)
{
	return wake(addr, n, FUTEX_BITSET_ANY);
}

static int requeue(const uint32_t *from, const uint32_t *to, int n_wake,
		   int n_move)
{
	int done = wake(from, n_wake, FUTEX_BITSET_ANY);
	struct futex_waiter *w;

	for (int moved = 0; moved < n_move && (w = oldest(from, FUTEX_BITSET_ANY));
	     moved++, done++) {
		waiter_unlink(w);
		waiter_link(w, to);
	}
	return done;
}

static uint64_t clock_now_ns(long clk)
{
	struct timespec_abi ts;

	if (clk == CLOCK_MONOTONIC)
		return uk_clock_monotonic_ns();
	uk_sys_clock_gettime(clk, (long)&ts, 0, 0, 0, 0);
	return (uint64_t)ts.sec * NSEC + (uint64_t)ts.nsec;
}

/* The monotonic time the wait ends (UINT64_MAX: never), or -EINVAL. */
static int wait_end(const struct timespec_abi *ts, bool absolute, long clk,
		    uint64_t *end)
{
	uint64_t t, now = uk_clock_monotonic_ns();

	*end = UINT64_MAX;
	if (!ts)
		return 0;
	if (ts->sec < 0 || ts->nsec < 0 || (uint64_t)ts->nsec >= NSEC)
		return -EINVAL;
	if ((uint64_t)ts->sec >= (1ULL << 33)) /* centuries: never */
		return 0;
	t = (uint64_t)ts->sec * NSEC + (uint64_t)ts->nsec;
	if (absolute) {
		uint64_t clk_now = clock_now_ns(clk);

		t = t > clk_now ? t - clk_now : 0;
	}
	*end = now + t;
	return 0;
}

static long wait(const uint32_t *addr, uint32_t val, uint32_t bitset,
		 uint64_t end)
{
	struct futex_waiter w = { .bitset = bitset, .wq = UK_WAITQ_INIT };

	if (*(volatile const uint32_t *)addr != val)
		return -EAGAIN;
	waiter_link(&w, addr);
	while (!w.woken) {
		uint64_t now;

		if (end == UINT64_MAX) {
			uk_waitq_wait(&w.wq);
			continue;
		}
		now = uk_clock_monotonic_ns();
		if (now >= end)
			break;
		uk_waitq_wait_timeout(&w.wq, end - now);
	}
	if (w.woken)
		return 0;
	waiter_unlink(&w);
	return -ETIMEDOUT;
}

long uk_sys_futex(long uaddr, long op, long val, long timeout, long uaddr2,
		  long val3)
{
	const uint32_t *addr = (const uint32_t *)uaddr;
	int cmd = (int)(op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME));
	long clk = (op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	const struct timespec_abi *ts = (const struct timespec_abi *)timeout;
	uint64_t end;
	int err;

	if (!addr)
		return -EFAULT;
	if (uaddr & 3)
		return -EINVAL;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT &&
	    cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = (long)FUTEX_BITSET_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (!(uint32_t)val3)
			return -EINVAL;
		err = wait_end(ts, cmd == FUTEX_WAIT_BITSET, clk, &end);
		if (err)
			return err;
		return wait(addr, (uint32_t)val, (uint32_t)val3, end);
	case FUTEX_WAKE:
		val3 = (long)FUTEX_BITSET_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		if (!(uint32_t)val3)
			return -EINVAL;
		return wake(addr, (int)val, (uint32_t)val3);
	case FUTEX_CMP_REQUEUE:
		if (*(volatile const uint32_t *)addr != (uint32_t)val3)
			return -EAGAIN;
		/* fall through */
	case FUTEX_REQUEUE:
		/* The fourth argument is a count here, not a timeout. */
		if ((int)val < 0 || (int)timeout < 0)
			return -EINVAL;
		if (!uaddr2 || (uaddr2 & 3))
			return uaddr2 ? -EINVAL : -EFAULT;
		return requeue(addr, (const uint32_t *)uaddr2, (int)val,
			       (int)timeout);
	default:
		return -ENOSYS;
	}
}
