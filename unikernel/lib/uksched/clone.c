/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP + UKSCHED_THREADS: the thread system calls behind musl's
 * pthreads. clone makes a cooperative thread that starts at the child's
 * return from the syscall, on the stack and with the TLS the caller gave;
 * exit ends one thread (clearing and waking its CLONE_CHILD_CLEARTID word,
 * which is how pthread_join and musl's thread-list lock learn of it), and
 * the guest ends when the last one exits; exit_group ends it at once
 * (lib/uksyscall). These replace lib/uksyscall's one-thread answers for
 * exit, gettid and set_tid_address (weak there).
 *
 * Only the flag set of musl's pthread_create is a thread we can make:
 * everything shared (VM, FS, FILES, SIGHAND, THREAD, SYSVSEM) must be
 * asked for, SETTLS, PARENT_SETTID, CHILD_CLEARTID and DETACHED (ignored
 * by Linux too) may be; a clone without CLONE_VM or CLONE_THREAD would be
 * a new process (fork, vfork, posix_spawn): -ENOSYS; any other mix:
 * -EINVAL.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/exit.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include <uk/futex.h>
#include <uk/print.h>
#include "coop.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_THREAD 0x00010000
#define CLONE_SYSVSEM 0x00040000
#define CSIGNAL 0x000000ff

#define CLONE_SHARED                                                           \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |    \
	 CLONE_SYSVSEM)
#define CLONE_OPTIONAL                                                         \
	(CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID |           \
	 CLONE_DETACHED)

#define UK_PID 1
/* The thread stack the child's kernel side needs: it only copies the
 * frame below and leaves for the caller's own stack. */
#define CLONE_KSTACK 4096

/*
 * What arch/x86_64/syscall_entry.S saves at the top of the syscall stack,
 * lowest address first: the syscall's argument registers, the callee-saved
 * ones, a frame record's return address, the caller's RFLAGS, return
 * address and stack pointer. The child leaves the syscall with the same
 * registers but rax = 0 and rsp = the new stack (clone_entry.S).
 */
struct syscall_frame {
	uint64_t r9, r8, r10, rdx, rsi, rdi;
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t frame_rip, rflags, rip, rsp;
};

/* clone_entry.S: load frame's registers, rax = 0, and return to the
 * caller's code. */
__noreturn void uksched_clone_return(const struct syscall_frame *frame);

/* Threads that have not called exit, main included; the guest ends when
 * the last one does. Thread context only (cooperative). */
static int live_threads = 1;
static int next_tid = UK_PID + 1;

static void clone_child_start(void *arg)
{
	struct syscall_frame frame = *(struct syscall_frame *)arg;

	uk_free(uk_alloc_default(), arg);
	uksched_clone_return(&frame);
}

static long check_flags(unsigned long flags)
{
	if ((flags & (CLONE_VM | CLONE_THREAD)) != (CLONE_VM | CLONE_THREAD))
		return -ENOSYS;
	if ((flags & CLONE_SHARED) != CLONE_SHARED ||
	    (flags & ~(CLONE_SHARED | CLONE_OPTIONAL)))
		return -EINVAL;
	return 0;
}

long uk_sys_clone(long flags, long stack, long ptid, long ctid, long tls,
		  long a5)
{
	struct uk_thread *self = uksched_self(), *t;
	struct syscall_frame *start;
	char name[16];
	long err;

	(void)a5;
	err = check_flags((unsigned long)flags);
	if (err)
		return err;
	if (!stack)
		return -EINVAL;
	start = uk_malloc(uk_alloc_default(), sizeof(*start));
	if (!start)
		return -EAGAIN;
	/* The caller's registers as it entered this syscall. */
	*start = *(const struct syscall_frame *)(self->sys_stack_top -
						 sizeof(*start));
	start->rsp = (uint64_t)stack;
	uk_snprintf(name, sizeof(name), "tid %d", next_tid);
	t = uk_thread_create(name, clone_child_start, start, CLONE_KSTACK);
	if (!t) {
		uk_free(uk_alloc_default(), start);
		return -EAGAIN;
	}
	/* It runs when we block or yield: set it up before. */
	t->tid = next_tid++;
	t->detached = true;
	if (flags & CLONE_SETTLS)
		t->fs_base = (uint64_t)tls;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_tid = (int *)ctid;
	if ((flags & CLONE_PARENT_SETTID) && ptid)
		*(int *)ptid = t->tid;
	live_threads++;
	return t->tid;
}

long uk_sys_exit(long status, long a1, long a2, long a3, long a4, long a5)
{
	struct uk_thread *self = uksched_self();

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (self->clear_tid) {
		*self->clear_tid = 0;
		uk_futex_wake((uint32_t *)self->clear_tid, 1);
	}
	if (--live_threads == 0)
		uk_exit((int)status);
	uksched_exit_detached();
}

long uk_sys_gettid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	const struct uk_thread *self = uksched_self();

	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return self->tid ? self->tid : UK_PID;
}

long uk_sys_set_tid_address(long addr, long a1, long a2, long a3, long a4,
			    long a5)
{
	struct uk_thread *self = uksched_self();

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	self->clear_tid = (int *)addr;
	return self->tid ? self->tid : UK_PID;
}
