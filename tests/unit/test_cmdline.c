/* SPDX-License-Identifier: BSD-3-Clause */
/* Guest command-line encoding, checked against a reference decoder that
 * implements the rule stated in cmdline.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static char *build(const char *kopts, const char *const *argv, size_t argc)
{
	char *s = NULL;

	assert_int_equal(cmdline_build(kopts, argv, argc, &s), 0);
	assert_non_null(s);
	return s;
}

static void test_plain_args(void **state)
{
	const char *argv[] = { "a", "-n", "3", "x=y" };
	char *s;

	(void)state;
	s = build("loglevel=3", argv, 4);
	assert_string_equal(s, "loglevel=3 -- a -n 3 x=y");
	free(s);
}

static void test_separator_always_present(void **state)
{
	const char *argv[] = { "a" };
	char *s;

	(void)state;
	s = build(NULL, NULL, 0);
	assert_string_equal(s, " -- ");
	free(s);
	s = build("", argv, 1);
	assert_string_equal(s, " -- a");
	free(s);
	s = build("k=v", NULL, 0);
	assert_string_equal(s, "k=v -- ");
	free(s);
}

static void test_quoting(void **state)
{
	const char *argv[] = { "", "a b", "t\tab", "say \"hi\"", "c:\\dir",
			       "\\", "\"" };
	char *s;

	(void)state;
	s = build(NULL, argv, 7);
	assert_string_equal(s, " -- \"\" \"a b\" \"t\tab\" \"say \\\"hi\\\"\" "
			       "\"c:\\\\dir\" \"\\\\\" \"\\\"\"");
	free(s);
	assert_true(cmdline_needs_quotes(""));
	assert_true(cmdline_needs_quotes(" "));
	assert_true(cmdline_needs_quotes("a\tb"));
	assert_true(cmdline_needs_quotes("\\"));
	assert_false(cmdline_needs_quotes("--"));
	assert_false(cmdline_needs_quotes("a'b"));
	assert_false(cmdline_needs_quotes("ünï"));
	assert_true(cmdline_needs_quotes("a\nb")); /* the guest splits on it */
	assert_false(cmdline_needs_quotes("a\rb"));
}

static void test_rejects_separator_in_kernel_opts(void **state)
{
	char *s = (char *)1;

	(void)state;
	assert_int_equal(cmdline_build("a -- b", NULL, 0, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(cmdline_build("--", NULL, 0, &s), -EINVAL);
	assert_int_equal(cmdline_build("a\t--", NULL, 0, &s), -EINVAL);
	/* "--" inside a word is harmless. */
	s = build("--verbose a--b x=--", NULL, 0);
	assert_string_equal(s, "--verbose a--b x=-- -- ");
	free(s);
}

static void test_rejects_null_arg(void **state)
{
	const char *argv[] = { "a", NULL };
	char *s = (char *)1;

	(void)state;
	assert_int_equal(cmdline_build(NULL, argv, 2, &s), -EINVAL);
	assert_null(s);
}

/* The guest's rule: words split on space/tab; "..." groups, with \" and \\
 * escapes inside. Returns the number of words. */
static size_t decode(const char *s, char out[][64], size_t max)
{
	size_t n = 0;

	for (;;) {
		size_t o = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s || n == max)
			return n;
		if (*s == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				out[n][o++] = *s++;
			}
			assert_int_equal(*s, '"');
			s++;
		} else {
			while (*s && *s != ' ' && *s != '\t' && *s != '\n')
				out[n][o++] = *s++;
		}
		out[n++][o] = '\0';
	}
}

static void test_round_trip(void **state)
{
	const char *argv[] = { "plain", "", " ", "two words", "\"", "\\\"",
			       "end\\", "\\\\", "tab\there", "--", "-x",
			       "new\nline", "quote\"in\"middle" };
	const size_t argc = sizeof(argv) / sizeof(argv[0]);
	char words[32][64];
	char *s, *args;
	size_t n, i;

	(void)state;
	s = build("k=1", argv, argc);
	args = strstr(s, " -- ");
	assert_non_null(args);
	n = decode(args + 4, words, 32);
	assert_int_equal(n, argc);
	for (i = 0; i < argc; i++)
		assert_string_equal(words[i], argv[i]);
	free(s);
}

static void test_add_arg_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(strbuf_adds(&sb, "x "), 0);
	assert_int_equal(cmdline_add_arg(&sb, "a\"b"), 0);
	assert_string_equal(sb.buf, "x \"a\\\"b\"");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_args),
		cmocka_unit_test(test_separator_always_present),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_rejects_separator_in_kernel_opts),
		cmocka_unit_test(test_rejects_null_arg),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_add_arg_appends),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
