/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Aggregation and views on synthetic data: shares, folded stacks, the
 * flame graph's structure, trace-point latency percentiles, the
 * timeline data and the record sidecar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meta.h"
#include "profile.h"
#include "report.h"
#include "sample_profile.h"
#include "stream.h"
#include "stream_writer.h"
#include "timeline.h"
#include "tracepoints.h"

static void test_shares(void **state)
{
	struct profile *p = sample_profile();
	const struct prof_func **v;
	size_t n;

	(void)state;
	assert_true(profile_samples(p) == 11);
	assert_true(find(p, "main")->self == 0 && find(p, "main")->total == 11);
	assert_true(find(p, "a")->self == 2 && find(p, "a")->total == 7);
	assert_true(find(p, "b")->self == 8 && find(p, "b")->total == 8);
	assert_true(find(p, "c")->self == 1 && find(p, "c")->total == 4);
	/* Hottest lines: where most samples passed through. */
	assert_int_equal(find(p, "a")->hot_line, 10);
	assert_true(find(p, "a")->hot_count == 5);
	assert_string_equal(find(p, "a")->hot_file, "src/a.c");
	assert_int_equal(find(p, "b")->hot_line, 20);
	assert_int_equal(find(p, "c")->hot_line, 30);
	v = profile_by_self(p, &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0]->name, "b");
	assert_string_equal(v[1]->name, "a");
	assert_string_equal(v[2]->name, "c");
	assert_string_equal(v[3]->name, "main");
	free(v);
	assert_int_equal(profile_add(p, NULL, 0, 1), -EINVAL);
	profile_free(p);
}

static void test_same_name_two_files(void **state)
{
	const struct prof_frame x[] = { { "init", NULL, 0, "drv/a.c" } };
	const struct prof_frame y[] = { { "init", NULL, 0, "drv/b.c" } };
	struct profile *p = profile_new();

	(void)state;
	assert_int_equal(profile_add(p, x, 1, 1), 0);
	assert_int_equal(profile_add(p, y, 1, 2), 0);
	assert_int_equal(profile_add(p, x, 1, 1), 0);
	assert_int_equal(profile_finish(p), 0);
	assert_int_equal(profile_nfuncs(p), 2);
	assert_true(find(p, "init [a.c]")->self == 2);
	assert_true(find(p, "init [b.c]")->self == 2);
	profile_free(p);
}

static char *capture_folded(const struct profile *p)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(folded_write(p, f), 0);
	fclose(f);
	return out;
}

static void test_folded(void **state)
{
	struct profile *p = sample_profile();
	char *out = capture_folded(p);

	(void)state;
	assert_string_equal(out, "main;a 2\n"
				 "main;a;b 5\n"
				 "main;c;b 3\n"
				 "main;c;c 1\n");
	free(out);
	profile_free(p);
}

static void test_top(void **state)
{
	struct profile *p = sample_profile();
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	report_top(p, f, 2);
	fclose(f);
	assert_non_null(strstr(out, " 72.73%        8 "));
	assert_non_null(strstr(out, "src/b.c:20 (45.5%)"));
	assert_non_null(strstr(out, "... 2 more functions"));
	assert_null(strstr(out, "main"));
	free(out);
	profile_free(p);
}

