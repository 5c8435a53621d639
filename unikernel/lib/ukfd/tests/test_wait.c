/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The waiting primitive in whichever scheduler the image has: blocking
 * reads, progress hooks (progress, a requested wake-up time, spinning),
 * timeouts. Every count here is exact: the hooks decide when data comes.
 */
#include <uk/poll.h>
#include <uk/test.h>
#include "fdtest.h"

/* Feeds its file one byte on call number `at`; reports progress on the
 * calls before when `progress`, else asks to run again after `again_ns`. */
struct feeder {
	struct uk_poll_hook hook;
	struct tfile *t;
	unsigned calls, at;
	bool progress;
	uint64_t again_ns;
};

static int feed_hook(void *arg, uint64_t *next_ns)
{
	struct feeder *f = arg;

	if (++f->calls == f->at)
		tfile_feed(f->t, 1);
	if (f->calls >= f->at)
		return 1;
	if (f->again_ns)
		*next_ns = f->again_ns;
	return f->progress;
}

UK_TESTCASE(ukfd, blocking_read_runs_hooks_until_data)
{
	static struct tfile t;
	static struct feeder f;
	int fd = tfile_open(&t, 0);
	char c = 0;

	UK_ASSERT_TRUE(fd >= 3);
	f = (struct feeder){ .t = &t, .at = 5, .progress = true };
	uk_poll_hook_register(&f.hook, feed_hook, &f, 0);
	/* A hook that makes progress means "look again": no sleep at all,
	 * so nothing but the hook could have ended this wait. */
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), 1);
	uk_poll_hook_unregister(&f.hook);
	UK_EXPECT_EQ(c, 'x');
	UK_EXPECT_EQ(f.calls, 5);
	/* One try before waiting, then one per hook round. */
	UK_EXPECT_EQ(t.reads, 6);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, hook_wake_up_time_ends_a_sleep)
{
	static struct tfile t;
	static struct feeder f;
	int fd = tfile_open(&t, 0);
	uint64_t start;
	char c;

	UK_ASSERT_TRUE(fd >= 3);
	f = (struct feeder){ .t = &t, .at = 4, .again_ns = 1 * MS };
	uk_poll_hook_register(&f.hook, feed_hook, &f, 0);
	start = rdtsc();
	/* No progress, no interrupt waker, no deadline: only the time the
	 * hook asked for can end each sleep. */
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), 1);
	uk_poll_hook_unregister(&f.hook);
	UK_EXPECT_EQ(f.calls, 4);
	UK_EXPECT(ns_since(start) >= 3 * MS);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

UK_TESTCASE(ukfd, spinning_hook_never_sleeps)
{
	static struct tfile t;
	static struct feeder f;
	int fd = tfile_open(&t, 0);
	struct uk_sched_idle a, b, c2;
	char c;

	UK_ASSERT_TRUE(fd >= 3);
	f = (struct feeder){ .t = &t, .at = 50 };
	uk_poll_hook_register(&f.hook, feed_hook, &f, UK_POLL_HOOK_SPIN);
	uk_sched_idle_get(&a);
	/* Neither progress nor a time: a halt here would never end (or be a
	 * reported deadlock); polling mode goes round instead. */
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), 1);
	uk_sched_idle_get(&b);
	uk_poll_hook_unregister(&f.hook);
	UK_EXPECT_EQ(f.calls, 50);
	/* The 49 rounds that found nothing were idle, without a halt, and
	 * the span closed when the data came. */
	UK_EXPECT_EQ(b.halts, a.halts);
	UK_EXPECT(b.idle_cycles > a.idle_cycles);
	UK_EXPECT(b.idle_cycles - a.idle_cycles < b.now - a.now);
	uk_sched_idle_get(&c2);
	UK_EXPECT_EQ(c2.idle_cycles, b.idle_cycles);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

