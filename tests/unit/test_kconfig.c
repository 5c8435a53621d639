/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Symbol table from libkconfig-parser (on the fixture tree in
 * fixtures/kconfig) and validation of assignments against it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "config.h"
#include "kconfig.h"
#include "kconfig_fixture.h"

#define TREE UT_FIXTURES "/kconfig"
#define BROKEN UT_FIXTURES "/kconfig-broken"

static int setup(void **state)
{
	return kconfig_fixture_setup(state, TREE);
}

static const struct kconfig_sym *sym(void **state, const char *name)
{
	const struct kconfig_sym *s = kconfig_find(*state, name);

	if (!s)
		fail_msg("symbol %s missing", name);
	return s;
}

static void test_types_and_flags(void **state)
{
	const struct kconfig_sym *s;

	assert_int_equal(sym(state, "UK_APPNAME")->type, KCONFIG_STRING);
	assert_int_equal(sym(state, "DEBUG")->type, KCONFIG_BOOL);
	assert_int_equal(sym(state, "THREADS")->type, KCONFIG_INT);
	assert_int_equal(sym(state, "BUF_SIZE")->type, KCONFIG_HEX);
	assert_true(sym(state, "DEBUG")->has_prompt);
	assert_false(sym(state, "COMPUTED")->has_prompt);
	assert_true(sym(state, "ALLOC_TLSF")->choice_value);
	assert_false(sym(state, "DEBUG")->choice_value);
	/* From the sourced file. */
	s = sym(state, "LIB_NAME");
	assert_int_equal(s->type, KCONFIG_STRING);
	assert_non_null(strstr(s->depends, "LIB_FOO"));
	assert_non_null(strstr(s->depends, "TRACE"));
	assert_non_null(strstr(sym(state, "TRACE")->depends, "DEBUG"));
	assert_string_equal(sym(state, "THREADS")->depends, "");
	assert_non_null(strstr(sym(state, "DEBUG")->selected_by, "LIB_FOO"));
	assert_string_equal(sym(state, "TRACE")->selected_by, "");
}

/* The files read, for a hash of the tree: the root and the sourced one,
 * named relative to the tree, sorted. */
static void test_files_read(void **state)
{
	const struct kconfig *kc = *state;

	assert_int_equal(kc->n_files, 2);
	assert_string_equal(kc->files[0], "Config.uk");
	assert_string_equal(kc->files[1], "lib/Config.uk");
}

static void test_unknown_symbols(void **state)
{
	assert_null(kconfig_find(*state, "NOPE"));
	assert_null(kconfig_find(*state, ""));
	assert_null(kconfig_find(*state, "CONFIG_DEBUG")); /* no prefix */
	assert_null(kconfig_find(*state, "debug"));	 /* case matters */
	assert_null(kconfig_find(NULL, "DEBUG"));
}

static void test_ranges(void **state)
{
	const struct kconfig_sym *s;

	s = sym(state, "THREADS");
	assert_true(s->has_range);
	assert_int_equal(s->min, 1);
	assert_int_equal(s->max, 64);
	s = sym(state, "NEG");
	assert_true(s->has_range);
	assert_int_equal(s->min, -10);
	assert_int_equal(s->max, 10);
	s = sym(state, "BUF_SIZE");
	assert_true(s->has_range);
	assert_int_equal(s->umin, 0x1000);
	assert_int_equal(s->umax, 0x100000);
	assert_false(sym(state, "UNBOUNDED")->has_range);
	/* Conditional range, with BIG_BUF unset: the first one holds. */
	s = sym(state, "QUEUE");
	assert_true(s->has_range);
	assert_int_equal(s->max, 16);
	/* A range bound taken from another symbol's default. */
	s = sym(state, "LIMIT");
	assert_true(s->has_range);
	assert_int_equal(s->max, 8);
}

static void test_ranges_follow_requested_config(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = NULL;
	const struct kconfig_sym *s;

	(void)state;
	assert_int_equal(kconfig_load(TREE, "Config.uk",
				      "CONFIG_BIG_BUF=y\nCONFIG_THREADS=32\n",
				      &kc, &err), 0);
	s = kconfig_find(kc, "QUEUE");
	assert_non_null(s);
	assert_int_equal(s->max, 4096);
	s = kconfig_find(kc, "LIMIT");
	assert_non_null(s);
	assert_int_equal(s->max, 32);
	kconfig_free(kc);
	strbuf_release(&err);
}

