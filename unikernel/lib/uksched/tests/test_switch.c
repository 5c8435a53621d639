/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP context switching: what a thread may rely on beyond its
 * registers. Backtraces end at the thread's first frame, the FPU/SSE
 * control words are per thread, and a thread blocked inside a syscall
 * keeps its syscall frames while others make syscalls.
 */
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/switch.h>
#include <uk/syscall_nr.h>
#include <uk/test.h>
#include <uk/x86.h>

#define MS 1000000ULL

/* ---- frame pointers ---------------------------------------------------- */

struct walk {
	int frames;
	int ended_at_zero;
	uintptr_t last_return;
};

static __attribute__((noinline)) void walk_fn(void *p)
{
	struct walk *w = p;
	const uintptr_t *fp = __builtin_frame_address(0);

	while (fp && w->frames < 64) {
		w->frames++;
		w->last_return = fp[1];
		if (!fp[0]) {
			w->ended_at_zero = 1;
			break;
		}
		fp = (const uintptr_t *)fp[0];
	}
}

UK_TESTCASE(uksched, thread_backtrace_ends_at_entry)
{
	struct walk w = { 0, 0, 0 };
	struct uk_thread *t = uk_thread_create("walker", walk_fn, &w, 0);

	UK_ASSERT_TRUE(t != NULL);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT(w.ended_at_zero);
	/* walk_fn, then the scheduler's entry frame: at most a few. */
	UK_EXPECT(w.frames >= 2 && w.frames <= 4);
	/* The outermost frame returns into arch_ctx_start. */
	UK_EXPECT(w.last_return - (uintptr_t)arch_ctx_start < 16);
}

/* ---- FPU / SSE control state ------------------------------------------- */

/* The status flags (low 6 bits) change with arithmetic; compare control. */
#define MXCSR_CONTROL 0xffc0u
#define MXCSR_ROUND_TO_ZERO 0x6000u
#define FCW_DOUBLE_PRECISION 0x027fu

static uint32_t get_mxcsr(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static void set_mxcsr(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static uint16_t get_fcw(void)
{
	uint16_t v;

	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

static void set_fcw(uint16_t v)
{
	__asm__ volatile("fldcw %0" : : "m"(v));
}

struct fpu_seen {
	uint32_t mxcsr_start, mxcsr_after;
	uint16_t fcw_start, fcw_after;
};

static void fpu_fn(void *p)
{
	struct fpu_seen *s = p;

	s->mxcsr_start = get_mxcsr();
	s->fcw_start = get_fcw();
	set_mxcsr(ARCH_MXCSR_DEFAULT | MXCSR_ROUND_TO_ZERO);
	set_fcw(FCW_DOUBLE_PRECISION);
	uk_thread_yield();
	s->mxcsr_after = get_mxcsr();
	s->fcw_after = get_fcw();
	/* Leave the defaults behind for whoever reads them next. */
	set_mxcsr(ARCH_MXCSR_DEFAULT);
	set_fcw(ARCH_FCW_DEFAULT);
}

UK_TESTCASE(uksched, fpu_control_words_are_per_thread)
{
	struct fpu_seen s = { 0, 0, 0, 0 };
	uint32_t main_mxcsr = get_mxcsr();
	uint16_t main_fcw = get_fcw();
	struct uk_thread *t = uk_thread_create("fpu", fpu_fn, &s, 0);

	UK_ASSERT_TRUE(t != NULL);
	uk_thread_yield(); /* the thread changes both words, then yields */
	UK_EXPECT_EQ(get_mxcsr() & MXCSR_CONTROL, main_mxcsr & MXCSR_CONTROL);
	UK_EXPECT_EQ(get_fcw(), main_fcw);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT_EQ(s.mxcsr_start & MXCSR_CONTROL, ARCH_MXCSR_DEFAULT);
	UK_EXPECT_EQ(s.fcw_start, ARCH_FCW_DEFAULT);
	UK_EXPECT_EQ(s.mxcsr_after & MXCSR_CONTROL,
		     ARCH_MXCSR_DEFAULT | MXCSR_ROUND_TO_ZERO);
	UK_EXPECT_EQ(s.fcw_after, FCW_DOUBLE_PRECISION);
}

/* ---- syscall stacks ---------------------------------------------------- */

struct timespec_k {
	long sec, nsec;
};

/* The instruction musl uses; rcx and r11 are the CPU's to clobber. */
static long raw_syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

struct sys_sleeper {
	long ns;
	long ret;
	uint64_t elapsed;
	uint64_t canary;	/* a callee-saved value must survive too */
};

static void sys_sleep_fn(void *p)
{
	struct sys_sleeper *s = p;
	struct timespec_k req = { 0, s->ns };
	uint64_t start = rdtsc();
	volatile uint64_t keep = 0x1234567890abcdefULL ^ (uint64_t)s->ns;

	s->ret = raw_syscall2(SYS_nanosleep, (long)&req, 0);
	s->elapsed = rdtsc() - start;
	s->canary = keep ^ (uint64_t)s->ns;
}

UK_TESTCASE(uksched, threads_block_in_syscalls_on_own_stacks)
{
	struct sys_sleeper a = { (long)(3 * MS), -1, 0, 0 };
	struct sys_sleeper b = { (long)(1 * MS), -1, 0, 0 };
	struct timespec_k tick = { 0, 100000 };
	struct uk_thread *ta, *tb;

	/* Both block inside nanosleep at once: with one shared syscall
	 * stack, b's entry would overwrite a's saved return state. */
	ta = uk_thread_create("sys-a", sys_sleep_fn, &a, 0);
	tb = uk_thread_create("sys-b", sys_sleep_fn, &b, 0);
	UK_ASSERT_TRUE(ta && tb);
	/* main blocks in a syscall of its own meanwhile. */
	UK_EXPECT_EQ(raw_syscall2(SYS_nanosleep, (long)&tick, 0), 0);
	UK_EXPECT_EQ(uk_thread_join(ta), 0);
	UK_EXPECT_EQ(uk_thread_join(tb), 0);
	UK_EXPECT_EQ(a.ret, 0);
	UK_EXPECT_EQ(b.ret, 0);
	UK_EXPECT(a.elapsed >= plat_ns_to_tsc(3 * MS));
	UK_EXPECT(b.elapsed >= plat_ns_to_tsc(1 * MS));
	UK_EXPECT_EQ(a.canary, 0x1234567890abcdefULL);
	UK_EXPECT_EQ(b.canary, 0x1234567890abcdefULL);
}
