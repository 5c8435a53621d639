/* SPDX-License-Identifier: BSD-3-Clause */
/* --mem sizes and --timeout durations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "duration.h"
#include "size.h"

static void test_size_units(void **state)
{
	static const struct {
		const char *text;
		uint64_t unit; /* of a bare number */
		uint64_t bytes;
	} ok[] = {
		{ "0", 1, 0 },
		{ "123", 1, 123 },
		{ "123", 1 << 20, 123ULL << 20 },
		{ "4k", 1, 4096 },
		{ "4K", 1, 4096 },
		{ "32M", 1, 32ULL << 20 },
		{ "2g", 1, 2ULL << 30 },
		{ "007M", 1, 7ULL << 20 },
		{ "1T", 1, 1ULL << 40 },
		{ "3t", 1 << 20, 3ULL << 40 },
	};
	uint64_t b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(size_parse(ok[i].text, ok[i].unit, &b), 0);
		assert_true(b == ok[i].bytes);
	}
}

static void test_size_malformed(void **state)
{
	static const char *const bad[] = { "", "M", "-1", "+1", " 1", "1 ",
					   "1.5M", "1MB", "1MiB", "1TB", "1P", "0x10",
					   "1e3", "12a", "K1", "1MM" };
	uint64_t b = 77;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(size_parse(bad[i], 1, &b), -EINVAL);
	assert_int_equal(size_parse(NULL, 1, &b), -EINVAL);
	assert_int_equal(b, 77);
}

static void test_size_overflow(void **state)
{
	uint64_t b;

	(void)state;
	assert_int_equal(size_parse("18446744073709551615", 1, &b), 0);
	assert_true(b == UINT64_MAX);
	assert_int_equal(size_parse("18446744073709551616", 1, &b), -ERANGE);
	assert_int_equal(size_parse("99999999999999999999999", 1, &b),
			 -ERANGE);
	/* 2^34 G = 2^64 bytes */
	assert_int_equal(size_parse("17179869183G", 1, &b), 0);
	assert_int_equal(size_parse("17179869184G", 1, &b), -ERANGE);
	assert_int_equal(size_parse("17592186044416M", 1, &b), -ERANGE);
	/* 2^24 T = 2^64 bytes */
	assert_int_equal(size_parse("16777215T", 1, &b), 0);
	assert_int_equal(size_parse("16777216T", 1, &b), -ERANGE);
}

static void test_mem(void **state)
{
	uint64_t m;

	(void)state;
	assert_int_equal(size_parse_mem_kib("32M", &m), 0);
	assert_int_equal(m, 32 * 1024);
	assert_int_equal(size_parse_mem_kib("64", &m), 0); /* bare = MiB */
	assert_int_equal(m, 64 * 1024);
	assert_int_equal(size_parse_mem_kib("1G", &m), 0);
	assert_int_equal(m, 1024 * 1024);
	assert_int_equal(size_parse_mem_kib("1400K", &m), 0);
	assert_int_equal(m, 1400);
	/* Rounded up to whole KiB (only reachable with huge units: no B suffix). */
	assert_int_equal(size_parse_mem_kib("1K", &m), 0);
	assert_int_equal(m, 1);
	/* Zero, malformed and too large. */
	assert_int_equal(size_parse_mem_kib("0", &m), -EINVAL);
	assert_int_equal(size_parse_mem_kib("0K", &m), -EINVAL);
	assert_int_equal(size_parse_mem_kib("", &m), -EINVAL);
	assert_int_equal(size_parse_mem_kib("32 M", &m), -EINVAL);
	/* The maximum, 4 GiB, however it is written; one KiB more is too
	 * much, and so is anything that overflows on the way. */
	assert_int_equal(size_parse_mem_kib("4G", &m), 0);
	assert_int_equal(m, UNITUNE_MEM_MAX_KIB);
	assert_int_equal(size_parse_mem_kib("4096", &m), 0);
	assert_int_equal(m, UNITUNE_MEM_MAX_KIB);
	assert_int_equal(size_parse_mem_kib("4194304K", &m), 0);
	assert_int_equal(size_parse_mem_kib("4194305K", &m), -ERANGE);
	assert_int_equal(size_parse_mem_kib("4097M", &m), -ERANGE);
	assert_int_equal(size_parse_mem_kib("1T", &m), -ERANGE);
	assert_int_equal(size_parse_mem_kib("16777216T", &m), -ERANGE);
	assert_int_equal(size_parse_mem_kib("99999999999999999999", &m),
			 -ERANGE);
	assert_int_equal(m, UNITUNE_MEM_MAX_KIB); /* untouched on errors */
}