static void test_broken_tree_reports_errors(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = (struct kconfig *)1;

	(void)state;
	/* The parser exit()s on this tree; we must survive and explain. */
	assert_int_equal(kconfig_load(BROKEN, "Config.uk", NULL, &kc, &err),
			 -EINVAL);
	assert_null(kc);
	assert_non_null(err.buf);
	assert_non_null(strstr(err.buf, "does not parse"));
	assert_non_null(strstr(err.buf, "syntax error"));
	strbuf_release(&err);
}

static void test_missing_tree(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = (struct kconfig *)1;

	(void)state;
	assert_int_equal(kconfig_load(UT_FIXTURES "/nonexistent", "Config.uk",
				      NULL, &kc, &err), -ENOENT);
	assert_null(kc);
	assert_non_null(strstr(err.buf, "nonexistent/Config.uk"));
	strbuf_release(&err);
	assert_int_equal(kconfig_load(TREE, "Nope.uk", NULL, &kc, &err),
			 -ENOENT);
	strbuf_release(&err);
}

/* --- assignment lines ------------------------------------------------- */

static int parse(const char *line, struct config_assign *a)
{
	char err[256] = "";
	int r = config_parse_line(line, strlen(line), a, err, sizeof(err));

	if (r < 0)
		assert_true(err[0] != '\0');
	return r;
}

static void test_parse_lines(void **state)
{
	struct config_assign a;

	(void)state;
	assert_int_equal(parse("CONFIG_THREADS=8", &a), 1);
	assert_string_equal(a.name, "THREADS");
	assert_string_equal(a.value, "8");
	config_assign_release(&a);
	assert_int_equal(parse("CONFIG_UK_APPNAME=\"a = b\"\r", &a), 1);
	assert_string_equal(a.value, "\"a = b\"");
	config_assign_release(&a);
	assert_int_equal(parse("CONFIG_X=", &a), 1);
	assert_string_equal(a.value, "");
	config_assign_release(&a);
	assert_int_equal(parse("# CONFIG_DEBUG is not set", &a), 1);
	assert_string_equal(a.name, "DEBUG");
	assert_string_equal(a.value, "n");
	config_assign_release(&a);
	/* Ignored lines. */
	assert_int_equal(parse("", &a), 0);
	assert_int_equal(parse("   \t", &a), 0);
	assert_int_equal(parse("# a comment", &a), 0);
	assert_int_equal(parse("#CONFIG_DEBUG is not set", &a), 0);
	assert_int_equal(parse("# CONFIG_DEBUG is not set!", &a), 0);
	assert_int_equal(parse("# CONFIG_ is not set", &a), 0);
}

static void test_parse_malformed_lines(void **state)
{
	static const char *const bad[] = {
		"THREADS=8", "CONFIG_THREADS", "CONFIG_THREADS 8",
		"CONFIG_=8", "CONFIG_FOO-BAR=y", "CONFIG_FOO BAR=y",
		" CONFIG_THREADS=8", "config_THREADS=8", "CONFIG_THREADS:=8",
		"CONFIG_Ü=y", "=y",
	};
	struct config_assign a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &a) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
		assert_null(a.name);
	}
}

static int check(void **state, const char *name, const char *value,
		 char *err, size_t len)
{
	err[0] = '\0';
	return config_check_value(sym(state, name), value, err, len);
}

