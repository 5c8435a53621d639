/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dispositions, the mask, pending signals and their delivery at the return
 * of a syscall (see uk/signal.h for the contract, README.md for what is
 * left out). One process: kill reaches it as pid 1 (or 0, -1), tkill and
 * tgkill reach it through any tid, and a signal is delivered to whichever
 * thread next returns from a syscall with it unblocked.
 */
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/exit.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/signal.h>
#include <uk/string.h>
#include <uk/switch.h>
#include <unitune/abi.h>

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define UK_PID 1
#define MSG_NOSIGNAL 0x4000
#define SIGSET_BYTES 8
/* Neither can be caught, blocked nor ignored. */
#define UNBLOCKABLE (UK_SIGBIT(UK_SIGKILL) | UK_SIGBIT(UK_SIGSTOP))

static struct uk_signal_state state;
/* Where pause, sigsuspend and nanosleep wait for a signal from another
 * thread. */
static struct uk_waitq signal_wq = UK_WAITQ_INIT;

struct uk_signal_state *uk_signal_state(void)
{
	return &state;
}

static bool valid_signal(long sig)
{
	return sig >= 1 && sig <= UK_NSIG;
}

/* Linux's default actions: ignore, or terminate (with a core for some).
 * No job control: the stop signals are ignored, as nothing could
 * continue us. */
enum dfl { DFL_TERM, DFL_CORE, DFL_IGN };

static enum dfl default_action(int sig)
{
	switch (sig) {
	case 17: /* SIGCHLD */
	case 18: /* SIGCONT */
	case 19: /* SIGSTOP */
	case 20: /* SIGTSTP */
	case 21: /* SIGTTIN */
	case 22: /* SIGTTOU */
	case 23: /* SIGURG */
	case 28: /* SIGWINCH */
		return DFL_IGN;
	case 3: case 4: case 5: case 6: case 7: case 8: case 11: case 24:
	case 25: case 31:
		return DFL_CORE;
	default:
		return DFL_TERM;
	}
}

static const char *signal_name(int sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP",	   [2] = "SIGINT",    [3] = "SIGQUIT",
		[4] = "SIGILL",	   [5] = "SIGTRAP",   [6] = "SIGABRT",
		[7] = "SIGBUS",	   [8] = "SIGFPE",    [9] = "SIGKILL",
		[10] = "SIGUSR1",  [11] = "SIGSEGV",  [12] = "SIGUSR2",
		[13] = "SIGPIPE",  [14] = "SIGALRM",  [15] = "SIGTERM",
		[16] = "SIGSTKFLT", [24] = "SIGXCPU", [25] = "SIGXFSZ",
		[26] = "SIGVTALRM", [27] = "SIGPROF", [29] = "SIGIO",
		[30] = "SIGPWR",   [31] = "SIGSYS",
	};
	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) && names[sig])
		return names[sig];
	return sig >= 32 ? "real-time signal" : "signal";
}

static bool ignored(int sig)
{
	uint64_t h = state.act[sig].handler;

	return h == UK_SIG_IGN || (h == UK_SIG_DFL && default_action(sig) == DFL_IGN);
}

void uk_signal_raise(int sig, const struct uk_siginfo *info)
{
	unsigned long flags;

	/* An ignored signal is dropped when sent, unless blocked: then it
	 * waits, in case the disposition changes before the unblock. */
	if (sig != UK_SIGKILL && ignored(sig) && !(state.blocked & UK_SIGBIT(sig)))
		return;
	flags = arch_irq_save();
	/* Standard signals do not queue: a second one while pending merges
	 * with the first (real-time ones merge too: see README.md). */
	if (!(state.pending & UK_SIGBIT(sig))) {
		state.info[sig] = *info;
		state.info[sig].signo = sig;
	}
	state.pending |= UK_SIGBIT(sig);
	arch_irq_restore(flags);
	uk_waitq_wake_all(&signal_wq);
}

static void raise_from_self(int sig, int code)
{
	struct uk_siginfo info = { .code = code };

	info.u.kill.pid = UK_PID;
	uk_signal_raise(sig, &info);
}

/* Only the calls that write raise it: rt_sigreturn, for one, may return
 * an interrupted write's -EPIPE, whose signal was already sent. */
void uk_signal_epipe(unsigned long nr, long flags)
{
	switch (nr) {
	case SYS_sendto:
	case SYS_sendmsg:
		if (flags & MSG_NOSIGNAL)
			return;
		break;
	case SYS_write:
	case SYS_writev:
	case SYS_pwrite64:
	case SYS_pwritev:
		break;
	default:
		return;
	}
	raise_from_self(UK_SIGPIPE, UK_SI_USER);
}

/* The default action that terminates: the status a shell shows for a
 * process killed by sig. A core-dumping one is a crash worth a
 * backtrace; the others are an ordinary end. */
static __noreturn void terminate(int sig)
{
	if (default_action(sig) == DFL_CORE)
		uk_crash(UNITUNE_CRASH_SIGNAL_BASE + sig, "killed by signal %d (%s)",
			 sig, signal_name(sig));
	irq_disable();
	uk_printk("%s%skilled by signal %d (%s)\n",
		  plat_console_at_line_start() ? "" : "\n", UNITUNE_MSG_CRASH,
		  sig, signal_name(sig));
	uk_exit_crash(UNITUNE_CRASH_SIGNAL_BASE + sig);
}

