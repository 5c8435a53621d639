/* SPDX-License-Identifier: BSD-3-Clause */
/* The trace-stream decoder: round trips and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"
#include "stream_writer.h"

static const uint8_t bid[20] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6,
				 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint64_t pcs[4] = { 0x101000, 0x102000, 0x103000, 0x104000 };

/* header + 3 trace points (264 bytes), then 7 records and the end. */
static void valid_stream(struct sw *w)
{
	static const uint64_t args[2] = { 64, 0xabc };

	sw_header(w, 1000000000ull, 997, bid, 20, 3, 0x5);
	sw_tp(w, 0, "alloc", 2);
	sw_tp(w, 7, "alloc_ret", 0);
	sw_tp(w, 3, "boot_main", 0);
	sw_event(w, 100, 3, NULL, 0);
	sw_sample(w, 200, 0, pcs, 4);
	sw_event(w, 300, 0, args, 2);
	sw_event(w, 350, 7, NULL, 0);
	sw_lost(w, 400, 12, 360, 390);
	sw_sample(w, 500, UT_SAMPLE_TRUNCATED | UT_SAMPLE_IN_KERNEL, pcs, 1);
	sw_unknown(w, 200, 24, 550);
	sw_end(w, 600, 0, 12, 2, 3, 7);
	assert_false(w->oom);
}

/* Decode everything; returns the number of records yielded. */
static size_t drain(struct stream *s)
{
	struct stream_rec r;
	size_t n = 0;

	while (stream_next(s, &r) > 0)
		n++;
	return n;
}

static void test_round_trip(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;
	const struct stream_info *in;
	const struct stream_stats *st;

	(void)state;
	valid_stream(&w);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	in = stream_info(s);
	assert_int_equal(in->version, UT_TRACE_VERSION);
	assert_true(in->tsc_hz == 1000000000ull);
	assert_int_equal(in->sample_hz, 997);
	assert_true(in->trace_mask == 0x5);
	assert_int_equal(in->build_id_len, 20);
	assert_memory_equal(in->build_id, bid, 20);
	assert_int_equal(in->ntp, 3);
	assert_string_equal(in->tps[1].name, "alloc_ret");
	assert_int_equal(in->tps[1].id, 7);
	assert_true(in->tps[0].valid && in->tps[0].nargs == 2);
	assert_ptr_equal(stream_tp_by_id(s, 3), &in->tps[2]);
	assert_null(stream_tp_by_id(s, 1));

	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_EVENT);
	assert_int_equal(r.offset, 264);
	assert_string_equal(r.u.event.tp->name, "boot_main");
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_SAMPLE);
	assert_int_equal(r.u.sample.depth, 4);
	assert_memory_equal(r.u.sample.pcs, pcs, sizeof(pcs));
	assert_true(r.tsc == 200);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.u.event.nargs, 2);
	assert_true(r.u.event.args[0] == 64 && r.u.event.args[1] == 0xabc);
	assert_int_equal(stream_next(s, &r), 1);
	assert_string_equal(r.u.event.tp->name, "alloc_ret");
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_LOST);
	assert_true(r.u.lost.lost == 12 && r.u.lost.first_tsc == 360 &&
		    r.u.lost.last_tsc == 390);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.flags, UT_SAMPLE_TRUNCATED | UT_SAMPLE_IN_KERNEL);
	assert_int_equal(r.u.sample.depth, 1);
	/* The unknown record (type 200) is skipped silently. */
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_END);
	assert_int_equal(r.u.end.exit_status, 7);
	assert_int_equal(stream_next(s, &r), 0);
	assert_int_equal(stream_next(s, &r), 0);

	st = stream_stats(s);
	assert_int_equal(st->errors, 0);
	assert_int_equal(st->records, 8);
	assert_int_equal(st->unknown, 1);
	assert_int_equal(st->samples, 2);
	assert_int_equal(st->events, 3);
	assert_int_equal(st->lost, 12);
	assert_int_equal(st->lost_markers, 1);
	assert_true(st->have_end);
	assert_int_equal(st->end_records, 8);
	assert_true(st->first_tsc == 100 && st->last_tsc == 600);
	stream_close(s);
	sw_free(&w);
}

