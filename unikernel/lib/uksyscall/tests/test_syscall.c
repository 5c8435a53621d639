/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include <uk/test.h>

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5);

#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED 0x10

UK_TESTCASE(uksyscall, unknown_numbers_are_enosys)
{
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_pipe, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UK_EXPECT_EQ(uk_syscall_dispatch(100000, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UK_EXPECT_EQ(uk_syscall_dispatch((unsigned long)-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
}

UK_TESTCASE(uksyscall, names_come_from_musl)
{
	UK_EXPECT(!strcmp(uk_syscall_names[SYS_write], "write"));
	UK_EXPECT(!strcmp(uk_syscall_names[SYS_exit_group], "exit_group"));
	UK_EXPECT(uk_syscall_table[SYS_write] == uk_sys_write);
	UK_EXPECT(uk_syscall_table[SYS_pipe] == NULL);
}

UK_TESTCASE(uksyscall, mmap_anonymous_is_zeroed_and_aligned)
{
	struct uk_alloc_stats before, after;
	uk_alloc_stats_get(uk_alloc_default(), &before);
	long p = uk_syscall_dispatch(SYS_mmap, 0, 10000, 3,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(p & 4095, 0);
	UK_EXPECT_EQ(((volatile char *)p)[12287], 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_munmap, p, 10000, 0, 0, 0, 0), 0);
	uk_alloc_stats_get(uk_alloc_default(), &after);
	UK_EXPECT_EQ(after.cur_blocks, before.cur_blocks);
	/* Files and fixed addresses are not supported. */
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_mmap, 0, 4096, 3, MAP_PRIVATE, 3, 0), -ENODEV);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_mmap, 0x400000, 4096, 3,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		     -ENOTSUP);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_mmap, 0, 0, 3,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_mmap, 0, 1L << 50, 3,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -ENOMEM);
}

UK_TESTCASE(uksyscall, fds_beyond_the_console_are_ebadf)
{
	char c = 'x';
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_write, 7, (long)&c, 1, 0, 0, 0), -EBADF);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_read, 0, (long)&c, 1, 0, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_read, 5, (long)&c, 1, 0, 0, 0), -EBADF);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_ioctl, 1, 0x5401, 0, 0, 0, 0), -ENOTTY);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_lseek, 1, 0, 0, 0, 0, 0), -ESPIPE);
}

UK_TESTCASE(uksyscall, clocks_advance)
{
	long ts[2] = { 0 }, ts2[2] = { 0 };
	UK_ASSERT_TRUE(uk_syscall_dispatch(SYS_clock_gettime, 1, (long)ts, 0, 0, 0, 0) == 0);
	for (volatile int i = 0; i < 10000; i++)
		;
	UK_ASSERT_TRUE(uk_syscall_dispatch(SYS_clock_gettime, 1, (long)ts2, 0, 0, 0, 0) == 0);
	UK_EXPECT(ts2[0] * 1000000000L + ts2[1] > ts[0] * 1000000000L + ts[1]);
	UK_EXPECT(ts[1] >= 0 && ts[1] < 1000000000L);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_clock_gettime, 99, (long)ts, 0, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(uksyscall, sigprocmask_keeps_the_mask)
{
	uint64_t set = 1UL << 5, old = 0;
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigprocmask, 0, (long)&set, 0, 8, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigprocmask, 2, 0, (long)&old, 8, 0, 0), 0);
	UK_EXPECT_EQ(old, set);
	set = 0;
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigprocmask, 2, (long)&set, 0, 8, 0, 0), 0);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_rt_sigprocmask, 9, (long)&set, 0, 8, 0, 0), -EINVAL);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_kill, 1, 0, 0, 0, 0, 0), 0); /* signal 0 probes */
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_kill, 42, 9, 0, 0, 0, 0), -ESRCH);
}

struct enosys_seen {
	unsigned lines, names, longest;
	int pipe_seen, other_seen;
};

/* musl's strstr reads the stack-protector canary through FS, which is not
 * set up while guest tests run. */
static int has_item(const char *line, const char *item)
{
	size_t n = strlen(item);

	for (; *line; line++)
		if (!strncmp(line, item, n))
			return 1;
	return 0;
}