static uint64_t deliverable(void)
{
	return state.pending & ~(state.blocked & ~UNBLOCKABLE);
}

long uk_signal_syscall_return(long ret)
{
	uk_signal_timers_poll();
	for (;;) {
		uint64_t ready = deliverable();
		uint64_t old_mask = state.suspended ? state.suspend_mask : state.blocked;
		int sig;

		if (!ready)
			break;
		sig = __builtin_ctzll(ready) + 1;
		state.pending &= ~UK_SIGBIT(sig);
		struct uk_sigaction_k *a = &state.act[sig];
		if (sig == UK_SIGKILL || a->handler == UK_SIG_DFL) {
			if (sig == UK_SIGKILL || default_action(sig) != DFL_IGN)
				terminate(sig);
			continue;
		}
		if (a->handler == UK_SIG_IGN)
			continue;
		if (!uk_signal_frame_push(uk_syscall_frame(), sig, ret, old_mask))
			terminate(11); /* Linux: no room for the frame is SIGSEGV */
		state.suspended = false;
		state.blocked = (old_mask | a->mask |
				 (a->flags & UK_SA_NODEFER ? 0 : UK_SIGBIT(sig))) &
				~UNBLOCKABLE;
		if (a->flags & UK_SA_RESETHAND)
			*a = (struct uk_sigaction_k){ 0 };
		/* One handler per return; the next signal waits for the
		 * handler's own syscalls, or its rt_sigreturn. */
		return 0;
	}
	if (state.suspended) {
		state.blocked = state.suspend_mask;
		state.suspended = false;
	}
	return ret;
}

long uk_signal_wait(uint64_t deadline_ns)
{
	long ret = 0;

	for (;;) {
		uint64_t next = uk_signal_timers_poll(), now;
		unsigned long flags;

		if (deliverable()) {
			ret = -EINTR;
			break;
		}
		now = uk_clock_monotonic_ns();
		if (deadline_ns && now >= deadline_ns)
			break;
		if (deadline_ns && (!next || deadline_ns < next))
			next = deadline_ns;
		/* A raise from an interrupt-free thread wakes the queue;
		 * checking again with interrupts off closes the gap. */
		flags = arch_irq_save();
		if (!deliverable()) {
			if (next)
				uk_waitq_wait_timeout(&signal_wq,
						      next > now ? next - now : 1);
			else
				uk_waitq_wait(&signal_wq);
		}
		arch_irq_restore(flags);
	}
	return ret;
}

long uk_sys_rt_sigaction(long sig, long act, long old, long size, long a4,
			 long a5)
{
	(void)a4, (void)a5;
	if (size != SIGSET_BYTES || !valid_signal(sig))
		return -EINVAL;
	if (act && (UNBLOCKABLE & UK_SIGBIT(sig)))
		return -EINVAL;
	if (old)
		*(struct uk_sigaction_k *)old = state.act[sig];
	if (!act)
		return 0;
	state.act[sig] = *(const struct uk_sigaction_k *)act;
	state.act[sig].mask &= ~UNBLOCKABLE;
	/* Setting a signal to be ignored discards it if pending (POSIX). */
	if (ignored((int)sig))
		state.pending &= ~UK_SIGBIT(sig);
	return 0;
}

long uk_sys_rt_sigprocmask(long how, long set, long old, long size, long a4,
			   long a5)
{
	(void)a4, (void)a5;
	if (size != SIGSET_BYTES)
		return -EINVAL;
	uint64_t s = set ? *(const uint64_t *)set & ~UNBLOCKABLE : 0;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (old)
		*(uint64_t *)old = state.blocked;
	if (!set)
		return 0;
	if (how == SIG_BLOCK)
		state.blocked |= s;
	else if (how == SIG_UNBLOCK)
		state.blocked &= ~s;
	else
		state.blocked = s;
	return 0;
}

long uk_sys_rt_sigpending(long set, long size, long a2, long a3, long a4,
			  long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (size != SIGSET_BYTES)
		return -EINVAL;
	*(uint64_t *)set = state.pending & state.blocked;
	return 0;
}

long uk_sys_rt_sigsuspend(long set, long size, long a2, long a3, long a4,
			  long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (size != SIGSET_BYTES)
		return -EINVAL;
	/* The handler runs under the temporary mask; the frame and the
	 * return restore the one before (see uk_signal_syscall_return). */
	state.suspend_mask = state.blocked;
	state.suspended = true;
	state.blocked = *(const uint64_t *)set & ~UNBLOCKABLE;
	return uk_signal_wait(0);
}

long uk_sys_pause(long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_signal_wait(0);
}

static long send_self(int sig, int code)
{
	if (sig < 0 || sig > UK_NSIG)
		return -EINVAL;
	if (sig)
		raise_from_self(sig, code);
	return 0;
}

long uk_sys_kill(long pid, long sig, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (pid != UK_PID && pid != 0 && pid != -1)
		return -ESRCH;
	return send_self((int)sig, UK_SI_USER);
}

long uk_sys_tkill(long tid, long sig, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (tid <= 0)
		return -EINVAL;
	return send_self((int)sig, UK_SI_TKILL);
}

long uk_sys_tgkill(long tgid, long tid, long sig, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != UK_PID)
		return -ESRCH;
	return send_self((int)sig, UK_SI_TKILL);
}