/* Version 2 carries missed sampler windows and the drain period; a
 * version 1 stream still decodes, with both as 0. */
static void test_missed_windows_and_versions(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;
	const struct stream_stats *st;
	uint16_t v;

	(void)state;
	for (v = 1; v <= UT_TRACE_VERSION; v++) {
		w.version = v;
		w.drain_ms = 250;
		w.end_missed = 40;
		sw_header(&w, 1000, 100, bid, 20, 0, 0);
		sw_sample_missed(&w, 10, 0, pcs, 1, 3);
		sw_sample_missed(&w, 20, 0, pcs, 2, 30);
		sw_end(&w, 30, 0, 0, 2, 0, 0);
		assert_false(w.oom);
		assert_int_equal(stream_open(&s, w.buf, w.len), 0);
		assert_int_equal(stream_info(s)->version, v);
		assert_int_equal(stream_info(s)->drain_ms, v >= 2 ? 250 : 0);
		assert_int_equal(stream_next(s, &r), 1);
		assert_int_equal(r.u.sample.missed, v >= 2 ? 3 : 0);
		assert_int_equal(drain(s), 2);
		st = stream_stats(s);
		assert_int_equal(st->errors, 0);
		assert_true(st->have_end);
		assert_int_equal(st->missed, v >= 2 ? 33 : 0);
		assert_int_equal(st->end_missed, v >= 2 ? 40 : 0);
		stream_close(s);
		sw_free(&w);
	}
}

static void test_file(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	char path[] = "/tmp/test_prof_stream.XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	valid_stream(&w);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(w.buf, 1, w.len, f), w.len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(stream_open_file(&s, path), 0);
	assert_int_equal(drain(s), 7);
	assert_int_equal(stream_stats(s)->errors, 0);
	stream_close(s);
	unlink(path);
	assert_int_equal(stream_open_file(&s, path), -ENOENT);
	assert_null(s);
	sw_free(&w);
}

/* The first kept error as "offset N: ..." text. */
static const char *first_error(struct stream *s, char *buf, size_t len)
{
	const struct stream_error *e = stream_error_at(s, 0);

	if (!e)
		return "";
	stream_error_format(e, buf, len);
	return buf;
}

/*
 * Cut a valid stream at every byte offset: never a crash or an ASan
 * report, and always an error that names an offset within the stream;
 * the cut before the end record is complete is always reported.
 */
static void test_truncated_everywhere(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	const struct stream_error *e;
	uint8_t *copy;
	size_t cut;
	int err;

	(void)state;
	valid_stream(&w);
	for (cut = 0; cut < w.len; cut++) {
		/* An exact-size heap copy, so ASan sees any overread. */
		copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, w.buf, cut);
		err = stream_open(&s, copy, cut);
		assert_non_null(s);
		if (cut < 264)
			assert_int_equal(err, -EBADMSG);
		else
			assert_int_equal(err, 0);
		drain(s);
		assert_true(stream_stats(s)->errors >= 1);
		e = stream_error_at(s, 0);
		assert_non_null(e);
		assert_true(e->offset <= cut);
		if (cut >= 264)
			assert_false(stream_stats(s)->have_end);
		stream_close(s);
		free(copy);
	}
	sw_free(&w);
}

/* Flip each bit of every byte in turn: decoding survives, and whatever
 * it yields is internally consistent. */
static void test_flipped_bytes(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;
	uint8_t *copy;
	size_t i;
	int bit;

	(void)state;
	valid_stream(&w);
	copy = malloc(w.len);
	assert_non_null(copy);
	for (i = 0; i < w.len; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(copy, w.buf, w.len);
			copy[i] ^= (uint8_t)(1u << bit);
			if (stream_open(&s, copy, w.len) == -ENOMEM)
				fail();
			while (stream_next(s, &r) > 0) {
				assert_true(r.offset + r.len <= w.len);
				assert_true(r.len % 8 == 0 && r.len >= 16);
				if (r.type == UT_REC_SAMPLE)
					assert_true(r.u.sample.depth >= 1 &&
						    r.u.sample.depth <=
							    UT_STACK_MAX);
				if (r.type == UT_REC_EVENT)
					assert_non_null(r.u.event.tp);
			}
			stream_close(s);
		}
	}
	free(copy);
	sw_free(&w);
}

