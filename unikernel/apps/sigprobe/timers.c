/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timer checks: alarm and pause, a periodic setitimer, timer_create with
 * SIGEV_SIGNAL, nanosleep and sigsuspend ended by a signal. They check
 * what happened (counts, errno, siginfo), never how long it took.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "checks.h"

/* What the handlers saw: a handler has no other way to say it. */
static struct {
	volatile sig_atomic_t count, signo, code, value, blocked_usr1;
} fired;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	sigset_t now;

	(void)uc;
	fired.count++;
	fired.signo = sig;
	fired.code = si->si_code;
	fired.value = si->si_value.sival_int;
	sigprocmask(SIG_SETMASK, NULL, &now);
	fired.blocked_usr1 = sigismember(&now, SIGUSR1);
}

static void arm_handler(int sig)
{
	struct sigaction sa = { .sa_sigaction = on_timer, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	memset((void *)&fired, 0, sizeof(fired));
}

static int alarm_interrupts_pause(void)
{
	int bad = 0;

	arm_handler(SIGALRM);
	bad |= alarm(1) != 0;
	errno = 0;
	bad |= pause() != -1 || errno != EINTR;
	bad |= fired.count != 1 || fired.signo != SIGALRM;
	/* A second alarm replaces the first and returns what was left. */
	alarm(100);
	bad |= alarm(0) < 99;
	reset_signal(SIGALRM);
	return check(!bad, "alarm_interrupts_pause", "pause not ended by SIGALRM's handler");
}

static int setitimer_periodic_count(void)
{
	struct itimerval it = { .it_interval = { 0, 10000 }, .it_value = { 0, 10000 } };
	struct itimerval off = { 0 }, now;
	int bad = 0, rounds = 0;

	arm_handler(SIGALRM);
	bad |= setitimer(ITIMER_REAL, &it, NULL) != 0;
	bad |= getitimer(ITIMER_REAL, &now) || now.it_interval.tv_usec != 10000;
	while (fired.count < 5 && rounds++ < 100)
		pause();
	setitimer(ITIMER_REAL, &off, &now);
	bad |= fired.count != 5 || rounds != 5;
	bad |= getitimer(ITIMER_REAL, &now) || now.it_value.tv_sec || now.it_value.tv_usec;
	bad |= setitimer(ITIMER_VIRTUAL, &it, NULL) != -1 || errno != EINVAL;
	reset_signal(SIGALRM);
	return check(!bad, "setitimer_periodic_count", "not one SIGALRM per pause, or not disarmed");
}

static int timer_create_signals(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2,
			       .sigev_value.sival_int = 42 };
	struct itimerspec ts = { .it_value = { 0, 20000000 } }, cur;
	timer_t t;
	int bad = 0;

	arm_handler(SIGUSR2);
	if (timer_create(CLOCK_MONOTONIC, &ev, &t))
		return check(0, "timer_create_signals", strerror(errno));
	bad |= timer_settime(t, 0, &ts, NULL) != 0;
	bad |= timer_gettime(t, &cur) || (!cur.it_value.tv_sec && !cur.it_value.tv_nsec);
	while (!fired.count)
		pause();
	bad |= fired.signo != SIGUSR2 || fired.code != SI_TIMER || fired.value != 42;
	bad |= timer_gettime(t, &cur) || cur.it_value.tv_sec || cur.it_value.tv_nsec;
	/* An absolute time on CLOCK_REALTIME already past fires at once. */
	bad |= timer_delete(t) != 0;
	if (timer_create(CLOCK_REALTIME, &ev, &t))
		return check(0, "timer_create_signals", strerror(errno));
	ts.it_value = (struct timespec){ 1, 0 };
	fired.count = 0;
	bad |= timer_settime(t, TIMER_ABSTIME, &ts, NULL) != 0;
	while (!fired.count)
		pause();
	bad |= timer_delete(t) != 0;
	reset_signal(SIGUSR2);
	return check(!bad, "timer_create_signals", "wrong siginfo or timer state");
}

static int nanosleep_is_interrupted(void)
{
	struct itimerval it = { .it_value = { 0, 20000 } };
	struct timespec req = { 30, 0 }, rem = { 0, 0 };
	int bad = 0;

	arm_handler(SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	bad |= nanosleep(&req, &rem) != -1 || errno != EINTR;
	bad |= fired.count != 1 || rem.tv_sec < 1 || rem.tv_sec > 30;
	reset_signal(SIGALRM);
	return check(!bad, "nanosleep_is_interrupted", "no EINTR, or rem wrong");
}

static int sigsuspend_swaps_mask(void)
{
	struct itimerval it = { .it_value = { 0, 20000 } };
	sigset_t block, wait_mask, after;
	int bad = 0;

	arm_handler(SIGALRM);
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_SETMASK, &block, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	/* Wait with only SIGUSR1 blocked: SIGALRM gets in. */
	sigemptyset(&wait_mask);
	sigaddset(&wait_mask, SIGUSR1);
	errno = 0;
	bad |= sigsuspend(&wait_mask) != -1 || errno != EINTR;
	bad |= fired.count != 1 || !fired.blocked_usr1;
	sigprocmask(SIG_SETMASK, NULL, &after);
	bad |= !sigismember(&after, SIGALRM) || !sigismember(&after, SIGUSR1);
	reset_signal(SIGALRM);
	return check(!bad, "sigsuspend_swaps_mask", "the mask was not swapped and restored");
}

int checks_timers(void)
{
	return alarm_interrupts_pause() + setitimer_periodic_count() +
	       timer_create_signals() + nanosleep_is_interrupted() +
	       sigsuspend_swaps_mask();
}
