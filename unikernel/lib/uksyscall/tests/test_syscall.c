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
