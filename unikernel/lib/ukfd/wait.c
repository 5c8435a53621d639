/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one waiting primitive (uk/poll.h) and the progress hooks. The same
 * code serves both schedulers, because uksched's wait queues already mean
 * the right thing in each: under UKSCHED_COOP a wait sleeps until a wake,
 * under UKSCHED_NONE it halts until the next interrupt (and reports a
 * deadlock when no interrupt can come).
 */
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/poll.h>
#include <uk/sched.h>
#include <uk/x86.h>

#define NSEC_PER_SEC 1000000000ULL
/* Beyond this a timeout is "never" (36 years), and ns * hz cannot wrap. */
#define NS_FOREVER (1ULL << 60)

static struct uk_poll_hook *hooks;
static unsigned int spin_hooks;
static bool hooks_running;
/* Waiters asleep in uk_poll_wait, for uk_poll_kick; interrupts off to
 * touch. kicks counts uk_poll_kick calls, so a kick that lands between a
 * waiter's hooks and its sleep is not lost. */
static struct uk_poll_waiter *sleeping;
static volatile unsigned long kicks;

/* ---- deadlines --------------------------------------------------------- */

uint64_t uk_poll_deadline_ns(uint64_t ns)
{
	uint64_t now, ticks;

	if (!ns)
		return UK_POLL_NOW;
	if (ns >= NS_FOREVER)
		return UK_POLL_FOREVER;
	now = rdtsc();
	ticks = plat_ns_to_tsc(ns);
	if (ticks >= UK_POLL_FOREVER - now)
		return UK_POLL_FOREVER;
	return now + ticks;
}

uint64_t uk_poll_deadline_ms(long ms)
{
	if (ms < 0 || (uint64_t)ms >= NS_FOREVER / 1000000)
		return UK_POLL_FOREVER;
	return uk_poll_deadline_ns((uint64_t)ms * 1000000);
}

uint64_t uk_poll_remaining_ns(uint64_t deadline)
{
	uint64_t now = rdtsc(), ticks, hz;

	if (deadline == UK_POLL_NOW || now >= deadline)
		return 0;
	ticks = deadline - now;
	hz = plat_tsc_hz();
	return ticks / hz * NSEC_PER_SEC + ticks % hz * NSEC_PER_SEC / hz;
}

/* ---- waiters and their watches ---------------------------------------- */

void uk_poll_waiter_init(struct uk_poll_waiter *w)
{
	uk_waitq_init(&w->wq);
	w->woken = false;
	w->next = w->prev = NULL;
}

void uk_poll_waiter_wake(struct uk_poll_waiter *w)
{
	w->woken = true;
	uk_waitq_wake_all(&w->wq);
}

static void poll_watch_fn(struct uk_file_watch *watch, uint32_t events)
{
	struct uk_poll_watch *pw = (struct uk_poll_watch *)watch;

	(void)events;
	uk_poll_waiter_wake(pw->waiter);
}

void uk_poll_watch(struct uk_poll_watch *pw, struct uk_poll_waiter *w,
		   struct uk_file *f, uint32_t events)
{
	pw->waiter = w;
	pw->watch.events = events | UK_EPOLL_ALWAYS;
	pw->watch.fn = poll_watch_fn;
	pw->watch.detach = NULL; /* the caller holds a reference on f */
	uk_file_watch_add(f, &pw->watch);
}

void uk_poll_unwatch(struct uk_poll_watch *pw)
{
	uk_file_watch_remove(&pw->watch);
}

/* ---- progress hooks ---------------------------------------------------- */

void uk_poll_hook_register(struct uk_poll_hook *h, uk_poll_hook_fn fn,
			   void *arg, unsigned int flags)
{
	struct uk_poll_hook **link = &hooks;

	h->fn = fn;
	h->arg = arg;
	h->flags = flags;
	h->next = NULL;
	while (*link)
		link = &(*link)->next;
	*link = h;
	if (flags & UK_POLL_HOOK_SPIN)
		spin_hooks++;
}

void uk_poll_hook_unregister(struct uk_poll_hook *h)
{
	for (struct uk_poll_hook **link = &hooks; *link; link = &(*link)->next) {
		if (*link != h)
			continue;
		*link = h->next;
		if (h->flags & UK_POLL_HOOK_SPIN)
			spin_hooks--;
		return;
	}
}

int uk_poll_hooks_run(uint64_t *due)
{
	int progress = 0;

	/* A hook that waits (or a thread that runs while one is switched
	 * out) does not run them again inside. */
	if (hooks_running)
		return 0;
	hooks_running = true;
	for (struct uk_poll_hook *h = hooks; h; h = h->next) {
		uint64_t next_ns = UINT64_MAX;

		if (h->fn(h->arg, &next_ns) > 0)
			progress++;
		if (next_ns != UINT64_MAX) {
			uint64_t d = uk_poll_deadline_ns(next_ns);

			if (d < *due)
				*due = d;
		}
	}
	hooks_running = false;
	return progress;
}

void uk_poll_kick(void)
{
	unsigned long flags = arch_irq_save();

	kicks++;
	for (struct uk_poll_waiter *w = sleeping; w; w = w->next)
		uk_poll_waiter_wake(w);
	arch_irq_restore(flags);
}

/* ---- the wait ---------------------------------------------------------- */

static void sleeping_add(struct uk_poll_waiter *w)
{
	w->prev = NULL;
	w->next = sleeping;
	if (sleeping)
		sleeping->prev = w;
	sleeping = w;
}

static void sleeping_remove(struct uk_poll_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		sleeping = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->next = w->prev = NULL;
}

/*
 * Sleep until woken, kicked (since seen) or until (a TSC value). The
 * checks and the sleep happen with interrupts off, and the scheduler
 * enables them only as it halts, so a wake-up cannot slip in between.
 */
static void sleep_until(struct uk_poll_waiter *w, unsigned long seen,
			uint64_t until)
{
	unsigned long flags;

	if (spin_hooks) {
		uk_thread_yield();
		return;
	}
	if (until == UK_POLL_NOW)
		return;
	flags = arch_irq_save();
	if (!w->woken && kicks == seen) {
		sleeping_add(w);
		if (until == UK_POLL_FOREVER) {
			uk_waitq_wait(&w->wq);
		} else {
			uint64_t ns = uk_poll_remaining_ns(until);

			if (ns)
				uk_waitq_wait_timeout(&w->wq, ns);
		}
		sleeping_remove(w);
	}
	arch_irq_restore(flags);
}

static bool passed(uint64_t deadline)
{
	if (deadline == UK_POLL_FOREVER)
		return false;
	return deadline == UK_POLL_NOW || rdtsc() >= deadline;
}

long uk_poll_wait(struct uk_poll_waiter *w, uk_poll_cond_fn cond, void *arg,
		  uint64_t deadline)
{
	for (;;) {
		unsigned long seen = kicks;
		uint64_t due = UK_POLL_FOREVER;
		/* A round that finds nothing opens an idle span from its
		 * start (so a spinning wait is idle throughout), the first
		 * that finds something closes it at its start. */
		uint64_t round = rdtsc();
		int progress;
		long r;

		w->woken = false;
		progress = uk_poll_hooks_run(&due);
		r = cond(arg);
		if (r != -EAGAIN || passed(deadline)) {
			uk_sched_idle_leave(round);
			return r;
		}
		if (progress) {
			uk_sched_idle_leave(round);
			continue;
		}
		uk_sched_idle_enter(round);
		sleep_until(w, seen, due < deadline ? due : deadline);
	}
}
