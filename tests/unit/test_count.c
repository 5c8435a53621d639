/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's integer parser (host/count.c): boundaries and malformed
 * input for every entry point. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "count.h"

static void test_counts(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1x", "0x10", "65", "99999999999999999999999",
	};
	static const struct {
		const char *text;
		unsigned long value;
	} good[] = { { "0", 0 }, { "64", 64 }, { "007", 7 } };
	unsigned long v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(count_parse(good[i].text, 64, &v), 0);
		assert_int_equal(v, good[i].value);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(count_parse(bad[i], 64, &v), -EINVAL);
	assert_int_equal(count_parse(NULL, 64, &v), -EINVAL);
}

static void test_range_edges(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(count_parse_range("", 10, &v), -EINVAL);
	assert_int_equal(count_parse_range("-1", 10, &v), -EINVAL);
	assert_int_equal(count_parse_range("+1", 10, &v), -EINVAL);
	assert_int_equal(count_parse_range("1x", 10, &v), -EINVAL);
	assert_int_equal(count_parse_range("0x1", 10, &v), -EINVAL);
	assert_int_equal(count_parse_range("11", 10, &v), -ERANGE);
	assert_int_equal(v, 7);
	assert_int_equal(count_parse_range("10", 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(count_parse_range("18446744073709551615", UINT64_MAX,
					   &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(count_parse_range("18446744073709551616", UINT64_MAX,
					   &v), -ERANGE);
	/* Overflow is found before the stray character after it. */
	assert_int_equal(count_parse_range("99999999999999999999x", UINT64_MAX,
					   &v), -ERANGE);
}

static void test_scan_stops(void **state)
{
	uint64_t v = 7;
	size_t used = 99;

	(void)state;
	assert_int_equal(count_scan("12k", SIZE_MAX, 100, &v, &used), 0);
	assert_int_equal(v, 12);
	assert_int_equal(used, 2);
	/* len bounds it: the digits after are not read. */
	assert_int_equal(count_scan("1234", 2, 100, &v, &used), 0);
	assert_int_equal(v, 12);
	assert_int_equal(used, 2);
	assert_int_equal(count_scan("1234", 0, 100, &v, &used), -EINVAL);
	assert_int_equal(count_scan("k", SIZE_MAX, 100, &v, &used), -EINVAL);
	assert_int_equal(count_scan(NULL, SIZE_MAX, 100, &v, &used), -EINVAL);
	assert_int_equal(count_scan("101", SIZE_MAX, 100, &v, &used), -ERANGE);
}

static void test_signed_edges(void **state)
{
	int64_t v = 7;

	(void)state;
	assert_int_equal(count_parse_signed("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(count_parse_signed("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(count_parse_signed("9223372036854775808", &v),
			 -ERANGE);
	assert_int_equal(count_parse_signed("-9223372036854775809", &v),
			 -ERANGE);
	assert_int_equal(count_parse_signed("-", &v), -EINVAL);
	assert_int_equal(count_parse_signed("--1", &v), -EINVAL);
	assert_int_equal(count_parse_signed("+1", &v), -EINVAL);
	assert_int_equal(count_parse_signed("", &v), -EINVAL);
	assert_int_equal(count_parse_signed("-12a", &v), -EINVAL);
	assert_int_equal(count_parse_signed("-12", &v), 0);
	assert_int_equal(v, -12);
}

static void test_hex_edges(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(count_parse_hex("ffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(count_parse_hex("00000000000000000001F", &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(count_parse_hex("10000000000000000", &v), -ERANGE);
	assert_int_equal(count_parse_hex("", &v), -EINVAL);
	assert_int_equal(count_parse_hex("0x1", &v), -EINVAL);
	assert_int_equal(count_parse_hex("-1", &v), -EINVAL);
	assert_int_equal(count_parse_hex("1g", &v), -EINVAL);
	assert_int_equal(count_parse_hex(NULL, &v), -EINVAL);
}

/* Hex digits up to the first other character, as count_scan(). */
static void test_scan_hex(void **state)
{
	uint64_t v = 7;
	size_t n = 0;

	(void)state;
	assert_int_equal(count_scan_hex("1fA ?", SIZE_MAX, &v, &n), 0);
	assert_true(v == 0x1fa && n == 3);
	assert_int_equal(count_scan_hex("ffff", 2, &v, &n), 0);
	assert_true(v == 0xff && n == 2);
	assert_int_equal(count_scan_hex("10000000000000000 x", SIZE_MAX, &v,
					 &n), -ERANGE);
	assert_int_equal(count_scan_hex(" 1", SIZE_MAX, &v, &n), -EINVAL);
	assert_int_equal(count_scan_hex("x", SIZE_MAX, &v, &n), -EINVAL);
	assert_true(v == 0xff && n == 2);
}

/* Real numbers: strtod's syntax, the whole text, finite. */
static void test_real(void **state)
{
	char longest[COUNT_REAL_MAX + 2];
	double d = 7;

	(void)state;
	assert_int_equal(count_parse_real("-1.5", 4, &d), 0);
	assert_true(d == -1.5);
	assert_int_equal(count_parse_real("2e-3 tail", 4, &d), 0);
	assert_true(d == 2e-3);
	assert_int_equal(count_parse_real("42", 2, &d), 0);
	assert_true(d == 42);
	d = 7;
	assert_int_equal(count_parse_real("", 0, &d), -EINVAL);
	assert_int_equal(count_parse_real(" 1", 2, &d), -EINVAL);
	assert_int_equal(count_parse_real("1 ", 2, &d), -EINVAL);
	assert_int_equal(count_parse_real("1.5x", 4, &d), -EINVAL);
	assert_int_equal(count_parse_real("inf", 3, &d), -EINVAL);
	assert_int_equal(count_parse_real("nan", 3, &d), -EINVAL);
	assert_int_equal(count_parse_real("1e999", 5, &d), -EINVAL);
	assert_int_equal(count_parse_real("out_of_memory", 13, &d), -EINVAL);
	assert_int_equal(count_parse_real(NULL, 1, &d), -EINVAL);
	assert_true(d == 7);
	memset(longest, '0', sizeof(longest));
	longest[0] = '1';
	assert_int_equal(count_parse_real(longest, COUNT_REAL_MAX, &d), 0);
	assert_int_equal(count_parse_real(longest, COUNT_REAL_MAX + 1, &d),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_range_edges),
		cmocka_unit_test(test_scan_stops),
		cmocka_unit_test(test_signed_edges),
		cmocka_unit_test(test_hex_edges),
		cmocka_unit_test(test_scan_hex),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