static void collect_enosys_line(const char *line, void *ctx)
{
	struct enosys_seen *s = ctx;
	size_t len = strlen(line);

	s->lines++;
	if (len > s->longest)
		s->longest = (unsigned)len;
	for (const char *p = line; (p = strchr(p, '(')); p++)
		s->names++;
	s->pipe_seen |= has_item(line, "pipe (3)");
	s->other_seen |= has_item(line, "unknown numbers (9)");
}

/* Every unimplemented number counted at once: the report spreads over
 * several lines and leaves no name out. */
UK_TESTCASE(uksyscall, enosys_report_lists_every_name)
{
	static uint32_t counts[UK_SYSCALL_MAX];
	struct enosys_seen seen = { 0 };
	unsigned expected = 0;

	for (unsigned nr = 0; nr < UK_SYSCALL_MAX; nr++) {
		counts[nr] = uk_syscall_names[nr] ? 1 : 0;
		expected += counts[nr];
	}
	counts[SYS_pipe] = 3;
	uk_syscall_enosys_lines(counts, 9, collect_enosys_line, &seen);
	UK_EXPECT_EQ(seen.names, expected + 1);
	UK_EXPECT(seen.lines > 1);
	UK_EXPECT(seen.longest < UK_ENOSYS_LINE_MAX);
	UK_EXPECT(seen.pipe_seen);
	UK_EXPECT(seen.other_seen);

	seen = (struct enosys_seen){ 0 };
	memset(counts, 0, sizeof(counts));
	uk_syscall_enosys_lines(counts, 0, collect_enosys_line, &seen);
	UK_EXPECT_EQ(seen.lines, 0);
}

/*
 * Calls whose result musl hands back as the function's value, with no
 * errno path (found by disassembling libc.a for `syscall` not followed by
 * __syscall_ret): an -ENOSYS there would come back as a pid, a mask or a
 * tick count. Each must have a handler.
 */
UK_TESTCASE(uksyscall, musl_pass_through_calls_are_implemented)
{
	static const unsigned pass_through[] = {
		SYS_getpid,  SYS_getppid, SYS_gettid,	  SYS_getuid,
		SYS_geteuid, SYS_getgid,  SYS_getegid,	  SYS_getpgid,
		SYS_times,   SYS_umask,	  SYS_sched_yield,
	};

	for (size_t i = 0; i < ARRAY_SIZE(pass_through); i++)
		uktest_check(uk_test_ctx, uk_syscall_table[pass_through[i]] != NULL,
			     __FILE__, __LINE__, "%s has no handler",
			     uk_syscall_names[pass_through[i]]);
}

UK_TESTCASE(uksyscall, umask_returns_the_previous_mask)
{
	long first = uk_syscall_dispatch(SYS_umask, 077, 0, 0, 0, 0, 0);

	UK_EXPECT_EQ(first, 022);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_umask, 01777, 0, 0, 0, 0, 0), 077);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_umask, first, 0, 0, 0, 0, 0), 0777);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_getpgid, 0, 0, 0, 0, 0, 0), 1);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_getsid, 1, 0, 0, 0, 0, 0), 1);
	UK_EXPECT_EQ(uk_syscall_dispatch(SYS_getpgid, 42, 0, 0, 0, 0, 0), -ESRCH);
}

UK_TESTCASE(uksyscall, times_counts_ticks_since_boot)
{
	long tms[4] = { -1, -1, -1, -1 };
	long t0 = uk_syscall_dispatch(SYS_times, (long)tms, 0, 0, 0, 0, 0);
	long ns = (long)uk_clock_monotonic_ns();

	UK_ASSERT_TRUE(t0 >= 0);
	/* 100 ticks a second, as sysconf(_SC_CLK_TCK) says. */
	UK_EXPECT(t0 <= ns / 10000000);
	UK_EXPECT(t0 >= ns / 10000000 - 1);
	UK_EXPECT_EQ(tms[0], t0);
	UK_EXPECT_EQ(tms[1], 0);
	UK_EXPECT_EQ(tms[2], 0);
	UK_EXPECT_EQ(tms[3], 0);
	UK_EXPECT(uk_syscall_dispatch(SYS_times, 0, 0, 0, 0, 0, 0) >= t0);
}

