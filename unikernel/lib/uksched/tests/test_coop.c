/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKSCHED_COOP: ordering, sleeping, joining and memory. The cases run on
 * the main thread before main(), so main is the one that creates and
 * joins; every thread created here is joined here.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/x86.h>

#define MS 1000000ULL

/* A log the threads append to; the order of entries is the schedule. */
struct log {
	char buf[64];
	unsigned len;
};

static void log_put(struct log *l, char c)
{
	if (l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* ---- ordering ---------------------------------------------------------- */

struct rr_arg {
	struct log *log;
	char id;
};

static void rr_fn(void *p)
{
	struct rr_arg *a = p;

	for (int i = 0; i < 3; i++) {
		log_put(a->log, a->id);
		uk_thread_yield();
	}
}

UK_TESTCASE(uksched, yield_is_round_robin)
{
	static struct log log;
	struct rr_arg args[3] = { { &log, 'A' }, { &log, 'B' }, { &log, 'C' } };
	struct uk_thread *t[3];

	log.len = 0;
	log.buf[0] = '\0';
	for (int i = 0; i < 3; i++) {
		t[i] = uk_thread_create("rr", rr_fn, &args[i], 0);
		UK_ASSERT_TRUE(t[i] != NULL);
	}
	/* Nothing runs until main gives up the CPU. */
	UK_EXPECT_EQ(log.len, 0);
	for (int i = 0; i < 3; i++)
		UK_EXPECT_EQ(uk_thread_join(t[i]), 0);
	UK_EXPECT(streq(log.buf, "ABCABCABC"));
}

/* Main yields too: it takes its turn at the back of the queue. */
UK_TESTCASE(uksched, main_takes_its_turn)
{
	static struct log log;
	struct rr_arg a = { &log, 'T' };
	struct uk_thread *t;

	log.len = 0;
	t = uk_thread_create("turn", rr_fn, &a, 0);
	UK_ASSERT_TRUE(t != NULL);
	for (int i = 0; i < 3; i++) {
		log_put(&log, 'm');
		uk_thread_yield();
	}
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT(streq(log.buf, "mTmTmT"));
}

/* ---- sleeping ---------------------------------------------------------- */

struct sleep_arg {
	uint64_t ns;
	uint64_t elapsed;
	struct log *log;
	char id;
};

static void sleep_fn(void *p)
{
	struct sleep_arg *a = p;
	uint64_t start = rdtsc();

	uk_sleep_ns(a->ns);
	a->elapsed = rdtsc() - start;
	if (a->log)
		log_put(a->log, a->id);
}

UK_TESTCASE(uksched, thread_sleeps_at_least_2ms)
{
	struct sleep_arg a = { 2 * MS, 0, NULL, 0 };
	struct uk_thread *t = uk_thread_create("sleeper", sleep_fn, &a, 0);

	UK_ASSERT_TRUE(t != NULL);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT(a.elapsed >= plat_ns_to_tsc(2 * MS));
}

UK_TESTCASE(uksched, shorter_sleepers_wake_first)
{
	static struct log log;
	struct sleep_arg a[4] = {
		{ 4 * MS, 0, &log, '4' },
		{ 1 * MS, 0, &log, '1' },
		{ 3 * MS, 0, &log, '3' },
		{ 2 * MS, 0, &log, '2' },
	};
	struct uk_thread *t[4];

	log.len = 0;
	for (int i = 0; i < 4; i++) {
		t[i] = uk_thread_create("sleeper", sleep_fn, &a[i], 0);
		UK_ASSERT_TRUE(t[i] != NULL);
	}
	for (int i = 0; i < 4; i++)
		UK_EXPECT_EQ(uk_thread_join(t[i]), 0);
	UK_EXPECT(streq(log.buf, "1234"));
	for (int i = 0; i < 4; i++)
		UK_EXPECT(a[i].elapsed >= plat_ns_to_tsc(a[i].ns));
}

/* A busy thread that keeps yielding does not starve a sleeper: every
 * scheduling decision looks at the clock. */
struct spin_arg {
	volatile int *stop;
	unsigned yields;
};

static void spin_fn(void *p)
{
	struct spin_arg *a = p;

	while (!*a->stop) {
		a->yields++;
		uk_thread_yield();
	}
}

UK_TESTCASE(uksched, sleeper_wakes_while_others_yield)
{
	static volatile int stop;
	struct spin_arg s = { &stop, 0 };
	struct uk_thread *t;
	uint64_t start = rdtsc();

	stop = 0;
	t = uk_thread_create("spinner", spin_fn, &s, 0);
	UK_ASSERT_TRUE(t != NULL);
	uk_sleep_ns(2 * MS);
	stop = 1;
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT(s.yields > 0);
}

/* ---- joining ----------------------------------------------------------- */

struct join_arg {
	int result;
	int steps;
};

static void join_fn(void *p)
{
	struct join_arg *a = p;

	/* Yield first, so the joiner really blocks. */
	for (int i = 0; i < 5; i++) {
		a->steps++;
		uk_thread_yield();
	}
	a->result = 42;
}

UK_TESTCASE(uksched, join_waits_for_the_thread)
{
	struct join_arg a = { 0, 0 };
	struct uk_thread *t = uk_thread_create("joinee", join_fn, &a, 0);

	UK_ASSERT_TRUE(t != NULL);
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT_EQ(a.steps, 5);
	UK_EXPECT_EQ(a.result, 42);
	/* Joined once, released: a second join is refused. */
	UK_EXPECT_EQ(uk_thread_join(t), -EINVAL);
}

UK_TESTCASE(uksched, join_of_exited_thread_returns_at_once)
{
	struct join_arg a = { 0, 0 };
	struct uk_thread *t = uk_thread_create("early", join_fn, &a, 0);

	UK_ASSERT_TRUE(t != NULL);
	/* Let it run to the end before joining. */
	while (a.result != 42)
		uk_thread_yield();
	UK_EXPECT_EQ(uk_thread_join(t), 0);
}

UK_TESTCASE(uksched, main_cannot_join_itself)
{
	struct uk_thread *self = uk_thread_current();

	UK_ASSERT_TRUE(self != NULL);
	UK_EXPECT(streq(uk_thread_name(self), "main"));
	UK_EXPECT_EQ(uk_thread_join(self), -EINVAL);
	UK_EXPECT_EQ(uk_thread_join(NULL), -EINVAL);
}

struct bad_joins {
	struct uk_thread *main;
	int self_err, main_err;
};

static void bad_join_fn(void *p)
{
	struct bad_joins *b = p;

	b->self_err = uk_thread_join(uk_thread_current());
	b->main_err = uk_thread_join(b->main);
}

struct second_joiner {
	struct uk_thread *target;
	int err;
};

static void second_join_fn(void *p)
{
	struct second_joiner *s = p;

	s->err = uk_thread_join(s->target);
}

UK_TESTCASE(uksched, join_refuses_bad_targets)
{
	struct join_arg a = { 0, 0 };
	struct second_joiner s = { NULL, 1 };
	struct bad_joins b = { uk_thread_current(), 1, 1 };
	struct uk_thread *t, *j, *bj;

	t = uk_thread_create("joinee", join_fn, &a, 0);
	UK_ASSERT_TRUE(t != NULL);
	s.target = t;
	j = uk_thread_create("second", second_join_fn, &s, 0);
	UK_ASSERT_TRUE(j != NULL);
	bj = uk_thread_create("badjoin", bad_join_fn, &b, 0);
	UK_ASSERT_TRUE(bj != NULL);
	/* main joins t first; "second" then finds t taken. */
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT_EQ(uk_thread_join(j), 0);
	UK_EXPECT_EQ(s.err, -EINVAL);
	UK_EXPECT_EQ(uk_thread_join(bj), 0);
	UK_EXPECT_EQ(b.self_err, -EINVAL);
	UK_EXPECT_EQ(b.main_err, -EINVAL);
}

/* ---- names and memory -------------------------------------------------- */

static void name_fn(void *p)
{
	*(const char **)p = uk_thread_name(uk_thread_current());
}

UK_TESTCASE(uksched, thread_knows_its_name)
{
	const char *seen = NULL;
	struct uk_thread *t =
		uk_thread_create("a-rather-long-thread-name-that-is-cut", name_fn,
				 &seen, 0);

	UK_ASSERT_TRUE(t != NULL);
	UK_EXPECT(streq(uk_thread_name(t), "a-rather-long-thread-name-that-"));
	UK_EXPECT_EQ(uk_thread_join(t), 0);
	UK_EXPECT(seen != NULL && streq(seen, "a-rather-long-thread-name-that-"));
}

static void count_fn(void *p)
{
	(*(int *)p)++;
	uk_thread_yield();
	(*(int *)p)++;
}

UK_TESTCASE(uksched, fifty_threads_leave_no_memory_behind)
{
	enum { N = 50 };
	struct uk_alloc *a = uk_alloc_default();
	struct uk_alloc_stats before, after;
	struct uk_thread *t[N];
	int count = 0, created = 0;

	UK_ASSERT_TRUE(a != NULL);
	uk_alloc_stats_get(a, &before);
	for (int i = 0; i < N; i++) {
		t[i] = uk_thread_create("many", count_fn, &count,
					i % 2 ? 8192 : 0);
		if (t[i])
			created++;
	}
	UK_EXPECT_EQ(created, N);
	for (int i = 0; i < N; i++)
		if (t[i])
			UK_EXPECT_EQ(uk_thread_join(t[i]), 0);
	UK_EXPECT_EQ(count, 2 * created);
	uk_alloc_stats_get(a, &after);
	UK_EXPECT_EQ(after.cur_blocks, before.cur_blocks);
	UK_EXPECT_EQ(after.cur_bytes, before.cur_bytes);
}
