/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tuner/host_metrics.c, the metrics the host measures itself: each found
 * by its name with its unit, how it is measured and whether it is on
 * demand; the space parser accepts exactly these besides
 * bench.pattern.field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_metrics.h"
#include "space.h"

static void test_table(void **state)
{
	const struct host_metric *m;

	(void)state;
	m = host_metric_find("image_size");
	assert_ptr_equal(m, host_metric(HOST_IMAGE_SIZE));
	assert_string_equal(m->unit, "B");
	assert_int_equal(m->how, HOST_FROM_ELF);
	assert_false(m->on_demand);

	m = host_metric_find("boot_cycles");
	assert_ptr_equal(m, host_metric(HOST_BOOT_CYCLES));
	assert_string_equal(m->unit, "cycles");
	assert_int_equal(m->how, HOST_FROM_BOOT_LINE);
	assert_false(m->on_demand);

	m = host_metric_find("min_mem");
	assert_ptr_equal(m, host_metric(HOST_MIN_MEM));
	assert_string_equal(m->unit, "KiB");
	assert_int_equal(m->how, HOST_BY_BISECTION);
	assert_true(m->on_demand);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_null(host_metric_find(NULL));
	assert_null(host_metric_find(""));
	assert_null(host_metric_find("image"));
	assert_null(host_metric_find("alloc.small.cycles_per_op"));
	assert_false(host_metric_is(NULL, HOST_MIN_MEM));
	assert_false(host_metric_is("boot_cycles", HOST_MIN_MEM));
	assert_true(host_metric_is("min_mem", HOST_MIN_MEM));
}

static void test_names(void **state)
{
	char buf[64], tiny[8];

	(void)state;
	host_metric_names(buf, sizeof(buf));
	assert_string_equal(buf, "image_size, boot_cycles, min_mem");
	host_metric_names(tiny, sizeof(tiny));
	assert_string_equal(tiny, "image_s");
}

static void test_space_accepts_them(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < HOST_METRIC_COUNT; i++)
		assert_true(space_metric_valid(
		    host_metric((enum host_metric_id)i)->name));
	assert_false(space_metric_valid("boot_cycle"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_space_accepts_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
