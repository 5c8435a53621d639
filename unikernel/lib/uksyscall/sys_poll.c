/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * poll, ppoll, select, pselect6: timeouts and signal masks in the syscall
 * ABI around lib/ukfd's uk_poll_fds and uk_select. Signals are never
 * delivered, so a signal mask is checked (its size must be 8) and changes
 * nothing, and EINTR never happens. As on Linux, ppoll, select and
 * pselect6 write back the time that was left.
 */
#include <uk/errno.h>
#include <uk/poll.h>
#include <uk/syscall_impl.h>

#define NSEC 1000000000L
#define SIGSET_BYTES 8
/* Seconds beyond which a timeout is "never" (uk_poll_deadline_ns). */
#define SEC_FOREVER ((1L << 60) / NSEC)

struct timespec_abi {
	long sec, nsec;
};

struct timeval_abi {
	long sec, usec;
};

/* pselect6's sixth argument. */
struct sigset_arg_abi {
	const void *set;
	unsigned long size;
};

/* A relative timeout of sec + nsec: 0 and the deadline, or -EINVAL. */
static int deadline_of(long sec, long nsec, uint64_t *deadline)
{
	if (sec < 0 || nsec < 0 || nsec >= NSEC)
		return -EINVAL;
	*deadline = sec >= SEC_FOREVER
			    ? UK_POLL_FOREVER
			    : uk_poll_deadline_ns((uint64_t)sec * NSEC + (uint64_t)nsec);
	return 0;
}

/* What is left of deadline, in ns (0 when it had none to give). */
static uint64_t left_ns(uint64_t deadline)
{
	return deadline == UK_POLL_NOW ? 0 : uk_poll_remaining_ns(deadline);
}

static void ts_write_back(struct timespec_abi *ts, uint64_t deadline)
{
	uint64_t ns;

	if (!ts || deadline == UK_POLL_FOREVER)
		return;
	ns = left_ns(deadline);
	*ts = (struct timespec_abi){ (long)(ns / NSEC), (long)(ns % NSEC) };
}

static int ts_deadline(const struct timespec_abi *ts, uint64_t *deadline)
{
	if (!ts) {
		*deadline = UK_POLL_FOREVER;
		return 0;
	}
	return deadline_of(ts->sec, ts->nsec, deadline);
}

long uk_sys_poll(long fds, long nfds, long timeout, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return uk_poll_fds((struct uk_pollfd *)fds, (unsigned long)nfds,
			   uk_poll_deadline_ms((int)timeout));
}

long uk_sys_ppoll(long fds, long nfds, long tsp, long sigmask, long sigsize,
		  long a5)
{
	struct timespec_abi *ts = (struct timespec_abi *)tsp;
	uint64_t deadline;
	long r;

	(void)a5;
	if (sigmask && sigsize != SIGSET_BYTES)
		return -EINVAL;
	r = ts_deadline(ts, &deadline);
	if (r)
		return r;
	r = uk_poll_fds((struct uk_pollfd *)fds, (unsigned long)nfds, deadline);
	ts_write_back(ts, deadline);
	return r;
}

long uk_sys_select(long nfds, long rfds, long wfds, long efds, long tvp,
		   long a5)
{
	struct timeval_abi *tv = (struct timeval_abi *)tvp;
	uint64_t deadline = UK_POLL_FOREVER, ns;
	long r;

	(void)a5;
	if (tv) {
		if (tv->usec < 0 || tv->usec >= NSEC / 1000)
			return -EINVAL;
		r = deadline_of(tv->sec, tv->usec * 1000, &deadline);
		if (r)
			return r;
	}
	r = uk_select((int)nfds, (unsigned long *)rfds, (unsigned long *)wfds,
		      (unsigned long *)efds, deadline);
	if (tv && deadline != UK_POLL_FOREVER) {
		ns = left_ns(deadline);
		*tv = (struct timeval_abi){ (long)(ns / NSEC),
					    (long)(ns % NSEC / 1000) };
	}
	return r;
}

long uk_sys_pselect6(long nfds, long rfds, long wfds, long efds, long tsp,
		     long sigp)
{
	const struct sigset_arg_abi *sig = (const struct sigset_arg_abi *)sigp;
	struct timespec_abi *ts = (struct timespec_abi *)tsp;
	uint64_t deadline;
	long r;

	if (sig && sig->set && sig->size != SIGSET_BYTES)
		return -EINVAL;
	r = ts_deadline(ts, &deadline);
	if (r)
		return r;
	r = uk_select((int)nfds, (unsigned long *)rfds, (unsigned long *)wfds,
		      (unsigned long *)efds, deadline);
	ts_write_back(ts, deadline);
	return r;
}