static void test_bad_magic(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	char buf[256];

	(void)state;
	valid_stream(&w);
	w.buf[1] = 'X';
	assert_int_equal(stream_open(&s, w.buf, w.len), -EBADMSG);
	assert_non_null(strstr(first_error(s, buf, sizeof(buf)),
			       "offset 0: bad stream magic"));
	assert_int_equal(drain(s), 0);
	stream_close(s);
	sw_free(&w);
}

/* A record length of 0xfffffff8 (fits in 32 bits, not in the stream),
 * and a descriptor count whose byte size overflows 32 bits. */
static void test_huge_lengths(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	char buf[256];

	(void)state;
	valid_stream(&w);
	memset(w.buf + 264 + 4, 0xff, 4);
	w.buf[264 + 4] = 0xf8;
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(drain(s), 6);	/* all but the damaged record */
	assert_string_equal(first_error(s, buf, sizeof(buf)),
			    "offset 264: record length 4294967288 runs past "
			    "the end of the stream (304 bytes remain) "
			    "(skipped 24 bytes)");
	stream_close(s);

	memcpy(w.buf + 264 + 4, "\x18\0\0\0", 4);
	memset(w.buf + 28, 0xff, 4);
	assert_int_equal(stream_open(&s, w.buf, w.len), -EBADMSG);
	assert_non_null(strstr(first_error(s, buf, sizeof(buf)),
			       "offset 28: trace point table truncated"));
	stream_close(s);
	sw_free(&w);
}

static void test_zero_lengths(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	char buf[256];

	(void)state;
	/* Nothing at all. */
	assert_int_equal(stream_open(&s, "", 0), -EBADMSG);
	assert_non_null(strstr(first_error(s, buf, sizeof(buf)),
			       "stream header truncated: 0 of 72"));
	stream_close(s);
	/* A header and table, no records. */
	sw_header(&w, 0, 0, bid, 0, 0, 0);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(drain(s), 0);
	assert_string_equal(first_error(s, buf, sizeof(buf)),
			    "offset 72: stream truncated: no end record");
	stream_close(s);
	/* A record of length 0, then a good end record. */
	w.records = 0;
	sw_rec_hdr(&w, UT_REC_SAMPLE, 0, 0, 5);
	sw_end(&w, 6, 1, 0, 0, 0, 0);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(drain(s), 1);
	assert_string_equal(first_error(s, buf, sizeof(buf)),
			    "offset 72: record length 0 is below 16 (skipped "
			    "16 bytes)");
	assert_int_equal(stream_stats(s)->errors, 1);
	assert_true(stream_stats(s)->have_end);
	stream_close(s);
	sw_free(&w);
}

static void test_unknown_types(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;

	(void)state;
	sw_header(&w, 0, 0, bid, 20, 0, 0);
	sw_unknown(&w, 0, 16, 1);	/* type 0 is not a known type either */
	sw_unknown(&w, 5, 4096, 2);
	sw_unknown(&w, 255, 24, 3);
	sw_sample(&w, 4, 0, pcs, 2);
	sw_end(&w, 5, 0, 0, 1, 0, 0);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_SAMPLE);
	assert_int_equal(r.offset, 72 + 16 + 4096 + 24);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_END);
	assert_int_equal(stream_stats(s)->unknown, 3);
	assert_int_equal(stream_stats(s)->errors, 0);
	stream_close(s);
	sw_free(&w);
}

/* Garbage between records, one byte short of alignment: the decoder
 * reports where it starts and resumes at the next valid header. */
