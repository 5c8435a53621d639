/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `record --trace` against an image's trace points: every name or glob
 * must match one, "all" needs one, a mask only ids the image has. (The
 * table itself is read from a real image by tests/system/test_trace.sh.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tptable.h"

static char *names[] = { "alloc_malloc", "alloc_malloc_ret", "syscall",
			 "boot_main" };
static const struct tptable table = { names, 4 };
static const struct tptable empty = { NULL, 0 };

static void check(const struct tptable *t, const char *spec, int want,
		  const char *why_has)
{
	char why[1024] = "";
	int err = tptable_check_spec(t, spec, why, sizeof(why));

	if (err != want)
		fail_msg("'%s': %d, expected %d (%s)", spec, err, want, why);
	if (why_has && !strstr(why, why_has))
		fail_msg("'%s': '%s' lacks '%s'", spec, why, why_has);
}

static void test_names_and_globs(void **state)
{
	(void)state;
	check(&table, "syscall", 0, NULL);
	check(&table, "alloc_*,boot_main", 0, NULL);
	check(&table, "*_ret", 0, NULL);
	check(&table, "all", 0, NULL);
	check(&table, "nosuchpoint", -ENOENT,
	      "'nosuchpoint' matches no trace point of the image (it has: "
	      "alloc_malloc, alloc_malloc_ret, syscall, boot_main)");
	/* The first pattern that matches nothing is named. */
	check(&table, "syscall,sched_*,x", -ENOENT, "'sched_*' matches no");
	/* A name is whole: a prefix without '*' is not enough. */
	check(&table, "alloc", -ENOENT, "'alloc' matches no");
}

static void test_masks(void **state)
{
	(void)state;
	check(&table, "0xf", 0, NULL);
	check(&table, "0x1", 0, NULL);
	check(&table, "0x10", -ENOENT,
	      "mask 0x10 names trace-point ids up to 4, but the image has 4 "
	      "(ids 0..3");
}

static void test_image_without_trace_points(void **state)
{
	(void)state;
	check(&empty, "all", -ENOENT,
	      "it has: none (was it built with CONFIG_UKTRACE?)");
	check(&empty, "0x1", -ENOENT, "the image has 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_globs),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_image_without_trace_points),
	};

	return cmocka_run_group_tests_name("prof_tptable", tests, NULL, NULL);
}
