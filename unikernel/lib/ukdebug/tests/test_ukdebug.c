/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/debug.h>
#include <uk/print.h>
#include <uk/test.h>

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

UK_TESTCASE(ukdebug, snprintf_conversions)
{
	char b[64];

	UK_EXPECT_EQ(uk_snprintf(b, sizeof(b), "%d|%5u|%-4x|%04X", -42, 7u, 0xab, 0xbeef), 19);
	UK_EXPECT(streq(b, "-42|    7|ab  |BEEF"));
	uk_snprintf(b, sizeof(b), "%lu %ld %zu", 18446744073709551615UL, -9223372036854775807L - 1, (size_t)3);
	UK_EXPECT(streq(b, "18446744073709551615 -9223372036854775808 3"));
	uk_snprintf(b, sizeof(b), "[%s][%.2s][%6s][%c][%%]", "abc", "xyz", "r", 'q');
	UK_EXPECT(streq(b, "[abc][xy][     r][q][%]"));
	uk_snprintf(b, sizeof(b), "%p %s", (void *)0x1000, (char *)0);
	UK_EXPECT(streq(b, "0x1000 (null)"));
}

UK_TESTCASE(ukdebug, snprintf_truncates_and_counts)
{
	char b[8];

	UK_EXPECT_EQ(uk_snprintf(b, sizeof(b), "%s", "0123456789"), 10);
	UK_EXPECT(streq(b, "0123456"));
	UK_EXPECT_EQ(uk_snprintf(b, 0, "abc"), 3);
}

__attribute__((noinline)) static const char *symbol_of_self(uint64_t *off)
{
	return uk_ksym_lookup((uint64_t)symbol_of_self + 3, off);
}

UK_TESTCASE(ukdebug, ksyms_name_functions)
{
	uint64_t off = 0;
	const char *name = symbol_of_self(&off);

	UK_ASSERT_TRUE(name != NULL);
	UK_EXPECT(streq(name, "symbol_of_self"));
	UK_EXPECT_EQ(off, 3);
	UK_EXPECT(uk_ksym_lookup(0x10, &off) == NULL);
}

__attribute__((noinline)) static size_t depth_probe(uint64_t *pcs, size_t max, int *trunc)
{
	uint64_t rip;
	__asm__ volatile("leaq (%%rip), %0" : "=r"(rip));
	return uk_backtrace_collect(rip, (uint64_t)__builtin_frame_address(0), pcs,
				    max, trunc);
}

UK_TESTCASE(ukdebug, backtrace_walks_frames)
{
	uint64_t pcs[32], off;
	int trunc;
	size_t n = depth_probe(pcs, 32, &trunc);

	/* probe, this case, the runner, boot: at least four frames. */
	UK_EXPECT(n >= 4);
	UK_EXPECT_EQ(trunc, 0);
	UK_EXPECT(streq(uk_ksym_lookup(pcs[0], &off), "depth_probe"));
	UK_EXPECT(streq(uk_ksym_lookup(pcs[1] - 1, &off),
			"uktest_fn_ukdebug_backtrace_walks_frames"));
	UK_EXPECT_EQ(depth_probe(pcs, 2, &trunc), 2);
	UK_EXPECT_EQ(trunc, 1);
}

/* musl's, built without frame pointers; it keeps its own data in rbp. */
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));

static uint64_t libc_pcs[16];
static size_t libc_depth;

static int compare_and_walk(const void *a, const void *b)
{
	uint64_t rip;
	int trunc;

	__asm__ volatile("leaq (%%rip), %0" : "=r"(rip));
	libc_depth = uk_backtrace_collect(rip, (uint64_t)__builtin_frame_address(0),
					  libc_pcs, ARRAY_SIZE(libc_pcs), &trunc);
	return *(const int *)a - *(const int *)b;
}

__attribute__((noinline)) static int search_through_libc(void)
{
	static const int sorted[] = { 1, 2, 3 };
	int key = 2;

	return bsearch(&key, sorted, 3, sizeof(int), compare_and_walk) != NULL;
}

static const char *caller_name(size_t i)
{
	uint64_t off;

	return i < libc_depth ? uk_ksym_lookup(libc_pcs[i] - 1, &off) : "";
}

/* The walk goes through a frameless libc function that reused rbp, and
 * on through the framed ones that called it. */
UK_TESTCASE(ukdebug, backtrace_crosses_frameless_libc)
{
	UK_ASSERT_TRUE(search_through_libc());
	UK_ASSERT_TRUE(libc_depth >= 5);
	UK_EXPECT(streq(caller_name(1), "bsearch"));
	UK_EXPECT(streq(caller_name(2), "search_through_libc"));
	UK_EXPECT(streq(caller_name(3),
			"uktest_fn_ukdebug_backtrace_crosses_frameless_libc"));
	/* The test runner (the per-case call may be inlined), then boot. */
	UK_EXPECT(streq(caller_name(4), "uktest_run_case") ||
		  streq(caller_name(4), "uktest_run_all"));
	UK_EXPECT(streq(caller_name(libc_depth - 1), "boot_main"));
}

/* A smashed frame record ends the walk: no garbage frame after it. */
UK_TESTCASE(ukdebug, backtrace_stops_at_a_smashed_frame)
{
	uint64_t smashed[4] = { 0x4141414141414141UL, 0x4141414141414141UL };
	uint64_t pcs[8];
	int trunc;

	UK_EXPECT_EQ(uk_backtrace_collect((uint64_t)compare_and_walk,
					  (uint64_t)smashed, pcs, 8, &trunc), 1);
	/* A return address outside the text, with a plausible next frame. */
	smashed[0] = (uint64_t)&smashed[2];
	smashed[1] = 0x10;
	UK_EXPECT_EQ(uk_backtrace_collect((uint64_t)compare_and_walk,
					  (uint64_t)smashed, pcs, 8, &trunc), 1);
}
