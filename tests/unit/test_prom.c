/* SPDX-License-Identifier: BSD-3-Clause */
/* The Prometheus text writer (host/prom.c) and the results' metrics
 * (host/prom_results.c): names, escaping, values, family order. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "prom.h"
#include "prom_results.h"
#include "why.h"

static void test_metric_names(void **state)
{
	(void)state;
	assert_true(prom_metric_name_valid("unitune_result_mean"));
	assert_true(prom_metric_name_valid("_x"));
	assert_true(prom_metric_name_valid("job:rate5m"));
	assert_true(prom_metric_name_valid(":x9"));
	assert_false(prom_metric_name_valid(""));
	assert_false(prom_metric_name_valid(NULL));
	assert_false(prom_metric_name_valid("9lives"));
	assert_false(prom_metric_name_valid("boot.cycles"));
	assert_false(prom_metric_name_valid("a-b"));
	assert_false(prom_metric_name_valid("a b"));
	assert_false(prom_metric_name_valid("caf\xc3\xa9"));
}

static void test_label_names(void **state)
{
	(void)state;
	assert_true(prom_label_name_valid("metric"));
	assert_true(prom_label_name_valid("config_hash"));
	assert_true(prom_label_name_valid("_x1"));
	assert_false(prom_label_name_valid("__name__"));
	assert_false(prom_label_name_valid("__x"));
	assert_false(prom_label_name_valid("a:b"));
	assert_false(prom_label_name_valid("1a"));
	assert_false(prom_label_name_valid(""));
	assert_false(prom_label_name_valid(NULL));
}

static void value_is(double v, const char *want)
{
	char buf[PROM_VALUE_MAX];

	prom_format_value(v, buf);
	assert_string_equal(buf, want);
}

static void test_values(void **state)
{
	(void)state;
	value_is(1000, "1000");
	value_is(0, "0");
	value_is(-2.5, "-2.5");
	value_is(0.1, "0.1");
	value_is(1.5e-7, "1.5e-07");
	value_is(1e20, "1e+20");
	value_is(123456789012.0, "123456789012");
	value_is(1.0 / 3, "0.3333333333333333");
	value_is(NAN, "NaN");
	value_is(INFINITY, "+Inf");
	value_is(-INFINITY, "-Inf");
	value_is(1.7976931348623157e308, "1.7976931348623157e+308");
}

static void escaped_is(const char *v, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";

	assert_int_equal(prom_escape_label_value(&out, v, why, sizeof(why)), 0);
	assert_string_equal(out.buf ? out.buf : "", want);
	strbuf_release(&out);
}

static void test_escaping(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";

	(void)state;
	escaped_is("plain", "plain");
	escaped_is("", "");
	escaped_is("a\\b", "a\\\\b");
	escaped_is("say \"hi\"", "say \\\"hi\\\"");
	escaped_is("two\nlines", "two\\nlines");
	escaped_is("tab\there", "tab\there");
	escaped_is("caf\xc3\xa9 /x", "caf\xc3\xa9 /x");
	escaped_is("\\\"\n", "\\\\\\\"\\n");
	assert_int_equal(strbuf_adds(&out, "kept"), 0);
	assert_int_equal(prom_escape_label_value(&out, "ok\xff", why,
						 sizeof(why)), -EINVAL);
	assert_string_equal(out.buf, "kept");
	assert_non_null(strstr(why, "not valid UTF-8 (byte 0xff at offset 2)"));
	strbuf_release(&out);
}

static void test_family_and_samples(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct prom p;
	struct prom_label l[] = { { "metric", "boot\"x\"" },
				  { "unit", "a\\b\nc" } };

	(void)state;
	prom_init(&p, &out);
	assert_int_equal(prom_family(&p, "m_total", "counter",
				     "Back\\slash\nnewline \"quoted\"", why,
				     sizeof(why)), 0);
	assert_int_equal(prom_sample(&p, "m_total", l, 2, 3, why, sizeof(why)),
			 0);
	assert_int_equal(prom_sample(&p, "m_total", NULL, 0, NAN, why,
				     sizeof(why)), 0);
	assert_int_equal(prom_family(&p, "h", "histogram", "", why,
				     sizeof(why)), 0);
	assert_int_equal(prom_sample(&p, "h_bucket",
				     &(struct prom_label){ "le", "+Inf" }, 1,
				     2, why, sizeof(why)), 0);
	assert_int_equal(prom_sample(&p, "h_count", NULL, 0, 2, why,
				     sizeof(why)), 0);
	assert_string_equal(out.buf,
		"# HELP m_total Back\\\\slash\\nnewline \"quoted\"\n"
		"# TYPE m_total counter\n"
		"m_total{metric=\"boot\\\"x\\\"\",unit=\"a\\\\b\\nc\"} 3\n"
		"m_total NaN\n"
		"# TYPE h histogram\n"
		"h_bucket{le=\"+Inf\"} 2\n"
		"h_count 2\n");
	prom_release(&p);
	strbuf_release(&out);
}

/* Each refused call names what was wrong and appends nothing. */
static void refused(struct prom *p, struct strbuf *out, int r,
		    const char *why, const char *want)
{
	size_t len = out->len;

	assert_int_equal(r, -EINVAL);
	assert_int_equal(out->len, len);
	if (!strstr(why, want))
		fail_msg("message '%s' lacks '%s'", why, want);
	(void)p;
}

