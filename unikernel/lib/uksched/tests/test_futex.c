/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_THREADS, both policies: the futex call's answers that need no
 * second thread (a changed value, timeouts relative and absolute, bad
 * arguments, wakes and requeues of nobody). test_clone.c has the ones
 * between threads.
 */
#include <uk/errno.h>
#include <uk/futex.h>
#include <uk/plat.h>
#include <uk/syscall_impl.h>
#include <uk/test.h>
#include <uk/x86.h>

#define MS 1000000L
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

struct ts_k {
	long sec, nsec;
};

static long futex(const void *addr, long op, long val, const void *ts,
		  const void *addr2, long val3)
{
	return uk_sys_futex((long)addr, op, val, (long)ts, (long)addr2, val3);
}

static struct ts_k ts_in(long clk, long ns)
{
	struct ts_k now;
	long t;

	uk_sys_clock_gettime(clk, (long)&now, 0, 0, 0, 0);
	t = now.nsec + ns;
	return (struct ts_k){ now.sec + t / 1000000000L, t % 1000000000L };
}

UK_TESTCASE(futex, wait_on_a_changed_value_is_eagain)
{
	uint32_t word = 5;

	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0), -EAGAIN);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 6, NULL,
			   NULL, 0), -EAGAIN);
	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT_BITSET, 4, NULL, NULL, 1),
		     -EAGAIN);
}

UK_TESTCASE(futex, wait_times_out_after_a_relative_timeout)
{
	uint32_t word = 5;
	struct ts_k rel = { 0, 2 * MS };
	uint64_t start = rdtsc();

	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 5, &rel,
			   NULL, 0), -ETIMEDOUT);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
	/* FUTEX_CLOCK_REALTIME leaves WAIT's timeout relative. */
	start = rdtsc();
	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, &rel,
			   NULL, 0), -ETIMEDOUT);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
}

UK_TESTCASE(futex, wait_bitset_times_out_at_an_absolute_time)
{
	uint32_t word = 5;
	struct ts_k mono = ts_in(CLOCK_MONOTONIC, 2 * MS);
	struct ts_k past = { 0, 0 };
	uint64_t start = rdtsc();

	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT_BITSET, 5, &mono, NULL, -1),
		     -ETIMEDOUT);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
	/* The first CLOCK_REALTIME read reads the RTC (sys_time.c) and may
	 * disagree with later ones by a fraction of a second: not ours to
	 * test here. */
	ts_in(CLOCK_REALTIME, 0);
	struct ts_k real = ts_in(CLOCK_REALTIME, 2 * MS);
	start = rdtsc();
	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5,
			   &real, NULL, -1), -ETIMEDOUT);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
	/* A time already past: at once. */
	UK_EXPECT_EQ(futex(&word, FUTEX_WAIT_BITSET, 5, &past, NULL, -1),
		     -ETIMEDOUT);
}

UK_TESTCASE(futex, bad_arguments)
{
	uint32_t words[2] = { 0, 0 };
	struct ts_k bad = { 0, 1000000000L }, neg = { -1, 0 };

	UK_EXPECT_EQ(futex(NULL, FUTEX_WAKE, 1, NULL, NULL, 0), -EFAULT);
	UK_EXPECT_EQ(futex((char *)words + 1, FUTEX_WAKE, 1, NULL, NULL, 0),
		     -EINVAL);
	UK_EXPECT_EQ(futex(words, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0), -EINVAL);
	UK_EXPECT_EQ(futex(words, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), -EINVAL);
	UK_EXPECT_EQ(futex(words, FUTEX_WAIT, 0, &bad, NULL, 0), -EINVAL);
	UK_EXPECT_EQ(futex(words, FUTEX_WAIT, 0, &neg, NULL, 0), -EINVAL);
	UK_EXPECT_EQ(futex(words, FUTEX_REQUEUE, 1, (void *)1, NULL, 0),
		     -EFAULT);
	UK_EXPECT_EQ(futex(words, FUTEX_REQUEUE, -1, (void *)1, &words[1], 0),
		     -EINVAL);
	/* Operations we do not have, and a clock where Linux allows none. */
	UK_EXPECT_EQ(futex(words, 5 /* WAKE_OP */, 1, NULL, NULL, 0), -ENOSYS);
	UK_EXPECT_EQ(futex(words, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL,
			   NULL, 0), -ENOSYS);
}

UK_TESTCASE(futex, wakes_and_requeues_of_nobody)
{
	uint32_t a = 1, b = 2;

	UK_EXPECT_EQ(futex(&a, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL,
			   0), 0);
	UK_EXPECT_EQ(futex(&a, FUTEX_WAKE_BITSET, 10, NULL, NULL, 3), 0);
	UK_EXPECT_EQ(futex(&a, FUTEX_REQUEUE, 1, (void *)10, &b, 0), 0);
	UK_EXPECT_EQ(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)10, &b, 1), 0);
	UK_EXPECT_EQ(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)10, &b, 7),
		     -EAGAIN);
}
