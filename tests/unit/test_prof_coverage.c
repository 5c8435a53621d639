/* SPDX-License-Identifier: BSD-3-Clause */
/* What a trace may be missing: effective sampling rate, the low-rate
 * warning, and a stream without its end record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "stream.h"
#include "stream_writer.h"

static const uint8_t bid[20] = { 1 };
static const uint64_t pcs[1] = { 0x101000 };

/* Decode w entirely, then print both parts of the coverage. */
static char *coverage_text(struct sw *w, struct coverage *c)
{
	struct stream *s;
	struct stream_rec r;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_false(w->oom);
	assert_non_null(f);
	assert_int_equal(stream_open(&s, w->buf, w->len), 0);
	while (stream_next(s, &r) > 0)
		;
	coverage_get(stream_info(s), stream_stats(s), c);
	coverage_print_sampling(c, "> ", f);
	coverage_print_end(c, "> ", f);
	assert_int_equal(fclose(f), 0);
	stream_close(s);
	return out;
}

static void test_effective_rate_and_warning(void **state)
{
	struct sw w = SW_INIT;
	struct coverage c;
	char *text;

	(void)state;
	/* 4 samples taken, 6 windows missed: 40% of 10 kHz. The end record's
	 * total (6) wins over the samples' sum (5): a lost sample takes its
	 * count with it. */
	w.end_missed = 6;
	sw_header(&w, 1000000000ull, 10000, bid, 20, 0, 0);
	sw_sample_missed(&w, 1000, 0, pcs, 1, 0);
	sw_sample_missed(&w, 2000, 0, pcs, 1, 2);
	sw_sample_missed(&w, 3000, 0, pcs, 1, 3);
	sw_end(&w, 4000, 0, 0, 4, 0, 0);
	text = coverage_text(&w, &c);
	assert_true(c.have_end);
	assert_int_equal(c.taken, 4);
	assert_int_equal(c.missed, 6);
	assert_true(c.effective_hz > 3999.9 && c.effective_hz < 4000.1);
	assert_true(c.low_rate);
	assert_non_null(strstr(text, "> sampling: requested 10000 Hz, "
				     "effective 4000 Hz (4 samples taken, 6 "
				     "windows missed)\n"));
	assert_non_null(strstr(text, "> warning: the sampler ran at 40% of "
				     "the requested rate"));
	assert_null(strstr(text, "no end record"));
	free(text);
	sw_free(&w);

	/* 3 of 4 windows: no warning. */
	w.end_missed = 1;
	sw_header(&w, 1000000000ull, 1000, bid, 20, 0, 0);
	sw_end(&w, 4000, 0, 0, 3, 0, 0);
	text = coverage_text(&w, &c);
	assert_false(c.low_rate);
	assert_non_null(strstr(text, "effective 750 Hz"));
	assert_null(strstr(text, "warning"));
	free(text);
	sw_free(&w);
}

static void test_sampler_off_and_version_1(void **state)
{
	struct sw w = SW_INIT;
	struct coverage c;
	char *text;

	(void)state;
	sw_header(&w, 1000000000ull, 0, bid, 20, 0, 0);
	sw_end(&w, 4000, 0, 0, 0, 0, 0);
	text = coverage_text(&w, &c);
	assert_string_equal(text, "");
	free(text);
	sw_free(&w);

	w.version = 1;
	sw_header(&w, 1000000000ull, 1000, bid, 20, 0, 0);
	sw_sample(&w, 1000, 0, pcs, 1);
	sw_end(&w, 4000, 0, 0, 1, 0, 0);
	text = coverage_text(&w, &c);
	assert_false(c.missed_known);
	assert_false(c.low_rate);
	assert_non_null(strstr(text, "effective rate unknown"));
	free(text);
	sw_free(&w);
}

static void test_missing_end_record(void **state)
{
	struct sw w = SW_INIT;
	struct coverage c;
	char *text;

	(void)state;
	/* TSC 1 GHz, boot at TSC 1000 (sw_header), last record 0.5 s on. */
	w.drain_ms = 100;
	sw_header(&w, 1000000000ull, 1000, bid, 20, 0, 0);
	sw_sample_missed(&w, 500001000ull, 0, pcs, 1, 1);
	text = coverage_text(&w, &c);
	assert_false(c.have_end);
	assert_int_equal(c.missed, 1);
	assert_non_null(strstr(text, "(1 samples taken, 1 windows missed "
				     "before the trace ends)"));
	assert_non_null(strstr(text, "> run: no end record: "));
	assert_non_null(strstr(text, "up to about 100 ms (its drain period) "
				     "after the last record, at 0.500000 s\n"));
	free(text);
	sw_free(&w);

	/* Without a periodic drain, nothing bounds the loss. */
	sw_header(&w, 0, 1000, bid, 20, 0, 0);
	sw_sample(&w, 5, 0, pcs, 1);
	text = coverage_text(&w, &c);
	assert_true(c.last_s < 0);
	assert_non_null(strstr(text, "no periodic drain: any amount)\n"));
	free(text);
	sw_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_effective_rate_and_warning),
		cmocka_unit_test(test_sampler_off_and_version_1),
		cmocka_unit_test(test_missing_end_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
