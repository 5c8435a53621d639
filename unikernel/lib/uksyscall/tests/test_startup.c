/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calls programs probe at start-up (sys_limits.c, sys_task.c and
 * mremap, msync and the mlock calls in sys_mem.c): values and errors, as
 * Linux gives them.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include <uk/test.h>

#if CONFIG_UKSYSCALL_STARTUP

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5);

#define PG 4096L
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
#define MS_ASYNC 1
#define MS_SYNC 4
#define RLIM_INFINITY (~0UL)
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9

static long sys(unsigned long nr, long a0, long a1, long a2, long a3, long a4)
{
	return uk_syscall_dispatch(nr, a0, a1, a2, a3, a4, 0);
}

static uint64_t heap_stats(struct uk_alloc_stats *st)
{
	uk_alloc_stats_get(uk_alloc_default(), st);
	return st->cur_blocks;
}

UK_TESTCASE(uksyscall_startup, rlimits_are_the_images_sizes)
{
	unsigned long l[2] = { 1, 1 };
	struct uk_alloc_stats st;

	heap_stats(&st);
	UK_EXPECT_EQ(sys(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)l, 0), 0);
	UK_EXPECT_EQ(l[0], CONFIG_UKFD_MAX);
	UK_EXPECT_EQ(l[1], CONFIG_UKFD_MAX);
	UK_EXPECT_EQ(sys(SYS_getrlimit, RLIMIT_STACK, (long)l, 0, 0, 0), 0);
	UK_EXPECT_EQ(l[0], CONFIG_UKBOOT_STACK_KB * 1024L);
	UK_EXPECT_EQ(sys(SYS_getrlimit, RLIMIT_AS, (long)l, 0, 0, 0), 0);
	UK_EXPECT_EQ(l[1], st.pool_bytes);
	UK_EXPECT_EQ(sys(SYS_getrlimit, RLIMIT_DATA, (long)l, 0, 0, 0), 0);
	UK_EXPECT_EQ(l[0], st.pool_bytes);
	UK_EXPECT_EQ(sys(SYS_getrlimit, 0 /* CPU */, (long)l, 0, 0, 0), 0);
	UK_EXPECT_EQ(l[0], RLIM_INFINITY);
	UK_EXPECT_EQ(sys(SYS_getrlimit, 16, (long)l, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_prlimit64, 0, -1, 0, (long)l, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_prlimit64, 42, RLIMIT_NOFILE, 0, (long)l, 0), -ESRCH);
}

UK_TESTCASE(uksyscall_startup, setrlimit_lowers_never_raises)
{
	unsigned long orig[2], l[2], old[2];

	UK_ASSERT_TRUE(sys(SYS_getrlimit, RLIMIT_NOFILE, (long)orig, 0, 0, 0) == 0);
	l[0] = 64, l[1] = orig[1];
	UK_EXPECT_EQ(sys(SYS_setrlimit, RLIMIT_NOFILE, (long)l, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_getrlimit, RLIMIT_NOFILE, (long)old, 0, 0, 0), 0);
	UK_EXPECT_EQ(old[0], 64);
	UK_EXPECT_EQ(old[1], orig[1]);
	/* Soft back up to hard is fine; hard above hard is not. */
	l[0] = orig[1] + 1, l[1] = orig[1] + 1;
	UK_EXPECT_EQ(sys(SYS_setrlimit, RLIMIT_NOFILE, (long)l, 0, 0, 0), -EPERM);
	l[0] = orig[1], l[1] = orig[1] - 1;
	UK_EXPECT_EQ(sys(SYS_setrlimit, RLIMIT_NOFILE, (long)l, 0, 0, 0), -EINVAL);
	/* prlimit64 swaps: the old value comes back with the change. */
	UK_EXPECT_EQ(sys(SYS_prlimit64, 1, RLIMIT_NOFILE, (long)orig, (long)old, 0), 0);
	UK_EXPECT_EQ(old[0], 64);
	UK_EXPECT_EQ(sys(SYS_getrlimit, RLIMIT_NOFILE, (long)l, 0, 0, 0), 0);
	UK_EXPECT_EQ(l[0], orig[0]);
	UK_EXPECT_EQ(l[1], orig[1]);
	/* A lowered hard limit stays the ceiling. */
	UK_EXPECT_EQ(sys(SYS_getrlimit, 4 /* CORE */, (long)orig, 0, 0, 0), 0);
	l[0] = l[1] = 1;
	UK_EXPECT_EQ(sys(SYS_setrlimit, 4, (long)l, 0, 0, 0), orig[1] ? 0 : -EPERM);
}