static void test_duration(void **state)
{
	int64_t ns;

	(void)state;
	assert_int_equal(duration_parse_ns("30", &ns), 0);
	assert_int_equal(ns, 30000000000LL);
	assert_int_equal(duration_parse_ns("0", &ns), 0);
	assert_int_equal(ns, 0);
	assert_int_equal(duration_parse_ns("1.5", &ns), 0);
	assert_int_equal(ns, 1500000000LL);
	assert_int_equal(duration_parse_ns("0.000000001", &ns), 0);
	assert_int_equal(ns, 1);
	/* Beyond nanoseconds: truncated. */
	assert_int_equal(duration_parse_ns("0.0000000019", &ns), 0);
	assert_int_equal(ns, 1);
	assert_int_equal(duration_parse_ns("2.250", &ns), 0);
	assert_int_equal(ns, 2250000000LL);
}

static void test_duration_malformed(void **state)
{
	static const char *const bad[] = { "", ".5", "1.", "-1", "+1", "1s",
					   " 1", "1 ", "1e3", "inf", "nan",
					   "0x10", "1..2", "1.2.3", "1,5" };
	int64_t ns = 5;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(duration_parse_ns(bad[i], &ns), -EINVAL);
	assert_int_equal(duration_parse_ns(NULL, &ns), -EINVAL);
	assert_int_equal(ns, 5);
}

/* wrk's spelling: a unit after the number; none is seconds. */
static void test_duration_units(void **state)
{
	static const char *const bad[] = { "", "s", "ms", "10x", "1.s", "-1s",
					   "10 s", "1sm", "1e3ms" };
	int64_t ns = 5;
	size_t i;

	(void)state;
	assert_int_equal(duration_parse_units_ns("10s", &ns), 0);
	assert_int_equal(ns, 10000000000LL);
	assert_int_equal(duration_parse_units_ns("10", &ns), 0);
	assert_int_equal(ns, 10000000000LL);
	assert_int_equal(duration_parse_units_ns("500ms", &ns), 0);
	assert_int_equal(ns, 500000000LL);
	assert_int_equal(duration_parse_units_ns("1.5m", &ns), 0);
	assert_int_equal(ns, 90000000000LL);
	assert_int_equal(duration_parse_units_ns("2h", &ns), 0);
	assert_int_equal(ns, 7200000000000LL);
	ns = 5;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(duration_parse_units_ns(bad[i], &ns), -EINVAL);
	assert_int_equal(ns, 5);
	assert_int_equal(duration_parse_units_ns("9999999999h", &ns), -ERANGE);
}

static void test_duration_overflow(void **state)
{
	int64_t ns;

	(void)state;
	assert_int_equal(duration_parse_ns("9223372036", &ns), 0);
	assert_int_equal(ns, 9223372036000000000LL);
	assert_int_equal(duration_parse_ns("9223372036.854775807", &ns), 0);
	assert_true(ns == INT64_MAX);
	assert_int_equal(duration_parse_ns("9223372036.854775808", &ns),
			 -ERANGE);
	assert_int_equal(duration_parse_ns("9223372037", &ns), -ERANGE);
	assert_int_equal(duration_parse_ns("100000000000000000000", &ns),
			 -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_units),
		cmocka_unit_test(test_size_malformed),
		cmocka_unit_test(test_size_overflow),
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_duration_malformed),
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_overflow),
	};

	return cmocka_run_group_tests_name("size", tests, NULL, NULL);
}
