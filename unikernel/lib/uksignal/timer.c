/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interval timers: setitimer/getitimer/alarm (ITIMER_REAL, SIGALRM) and
 * POSIX timers (timer_create with SIGEV_SIGNAL or SIGEV_NONE) on
 * CLOCK_MONOTONIC and CLOCK_REALTIME. Deadlines are kept on the monotonic
 * clock. Nothing runs in interrupt context: a timer is checked at every
 * safe point (a syscall's return, and each round of uk_signal_wait, whose
 * timed wait on the scheduler arms the LAPIC one-shot for the nearest
 * deadline), and its signal is raised there. A periodic timer that missed
 * expiries fires once and counts them as overruns, as Linux does.
 */
#include <uk/errno.h>
#include <uk/signal.h>
#include <uk/string.h>

#define NSEC 1000000000ULL
#define ITIMER_REAL 0
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define TIMER_ABSTIME 1
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1

struct timeval_k {
	int64_t sec, usec;
};
struct itimerval_k {
	struct timeval_k interval, value;
};
struct timespec_k {
	int64_t sec, nsec;
};
struct itimerspec_k {
	struct timespec_k interval, value;
};
struct sigevent_k {
	uint64_t value;
	int32_t signo, notify, tid;
};

struct timer {
	bool used, armed;
	int32_t signo, notify, clock;
	uint64_t value;		/* sigev_value */
	uint64_t deadline;	/* monotonic ns, when armed */
	uint64_t interval;	/* ns; 0: one shot */
	int32_t overrun;
};

/* [0] is ITIMER_REAL; [1 + id] is POSIX timer id. */
#define NTIMERS (1 + CONFIG_UKSIGNAL_TIMERS)
static struct timer timers[NTIMERS] = {
	[0] = { .used = true, .signo = UK_SIGALRM, .notify = SIGEV_SIGNAL },
};
/* The nearest armed deadline (0: none), so a syscall return with no
 * timer armed does not read the clock. */
static uint64_t next_deadline;

static void recompute_next(void)
{
	next_deadline = 0;
	for (int i = 0; i < NTIMERS; i++)
		if (timers[i].armed &&
		    (!next_deadline || timers[i].deadline < next_deadline))
			next_deadline = timers[i].deadline;
}

static void fire(int i, uint64_t now)
{
	struct timer *t = &timers[i];
	struct uk_siginfo info = { 0 };

	if (t->interval) {
		uint64_t k = (now - t->deadline) / t->interval + 1;
		t->deadline += k * t->interval;
		t->overrun = k - 1 > INT32_MAX ? INT32_MAX : (int32_t)(k - 1);
	} else {
		t->armed = false;
		t->overrun = 0;
	}
	if (t->notify != SIGEV_SIGNAL)
		return;
	if (i == 0) {
		info.code = UK_SI_KERNEL;
	} else {
		info.code = UK_SI_TIMER;
		info.u.timer.tid = i - 1;
		info.u.timer.overrun = t->overrun;
		info.u.timer.value = t->value;
	}
	uk_signal_raise(t->signo, &info);
}

uint64_t uk_signal_timers_poll(void)
{
	uint64_t now;

	if (!next_deadline)
		return 0;
	now = uk_clock_monotonic_ns();
	if (now < next_deadline)
		return next_deadline;
	for (int i = 0; i < NTIMERS; i++)
		if (timers[i].armed && timers[i].deadline <= now)
			fire(i, now);
	recompute_next();
	return next_deadline;
}

static uint64_t remaining(const struct timer *t)
{
	uint64_t now = uk_clock_monotonic_ns();

	if (!t->armed)
		return 0;
	return t->deadline > now ? t->deadline - now : 1;
}

/* Arm (value_ns > 0) or disarm timer t; value is relative to now. */
static void arm(struct timer *t, uint64_t value_ns, uint64_t interval_ns)
{
	t->armed = value_ns != 0;
	t->deadline = uk_clock_monotonic_ns() + value_ns;
	t->interval = interval_ns;
	t->overrun = 0;
	recompute_next();
}

static bool timeval_ok(const struct timeval_k *tv)
{
	return tv->sec >= 0 && tv->usec >= 0 && tv->usec < 1000000;
}

static uint64_t timeval_ns(const struct timeval_k *tv)
{
	return (uint64_t)tv->sec * NSEC + (uint64_t)tv->usec * 1000;
}

static struct timeval_k ns_timeval(uint64_t ns)
{
	return (struct timeval_k){ (int64_t)(ns / NSEC), (int64_t)(ns % NSEC / 1000) };
}

static void get_itimer(struct itimerval_k *out)
{
	out->interval = ns_timeval(timers[0].interval);
	out->value = ns_timeval(remaining(&timers[0]));
	/* Armed but under a microsecond still reads as armed. */
	if (timers[0].armed && !out->value.sec && !out->value.usec)
		out->value.usec = 1;
}

