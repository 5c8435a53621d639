/* SPDX-License-Identifier: BSD-3-Clause */
/* Console line parsers: boot line, test lines, summary, exit status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "console.h"

#define S(lit) lit, (sizeof(lit) - 1)

static void test_next_line(void **state)
{
	const char buf[] = "one\r\ntwo\n\nlast";
	const char *l;
	size_t pos = 0, n;

	(void)state;
	assert_true(console_next_line(buf, strlen(buf), &pos, &l, &n));
	assert_int_equal(n, 4); /* "one\r": parsers drop the \r themselves */
	assert_memory_equal(l, "one\r", 4);
	assert_true(console_next_line(buf, strlen(buf), &pos, &l, &n));
	assert_int_equal(n, 3);
	assert_true(console_next_line(buf, strlen(buf), &pos, &l, &n));
	assert_int_equal(n, 0);
	assert_true(console_next_line(buf, strlen(buf), &pos, &l, &n));
	assert_int_equal(n, 4);
	assert_memory_equal(l, "last", 4);
	assert_false(console_next_line(buf, strlen(buf), &pos, &l, &n));
	pos = 0;
	assert_false(console_next_line("", 0, &pos, &l, &n));
	assert_false(console_next_line(NULL, 0, &pos, &l, &n));
}

static void test_find_last(void **state)
{
	const char buf[] = "[uk] crash: first\nx\npartial[uk] crash: second\r\n"
			   "regs\n";
	const char *rest;
	size_t n;

	(void)state;
	assert_true(console_find_last(buf, strlen(buf), "[uk] crash: ", &rest,
				      &n));
	assert_int_equal(n, 6);
	assert_memory_equal(rest, "second", 6);
	assert_false(console_find_last(buf, strlen(buf), "[uk] exit status ",
				       &rest, &n));
	assert_false(console_find_last("", 0, "x", &rest, &n));
	assert_false(console_find_last(NULL, 0, "x", &rest, &n));
	assert_false(console_find_last(buf, strlen(buf), "", &rest, &n));
	/* A marker at the very end has an empty rest. */
	assert_true(console_find_last(S("abc[uk] crash: "), "[uk] crash: ",
				      &rest, &n));
	assert_int_equal(n, 0);
	/* The search never reads past len. */
	assert_false(console_find_last("[uk] cr", 7, "[uk] crash: ", &rest,
				       &n));
}

static void test_boot_line(void **state)
{
	struct console_boot b;

	(void)state;
	assert_int_equal(console_parse_boot(S("[uk] boot: cycles=120 "
					      "tsc_first=1000 tsc_main=1120 "
					      "tsc_hz=2400000000\r"), &b), 0);
	assert_int_equal(b.cycles, 120);
	assert_int_equal(b.tsc_first, 1000);
	assert_int_equal(b.tsc_main, 1120);
	assert_int_equal(b.tsc_hz, 2400000000ULL);
	/* Any order; unknown fields skipped; 64-bit values. */
	assert_int_equal(console_parse_boot(S("[uk] boot: tsc_hz=1 new=x "
					      "tsc_main=18446744073709551615 "
					      "tsc_first=0 cycles=0"), &b), 0);
	assert_true(b.tsc_main == UINT64_MAX);
	assert_int_equal(b.tsc_hz, 1);
	/* What today's guest prints: no tsc_hz. */
	assert_int_equal(console_parse_boot(S("[uk] boot: cycles=133922 "
					      "tsc_first=14687 tsc_main=148609"),
					    &b), 0);
	assert_int_equal(b.cycles, 133922);
	assert_int_equal(b.tsc_hz, 0);
}