UK_TESTCASE(uksyscall_startup, getrusage_times_and_peak)
{
	long ru[18];
	struct uk_alloc_stats st;
	long ns = (long)uk_clock_monotonic_ns();

	memset(ru, 0xff, sizeof(ru));
	UK_EXPECT_EQ(sys(SYS_getrusage, 0, (long)ru, 0, 0, 0), 0);
	heap_stats(&st);
	/* user time: all time since boot, in seconds and microseconds */
	UK_EXPECT(ru[0] * 1000000000L + ru[1] * 1000 >= ns - 1000);
	UK_EXPECT(ru[1] >= 0 && ru[1] < 1000000);
	UK_EXPECT_EQ(ru[2], 0);
	UK_EXPECT_EQ(ru[3], 0);
	/* KiB, as Linux counts: the image, its stack, the heap's peak */
	UK_EXPECT_EQ(ru[4], (long)((uk_syscall_resident_base() + st.max_bytes) / 1024));
	UK_EXPECT(ru[4] > CONFIG_UKBOOT_STACK_KB);
	UK_EXPECT_EQ(ru[17], 0);
	UK_EXPECT_EQ(sys(SYS_getrusage, 1 /* THREAD */, (long)ru, 0, 0, 0), 0);
	UK_EXPECT(ru[4] > 0);
	UK_EXPECT_EQ(sys(SYS_getrusage, -1 /* CHILDREN */, (long)ru, 0, 0, 0), 0);
	UK_EXPECT_EQ(ru[0] | ru[1] | ru[4], 0);
	UK_EXPECT_EQ(sys(SYS_getrusage, 7, (long)ru, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(uksyscall_startup, sysinfo_has_the_heap)
{
	union {
		long l[14];
		unsigned char b[112 + 8];
	} si;
	struct uk_alloc_stats st;

	long s0 = (long)(uk_clock_monotonic_ns() / 1000000000), s1;

	memset(&si, 0xa5, sizeof(si));
	UK_EXPECT_EQ(sys(SYS_sysinfo, (long)&si, 0, 0, 0, 0), 0);
	s1 = (long)(uk_clock_monotonic_ns() / 1000000000);
	heap_stats(&st);
	UK_EXPECT(si.l[0] >= s0 && si.l[0] <= s1); /* uptime */
	UK_EXPECT_EQ(si.l[4], st.pool_bytes);	/* totalram */
	UK_EXPECT(si.l[5] > 0 && (uint64_t)si.l[5] <= st.pool_bytes); /* freeram */
	UK_EXPECT_EQ(si.l[8] | si.l[9], 0);		/* no swap */
	UK_EXPECT_EQ(si.b[80], 1);			/* procs */
	UK_EXPECT_EQ(si.b[104], 1);			/* mem_unit */
	/* The kernel's struct is 112 bytes: nothing written beyond. */
	UK_EXPECT_EQ(si.b[112], 0xa5);
}

UK_TESTCASE(uksyscall_startup, one_cpu_affinity)
{
	unsigned long mask[4] = { ~0UL, ~0UL, ~0UL, ~0UL };

	UK_EXPECT_EQ(sys(SYS_sched_getaffinity, 0, sizeof(mask), (long)mask, 0, 0), 8);
	UK_EXPECT_EQ(mask[0], 1);
	UK_EXPECT_EQ(mask[1], ~0UL); /* the caller clears the rest (musl does) */
	UK_EXPECT_EQ(sys(SYS_sched_getaffinity, 0, 4, (long)mask, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_sched_getaffinity, 0, 12, (long)mask, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_sched_getaffinity, 9, 8, (long)mask, 0, 0), -ESRCH);
	mask[0] = 3;
	UK_EXPECT_EQ(sys(SYS_sched_setaffinity, 1, 8, (long)mask, 0, 0), 0);
	mask[0] = 2;
	UK_EXPECT_EQ(sys(SYS_sched_setaffinity, 0, 8, (long)mask, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_sched_setaffinity, 9, 8, (long)mask, 0, 0), -ESRCH);
}

UK_TESTCASE(uksyscall_startup, priority_is_kept)
{
	long orig = sys(SYS_getpriority, 0, 0, 0, 0, 0);

	UK_EXPECT_EQ(orig, 20); /* nice 0, as the kernel encodes it */
	UK_EXPECT_EQ(sys(SYS_setpriority, 0, 0, 5, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_getpriority, 0, 1, 0, 0, 0), 15);
	UK_EXPECT_EQ(sys(SYS_setpriority, 1, 0, -100, 0, 0), 0); /* clamped */
	UK_EXPECT_EQ(sys(SYS_getpriority, 2, 0, 0, 0, 0), 40);
	UK_EXPECT_EQ(sys(SYS_setpriority, 0, 0, 100, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_getpriority, 0, 0, 0, 0, 0), 1);
	UK_EXPECT_EQ(sys(SYS_getpriority, 3, 0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_getpriority, 0, 7, 0, 0, 0), -ESRCH);
	UK_EXPECT_EQ(sys(SYS_setpriority, 2, 1000, 0, 0, 0), -ESRCH);
	UK_EXPECT_EQ(sys(SYS_setpriority, 0, 0, 20 - orig, 0, 0), 0);
}

UK_TESTCASE(uksyscall_startup, prctl_name_round_trip)
{
	char name[16], saved[16];

	UK_ASSERT_TRUE(sys(SYS_prctl, 16 /* GET */, (long)saved, 0, 0, 0) == 0);
	UK_EXPECT(!strncmp(saved, CONFIG_UK_APPNAME, 15));
	UK_EXPECT_EQ(sys(SYS_prctl, 15 /* SET */, (long)"worker", 0, 0, 0), 0);
	memset(name, 'x', sizeof(name));
	UK_EXPECT_EQ(sys(SYS_prctl, 16, (long)name, 0, 0, 0), 0);
	UK_EXPECT(!strcmp(name, "worker"));
	UK_EXPECT_EQ(name[15], 0);
	/* Longer names are cut to 15 bytes and a NUL. */
	UK_EXPECT_EQ(sys(SYS_prctl, 15, (long)"a-name-longer-than-16", 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_prctl, 16, (long)name, 0, 0, 0), 0);
	UK_EXPECT(!strcmp(name, "a-name-longer-t"));
	UK_EXPECT_EQ(sys(SYS_prctl, 15, (long)"", 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_prctl, 16, (long)name, 0, 0, 0), 0);
	UK_EXPECT_EQ(name[0], 0);
	UK_EXPECT_EQ(sys(SYS_prctl, 4 /* PR_SET_DUMPABLE */, 1, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_prctl, 15, (long)saved, 0, 0, 0), 0);
}

static long map_pages(long pages)
{
	return sys(SYS_mmap, 0, pages * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1);
}

static long mremap(long addr, long old_len, long new_len, long flags)
{
	return sys(SYS_mremap, addr, old_len, new_len, flags, 0);
}

static void fill(long p, long len, int seed)
{
	for (long i = 0; i < len; i += 512)
		((volatile char *)p)[i] = (char)(seed + i / 512);
}

static int same(long p, long len, int seed)
{
	for (long i = 0; i < len; i += 512)
		if (((volatile char *)p)[i] != (char)(seed + i / 512))
			return 0;
	return 1;
}

UK_TESTCASE(uksyscall_startup, mremap_grow_keeps_content)
{
	struct uk_alloc_stats st;
	uint64_t before = heap_stats(&st);
	long p = map_pages(2), q, r;

	UK_ASSERT_TRUE(p > 0);
	fill(p, 2 * PG, 7);
	/* Without MAYMOVE there is nowhere to grow: ENOMEM, p unchanged. */
	UK_EXPECT_EQ(mremap(p, 2 * PG, 8 * PG, 0), -ENOMEM);
	q = mremap(p, 2 * PG, 8 * PG, MREMAP_MAYMOVE);
	UK_ASSERT_TRUE(q > 0);
	UK_EXPECT_EQ(q & (PG - 1), 0);
	UK_EXPECT(same(q, 2 * PG, 7));
	UK_EXPECT_EQ(((volatile char *)q)[8 * PG - 1], 0); /* new pages zeroed */
	UK_EXPECT_EQ(heap_stats(&st), before + 1);	  /* the old block went */
	/* Shrink in place, then grow back into the freed tail in place. */
	((volatile char *)q)[6 * PG] = 9;
	UK_EXPECT_EQ(mremap(q, 8 * PG, 3 * PG, 0), q);
	r = mremap(q, 3 * PG, 7 * PG, 0);
	UK_EXPECT_EQ(r, q);
	UK_EXPECT(same(q, 2 * PG, 7));
	UK_EXPECT_EQ(((volatile char *)q)[6 * PG], 0);
	/* Beyond its allocation it must move. */
	UK_EXPECT_EQ(mremap(q, 7 * PG, 9 * PG, 0), -ENOMEM);
	UK_EXPECT_EQ(sys(SYS_munmap, q, 7 * PG, 0, 0, 0), 0);
	UK_EXPECT_EQ(heap_stats(&st), before);
}

/* Growing part of a mapping moves that part; the rest stays. */
UK_TESTCASE(uksyscall_startup, mremap_moves_part_of_a_mapping)
{
	struct uk_alloc_stats st;
	uint64_t before = heap_stats(&st);
	long p = map_pages(4), q;

	UK_ASSERT_TRUE(p > 0);
	fill(p, 4 * PG, 3);
	q = mremap(p + PG, PG, 3 * PG, MREMAP_MAYMOVE);
	UK_ASSERT_TRUE(q > 0 && q != p + PG);
	UK_EXPECT(same(q, PG, 3 + 8));
	UK_EXPECT(same(p + 2 * PG, 2 * PG, 3 + 16)); /* the rest is intact */
	UK_EXPECT_EQ(sys(SYS_msync, p + PG, PG, MS_SYNC, 0, 0), -ENOMEM);
	UK_EXPECT_EQ(sys(SYS_msync, p, PG, MS_SYNC, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_munmap, p, 4 * PG, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_munmap, q, 3 * PG, 0, 0, 0), 0);
	UK_EXPECT_EQ(heap_stats(&st), before);
}

UK_TESTCASE(uksyscall_startup, mremap_errors)
{
	static char never_mapped[2 * PG] __attribute__((aligned(PG)));
	long p = map_pages(2);

	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(mremap(p + 1, PG, 2 * PG, MREMAP_MAYMOVE), -EINVAL);
	UK_EXPECT_EQ(mremap(p, PG, 0, MREMAP_MAYMOVE), -EINVAL);
	UK_EXPECT_EQ(mremap(p, PG, 2 * PG, 8), -EINVAL);
	UK_EXPECT_EQ(mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP), -EINVAL);
	UK_EXPECT_EQ(mremap(p, PG, 2 * PG, MREMAP_FIXED), -EINVAL);
	UK_EXPECT_EQ(mremap((long)never_mapped, PG, 2 * PG, MREMAP_MAYMOVE), -EFAULT);
	/* The old range must be one mapping's to grow. */
	UK_EXPECT_EQ(mremap(p, 3 * PG, 4 * PG, MREMAP_MAYMOVE), -EFAULT);
	UK_EXPECT_EQ(mremap(p, 0, 4 * PG, MREMAP_MAYMOVE), -EINVAL);
	/* Same size: nothing to do. */
	UK_EXPECT_EQ(mremap(p, 2 * PG, 2 * PG, 0), p);
	UK_EXPECT_EQ(sys(SYS_munmap, p, 2 * PG, 0, 0, 0), 0);
}

UK_TESTCASE(uksyscall_startup, msync_needs_a_mapping)
{
	static char never_mapped[PG] __attribute__((aligned(PG)));
	long p = map_pages(3);

	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(sys(SYS_msync, p, 3 * PG, MS_SYNC, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_msync, p + PG, 10, MS_ASYNC, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_msync, p, 0, MS_SYNC, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_msync, p + 1, PG, MS_SYNC, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_msync, p, PG, MS_SYNC | MS_ASYNC, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_msync, p, PG, 64, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_msync, p, 4 * PG, MS_SYNC, 0, 0), -ENOMEM);
	UK_EXPECT_EQ(sys(SYS_msync, (long)never_mapped, PG, MS_SYNC, 0, 0), -ENOMEM);
	UK_EXPECT_EQ(sys(SYS_msync, p, -PG, MS_SYNC, 0, 0), -ENOMEM);
	UK_EXPECT_EQ(sys(SYS_munmap, p, 3 * PG, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_msync, p, PG, MS_SYNC, 0, 0), -ENOMEM);
}

UK_TESTCASE(uksyscall_startup, mlock_is_a_no_op)
{
	long p = map_pages(1);

	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(sys(SYS_mlock, p, PG, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_munlock, p, PG, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_mlockall, 3, 0, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_mlockall, 0, 0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_mlockall, 4, 0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_mlockall, 8, 0, 0, 0, 0), -EINVAL);
	UK_EXPECT_EQ(sys(SYS_munlockall, 0, 0, 0, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_munmap, p, PG, 0, 0, 0), 0);
}

/* munmap of part of a mapping leaves the rest usable, its content kept. */
UK_TESTCASE(uksyscall_startup, munmap_part_then_use_the_rest)
{
	long p = map_pages(4);

	UK_ASSERT_TRUE(p > 0);
	fill(p, 4 * PG, 1);
	UK_EXPECT_EQ(sys(SYS_munmap, p + PG, 2 * PG, 0, 0, 0), 0);
	UK_EXPECT(same(p, PG, 1));
	UK_EXPECT(same(p + 3 * PG, PG, 1 + 24));
	fill(p + 3 * PG, PG, 5);
	UK_EXPECT(same(p + 3 * PG, PG, 5));
	UK_EXPECT_EQ(sys(SYS_msync, p + 3 * PG, PG, MS_SYNC, 0, 0), 0);
	UK_EXPECT_EQ(sys(SYS_msync, p, 4 * PG, MS_SYNC, 0, 0), -ENOMEM);
	UK_EXPECT_EQ(sys(SYS_munmap, p, 4 * PG, 0, 0, 0), 0);
}
#endif
