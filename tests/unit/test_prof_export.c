/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The profile exports of `unitune report` on a synthetic profile: the top
 * table as JSON, the speedscope file, and the gzipped pprof protobuf
 * (read back with zlib and protobuf-c).
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
#include <zlib.h>

#include "json.h"
#include "pprof.h"
#include "profile.pb-c.h"
#include "report.h"
#include "sample_profile.h"

static void test_top_json(void **state)
{
	struct profile *p = sample_profile();
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	struct json w;

	(void)state;
	json_init(&w, f);
	w.compact = true;
	json_begin_object(&w);
	assert_int_equal(report_top_json(p, &w, 2), 0);
	json_end_object(&w);
	assert_int_equal(json_finish(&w), 0);
	fclose(f);
	/* b: self 8 of 11, total 8; its hottest line b.c:20 (5 samples);
	 * then a: self 2, total 7. Two rows of four functions. */
	assert_string_equal(out,
		"{\"functions_total\":4,\"functions\":["
		"{\"function\":\"b\",\"self\":8,\"self_share\":72.72727272727273,"
		"\"total\":8,\"total_share\":72.72727272727273,"
		"\"file\":\"src/b.c\",\"line\":20,"
		"\"line_share\":45.45454545454545},"
		"{\"function\":\"a\",\"self\":2,\"self_share\":18.181818181818183,"
		"\"total\":7,\"total_share\":63.63636363636363,"
		"\"file\":\"src/a.c\",\"line\":10,"
		"\"line_share\":45.45454545454545}]}");
	free(out);
	profile_free(p);
}

static void test_speedscope(void **state)
{
	struct profile *p = sample_profile();
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_int_equal(speedscope_write(p, f, "t"), 0);
	fclose(f);
	/* Frames in function order (main, a, b, c); one stack per call-tree
	 * node with self samples, outermost first; weights add up to 11. */
	assert_string_equal(out,
		"{\n"
		"  \"$schema\": \"" SPEEDSCOPE_SCHEMA "\",\n"
		"  \"exporter\": \"unitune report\",\n"
		"  \"name\": \"t\",\n"
		"  \"activeProfileIndex\": 0,\n"
		"  \"shared\": {\n"
		"    \"frames\": [\n"
		"      {\"name\":\"main\",\"file\":\"src/main.c\",\"line\":1},\n"
		"      {\"name\":\"a\",\"file\":\"src/a.c\",\"line\":10},\n"
		"      {\"name\":\"b\",\"file\":\"src/b.c\",\"line\":20},\n"
		"      {\"name\":\"c\",\"file\":\"src/c.c\",\"line\":30}\n"
		"    ]\n"
		"  },\n"
		"  \"profiles\": [\n"
		"    {\n"
		"      \"type\": \"sampled\",\n"
		"      \"name\": \"t\",\n"
		"      \"unit\": \"none\",\n"
		"      \"startValue\": 0,\n"
		"      \"endValue\": 11,\n"
		"      \"samples\": [\n"
		"        [0,1],\n"
		"        [0,1,2],\n"
		"        [0,3,2],\n"
		"        [0,3,3]\n"
		"      ],\n"
		"      \"weights\": [\n"
		"        2,\n"
		"        5,\n"
		"        3,\n"
		"        1\n"
		"      ]\n"
		"    }\n"
		"  ]\n"
		"}\n");
	free(out);
	profile_free(p);
}

/* gunzip buf into *out (the caller frees it). */
static size_t gunzip(const uint8_t *buf, size_t len, uint8_t **out)
{
	size_t cap = 1 << 16;
	z_stream z;

	memset(&z, 0, sizeof(z));
	*out = malloc(cap);
	assert_non_null(*out);
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)buf;
	z.avail_in = (uInt)len;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	inflateEnd(&z);
	return z.total_out;
}

static const char *str(const Perftools__Profiles__Profile *m, int64_t i)
{
	assert_true(i >= 0 && (size_t)i < m->n_string_table);
	return m->string_table[i];
}