static void test_boot_line_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"[uk] boot:",
		"[uk] boot: ",
		"boot: cycles=1 tsc_first=1 tsc_main=1 tsc_hz=1",
		"[uk] boot: cycles=1 tsc_first=1 tsc_hz=1",
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=1 tsc_hz=",
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=1 tsc_hz=x",
		"[uk] boot: cycles=-1 tsc_first=1 tsc_main=1 tsc_hz=1",
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=1 tsc_hz=1 ",
		"[uk] boot: cycles=1  tsc_first=1 tsc_main=1 tsc_hz=1",
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=1 tsc_hz=1 cycles=2",
		("[uk] boot: cycles=18446744073709551616 tsc_first=1 tsc_main=1 "
		 "tsc_hz=1"),
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=1 tsc_hz=1 junk",
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=1 =5 tsc_hz=1",
		"[uk] boot: cycles=1 tsc_first=1 tsc_main=0x10 tsc_hz=1",
		"[uk] boot: cycles=1\ttsc_first=1 tsc_main=1 tsc_hz=1",
	};
	struct console_boot b = { 9, 9, 9, 9 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (console_parse_boot(bad[i], strlen(bad[i]), &b) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	}
	assert_int_equal(b.cycles, 9);
	/* len is honoured: the text after it is not seen. */
	assert_int_equal(console_parse_boot("[uk] boot: cycles=1 tsc_first=1 "
					    "tsc_main=1 tsc_hz=1", 30, &b),
			 -EINVAL);
}

static void test_mem_line(void **state)
{
	static const char console[] = "result: x\n[uk] mem: need=1\n"
				      "hello\n[uk] mem: new=3 need=3071568\r\n";
	static const char *const bad[] = {
		"[uk] mem: ", "[uk] mem: other=1", "[uk] mem: need=",
		"[uk] mem: need=x", "[uk] mem: need=1 need=2",
		"[uk] mem: need=1 ", "mem: need=1",
	};
	uint64_t need = 7;
	size_t i;

	(void)state;
	assert_int_equal(console_parse_mem(S("[uk] mem: need=3297280"), &need),
			 0);
	assert_int_equal(need, 3297280);
	/* The last line wins; fields the host does not know are skipped. */
	assert_int_equal(console_find_mem(console, strlen(console), &need), 0);
	assert_int_equal(need, 3071568);
	assert_int_equal(console_find_mem(console, 10, &need), -ENOENT);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (console_parse_mem(bad[i], strlen(bad[i]), &need) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	assert_int_equal(console_find_mem(S("[uk] mem: need=-1"), &need),
			 -EINVAL);
}

static void test_test_lines(void **state)
{
	struct console_test t;

	(void)state;
	assert_int_equal(console_parse_test(S("[uktest] alloc.tlsf_basic: ok"),
					    &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.suite_len, 5);
	assert_memory_equal(t.suite, "alloc", 5);
	assert_int_equal(t.test_len, 10);
	assert_memory_equal(t.test, "tlsf_basic", 10);
	assert_int_equal(t.detail_len, 0);

	assert_int_equal(console_parse_test(S("[uktest] sched.yield.twice: FAIL "
					      "lib/sched.c:42: x == 2\r"), &t),
			 0);
	assert_false(t.ok);
	assert_int_equal(t.test_len, 11);
	assert_memory_equal(t.test, "yield.twice", 11);
	assert_int_equal(t.detail_len, 22);
	assert_memory_equal(t.detail, "lib/sched.c:42: x == 2", 22);

	assert_int_equal(console_parse_test(S("[uktest] a-b.c: FAIL"), &t), 0);
	assert_false(t.ok);
	assert_int_equal(t.detail_len, 0);
}

static void test_test_lines_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"[uktest]",
		"[uktest] ",
		"[uktest] alloc: ok",
		"[uktest] .x: ok",
		"[uktest] alloc.: ok",
		"[uktest] alloc.x.: ok",
		"[uktest] alloc.x ok",
		"[uktest] alloc.x:ok",
		"[uktest] alloc.x: OK",
		"[uktest] alloc.x: ok ",
		"[uktest] alloc.x: okay",
		"[uktest] alloc.x: fail",
		"[uktest] alloc.x: FAILED",
		"[uktest] al loc.x: ok",
		"[uktest] alloc.x y: ok",
		"[uktest] summary: 1 passed, 0 failed",
		"uktest alloc.x: ok",
		" [uktest] alloc.x: ok",
	};
	struct console_test t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (console_parse_test(bad[i], strlen(bad[i]), &t) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	}
}

static void test_summary(void **state)
{
	unsigned p = 1, f = 1;

	(void)state;
	assert_int_equal(console_parse_summary(S("[uktest] summary: 12 passed, "
						 "0 failed\r"), &p, &f), 0);
	assert_int_equal(p, 12);
	assert_int_equal(f, 0);
	assert_int_equal(console_parse_summary(S("[uktest] summary: 0 passed, "
						 "4294967295 failed"), &p, &f),
			 0);
	assert_int_equal(f, 4294967295u);
}

