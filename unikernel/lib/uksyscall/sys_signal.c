/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signals are never delivered. The mask is kept so that sigprocmask
 * answers truthfully, and a signal sent to ourselves (abort() raises
 * SIGABRT) ends the guest with a crash report naming it.
 */
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/syscall_impl.h>

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define UK_PID 1

static uint64_t blocked;

long uk_sys_rt_sigprocmask(long how, long set, long old, long size, long a4,
			   long a5)
{
	(void)a4, (void)a5;
	if (size != 8)
		return -EINVAL;
	if (old)
		*(uint64_t *)old = blocked;
	if (!set)
		return 0;
	uint64_t s = *(const uint64_t *)set;
	switch (how) {
	case SIG_BLOCK:
		blocked |= s;
		return 0;
	case SIG_UNBLOCK:
		blocked &= ~s;
		return 0;
	case SIG_SETMASK:
		blocked = s;
		return 0;
	default:
		return -EINVAL;
	}
}

static const char *signal_name(long sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP",	  [2] = "SIGINT",   [3] = "SIGQUIT",
		[4] = "SIGILL",	  [5] = "SIGTRAP",  [6] = "SIGABRT",
		[7] = "SIGBUS",	  [8] = "SIGFPE",   [9] = "SIGKILL",
		[11] = "SIGSEGV", [13] = "SIGPIPE", [14] = "SIGALRM",
		[15] = "SIGTERM",
	};
	return sig > 0 && sig < (long)(sizeof(names) / sizeof(names[0])) && names[sig]
		       ? names[sig]
		       : "signal";
}

static long signal_self(long pid, long sig)
{
	if (pid != UK_PID && pid != 0 && pid != -1)
		return -ESRCH;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (sig == 0)
		return 0;
	/* Nothing can catch it: the default action of the ones that matter
	 * is to terminate, so do that, loudly, with the status a shell gives
	 * a process killed by it. */
	uk_crash(UNITUNE_CRASH_SIGNAL_BASE + (int)sig, "killed by signal %ld (%s)",
		 sig, signal_name(sig));
}

long uk_sys_kill(long pid, long sig, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return signal_self(pid, sig);
}

long uk_sys_tkill(long tid, long sig, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return signal_self(tid, sig);
}

long uk_sys_tgkill(long tgid, long tid, long sig, long a3, long a4, long a5)
{
	(void)tid, (void)a3, (void)a4, (void)a5;
	return signal_self(tgid, sig);
}