static void test_pprof(void **state)
{
	static const uint64_t want_ids[4][3] = {
		{ 2, 1 }, { 3, 2, 1 }, { 3, 4, 1 }, { 4, 4, 1 },
	};
	static const int64_t want_counts[] = { 2, 5, 3, 1 };
	static const char *const names[] = { "main", "a", "b", "c" };
	struct profile *p = sample_profile();
	struct pprof_input in = { .prof = p, .image = "/img/x.elf",
				  .build_id = "abcd", .sample_hz = 1000,
				  .duration_ns = 42 };
	Perftools__Profiles__Profile *m;
	uint8_t *gz, *raw;
	size_t len, n, i, k;

	(void)state;
	assert_int_equal(pprof_encode(&in, &gz, &len), 0);
	assert_true(len > 2 && gz[0] == 0x1f && gz[1] == 0x8b);
	n = gunzip(gz, len, &raw);
	m = perftools__profiles__profile__unpack(NULL, n, raw);
	assert_non_null(m);
	assert_string_equal(str(m, 0), "");
	assert_int_equal(m->n_sample_type, 2);
	assert_string_equal(str(m, m->sample_type[0]->type), "samples");
	assert_string_equal(str(m, m->sample_type[0]->unit), "count");
	assert_string_equal(str(m, m->sample_type[1]->type), "cpu");
	assert_string_equal(str(m, m->sample_type[1]->unit), "nanoseconds");
	assert_int_equal(m->period, 1000000);
	assert_int_equal(m->duration_nanos, 42);
	assert_string_equal(str(m, m->default_sample_type), "samples");
	assert_int_equal(m->n_mapping, 1);
	assert_string_equal(str(m, m->mapping[0]->filename), "/img/x.elf");
	assert_string_equal(str(m, m->mapping[0]->build_id), "abcd");
	assert_int_equal(m->n_function, 4);
	assert_int_equal(m->n_location, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(m->function[i]->id, i + 1);
		assert_string_equal(str(m, m->function[i]->name), names[i]);
		assert_int_equal(m->location[i]->id, i + 1);
		assert_int_equal(m->location[i]->mapping_id, 1);
		assert_int_equal(m->location[i]->n_line, 1);
		assert_int_equal(m->location[i]->line[0]->function_id, i + 1);
	}
	assert_int_equal(m->n_sample, 4);
	for (i = 0; i < 4; i++) {
		const Perftools__Profiles__Sample *s = m->sample[i];

		assert_int_equal(s->n_value, 2);
		assert_int_equal(s->value[0], want_counts[i]);
		assert_int_equal(s->value[1], want_counts[i] * 1000000);
		for (k = 0; k < s->n_location_id; k++)
			assert_int_equal(s->location_id[k], want_ids[i][k]);
		assert_int_equal(s->n_location_id,
				 want_ids[i][2] ? 3 : 2);
	}
	perftools__profiles__profile__free_unpacked(m, NULL);
	free(raw);
	free(gz);
	profile_free(p);
}

/* Without a known rate there is one sample type, and the period is one
 * sample. */
static void test_pprof_without_rate(void **state)
{
	struct profile *p = sample_profile();
	struct pprof_input in = { .prof = p };
	Perftools__Profiles__Profile *m;
	uint8_t *gz, *raw;
	size_t len, n, i;
	int64_t sum = 0;

	(void)state;
	assert_int_equal(pprof_encode(&in, &gz, &len), 0);
	n = gunzip(gz, len, &raw);
	m = perftools__profiles__profile__unpack(NULL, n, raw);
	assert_non_null(m);
	assert_int_equal(m->n_sample_type, 1);
	assert_int_equal(m->period, 1);
	assert_string_equal(str(m, m->period_type->type), "samples");
	assert_int_equal(m->mapping[0]->filename, 0);
	for (i = 0; i < m->n_sample; i++)
		sum += m->sample[i]->value[0];
	assert_int_equal(sum, 11);
	perftools__profiles__profile__free_unpacked(m, NULL);
	free(raw);
	free(gz);
	profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_json),
		cmocka_unit_test(test_speedscope),
		cmocka_unit_test(test_pprof),
		cmocka_unit_test(test_pprof_without_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
