/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xml_escape (host/xml_escape.h): the entities, the references that keep
 * tab, newline and CR in an attribute, U+FFFD for what XML 1.0 forbids
 * and for bytes that are not UTF-8, valid UTF-8 untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "xml_escape.h"

#define FFFD "\xef\xbf\xbd"

static void escaped(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	xml_escape(f, in);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, want);
	free(buf);
}

static void test_entities(void **state)
{
	(void)state;
	escaped("a<b>&\"c\"'d'", "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
	escaped("plain | text", "plain | text");
	escaped("", "");
	escaped(NULL, "");
}

static void test_whitespace_and_controls(void **state)
{
	(void)state;
	escaped("a\tb\nc\rd", "a&#9;b&#10;c&#13;d");
	escaped("\x01x\x1b[0m\x7f", FFFD "x" FFFD "[0m" FFFD);
}

static void test_utf8(void **state)
{
	(void)state;
	/* é, €, an emoji: kept. */
	escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* A lone continuation byte, a truncated sequence, an overlong '<',
	 * a surrogate: one U+FFFD per byte that starts nothing valid. */
	escaped("a\x80z", "a" FFFD "z");
	escaped("a\xe2\x82", "a" FFFD FFFD);
	escaped("\xc0\xbc", FFFD FFFD);
	escaped("\xed\xa0\x80", FFFD FFFD FFFD);
	/* C1 controls and U+FFFE, U+FFFF: not for XML either. */
	escaped("\xc2\x85\xc2\xa0", FFFD "\xc2\xa0");
	escaped("\xef\xbf\xbe\xef\xbf\xbf", FFFD FFFD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_whitespace_and_controls),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