/* Every width="..." in document order. */
static size_t widths(const char *svg, double *w, size_t max)
{
	const char *p = svg;
	size_t n = 0;

	while ((p = strstr(p, " width=\"")) && n < max) {
		p += 8;
		w[n++] = strtod(p, NULL);
	}
	return n;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void test_flame(void **state)
{
	struct profile *p = sample_profile();
	const struct prof_frame odd[] = { { "a<b>&\"c\"", NULL, 0, NULL } };
	double w[64], full = FLAME_WIDTH - 20, sum;
	size_t nn, n, i;
	uint32_t c;
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_int_equal(flame_write(p, f, "t<1>"), 0);
	fclose(f);
	nn = profile_nnodes(p);
	assert_int_equal(nn, 7);
	assert_int_equal(strncmp(out, "<svg ", 5), 0);
	assert_int_equal(count(out, "<rect "), nn);
	assert_int_equal(count(out, "<title>"), nn);
	assert_int_equal(count(out, "</svg>"), 1);
	assert_non_null(strstr(out, "t&lt;1&gt;"));
	assert_non_null(strstr(out, "<title>b (5 samples, 45.45%)</title>"));
	assert_non_null(strstr(out, "<title>all (11 samples, 100.00%)"));
	/* The first width is the <svg>'s; then one per node, in order. */
	n = widths(out, w, 64);
	assert_int_equal(n, nn + 1);
	assert_true(w[0] == FLAME_WIDTH);
	for (i = 0; i < nn; i++) {
		const struct prof_node *node = profile_node(p, (uint32_t)i);

		assert_true(fabs(w[i + 1] - full * (double)node->total / 11.0) <
			    0.001);
		/* Children fill their parent but for its self share. */
		if (node->child == PROF_NONE)
			continue;
		for (sum = 0, c = node->child; c != PROF_NONE;
		     c = profile_node(p, c)->sibling)
			sum += w[c + 1];
		assert_true(fabs(sum + full * (double)node->self / 11.0 -
				 w[i + 1]) < 0.01);
	}
	free(out);
	profile_free(p);

	/* Names are escaped. */
	p = profile_new();
	assert_int_equal(profile_add(p, odd, 1, 1), 0);
	assert_int_equal(profile_finish(p), 0);
	out = NULL;
	f = open_memstream(&out, &len);
	assert_int_equal(flame_write(p, f, ""), 0);
	fclose(f);
	assert_non_null(strstr(out, "a&lt;b&gt;&amp;&quot;c&quot;"));
	assert_null(strstr(out, "<b>"));
	free(out);
	profile_free(p);
}

static void test_percentiles(void **state)
{
	uint64_t v[100];
	const uint64_t four[4] = { 1, 2, 3, 4 };
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	assert_true(tp_percentile(v, 100, 50) == 50);
	assert_true(tp_percentile(v, 100, 90) == 90);
	assert_true(tp_percentile(v, 100, 99) == 99);
	assert_true(tp_percentile(v, 100, 100) == 100);
	assert_true(tp_percentile(four, 4, 50) == 2);
	assert_true(tp_percentile(four, 4, 90) == 4);
	assert_true(tp_percentile(four, 1, 99) == 1);
}

/* A stream of op / op_ret events with known durations. */
static void tp_stream(struct sw *w)
{
	static const uint64_t lat[10] = { 70, 10, 100, 40, 20,
					  90, 30, 60, 80, 50 };
	uint64_t t = 1000, arg = 1;
	int i;

	sw_header(w, 2000000, 0, NULL, 0, 3, 0x7);
	sw_tp(w, 4, "op", 1);
	sw_tp(w, 5, "op_ret", 0);
	sw_tp(w, 6, "tick", 0);
	/* Ten flat calls. */
	for (i = 0; i < 10; i++, t += 1000) {
		sw_event(w, t, 4, &arg, 1);
		sw_event(w, t + lat[i], 5, NULL, 0);
	}
	/* Nested: op(t) op(t+5) ret(t+8) ret(t+100): 3, then 100. */
	sw_event(w, t, 4, &arg, 1);
	sw_event(w, t + 5, 4, &arg, 1);
	sw_event(w, t + 8, 5, NULL, 0);
	sw_event(w, t + 100, 5, NULL, 0);
	t += 1000;
	/* Open across a gap: dropped, not paired with the later return. */
	sw_event(w, t, 4, &arg, 1);
	sw_lost(w, t + 10, 3, t + 1, t + 9);
	sw_event(w, t + 20, 5, NULL, 0);	/* unmatched */
	sw_event(w, t + 30, 6, NULL, 0);
	sw_event(w, t + 40, 4, &arg, 1);	/* pending at the end */
	sw_end(w, t + 50, 0, 3, 0, 30, 0);
}

static void test_tracepoint_pairs(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;
	struct tpstats *t;
	struct tp_latency l;
	char *out = NULL;
	size_t len;
	FILE *f;

	(void)state;
	tp_stream(&w);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	t = tpstats_new(stream_info(s));
	assert_non_null(t);
	while (stream_next(s, &r) > 0)
		assert_int_equal(tpstats_add(t, &r), 0);
	assert_int_equal(stream_stats(s)->errors, 0);
	assert_int_equal(tpstats_finish(t), 0);
	assert_true(tpstats_count(t, "op") == 14);
	assert_true(tpstats_count(t, "op_ret") == 13);
	assert_true(tpstats_count(t, "tick") == 1);
	assert_int_equal(tpstats_latency(t, "op", &l), 0);
	assert_int_equal(tpstats_latency(t, "tick", &l), -ENOENT);
	assert_int_equal(tpstats_latency(t, "op", &l), 0);
	/* {10..100 step 10, 3, 100}: 12 values. */
	assert_true(l.n == 12);
	assert_true(l.p50 == 50);	/* rank 6: 3,10,20,30,40,50 */
	assert_true(l.p90 == 100);	/* rank ceil(10.8) = 11 */
	assert_true(l.p99 == 100);
	assert_true(l.max == 100);
	assert_true(l.dropped == 1 && l.unmatched == 1 && l.pending == 1);
	f = open_memstream(&out, &len);
	tpstats_print(t, f, 2000000);
	fclose(f);
	assert_non_null(strstr(out, "op_ret"));
	assert_non_null(strstr(out, "latency in microseconds"));
	assert_non_null(strstr(out, "1 returns without an entry"));
	free(out);
	tpstats_free(t);
	stream_close(s);
	sw_free(&w);
}

static void test_timeline_data(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;
	struct timeline *tl;
	char *out = NULL, png[] = "/tmp/test_prof_tl.XXXXXX", err[256];
	unsigned char magic[8];
	size_t len;
	FILE *f;
	int fd, e;

	(void)state;
	tp_stream(&w);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	tl = timeline_new(stream_info(s));
	while (stream_next(s, &r) > 0)
		assert_int_equal(timeline_add(tl, &r), 0);
	f = open_memstream(&out, &len);
	assert_int_equal(timeline_write_data(tl, f, 4), 0);
	fclose(f);
	/* From tsc_boot (1000) to the last event (12040), 11041 cycles at
	 * 2 MHz: four bins of 1.380125 ms. */
	assert_string_equal(out, "# time(ms) samples op op_ret tick\n"
				 "0.000000 0 3 3 0\n"
				 "1.380125 0 3 3 0\n"
				 "2.760250 0 3 3 0\n"
				 "4.140375 0 5 4 1\n");
	free(out);
	fd = mkstemp(png);
	assert_true(fd >= 0);
	close(fd);
	e = timeline_render(tl, png, "test", 10, err, sizeof(err));
	if (e == -ENOENT) {
		print_message("gnuplot missing: %s\n", err);
	} else {
		assert_int_equal(e, 0);
		f = fopen(png, "rb");
		assert_non_null(f);
		assert_int_equal(fread(magic, 1, 8, f), 8);
		fclose(f);
		assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", 8);
	}
	unlink(png);
	timeline_free(tl);
	stream_close(s);
	sw_free(&w);
}

static void test_meta(void **state)
{
	char trace[] = "/tmp/test_prof_meta.XXXXXX", meta[64], img[4096];
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(trace);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(meta_read_image(trace, img, sizeof(img)), -ENOENT);
	assert_false(meta_deterministic(trace));
	assert_int_equal(meta_write(trace, "/x/hello.elf", "abcd", "exited",
				    META_CLOCK_DETERMINISTIC), 0);
	assert_true(meta_deterministic(trace));
	assert_int_equal(meta_read_image(trace, img, sizeof(img)), 0);
	assert_string_equal(img, "/x/hello.elf");
	assert_int_equal(meta_read_image(trace, img, 5), -ENAMETOOLONG);
	/* Unknown keys and comments are skipped. */
	snprintf(meta, sizeof(meta), "%s.meta", trace);
	f = fopen(meta, "w");
	fputs("# c\nfuture=1\nimages=/no\nimage=/y/z.elf\nclock=wall\n", f);
	fclose(f);
	assert_int_equal(meta_read_image(trace, img, sizeof(img)), 0);
	assert_string_equal(img, "/y/z.elf");
	assert_false(meta_deterministic(trace));
	unlink(meta);
	unlink(trace);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_same_name_two_files),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_flame),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_tracepoint_pairs),
		cmocka_unit_test(test_timeline_data),
		cmocka_unit_test(test_meta),
	};

	return cmocka_run_group_tests_name("prof_profile", tests, NULL, NULL);
}