static long map_pages(long pages)
{
	return uk_syscall_dispatch(SYS_mmap, 0, pages * 4096, 3,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static long unmap(long addr, long len)
{
	return uk_syscall_dispatch(SYS_munmap, addr, len, 0, 0, 0, 0);
}

static uint64_t live_blocks(void)
{
	struct uk_alloc_stats st;

	uk_alloc_stats_get(uk_alloc_default(), &st);
	return st.cur_blocks;
}

/* As on Linux: a range that holds nothing mapped unmaps fine. */
UK_TESTCASE(uksyscall, munmap_of_unmapped_range_succeeds)
{
	uint64_t before = live_blocks();
	static char not_mapped[3 * 4096] __attribute__((aligned(4096)));
	long p = map_pages(1);

	UK_EXPECT_EQ(unmap((long)not_mapped, sizeof(not_mapped)), 0);
	UK_EXPECT_EQ(unmap(0x7f0000000000L, 4096), 0);
	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(unmap(p, 4096), 0);
	/* Twice: the second finds nothing and frees nothing. */
	UK_EXPECT_EQ(unmap(p, 4096), 0);
	UK_EXPECT_EQ(live_blocks(), before);
}

UK_TESTCASE(uksyscall, munmap_rejects_bad_arguments)
{
	long p = map_pages(2);

	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(unmap(p + 1, 4096), -EINVAL);
	UK_EXPECT_EQ(unmap(p, 0), -EINVAL);
	UK_EXPECT_EQ(unmap(p, -4096), -EINVAL);
	/* The mapping is still whole: both pages are unmapped separately. */
	UK_EXPECT_EQ(unmap(p + 4096, 1), 0);
	UK_EXPECT_EQ(unmap(p, 4096), 0);
}

/* Head, tail and middle of one mapping, then the rest: the memory goes
 * back to the allocator only with its last page. */
UK_TESTCASE(uksyscall, munmap_of_part_shrinks_or_splits)
{
	uint64_t before = live_blocks();
	long p = map_pages(8);

	UK_ASSERT_TRUE(p > 0);
	UK_EXPECT_EQ(unmap(p, 4096), 0);		/* head */
	UK_EXPECT_EQ(unmap(p + 7 * 4096, 4096), 0);	/* tail */
	UK_EXPECT_EQ(unmap(p + 3 * 4096, 2 * 4096), 0); /* middle: a split */
	UK_EXPECT_EQ(live_blocks(), before + 1);
	/* Pages still mapped are still usable. */
	((volatile char *)p)[4096] = 1;
	((volatile char *)p)[6 * 4096] = 1;
	UK_EXPECT_EQ(unmap(p + 4096, 2 * 4096), 0);	/* left piece */
	UK_EXPECT_EQ(live_blocks(), before + 1);
	/* A range wider than what is left, with unmapped pages around it. */
	UK_EXPECT_EQ(unmap(p, 8 * 4096), 0);
	UK_EXPECT_EQ(live_blocks(), before);
}

/* One munmap across two mappings takes both (a partial length counts as
 * whole pages). */
UK_TESTCASE(uksyscall, munmap_spans_mappings)
{
	uint64_t before = live_blocks();
	long a = map_pages(2), b = map_pages(2);
	long lo = a < b ? a : b, hi = a < b ? b : a;

	UK_ASSERT_TRUE(a > 0 && b > 0);
	UK_EXPECT_EQ(unmap(lo, hi - lo + 4096 + 1), 0);
	UK_EXPECT_EQ(live_blocks(), before);
}

/* More mappings and splits than the table starts with. */
UK_TESTCASE(uksyscall, many_mappings_split_and_go)
{
	long p[40];
	uint64_t before = live_blocks();

	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = map_pages(3);
		UK_ASSERT_TRUE(p[i] > 0);
		UK_EXPECT_EQ(unmap(p[i] + 4096, 4096), 0);
	}
	/* One block per mapping, and one for the grown table. */
	UK_EXPECT_EQ(live_blocks(), before + ARRAY_SIZE(p) + 1);
	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		UK_EXPECT_EQ(unmap(p[i], 4096), 0);
		UK_EXPECT_EQ(unmap(p[i] + 2 * 4096, 4096), 0);
	}
	/* The grown table stays. */
	UK_EXPECT_EQ(live_blocks(), before + 1);
}
