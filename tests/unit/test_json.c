/* SPDX-License-Identifier: BSD-3-Clause */
/* The JSON writer (host/json.c): layout, escapes, numbers, misuse. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "json.h"

struct mem {
	char *buf;
	size_t len;
	FILE *f;
	struct json w;
};

static void mem_open(struct mem *m, bool compact)
{
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	json_init(&m->w, m->f);
	m->w.compact = compact;
}

/* Finish, close and compare; frees the buffer. */
static void mem_expect(struct mem *m, int status, const char *text)
{
	assert_int_equal(json_finish(&m->w), status);
	fclose(m->f);
	if (text)
		assert_string_equal(m->buf, text);
	free(m->buf);
}

static void test_nested_pretty(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m, false);
	json_begin_object(&m.w);
	json_key(&m.w, "name");
	json_string(&m.w, "hello");
	json_key(&m.w, "rows");
	json_begin_array(&m.w);
	json_u64(&m.w, 1);
	json_i64(&m.w, -2);
	json_begin_object(&m.w);
	json_end_object(&m.w);
	json_begin_array(&m.w);
	json_end_array(&m.w);
	json_end_array(&m.w);
	json_key(&m.w, "ok");
	json_bool(&m.w, true);
	json_key(&m.w, "none");
	json_string(&m.w, NULL);
	json_end_object(&m.w);
	mem_expect(&m, 0,
		   "{\n  \"name\": \"hello\",\n  \"rows\": [\n    1,\n    -2,\n"
		   "    {},\n    []\n  ],\n  \"ok\": true,\n  \"none\": null\n}\n");
}

static void test_compact_and_numbers(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m, true);
	json_begin_array(&m.w);
	json_double(&m.w, 0.1);
	json_double(&m.w, 2.5);
	json_double(&m.w, 1e300);
	json_double(&m.w, NAN);
	json_double(&m.w, -INFINITY);
	json_double(&m.w, 1.0 / 3.0);
	json_double(&m.w, 10);
	json_double(&m.w, 1200);
	json_double(&m.w, -5e16);
	json_double(&m.w, 1e-7);
	json_u64(&m.w, UINT64_MAX);
	json_i64(&m.w, INT64_MIN);
	json_end_array(&m.w);
	mem_expect(&m, 0,
		   "[0.1,2.5,1e+300,null,null,0.3333333333333333,10,1200,"
		   "-50000000000000000,1e-07,"
		   "18446744073709551615,-9223372036854775808]");
}

static void test_string_escapes_and_utf8(void **state)
{
	/* quote, backslash, newline, tab, a control byte, DEL, valid UTF-8
	 * (é, €, U+1F600), then bytes that are no UTF-8: a lone continuation,
	 * an overlong, a surrogate, a cut-off sequence. */
	static const char in[] = "q\"b\\n\nt\tc\x01" "d\x7f"
				 "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				 "|\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82";
	struct mem m;

	(void)state;
	mem_open(&m, true);
	json_begin_object(&m.w);
	json_key(&m.w, "k\"");
	json_string_n(&m.w, in, sizeof(in) - 1);
	json_end_object(&m.w);
	mem_expect(&m, 0,
		   "{\"k\\\"\":\"q\\\"b\\\\n\\nt\\tc\\u0001d\\u007f"
		   "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
		   "|\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|"
		   "\\ufffd\\ufffd\"}");
}

static void test_misuse_is_reported(void **state)
{
	struct mem m;
	int i;

	(void)state;
	/* A value where a key is due. */
	mem_open(&m, true);
	json_begin_object(&m.w);
	json_u64(&m.w, 1);
	json_end_object(&m.w);
	mem_expect(&m, -EINVAL, NULL);
	/* A key in an array. */
	mem_open(&m, true);
	json_begin_array(&m.w);
	json_key(&m.w, "x");
	json_end_array(&m.w);
	mem_expect(&m, -EINVAL, NULL);
	/* Unbalanced, mismatched, a key without its value. */
	mem_open(&m, true);
	json_begin_array(&m.w);
	mem_expect(&m, -EINVAL, NULL);
	mem_open(&m, true);
	json_begin_array(&m.w);
	json_end_object(&m.w);
	mem_expect(&m, -EINVAL, NULL);
	mem_open(&m, true);
	json_begin_object(&m.w);
	json_key(&m.w, "x");
	json_end_object(&m.w);
	mem_expect(&m, -EINVAL, NULL);
	/* Two top-level values, and no value at all. */
	mem_open(&m, true);
	json_u64(&m.w, 1);
	json_u64(&m.w, 2);
	mem_expect(&m, -EINVAL, NULL);
	mem_open(&m, true);
	mem_expect(&m, -EINVAL, NULL);
	/* Too deep. */
	mem_open(&m, true);
	for (i = 0; i <= JSON_DEPTH_MAX; i++)
		json_begin_array(&m.w);
	mem_expect(&m, -EINVAL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_pretty),
		cmocka_unit_test(test_compact_and_numbers),
		cmocka_unit_test(test_string_escapes_and_utf8),
		cmocka_unit_test(test_misuse_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
