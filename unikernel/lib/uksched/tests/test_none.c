/* SPDX-License-Identifier: BSD-3-Clause */
/* UKSCHED_NONE: there are no threads, and the API says so. */
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/x86.h>

#define MS 1000000ULL

static void never_runs(void *arg)
{
	*(int *)arg = 1;
}

UK_TESTCASE(uksched, none_has_no_threads)
{
	int ran = 0;

	UK_EXPECT(uk_thread_create("t", never_runs, &ran, 0) == NULL);
	UK_EXPECT_EQ(uk_thread_join(NULL), -ENOSYS);
	UK_EXPECT(uk_thread_current() == NULL);
	uk_thread_yield();
	UK_EXPECT_EQ(ran, 0);
}

UK_TESTCASE(uksched, none_wait_timeout_expires)
{
	struct uk_waitq wq = UK_WAITQ_INIT;
	uint64_t start = rdtsc();
	bool woken = true;

	/* A halt may end early (any interrupt); loop as a caller would. */
	for (int i = 0; i < 100 && woken; i++)
		woken = uk_waitq_wait_timeout(&wq, 2 * MS);
	UK_EXPECT(!woken);
	UK_EXPECT(rdtsc() - start >= plat_ns_to_tsc(2 * MS));
}
