/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest tests of lib/uksignal. Calls that must deliver go through the
 * syscall instruction (sys4 below), so that syscall_entry.S's return path
 * runs the handler and the restorer's rt_sigreturn comes back; the rest
 * call the dispatcher. A handler can only report through a global: the
 * `seen` record, cleared by each case. Each case leaves every disposition
 * it set back at SIG_DFL and the mask empty.
 */
#include <uk/errno.h>
#include <uk/signal.h>
#include <uk/string.h>
#include <uk/test.h>

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5);

#define SIGUSR1 10
#define SIGUSR2 12
#define SIGCHLD 17
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define MSG_NOSIGNAL 0x4000
#define CLOCK_MONOTONIC 1
#define ITIMER_VIRTUAL 1

_Static_assert(SYS_rt_sigreturn == 15, "the restorer below hard-codes it");
void uksignal_test_restorer(void);
__asm__(".pushsection .text.uksignal_test_restorer, \"ax\"\n"
	".globl uksignal_test_restorer\n"
	"uksignal_test_restorer:\n"
	"\tmovq $15, %rax\n"
	"\tsyscall\n"
	"\tud2\n"
	".popsection\n");

static long sys4(long nr, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static struct {
	int count, signo, info_signo, code, pid;
	uint64_t uc_mask, stack_addr;
} seen;

static void on_signal(int sig, struct uk_siginfo *si, void *uc)
{
	int local;

	seen.count++;
	seen.signo = sig;
	seen.info_signo = si->signo;
	seen.code = si->code;
	seen.pid = si->u.kill.pid;
	/* uc_sigmask, at its offset in musl's ucontext_t. */
	seen.uc_mask = *(const uint64_t *)((const char *)uc + 296);
	seen.stack_addr = (uint64_t)&local;
}

static long install(int sig, uint64_t handler, uint64_t flags, uint64_t mask)
{
	struct uk_sigaction_k a = {
		.handler = handler,
		.flags = flags | UK_SA_RESTORER | UK_SA_SIGINFO,
		.restorer = (uint64_t)uksignal_test_restorer,
		.mask = mask,
	};

	memset(&seen, 0, sizeof(seen));
	return uk_syscall_dispatch(SYS_rt_sigaction, sig, (long)&a, 0, 8, 0, 0);
}

static void reset(int sig)
{
	struct uk_sigaction_k dfl = { 0 };
	uint64_t none = 0;

	uk_syscall_dispatch(SYS_rt_sigaction, sig, (long)&dfl, 0, 8, 0, 0);
	uk_syscall_dispatch(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, 8, 0, 0);
}

static uint64_t pending(void)
{
	uint64_t set = ~0ULL;

	uk_syscall_dispatch(SYS_rt_sigpending, (long)&set, 8, 0, 0, 0, 0);
	return set;
}

UK_TESTCASE(uksignal, sigaction_round_trip)
{
	struct uk_sigaction_k old = { 0 };

	UK_EXPECT_EQ(install(SIGUSR1, (uint64_t)on_signal, UK_SA_RESTART,
			     UK_SIGBIT(SIGUSR2) | UK_SIGBIT(UK_SIGKILL)), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8, 0, 0), 0);
	UK_EXPECT_EQ(old.handler, (uint64_t)on_signal);
	UK_EXPECT_EQ(old.flags, UK_SA_RESTART | UK_SA_RESTORER | UK_SA_SIGINFO);
	UK_EXPECT_EQ(old.restorer, (uint64_t)uksignal_test_restorer);
	/* SIGKILL can never be blocked, not even by a handler's mask. */
	UK_EXPECT_EQ(old.mask, UK_SIGBIT(SIGUSR2));
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigaction, UK_SIGKILL, (long)&old, 0, 8, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigaction, UK_SIGSTOP, (long)&old, 0, 8, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigaction, 65, 0, (long)&old, 8, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 4, 0, 0), -EINVAL);
	reset(SIGUSR1);
}