static void test_summary_malformed(void **state)
{
	static const char *const bad[] = {
		"[uktest] summary: ",
		"[uktest] summary: 1 passed",
		"[uktest] summary: 1 passed, 2",
		"[uktest] summary: 1 passed, 2 failed ",
		"[uktest] summary: 1 passed,  2 failed",
		"[uktest] summary: -1 passed, 2 failed",
		"[uktest] summary: 01 passed, 2 failed",
		"[uktest] summary: 1 passed, 4294967296 failed",
		"[uktest] summary: x passed, 2 failed",
		"[uktest] summary: 1 passed, 2 failed, 3 skipped",
		"[uktest]summary: 1 passed, 2 failed",
	};
	unsigned p = 7, f = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (console_parse_summary(bad[i], strlen(bad[i]), &p, &f) !=
		    -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	}
	assert_int_equal(p, 7);
	assert_int_equal(f, 7);
}

static void test_exit_status(void **state)
{
	static const char *const bad[] = { "", "-1", "256", "1000", "12a",
					   " 1", "1 ", "007", "0x7f", "+5" };
	int st = -1;
	size_t i;

	(void)state;
	assert_int_equal(console_parse_exit_status(S("0"), &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(console_parse_exit_status(S("255\r"), &st), 0);
	assert_int_equal(st, 255);
	assert_int_equal(console_parse_exit_status(S("125"), &st), 0);
	assert_int_equal(st, 125);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		st = -1;
		if (console_parse_exit_status(bad[i], strlen(bad[i]), &st) !=
		    -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
		assert_int_equal(st, -1);
	}
}

static void test_result_lines(void **state)
{
	static const char ok[] = "result: bench=alloc pattern=small ops=400000 "
				 "cycles=59823623 cycles_per_op=149.56 "
				 "peak_heap=3696\r";
	static const char ok2[] = "result: pattern=p failed=oom bench=b";
	struct console_result r;

	(void)state;
	assert_int_equal(console_parse_result(ok, strlen(ok), &r), 0);
	assert_int_equal(r.bench_len, 5);
	assert_memory_equal(r.bench, "alloc", 5);
	assert_memory_equal(r.pattern, "small", 5);
	assert_int_equal(r.n, 4);
	assert_memory_equal(r.f[0].key, "ops", 3);
	assert_int_equal(r.f[2].key_len, strlen("cycles_per_op"));
	assert_int_equal(r.f[2].val_len, 6);
	assert_memory_equal(r.f[2].val, "149.56", 6);
	assert_int_equal(r.f[3].val_len, 4); /* '\r' is not part of it */
	/* Order is free; failed= replaces the figures. */
	assert_int_equal(console_parse_result(ok2, strlen(ok2), &r), 0);
	assert_int_equal(r.n, 1);
}

static void test_result_lines_malformed(void **state)
{
	static const char *const bad[] = {
		"result: pattern=p ops=1",		/* no bench */
		"result: bench=b ops=1",		/* no pattern */
		"result: bench=b pattern=p ops=",	/* empty value */
		"result: bench=b pattern=p ops=1 ",	/* trailing space */
		"result: bench=b  pattern=p",		/* two spaces */
		"result: bench=b pattern=p =1",		/* empty key */
		"result: bench=b pattern=p bench=c",	/* bench twice */
		"result: bench=a.b pattern=p",		/* dot in bench */
		"result: bench=b pattern=p ops",	/* no '=' */
		"result:bench=b pattern=p",
		"Result: bench=b pattern=p",
		"",
	};
	struct console_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(console_parse_result(bad[i], strlen(bad[i]),
						      &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_line),
		cmocka_unit_test(test_find_last),
		cmocka_unit_test(test_boot_line),
		cmocka_unit_test(test_boot_line_malformed),
		cmocka_unit_test(test_mem_line),
		cmocka_unit_test(test_test_lines),
		cmocka_unit_test(test_test_lines_malformed),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_malformed),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_result_lines),
		cmocka_unit_test(test_result_lines_malformed),
	};

	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