static void test_values_by_type(void **state)
{
	static const struct {
		const char *sym, *value;
		int ok;
	} cases[] = {
		{ "DEBUG", "y", 1 }, { "DEBUG", "n", 1 }, { "DEBUG", "m", 0 },
		{ "DEBUG", "Y", 0 }, { "DEBUG", "yes", 0 }, { "DEBUG", "", 0 },
		{ "DEBUG", "y ", 0 }, { "DEBUG", "1", 0 },
		{ "THREADS", "1", 1 }, { "THREADS", "64", 1 },
		{ "THREADS", "0", 0 }, { "THREADS", "65", 0 },
		{ "THREADS", "08", 0 }, { "THREADS", "8.0", 0 },
		{ "THREADS", "0x8", 0 }, { "THREADS", "", 0 },
		{ "THREADS", "-", 0 }, { "THREADS", "+8", 0 },
		{ "THREADS", "\"8\"", 0 }, { "THREADS", " 8", 0 },
		{ "NEG", "-10", 1 }, { "NEG", "10", 1 }, { "NEG", "0", 1 },
		{ "NEG", "-11", 0 }, { "NEG", "11", 0 }, { "NEG", "-0", 0 },
		{ "UNBOUNDED", "9223372036854775807", 1 },
		{ "UNBOUNDED", "-9223372036854775808", 1 },
		{ "UNBOUNDED", "9223372036854775808", 0 },
		{ "UNBOUNDED", "-9223372036854775809", 0 },
		{ "BUF_SIZE", "0x1000", 1 }, { "BUF_SIZE", "0x100000", 1 },
		{ "BUF_SIZE", "0X4000", 1 }, { "BUF_SIZE", "0xAbCd", 1 },
		{ "BUF_SIZE", "0xfff", 0 }, { "BUF_SIZE", "0x100001", 0 },
		{ "BUF_SIZE", "4000", 0 }, { "BUF_SIZE", "0x", 0 },
		{ "BUF_SIZE", "0xg", 0 }, { "BUF_SIZE", "-0x1000", 0 },
		{ "BUF_SIZE", "0x10000000000000000", 0 },
		{ "UK_APPNAME", "\"hello\"", 1 }, { "UK_APPNAME", "\"\"", 1 },
		{ "UK_APPNAME", "\"a \\\"b\\\" c\"", 1 },
		{ "UK_APPNAME", "\"back\\\\\"", 1 },
		{ "UK_APPNAME", "hello", 0 }, { "UK_APPNAME", "\"hello", 0 },
		{ "UK_APPNAME", "hello\"", 0 }, { "UK_APPNAME", "\"", 0 },
		{ "UK_APPNAME", "\"a\"b\"", 0 }, { "UK_APPNAME", "\"a\\\"", 0 },
		{ "UK_APPNAME", "", 0 },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = check(state, cases[i].sym, cases[i].value, err,
			      sizeof(err));

		if (cases[i].ok && r)
			fail_msg("%s=%s rejected: %s", cases[i].sym,
				 cases[i].value, err);
		if (!cases[i].ok && r != -EINVAL)
			fail_msg("%s=%s accepted", cases[i].sym,
				 cases[i].value);
		if (!cases[i].ok)
			assert_true(err[0] != '\0');
	}
}

static void test_value_messages(void **state)
{
	char err[256];

	assert_int_equal(check(state, "THREADS", "99", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "outside the range 1..64"));
	assert_int_equal(check(state, "BUF_SIZE", "0x10", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "0x1000..0x100000"));
	assert_int_equal(check(state, "DEBUG", "maybe", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "y or n"));
	assert_int_equal(check(state, "UK_APPNAME", "x", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "double quotes"));
	/* A tiny buffer truncates but stays a C string. */
	assert_int_equal(check(state, "THREADS", "99", err, 4), -EINVAL);
	assert_int_equal(strlen(err), 3);
}

static void test_values_equal(void **state)
{
	(void)state;
	assert_true(config_values_equal(KCONFIG_INT, "8", "8"));
	assert_false(config_values_equal(KCONFIG_INT, "8", "9"));
	assert_false(config_values_equal(KCONFIG_INT, "8", NULL));
	assert_true(config_values_equal(KCONFIG_HEX, "0x0A", "0xa"));
	assert_true(config_values_equal(KCONFIG_HEX, "a", "0xA"));
	assert_false(config_values_equal(KCONFIG_HEX, "0x10", "0x1"));
	assert_true(config_values_equal(KCONFIG_BOOL, "n", NULL));
	assert_true(config_values_equal(KCONFIG_BOOL, NULL, NULL));
	assert_false(config_values_equal(KCONFIG_BOOL, "y", NULL));
	assert_true(config_values_equal(KCONFIG_TRISTATE, NULL, "n"));
	assert_false(config_values_equal(KCONFIG_STRING, "\"\"", NULL));
	assert_true(config_values_equal(KCONFIG_STRING, "\"a\"", "\"a\""));
	assert_false(config_values_equal(KCONFIG_STRING, "\"a\"", "\"A\""));
}

static void test_config_set(void **state)
{
	const char text[] = "# header\nCONFIG_A=1\nbogus\nCONFIG_B=y\n"
			    "CONFIG_A=2\n# CONFIG_B is not set\nCONFIG_C=\"x\"";
	struct config_set s = { 0 };
	struct strbuf errs = STRBUF_INIT, out = STRBUF_INIT;
	const struct config_assign *a;

	(void)state;
	assert_int_equal(config_parse_text(text, strlen(text), "f.config", &s,
					   &errs), 1);
	assert_non_null(strstr(errs.buf, "f.config:3: "));
	assert_int_equal(s.n, 3);
	a = config_set_get(&s, "A");
	assert_string_equal(a->value, "2");
	assert_int_equal(a->line, 5); /* the winning line */
	assert_string_equal(config_set_get(&s, "B")->value, "n");
	assert_null(config_set_get(&s, "D"));
	assert_int_equal(config_set_write(&s, &out), 0);
	/* Later wins, first position kept. */
	assert_string_equal(out.buf, "CONFIG_A=2\n# CONFIG_B is not set\n"
				     "CONFIG_C=\"x\"\n");
	config_set_release(&s);
	strbuf_release(&errs);
	strbuf_release(&out);
}