static void test_refusals(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct prom p;
	struct prom_label bad_name = { "__name__", "x" };
	struct prom_label twice[] = { { "a", "1" }, { "a", "2" } };
	struct prom_label no_value = { "a", NULL };
	struct prom_label not_utf8 = { "a", "\xc3(" };

	(void)state;
	prom_init(&p, &out);
	refused(&p, &out, prom_sample(&p, "x", NULL, 0, 1, why, sizeof(why)),
		why, "sample x: not of the metric declared last");
	refused(&p, &out, prom_family(&p, "boot.cycles", "gauge", "", why,
				      sizeof(why)),
		why, "metric name 'boot.cycles': not a Prometheus name");
	refused(&p, &out, prom_family(&p, "x", "meter", "", why, sizeof(why)),
		why, "type 'meter'");
	assert_int_equal(prom_family(&p, "x", "gauge", "", why, sizeof(why)),
			 0);
	refused(&p, &out, prom_sample(&p, "x_count", NULL, 0, 1, why,
				      sizeof(why)),
		why, "sample x_count: not of the metric declared last");
	refused(&p, &out, prom_sample(&p, "xy", NULL, 0, 1, why, sizeof(why)),
		why, "sample xy");
	refused(&p, &out, prom_sample(&p, "x", &bad_name, 1, 1, why,
				      sizeof(why)),
		why, "label name '__name__'");
	refused(&p, &out, prom_sample(&p, "x", twice, 2, 1, why, sizeof(why)),
		why, "label a given twice");
	refused(&p, &out, prom_sample(&p, "x", &no_value, 1, 1, why,
				      sizeof(why)),
		why, "label a has no value");
	refused(&p, &out, prom_sample(&p, "x", &not_utf8, 1, 1, why,
				      sizeof(why)),
		why, "label a: value not valid UTF-8 (byte 0xc3 at offset 0)");
	assert_int_equal(prom_family(&p, "y", "gauge", "", why, sizeof(why)),
			 0);
	refused(&p, &out, prom_family(&p, "x", "gauge", "", why, sizeof(why)),
		why, "metric x: declared twice");
	/* "x" declared: a name that only contains it is not. */
	assert_int_equal(prom_family(&p, "xx", "gauge", "", why, sizeof(why)),
			 0);
	assert_string_equal(out.buf, "# TYPE x gauge\n# TYPE y gauge\n"
				     "# TYPE xx gauge\n");
	prom_release(&p);
	strbuf_release(&out);
}

static void test_results(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	const struct prom_result r[] = {
		{ "boot_cycles", "cycles", 1200, 1190, 1210, 14.142135623730951,
		  2, 1195 },
		{ "alloc.small.cycles_per_op", NULL, 84.5, 84.5, 84.5, 0, 1,
		  84.5 },
		{ "min_mem", "KiB", 0, 0, 0, 0, 0, 0 }, /* not measured */
	};
	struct prom_result_set s = { "done", 2, r, 3 };

	(void)state;
	assert_int_equal(prom_results_write(&out, &s, why, sizeof(why)), 0);
	assert_non_null(strstr(out.buf,
		"# TYPE unitune_result_mean gauge\n"
		"unitune_result_mean{metric=\"boot_cycles\",unit=\"cycles\"} 1200\n"
		"unitune_result_mean{metric=\"alloc.small.cycles_per_op\","
		"unit=\"\"} 84.5\n# HELP unitune_result_min "));
	assert_non_null(strstr(out.buf, "unitune_result_min{metric=\"boot_cycles\","
				       "unit=\"cycles\"} 1190\n"));
	assert_non_null(strstr(out.buf, "unitune_result_max{metric=\"boot_cycles\","
				       "unit=\"cycles\"} 1210\n"));
	assert_non_null(strstr(out.buf, "unitune_result_stddev{metric=\"boot_cycles\","
				       "unit=\"cycles\"} 14.142135623730951\n"));
	assert_non_null(strstr(out.buf, "unitune_result_repetitions{metric="
				       "\"boot_cycles\"} 2\n"));
	assert_non_null(strstr(out.buf, "unitune_result_median{metric=\"boot_cycles\","
				       "unit=\"cycles\"} 1195\n"));
	assert_non_null(strstr(out.buf, "# TYPE unitune_status gauge\n"
				       "unitune_status{status=\"done\"} 1\n"));
	assert_non_null(strstr(out.buf, "# TYPE unitune_rank gauge\n"
				       "unitune_rank 2\n"));
	assert_null(strstr(out.buf, "min_mem"));
	strbuf_release(&out);

	/* A failed variant: nothing measured, only its status. */
	s = (struct prom_result_set){ "crashed", 0, r + 2, 1 };
	assert_int_equal(prom_results_write(&out, &s, why, sizeof(why)), 0);
	assert_string_equal(out.buf, "# HELP unitune_status The outcome: 1 for "
				     "the status in label status.\n"
				     "# TYPE unitune_status gauge\n"
				     "unitune_status{status=\"crashed\"} 1\n");
	strbuf_release(&out);

	s = (struct prom_result_set){ "done", 0,
				      &(struct prom_result){ "", "", 1, 1, 1,
							     0, 1, 1 }, 1 };
	assert_int_equal(prom_results_write(&out, &s, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "result 0: no metric name");
	assert_null(out.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metric_names),
		cmocka_unit_test(test_label_names),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_results),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
