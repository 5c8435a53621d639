/* SPDX-License-Identifier: BSD-3-Clause */
/* Metrics from an app's result lines (tuner/measure.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "measure.h"

static const char console[] =
	"[uk] boot: cycles=33516 tsc_first=14687 tsc_main=48203\r\n"
	"result: bench=alloc pattern=small ops=400000 cycles=59823623 "
	"cycles_per_op=149.56 peak_heap=3696\n"
	"result: bench=alloc pattern=mixed failed=out_of_memory ops=29775\n"
	"some app output result: bench=x pattern=y ops=1\n"
	"result: bench=alloc pattern=odd ops=nan cycles=1e999 note=fast\n"
	"result: bench=alloc pattern=larson ops=2";

static void test_parse(void **state)
{
	struct measure_result r = { 0 };
	const struct measure_value *v;

	(void)state;
	assert_int_equal(measure_parse_results(console, strlen(console), 2,
					       STORE_WALL, &r), 0);
	/* small: 4 numbers; mixed: ops only; larson: ops; odd: nothing. */
	assert_int_equal(r.n, 6);
	v = measure_find(&r, "alloc.small.cycles_per_op", 2);
	assert_non_null(v);
	assert_float_equal(v->value, 149.56, 1e-9);
	assert_string_equal(v->unit, "cycles/op");
	assert_int_equal(v->kind, STORE_WALL);
	v = measure_find(&r, "alloc.small.peak_heap", 2);
	assert_non_null(v);
	assert_string_equal(v->unit, "B");
	v = measure_find(&r, "alloc.small.ops", 2);
	assert_non_null(v);
	assert_string_equal(v->unit, "");
	assert_float_equal(v->value, 400000, 0);
	/* A failed pattern gives no figures; text and non-finite values are
	 * not numbers; a line that does not start with "result: " is not
	 * one; another repetition is another row. */
	assert_null(measure_find(&r, "alloc.mixed.cycles_per_op", 2));
	assert_non_null(measure_find(&r, "alloc.mixed.ops", 2));
	assert_null(measure_find(&r, "alloc.odd.ops", 2));
	assert_null(measure_find(&r, "alloc.odd.cycles", 2));
	assert_null(measure_find(&r, "x.y.ops", 2));
	assert_non_null(measure_find(&r, "alloc.larson.ops", 2));
	assert_null(measure_find(&r, "alloc.small.cycles_per_op", 0));
	measure_result_free(&r);
	assert_null(r.v);
	assert_int_equal(r.n, 0);
}

static void test_image_missing_is_boot_failed(void **state)
{
	struct measure_opts o = { .image = "/nonexistent/x.elf",
				  .repetitions = 1, .deterministic = true };
	struct measure_result r;

	(void)state;
	assert_int_equal(measure_image(&o, &r), 0);
	assert_int_equal(r.status, STORE_BOOT_FAILED);
	assert_non_null(strstr(r.reason, "/nonexistent/x.elf"));
	measure_result_free(&r);
	o.repetitions = 0;
	assert_int_equal(measure_image(&o, &r), -EINVAL);
	measure_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_image_missing_is_boot_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