static void test_config_set_push_keeps_duplicates(void **state)
{
	struct config_set s = { 0 };
	struct config_assign a = { strdup("X"), strdup("1"), "--set", 0 };
	struct config_assign b = { strdup("X"), strdup("2"), "--set", 0 };

	(void)state;
	assert_int_equal(config_set_push(&s, &a), 0);
	assert_int_equal(config_set_push(&s, &b), 0);
	assert_null(a.name);
	assert_int_equal(s.n, 2);
	assert_string_equal(config_set_get(&s, "X")->value, "1");
	config_set_release(&s);
}

static int dead_reason(void **state, const char *name, const char *resolved,
		       struct strbuf *why)
{
	struct config_set set = { 0 };
	int r;

	assert_int_equal(config_parse_text(resolved, strlen(resolved), "r",
					   &set, NULL),
			 0);
	r = build_dead_reason(*state, name, &set, why);
	config_set_release(&set);
	return r;
}

/* TRACE depends on DEBUG: left out where DEBUG is off, it is dead by
 * dependency (expected); left out where DEBUG is on, it is not. */
static void test_dead_by_dependency(void **state)
{
	struct strbuf why = STRBUF_INIT;

	assert_int_equal(dead_reason(state, "TRACE",
				     "# CONFIG_DEBUG is not set\n", &why),
			 1);
	assert_string_equal(why.buf, "CONFIG_DEBUG=n");
	strbuf_release(&why);
	/* DEBUG left out altogether is off too. */
	assert_int_equal(dead_reason(state, "TRACE", "CONFIG_THREADS=8\n",
				     &why),
			 1);
	assert_string_equal(why.buf, "CONFIG_DEBUG=n");
	strbuf_release(&why);
	assert_int_equal(dead_reason(state, "TRACE", "CONFIG_DEBUG=y\n", &why),
			 0);
	assert_int_equal(dead_reason(state, "TRACE",
				     "CONFIG_DEBUG=y\nCONFIG_TRACE=y\n", &why),
			 0);
	/* No dependency at all: a change there is never expected. */
	assert_int_equal(dead_reason(state, "THREADS", "", &why), 0);
	assert_int_equal(dead_reason(state, "ALLOC_TLSF",
				     "CONFIG_ALLOC_BUMP=y\n", &why),
			 0);
	assert_null(why.buf);
}

/* build_changes with dead: the expected change is set apart, the
 * surprising one (a range clamp) stays. */
static void test_changes_sort_dead_from_surprising(void **state)
{
	static const char req_text[] = "CONFIG_TRACE=y\nCONFIG_THREADS=99\n";
	static const char res_text[] = "# CONFIG_DEBUG is not set\n"
				       "CONFIG_THREADS=8\n";
	struct config_set req = { 0 }, res = { 0 };
	struct strbuf out = STRBUF_INIT, dead = STRBUF_INIT;

	config_parse_text(req_text, strlen(req_text), "req", &req, NULL);
	config_parse_text(res_text, strlen(res_text), "res", &res, NULL);
	assert_int_equal(build_changes(*state, &req, &res, &out, &dead), 1);
	assert_string_equal(dead.buf, "TRACE\tCONFIG_DEBUG=n\n");
	assert_non_null(strstr(out.buf, "CONFIG_THREADS: asked for 99, "
					"resolved to 8"));
	assert_null(strstr(out.buf, "TRACE"));
	strbuf_release(&out);
	/* Without dead, both are reported. */
	assert_int_equal(build_changes(*state, &req, &res, &out, NULL), 2);
	strbuf_release(&out);
	strbuf_release(&dead);
	config_set_release(&req);
	config_set_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_and_flags),
		cmocka_unit_test(test_dead_by_dependency),
		cmocka_unit_test(test_changes_sort_dead_from_surprising),
		cmocka_unit_test(test_files_read),
		cmocka_unit_test(test_unknown_symbols),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_ranges_follow_requested_config),
		cmocka_unit_test(test_broken_tree_reports_errors),
		cmocka_unit_test(test_missing_tree),
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_parse_malformed_lines),
		cmocka_unit_test(test_values_by_type),
		cmocka_unit_test(test_value_messages),
		cmocka_unit_test(test_values_equal),
		cmocka_unit_test(test_config_set),
		cmocka_unit_test(test_config_set_push_keeps_duplicates),
	};

	return cmocka_run_group_tests_name("kconfig", tests, setup,
					   kconfig_fixture_teardown);
}