static void test_resync(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	struct stream_rec r;
	char buf[256];
	size_t at;

	(void)state;
	sw_header(&w, 0, 0, bid, 20, 0, 0);
	sw_sample(&w, 1, 0, pcs, 1);
	at = w.len;
	/* 64 bytes of garbage; a fake "UT" magic inside, with a bad len. */
	sw_bytes(&w, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	sw_bytes(&w, "\x54\x55\x01\x00\x03\x00\x00\x00", 8);
	sw_zero(&w, 48);
	sw_sample(&w, 2, 0, pcs, 2);
	sw_end(&w, 3, 0, 0, 2, 0, 0);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.offset, at + 64);
	assert_int_equal(r.u.sample.depth, 2);
	assert_int_equal(stream_next(s, &r), 1);
	assert_int_equal(r.type, UT_REC_END);
	assert_int_equal(stream_next(s, &r), 0);
	assert_string_equal(first_error(s, buf, sizeof(buf)),
			    "offset 104: bad record magic 0x0201 (expected "
			    "0x5554) (skipped 64 bytes)");
	assert_int_equal(stream_stats(s)->bytes_skipped, 64);
	/* Garbage is not a record: the end record's count still agrees. */
	assert_int_equal(stream_stats(s)->errors, 1);
	stream_close(s);
	sw_free(&w);
}

static void test_missing_end(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	char buf[256];

	(void)state;
	sw_header(&w, 0, 0, bid, 20, 0, 0);
	sw_sample(&w, 1, 0, pcs, 3);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(drain(s), 1);
	assert_string_equal(first_error(s, buf, sizeof(buf)),
			    "offset 120: stream truncated: no end record");
	assert_false(stream_stats(s)->have_end);
	stream_close(s);
	sw_free(&w);
}

/* A flood of errors: counted in full, kept up to the cap. */
static void test_error_cap(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	int i;

	(void)state;
	sw_header(&w, 0, 0, bid, 20, 1, 0);
	sw_tp(&w, 1, "x", 0);
	for (i = 0; i < 500; i++)
		sw_event(&w, (uint64_t)i, 42, NULL, 0);
	sw_end(&w, 9999, 0, 0, 0, 500, 0);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(drain(s), 1);
	/* 500 unknown ids, and the end record's count. */
	assert_int_equal(stream_stats(s)->errors, 501);
	assert_int_equal(stream_nerrors_kept(s), STREAM_ERRORS_KEPT);
	assert_null(stream_error_at(s, STREAM_ERRORS_KEPT));
	stream_close(s);
	sw_free(&w);
}

static void test_descriptor_checks(void **state)
{
	struct sw w = SW_INIT;
	struct stream *s;
	char longname[UT_TP_NAME_MAX + 1];
	char buf[256];

	(void)state;
	memset(longname, 'a', UT_TP_NAME_MAX);
	longname[UT_TP_NAME_MAX] = '\0';
	sw_header(&w, 0, 0, bid, 20, 4, 0);
	sw_tp(&w, 0, longname, 0);	/* not NUL-terminated */
	sw_tp(&w, 1, "", 0);
	sw_tp(&w, 2, "many", 7);
	sw_tp(&w, 3, "ok.name-1", 0);
	sw_end(&w, 1, 0, 0, 0, 0, 0);
	assert_int_equal(stream_open(&s, w.buf, w.len), 0);
	assert_int_equal(stream_stats(s)->errors, 3);
	assert_string_equal(first_error(s, buf, sizeof(buf)),
			    "offset 84: trace point descriptor 0: name is not "
			    "NUL-terminated within 48 bytes");
	assert_false(stream_info(s)->tps[0].valid);
	assert_false(stream_info(s)->tps[2].valid);
	assert_true(stream_info(s)->tps[3].valid);
	assert_null(stream_tp_by_id(s, 2));
	assert_non_null(stream_tp_by_id(s, 3));
	stream_close(s);
	sw_free(&w);
}

static void test_build_id_hex(void **state)
{
	char buf[41];

	(void)state;
	stream_build_id_hex(bid, 4, buf, sizeof(buf));
	assert_string_equal(buf, "deadbeef");
	stream_build_id_hex(bid, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	stream_build_id_hex(bid, 20, buf, 5);
	assert_string_equal(buf, "dead");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_missed_windows_and_versions),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_huge_lengths),
		cmocka_unit_test(test_zero_lengths),
		cmocka_unit_test(test_unknown_types),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_missing_end),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_descriptor_checks),
		cmocka_unit_test(test_build_id_hex),
	};

	return cmocka_run_group_tests_name("prof_stream", tests, NULL, NULL);
}