UK_TESTCASE(uksignal, handler_gets_signo_and_siginfo)
{
	install(SIGUSR1, (uint64_t)on_signal, 0, UK_SIGBIT(SIGUSR2));
	/* The kill's own result comes back through rt_sigreturn. */
	UK_EXPECT_EQ(sys4(SYS_kill, 1, SIGUSR1, 0, 0), 0);
	UK_EXPECT_EQ(seen.count, 1);
	UK_EXPECT_EQ(seen.signo, SIGUSR1);
	UK_EXPECT_EQ(seen.info_signo, SIGUSR1);
	UK_EXPECT_EQ(seen.code, UK_SI_USER);
	UK_EXPECT_EQ(seen.pid, 1);
	UK_EXPECT_EQ(seen.uc_mask, 0);
	UK_EXPECT_EQ(sys4(SYS_tgkill, 1, 1, SIGUSR1, 0), 0);
	UK_EXPECT_EQ(seen.count, 2);
	UK_EXPECT_EQ(seen.code, UK_SI_TKILL);
	UK_EXPECT_EQ(sys4(SYS_kill, 42, SIGUSR1, 0, 0), -ESRCH);
	UK_EXPECT_EQ(seen.count, 2);
	reset(SIGUSR1);
}

UK_TESTCASE(uksignal, mask_blocks_then_delivers)
{
	uint64_t set = UK_SIGBIT(SIGUSR1), mask = 0;

	install(SIGUSR1, (uint64_t)on_signal, 0, 0);
	UK_EXPECT_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 8), 0);
	UK_EXPECT_EQ(sys4(SYS_kill, 1, SIGUSR1, 0, 0), 0);
	UK_EXPECT_EQ(sys4(SYS_kill, 1, SIGUSR1, 0, 0), 0);
	UK_EXPECT_EQ(seen.count, 0);
	UK_EXPECT_EQ(pending(), UK_SIGBIT(SIGUSR1));
	UK_EXPECT_EQ(sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&set, 0, 8), 0);
	/* Standard signals merge: one delivery for the two kills. */
	UK_EXPECT_EQ(seen.count, 1);
	UK_EXPECT_EQ(pending(), 0);
	/* The handler ran with its own signal blocked; the mask is back. */
	uk_syscall_dispatch(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, 8, 0, 0);
	UK_EXPECT_EQ(mask, 0);
	reset(SIGUSR1);
}

UK_TESTCASE(uksignal, resethand_runs_once)
{
	struct uk_sigaction_k old = { .handler = 99 };

	install(SIGUSR2, (uint64_t)on_signal, UK_SA_RESETHAND, 0);
	UK_EXPECT_EQ(sys4(SYS_tkill, 1, SIGUSR2, 0, 0), 0);
	UK_EXPECT_EQ(seen.count, 1);
	uk_syscall_dispatch(SYS_rt_sigaction, SIGUSR2, 0, (long)&old, 8, 0, 0);
	UK_EXPECT_EQ(old.handler, UK_SIG_DFL);
	reset(SIGUSR2);
}

UK_TESTCASE(uksignal, ignored_signals_are_dropped)
{
	uint64_t set = UK_SIGBIT(SIGUSR1) | UK_SIGBIT(SIGCHLD);

	/* Default-ignored, unblocked: nothing happens. */
	UK_EXPECT_EQ(sys4(SYS_kill, 1, SIGCHLD, 0, 0), 0);
	UK_EXPECT_EQ(pending(), 0);
	/* Blocked, an ignored one waits; setting SIG_IGN discards it. */
	uk_syscall_dispatch(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 8, 0, 0);
	uk_syscall_dispatch(SYS_kill, 1, SIGUSR1, 0, 0, 0, 0);
	UK_EXPECT_EQ(pending(), UK_SIGBIT(SIGUSR1));
	install(SIGUSR1, UK_SIG_IGN, 0, 0);
	UK_EXPECT_EQ(pending(), 0);
	reset(SIGUSR1);
}

UK_TESTCASE(uksignal, epipe_raises_sigpipe_for_writes_only)
{
	uint64_t set = UK_SIGBIT(UK_SIGPIPE);

	uk_syscall_dispatch(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 8, 0, 0);
	uk_signal_epipe(SYS_sendto, MSG_NOSIGNAL);
	uk_signal_epipe(SYS_sendmsg, MSG_NOSIGNAL);
	uk_signal_epipe(SYS_rt_sigreturn, 0);
	UK_EXPECT_EQ(pending(), 0);
	uk_signal_epipe(SYS_write, 0);
	UK_EXPECT_EQ(pending(), UK_SIGBIT(UK_SIGPIPE));
	install(UK_SIGPIPE, UK_SIG_IGN, 0, 0);
	UK_EXPECT_EQ(pending(), 0);
	reset(UK_SIGPIPE);
}