/* A hook that makes progress every round is work: no idle at all. */
UK_TESTCASE(ukfd, rounds_with_progress_are_not_idle)
{
	static struct tfile t;
	static struct feeder f;
	int fd = tfile_open(&t, 0);
	struct uk_sched_idle a, b;
	char c;

	UK_ASSERT_TRUE(fd >= 3);
	f = (struct feeder){ .t = &t, .at = 20, .progress = true };
	uk_poll_hook_register(&f.hook, feed_hook, &f, UK_POLL_HOOK_SPIN);
	uk_sched_idle_get(&a);
	UK_EXPECT_EQ(SYS3(read, fd, &c, 1), 1);
	uk_sched_idle_get(&b);
	uk_poll_hook_unregister(&f.hook);
	UK_EXPECT_EQ(f.calls, 20);
	UK_EXPECT_EQ(b.idle_cycles, a.idle_cycles);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
}

static long count_cond(void *arg)
{
	return ++*(unsigned *)arg;
}

static long never_cond(void *arg)
{
	++*(unsigned *)arg;
	return -EAGAIN;
}

UK_TESTCASE(ukfd, hooks_run_before_the_first_check)
{
	static struct tfile t;
	static struct feeder f;
	struct uk_poll_waiter w;
	uint64_t due = UK_POLL_FOREVER;
	unsigned checks = 0;

	f = (struct feeder){ .t = &t, .at = 1000, .again_ns = 5 * MS };
	uk_poll_hook_register(&f.hook, feed_hook, &f, 0);
	uk_poll_waiter_init(&w);
	/* Ready at once, and yet the hooks ran: a busy server still gets
	 * its packets processed. */
	UK_EXPECT_EQ(uk_poll_wait(&w, count_cond, &checks, UK_POLL_FOREVER), 1);
	UK_EXPECT_EQ(f.calls, 1);
	/* A zero timeout checks once. */
	checks = 0;
	UK_EXPECT_EQ(uk_poll_wait(&w, never_cond, &checks, UK_POLL_NOW), -EAGAIN);
	UK_EXPECT_EQ(checks, 1);
	UK_EXPECT_EQ(f.calls, 2);
	UK_EXPECT_EQ(uk_poll_hooks_run(&due), 0);
	UK_EXPECT(due != UK_POLL_FOREVER);
	uk_poll_hook_unregister(&f.hook);
	UK_EXPECT_EQ(uk_poll_hooks_run(&due), 0);
	UK_EXPECT_EQ(f.calls, 3);
}

static long read_one(struct uk_file *f, void *arg)
{
	char c;
	struct uk_iovec iov = { &c, 1 };

	(void)arg;
	return tfile_read(f, &iov, 1);
}

UK_TESTCASE(ukfd, block_deadline_is_eagain)
{
	static struct tfile t;
	uint64_t start;

	tfile_open(&t, 0);
	start = rdtsc();
	UK_EXPECT_EQ(uk_file_block(&t.file, UK_EPOLLIN, read_one,
				   NULL, uk_poll_deadline_ns(3 * MS)),
		     -EAGAIN);
	UK_EXPECT(ns_since(start) >= 3 * MS);
	UK_EXPECT(t.reads >= 2);
	/* UK_POLL_NOW: one try, no wait. */
	t.reads = 0;
	UK_EXPECT_EQ(uk_file_block(&t.file, UK_EPOLLIN, read_one,
				   NULL, UK_POLL_NOW),
		     -EAGAIN);
	UK_EXPECT_EQ(t.reads, 1);
	uk_file_put(&t.file);
	UK_EXPECT_EQ(t.released, 1);
}

UK_TESTCASE(ukfd, deadline_conversions)
{
	UK_EXPECT_EQ(uk_poll_deadline_ms(-1), UK_POLL_FOREVER);
	UK_EXPECT_EQ(uk_poll_deadline_ms(0), UK_POLL_NOW);
	UK_EXPECT_EQ(uk_poll_deadline_ns(0), UK_POLL_NOW);
	UK_EXPECT_EQ(uk_poll_deadline_ns(UINT64_MAX), UK_POLL_FOREVER);
	UK_EXPECT(uk_poll_remaining_ns(uk_poll_deadline_ms(1000)) <= 1000 * MS);
	UK_EXPECT(uk_poll_remaining_ns(uk_poll_deadline_ms(1000)) > 900 * MS);
	UK_EXPECT_EQ(uk_poll_remaining_ns(UK_POLL_NOW), 0);
}
