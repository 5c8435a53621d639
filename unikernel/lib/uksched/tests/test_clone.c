/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP + UKSCHED_THREADS: clone through the syscall instruction,
 * as musl makes it: the child starts at the return from the syscall on
 * its own stack with rax = 0 and the caller's other registers, its own
 * FS base and tid; its exit clears and wakes the CLONE_CHILD_CLEARTID
 * word; the flag sets that are not a thread are refused.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/futex.h>
#include <uk/syscall_impl.h>
#include <uk/test.h>
#include <uk/x86.h>

#define CLONE_VM 0x00000100
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define SIGCHLD 17
/* What musl 1.2.3's pthread_create passes. */
#define MUSL_THREAD_FLAGS 0x7d0f00L
#define STACK_BYTES 16384
#define FAKE_TLS 0x7e57000UL

struct child_seen {
	long tid;
	uint64_t fs_base;
	uintptr_t local;
	long magic;	/* from a callee-saved register kept across clone */
};

/*
 * long test_raw_clone(flags, stack, ptid, ctid, tls, fn, arg): clone;
 * the child calls fn(arg) on the new stack (16-byte aligned) and exits
 * with its result. arg travels in rbx, which the child must get back
 * from the parent's registers like every other one.
 */
long test_raw_clone(long flags, void *stack, int *ptid, int *ctid, long tls,
		    long (*fn)(void *), void *arg);
__asm__(".text\n"
	".type test_raw_clone, @function\n"
	"test_raw_clone:\n"
	"	pushq %rbx\n"
	"	movq 16(%rsp), %rbx\n"
	"	movq %rcx, %r10\n"
	"	movl $56, %eax\n" /* SYS_clone */
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jnz 1f\n"
	"	xorl %ebp, %ebp\n"
	"	movq %rbx, %rdi\n"
	"	call *%r9\n"
	"	movq %rax, %rdi\n"
	"	movl $60, %eax\n" /* SYS_exit */
	"	syscall\n"
	"	ud2\n"
	"1:	popq %rbx\n"
	"	ret\n"
	".size test_raw_clone, . - test_raw_clone\n");

static long raw_syscall0(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static long child(void *arg)
{
	struct child_seen *seen = arg;
	int local = 0;

	seen->tid = raw_syscall0(SYS_gettid);
	seen->fs_base = rdmsr(MSR_FS_BASE);
	seen->local = (uintptr_t)&local;
	seen->magic = 0x5eed;
	return 3;
}

UK_TESTCASE(clone, child_runs_on_its_stack_with_its_tls_and_tid)
{
	struct uk_alloc *a = uk_alloc_default();
	char *stack = uk_memalign(a, 16, STACK_BYTES);
	struct child_seen seen = { 0, 0, 0, 0 };
	int ptid = 0, ctid = -1;
	uint64_t fs_before = rdmsr(MSR_FS_BASE);
	long tid;

	UK_ASSERT_TRUE(stack != NULL);
	tid = test_raw_clone(MUSL_THREAD_FLAGS, stack + STACK_BYTES, &ptid,
			     &ctid, (long)FAKE_TLS, child, &seen);
	UK_EXPECT(tid > 1);
	UK_EXPECT_EQ(ptid, tid);
	/* The child has not run: it waits for us to block, as a join does. */
	UK_EXPECT_EQ(seen.magic, 0);
	while (ctid != 0)
		uk_sys_futex((long)&ctid, FUTEX_WAIT, ctid, 0, 0, 0);
	UK_EXPECT_EQ(seen.magic, 0x5eed);
	UK_EXPECT_EQ(seen.tid, tid);
	UK_EXPECT_EQ(seen.fs_base, FAKE_TLS);
	UK_EXPECT(seen.local > (uintptr_t)stack &&
		  seen.local < (uintptr_t)stack + STACK_BYTES);
	/* Ours was saved and is back. */
	UK_EXPECT_EQ(rdmsr(MSR_FS_BASE), fs_before);
	UK_EXPECT_EQ(raw_syscall0(SYS_gettid), 1);
	uk_free(a, stack);
}

UK_TESTCASE(clone, tids_are_new_for_each_thread)
{
	struct uk_alloc *a = uk_alloc_default();
	char *stack = uk_memalign(a, 16, STACK_BYTES);
	struct child_seen s1 = { 0, 0, 0, 0 }, s2 = { 0, 0, 0, 0 };
	int ctid1 = -1, ctid2 = -1;
	long t1, t2;

	UK_ASSERT_TRUE(stack != NULL);
	/* Without CLONE_SETTLS the child keeps its parent's FS base. */
	t1 = test_raw_clone(MUSL_THREAD_FLAGS & ~0x80000L,
			    stack + STACK_BYTES / 2, NULL, &ctid1, 0, child, &s1);
	t2 = test_raw_clone(MUSL_THREAD_FLAGS, stack + STACK_BYTES, NULL,
			    &ctid2, (long)FAKE_TLS, child, &s2);
	UK_EXPECT(t1 > 1 && t2 > t1);
	while (ctid1 || ctid2)
		uk_sys_futex((long)(ctid1 ? &ctid1 : &ctid2), FUTEX_WAIT,
			     ctid1 ? ctid1 : ctid2, 0, 0, 0);
	UK_EXPECT_EQ(s1.tid, t1);
	UK_EXPECT_EQ(s2.tid, t2);
	UK_EXPECT_EQ(s1.fs_base, rdmsr(MSR_FS_BASE));
	UK_EXPECT_EQ(s2.fs_base, FAKE_TLS);
	uk_free(a, stack);
}

UK_TESTCASE(clone, other_flag_sets_are_refused)
{
	char stack[64];

	/* fork and vfork are new processes. */
	UK_EXPECT_EQ(uk_sys_clone(SIGCHLD, 0, 0, 0, 0, 0), -ENOSYS);
	UK_EXPECT_EQ(uk_sys_clone(CLONE_VM | SIGCHLD, (long)stack, 0, 0, 0, 0),
		     -ENOSYS);
	/* A thread that does not share everything, or asks for more. */
	UK_EXPECT_EQ(uk_sys_clone(CLONE_VM | CLONE_THREAD, (long)stack, 0, 0,
				  0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_sys_clone(MUSL_THREAD_FLAGS | CLONE_NEWNS, (long)stack,
				  0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_sys_clone(MUSL_THREAD_FLAGS | SIGCHLD, (long)stack, 0,
				  0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_sys_clone(MUSL_THREAD_FLAGS, 0, 0, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(clone, set_tid_address_answers_the_tid)
{
	UK_EXPECT_EQ(uk_sys_set_tid_address(0, 0, 0, 0, 0, 0), 1);
	UK_EXPECT_EQ(uk_sys_gettid(0, 0, 0, 0, 0, 0), 1);
}
