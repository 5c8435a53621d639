/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The signals layer (CONFIG_UKSIGNAL): one process, its dispositions, one
 * mask and one set of pending signals shared by its threads, interval
 * timers, and delivery at the return of a syscall (the safe point: every
 * register the caller can see is in the syscall frame). See README.md.
 *
 * Contract for the rest of the kernel:
 *  - uk_signal_raise marks a signal pending (or drops it when its
 *    disposition ignores it); it never runs a handler itself.
 *  - uk_signal_syscall_return (called by arch/x86_64/syscall_entry.S after
 *    every syscall) delivers what is pending and not blocked: it rewrites
 *    the syscall frame so that the return lands in the handler, or ends the
 *    guest for a default action that terminates.
 *  - uk_signal_wait is the interruptible wait of pause, sigsuspend and
 *    nanosleep: it returns -EINTR as soon as a signal can be delivered.
 */
#ifndef UK_SIGNAL_H
#define UK_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <uk/syscall_impl.h>

#define UK_NSIG 64
#define UK_SIGBIT(sig) (1ULL << ((sig) - 1))

#define UK_SIGHUP 1
#define UK_SIGABRT 6
#define UK_SIGKILL 9
#define UK_SIGPIPE 13
#define UK_SIGALRM 14
#define UK_SIGTERM 15
#define UK_SIGSTOP 19

/* si_code values (Linux's). */
#define UK_SI_USER 0
#define UK_SI_KERNEL 0x80
#define UK_SI_TIMER (-2)
#define UK_SI_TKILL (-6)

/* struct siginfo as Linux lays it out for the fields we fill. */
struct uk_siginfo {
	int32_t signo, errno_, code, pad_;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
		} kill;
		struct {
			int32_t tid, overrun;
			uint64_t value;
		} timer;
		uint8_t pad[112];
	} u;
};
_Static_assert(sizeof(struct uk_siginfo) == 128, "siginfo is 128 bytes");

/* The saved registers of a syscall, as syscall_entry.S pushes them from
 * the top of the syscall stack down (lowest address first). */
struct uk_syscall_frame {
	uint64_t r9, r8, r10, rdx, rsi, rdi, r15, r14, r13, r12, rbx, rbp;
	uint64_t record_rip, rflags, rip, rsp;
};
_Static_assert(sizeof(struct uk_syscall_frame) == 128, "see syscall_entry.S");

/* The frame of the syscall the current thread is in (lib/uksyscall). */
struct uk_syscall_frame *uk_syscall_frame(void);

/* Make sig (1..64) pending with info (its signo is set here). */
void uk_signal_raise(int sig, const struct uk_siginfo *info);
/* A syscall nr returned -EPIPE: raise SIGPIPE unless flags (a send's)
 * carry MSG_NOSIGNAL. */
void uk_signal_epipe(unsigned long nr, long flags);
/* Called with the syscall's result; returns the value rax gets. */
long uk_signal_syscall_return(long ret);
/*
 * Wait until a signal can be delivered (-EINTR) or, when deadline_ns (on
 * the monotonic clock) is not 0, until it passes (0). Timers fire during
 * the wait.
 */
long uk_signal_wait(uint64_t deadline_ns);

/* State shared by signal.c, frame.c and timer.c (one instance, signal.c). */
struct uk_sigaction_k {
	uint64_t handler, flags, restorer, mask;
};

struct uk_signal_state {
	struct uk_sigaction_k act[UK_NSIG + 1];
	struct uk_siginfo info[UK_NSIG + 1]; /* of each pending signal */
	uint64_t blocked, pending;
	/* sigsuspend: the mask to restore once its signal is delivered. */
	uint64_t suspend_mask;
	bool suspended;
	uint64_t altstack_sp, altstack_size;
	int32_t altstack_flags;
};
struct uk_signal_state *uk_signal_state(void);

#define UK_SIG_DFL 0
#define UK_SIG_IGN 1
#define UK_SA_SIGINFO 0x4
#define UK_SA_ONSTACK 0x08000000
#define UK_SA_RESTART 0x10000000
#define UK_SA_NODEFER 0x40000000
#define UK_SA_RESETHAND 0x80000000
#define UK_SA_RESTORER 0x04000000
#define UK_SS_ONSTACK 1
#define UK_SS_DISABLE 2
#define UK_MINSIGSTKSZ 2048

/* frame.c: build the handler's frame; false when it cannot (no room). */
bool uk_signal_frame_push(struct uk_syscall_frame *f, int sig, long ret,
			  uint64_t old_mask);

/* timer.c: raise the signals of the timers that are due; the nearest
 * deadline still armed, in monotonic ns (0: none). Reads the clock only
 * when a timer is armed. */
uint64_t uk_signal_timers_poll(void);

UK_SYSCALL_DECL(rt_sigaction);
UK_SYSCALL_DECL(rt_sigpending);
UK_SYSCALL_DECL(rt_sigsuspend);
UK_SYSCALL_DECL(rt_sigreturn);
UK_SYSCALL_DECL(sigaltstack);
UK_SYSCALL_DECL(pause);
UK_SYSCALL_DECL(setitimer);
UK_SYSCALL_DECL(getitimer);
UK_SYSCALL_DECL(alarm);
UK_SYSCALL_DECL(timer_create);
UK_SYSCALL_DECL(timer_settime);
UK_SYSCALL_DECL(timer_gettime);
UK_SYSCALL_DECL(timer_getoverrun);
UK_SYSCALL_DECL(timer_delete);

#endif