UK_TESTCASE(uksignal, altstack_is_used)
{
	static uint8_t alt[16384] __attribute__((aligned(16)));
	struct { uint64_t sp; int32_t flags, pad; uint64_t size; } ss = {
		(uint64_t)alt, 0, 0, sizeof(alt) }, old = { 0 };

	UK_EXPECT_EQ(sys4(SYS_sigaltstack, (long)&ss, 0, 0, 0), 0);
	install(SIGUSR2, (uint64_t)on_signal, UK_SA_ONSTACK, 0);
	UK_EXPECT_EQ(sys4(SYS_kill, 1, SIGUSR2, 0, 0), 0);
	UK_EXPECT_EQ(seen.count, 1);
	UK_EXPECT(seen.stack_addr >= (uint64_t)alt &&
		  seen.stack_addr < (uint64_t)alt + sizeof(alt));
	/* Without SA_ONSTACK, the current stack. */
	install(SIGUSR2, (uint64_t)on_signal, 0, 0);
	UK_EXPECT_EQ(sys4(SYS_kill, 1, SIGUSR2, 0, 0), 0);
	UK_EXPECT(seen.stack_addr < (uint64_t)alt ||
		  seen.stack_addr >= (uint64_t)alt + sizeof(alt));
	ss.size = 100;
	UK_EXPECT_EQ(sys4(SYS_sigaltstack, (long)&ss, 0, 0, 0), -ENOMEM);
	ss.flags = 5;
	UK_EXPECT_EQ(sys4(SYS_sigaltstack, (long)&ss, 0, 0, 0), -EINVAL);
	ss.flags = UK_SS_DISABLE;
	UK_EXPECT_EQ(sys4(SYS_sigaltstack, (long)&ss, (long)&old, 0, 0), 0);
	UK_EXPECT_EQ(old.sp, (uint64_t)alt);
	UK_EXPECT_EQ(old.flags, 0);
	UK_EXPECT_EQ(sys4(SYS_sigaltstack, 0, (long)&old, 0, 0), 0);
	UK_EXPECT_EQ(old.flags, UK_SS_DISABLE);
	reset(SIGUSR2);
}

UK_TESTCASE(uksignal, timers_keep_their_state)
{
	struct { int64_t isec, insec, sec, nsec; } its = { 0, 0, 10, 0 }, cur;
	struct { uint64_t value; int32_t signo, notify, tid, pad; } ev = {
		7, SIGUSR2, 0, 0, 0 };
	int32_t ids[CONFIG_UKSIGNAL_TIMERS + 1];
	int n;

	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_create, CLOCK_MONOTONIC,
					 (long)&ev, (long)&ids[0], 0, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_gettime, ids[0], (long)&cur, 0, 0, 0, 0), 0);
	UK_EXPECT_EQ(cur.sec | cur.nsec, 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_settime, ids[0], 0, (long)&its, 0, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_gettime, ids[0], (long)&cur, 0, 0, 0, 0), 0);
	UK_EXPECT(cur.sec <= 10 && (cur.sec || cur.nsec));
	for (n = 1; n <= CONFIG_UKSIGNAL_TIMERS; n++)
		if (uk_syscall_dispatch(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev,
					(long)&ids[n], 0, 0, 0))
			break;
	UK_EXPECT_EQ(n, CONFIG_UKSIGNAL_TIMERS);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev,
					 (long)&ids[0] + 0, 0, 0, 0), -EAGAIN);
	while (n-- > 0)
		UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_delete, ids[n], 0, 0, 0, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_gettime, ids[0], (long)&cur, 0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_timer_create, 99, (long)&ev, (long)&ids[0], 0, 0, 0), -EINVAL);
	/* alarm answers with what was left, rounded to the second. */
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_alarm, 100, 0, 0, 0, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_alarm, 0, 0, 0, 0, 0, 0), 100);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_getitimer, ITIMER_VIRTUAL, (long)&cur, 0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(pending(), 0);
}