long uk_sys_setitimer(long which, long new, long old, long a3, long a4, long a5)
{
	const struct itimerval_k *n = (const struct itimerval_k *)new;

	(void)a3, (void)a4, (void)a5;
	if (which != ITIMER_REAL)
		return -EINVAL;
	if (n && (!timeval_ok(&n->value) || !timeval_ok(&n->interval)))
		return -EINVAL;
	if (old)
		get_itimer((struct itimerval_k *)old);
	if (n)
		arm(&timers[0], timeval_ns(&n->value), timeval_ns(&n->interval));
	return 0;
}

long uk_sys_getitimer(long which, long cur, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (which != ITIMER_REAL)
		return -EINVAL;
	get_itimer((struct itimerval_k *)cur);
	return 0;
}

/* Linux's rounding: to the nearest second, and never 0 while armed. */
long uk_sys_alarm(long seconds, long a1, long a2, long a3, long a4, long a5)
{
	uint64_t left = remaining(&timers[0]);
	long ret = (long)((left + NSEC / 2) / NSEC);

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (left && !ret)
		ret = 1;
	arm(&timers[0], (uint64_t)(unsigned long)seconds * NSEC, 0);
	return ret;
}

static struct timer *posix_timer(long id)
{
	if (id < 0 || id >= CONFIG_UKSIGNAL_TIMERS || !timers[1 + id].used)
		return NULL;
	return &timers[1 + id];
}

long uk_sys_timer_create(long clock, long sev, long idp, long a3, long a4,
			 long a5)
{
	const struct sigevent_k *e = (const struct sigevent_k *)sev;
	int id;

	(void)a3, (void)a4, (void)a5;
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return -EINVAL;
	if (e && e->notify != SIGEV_SIGNAL && e->notify != SIGEV_NONE)
		return -EINVAL; /* SIGEV_THREAD_ID: see README.md */
	if (e && e->notify == SIGEV_SIGNAL && (e->signo < 1 || e->signo > UK_NSIG))
		return -EINVAL;
	for (id = 0; id < CONFIG_UKSIGNAL_TIMERS && timers[1 + id].used; id++)
		;
	if (id == CONFIG_UKSIGNAL_TIMERS)
		return -EAGAIN;
	timers[1 + id] = (struct timer){
		.used = true,
		.clock = (int32_t)clock,
		.notify = e ? e->notify : SIGEV_SIGNAL,
		.signo = e ? e->signo : UK_SIGALRM,
		.value = e ? e->value : (uint64_t)id,
	};
	*(int32_t *)idp = id;
	return 0;
}

static bool timespec_ok(const struct timespec_k *ts)
{
	return ts->sec >= 0 && ts->nsec >= 0 && ts->nsec < (int64_t)NSEC;
}

static uint64_t timespec_ns(const struct timespec_k *ts)
{
	return (uint64_t)ts->sec * NSEC + (uint64_t)ts->nsec;
}

static struct timespec_k ns_timespec(uint64_t ns)
{
	return (struct timespec_k){ (int64_t)(ns / NSEC), (int64_t)(ns % NSEC) };
}

/* Now on the timer's clock, in ns. */
static uint64_t clock_now(const struct timer *t)
{
	struct timespec_k ts;

	uk_sys_clock_gettime(t->clock, (long)&ts, 0, 0, 0, 0);
	return timespec_ns(&ts);
}

long uk_sys_timer_gettime(long id, long cur, long a2, long a3, long a4, long a5)
{
	struct timer *t = posix_timer(id);
	struct itimerspec_k *out = (struct itimerspec_k *)cur;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!t)
		return -EINVAL;
	out->interval = ns_timespec(t->interval);
	out->value = ns_timespec(remaining(t));
	return 0;
}

long uk_sys_timer_settime(long id, long flags, long new, long old, long a4,
			  long a5)
{
	struct timer *t = posix_timer(id);
	const struct itimerspec_k *n = (const struct itimerspec_k *)new;
	uint64_t value;

	(void)a4, (void)a5;
	if (!t)
		return -EINVAL;
	if (!timespec_ok(&n->value) || !timespec_ok(&n->interval))
		return -EINVAL;
	if (old)
		uk_sys_timer_gettime(id, old, 0, 0, 0, 0);
	value = timespec_ns(&n->value);
	if (value && (flags & TIMER_ABSTIME)) {
		uint64_t now = clock_now(t);
		/* A time already past fires at once (at the next safe point). */
		value = value > now ? value - now : 1;
	}
	arm(t, value, timespec_ns(&n->interval));
	return 0;
}

long uk_sys_timer_getoverrun(long id, long a1, long a2, long a3, long a4,
			     long a5)
{
	struct timer *t = posix_timer(id);

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return t ? t->overrun : -EINVAL;
}

long uk_sys_timer_delete(long id, long a1, long a2, long a3, long a4, long a5)
{
	struct timer *t = posix_timer(id);

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!t)
		return -EINVAL;
	*t = (struct timer){ 0 };
	recompute_next();
	return 0;
}
