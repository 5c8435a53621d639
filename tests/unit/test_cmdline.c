/* SPDX-License-Identifier: BSD-3-Clause */
/* Guest command-line encoding, checked against a reference decoder that
 * implements the rule stated in cmdline.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unitune/abi.h>

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

/* cmdline_check() must refuse, naming it, what the guest would cut,
 * crash on, or take for something else. */
static void check_case(const char *kopts, const char *const *argv,
			 size_t argc, const char *image, int want,
			 const char *why_has)
{
	char why[512];
	int err = cmdline_check(kopts, argv, argc, image, why, sizeof(why));

	if (err != want)
		fail_msg("kopts '%s', %zu args: %d, expected %d (%s)",
			 kopts ? kopts : "(null)", argc, err, want, why);
	if (why_has && !strstr(why, why_has))
		fail_msg("'%s' lacks '%s'", why, why_has);
}

static void test_check_kernel_words(void **state)
{
	(void)state;
	check_case(NULL, NULL, 0, "i.elf", 0, NULL);
	check_case("uk.loglevel=info uk.flag A=1 _b2=\"x y\" C=", NULL, 0,
		     "i.elf", 0, NULL);
	check_case("virtio_mmio.device=512@0xfeb00000:12", NULL, 0,
		     "i.elf", 0, NULL);
	/* A bare word would become argv[1]. */
	check_case("foo", NULL, 0, "i.elf", -EINVAL,
		     "kernel option 'foo' is not uk.PARAM=VALUE: expected "
		     "NAME=VALUE");
	check_case("A=1 2X=3", NULL, 0, "i.elf", -EINVAL, "'2X=3'");
	/* Unquoted as the guest does: "=" inside quotes is still a word. */
	check_case("\"A B\"", NULL, 0, "i.elf", -EINVAL, "'A B'");
	check_case("A=\"x", NULL, 0, "i.elf", -EINVAL,
		     "unterminated quote");
	check_case("A=1 -- B=2", NULL, 0, "i.elf", -EINVAL, "'--' word");
}

static void test_check_counts(void **state)
{
	static const char *const many[UNITUNE_ARGC_MAX] = {
		[0 ... UNITUNE_ARGC_MAX - 1] = "x",
	};
	char kopts[64 * (UNITUNE_ENVC_MAX + 1)];
	size_t i, n = 0;

	(void)state;
	check_case(NULL, many, UNITUNE_ARGC_MAX - 1, "i.elf", 0, NULL);
	check_case(NULL, many, UNITUNE_ARGC_MAX, "i.elf", -E2BIG,
		     "too many application arguments: 64; the guest takes at "
		     "most 63 (UNITUNE_ARGC_MAX is 64");
	for (i = 0; i < UNITUNE_ENVC_MAX; i++)
		n += (size_t)snprintf(kopts + n, sizeof(kopts) - n,
				      "V%zu=1 uk.p%zu ", i, i);
	check_case(kopts, NULL, 0, "i.elf", 0, NULL);
	snprintf(kopts + n, sizeof(kopts) - n, "LAST=1");
	check_case(kopts, NULL, 0, "i.elf", -E2BIG,
		     "at most 32 (UNITUNE_ENVC_MAX); the first one over is "
		     "'LAST=1'");
}

static void test_check_length(void **state)
{
	/* "i.elf" + ' ' + " -- " + arg + NUL */
	size_t fits = UNITUNE_CMDLINE_MAX - 5 - 1 - 4 - 1;
	char *big = malloc(fits + 2);
	const char *argv[2] = { "short", big };

	(void)state;
	assert_non_null(big);
	memset(big, 'b', fits + 1);
	big[fits] = '\0';
	check_case(NULL, argv + 1, 1, "i.elf", 0, NULL);
	big[fits] = 'b';
	big[fits + 1] = '\0';
	check_case(NULL, argv + 1, 1, "i.elf", -E2BIG,
		     "would be 4097 bytes, above the guest's limit of 4096 "
		     "(UNITUNE_CMDLINE_MAX");
	/* The longest argument is named, and the image path counts. */
	big[fits - 10] = '\0';
	check_case(NULL, argv, 2, "i.elf", 0, NULL);
	check_case(NULL, argv, 2, "a/longer/path/i.elf", -E2BIG,
		     "the longest argument is argv[2], 4075 bytes");
	/* Quoting counts too: a space costs two quotes. */
	memset(big, 'b', fits);
	big[fits - 1] = '\0';
	check_case(NULL, argv + 1, 1, "i.elf", 0, NULL);
	big[0] = ' ';
	check_case(NULL, argv + 1, 1, "i.elf", -E2BIG, "4097 bytes");
	free(big);
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
		cmocka_unit_test(test_check_kernel_words),
		cmocka_unit_test(test_check_counts),
		cmocka_unit_test(test_check_length),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
