/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes tests/corpus/: small trace streams, valid and damaged in one way
 * each, and MANIFEST, which says where the decoder must report the first
 * error and what the message must contain. test_prof_corpus.c replays it;
 * `make fuzz` starts from it. Regenerate with `make prof-corpus` (the
 * files are committed so a reviewer sees exactly what is tested).
 *
 * Usage: mkcorpus DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "stream_writer.h"

static const uint8_t build_id[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
				      11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };

struct out {
	const char *dir;
	FILE *manifest;
	int failed;
};

/* Write w as DIR/name with its MANIFEST line, then free w. */
static void emit(struct out *o, const char *name, struct sw *w,
		 long first_offset, const char *message)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", o->dir, name);
	f = fopen(path, "wb");
	if (!f || w->oom || fwrite(w->buf, 1, w->len, f) != w->len) {
		fprintf(stderr, "mkcorpus: cannot write %s\n", path);
		o->failed = 1;
	}
	if (f && fclose(f))
		o->failed = 1;
	if (first_offset < 0)
		fprintf(o->manifest, "%s\t-\t-\n", name);
	else
		fprintf(o->manifest, "%s\t%ld\t%s\n", name, first_offset,
			message);
	sw_free(w);
}

/* The header and a table of three trace points, the third one given
 * (id 2 "boot_main" in every stream but the table's own cases). */
static void table(struct sw *w, uint32_t third_id, const char *third)
{
	sw_header(w, 2000000000ull, 1000, build_id, 20, 3, 0x7);
	sw_tp(w, 0, "alloc", 1);
	sw_tp(w, 1, "alloc_ret", 0);
	sw_tp(w, third_id, third, 0);
}

/* The header and table every stream here starts with (264 bytes). */
static void head(struct sw *w)
{
	table(w, 2, "boot_main");
}

static const uint64_t pcs[3] = { 0x101234, 0x100800, 0x100100 };
static const uint64_t arg = 64;

/* A few records of each kind; returns the offset after them. */
static size_t body(struct sw *w)
{
	sw_event(w, 5000, 2, NULL, 0);
	sw_sample(w, 6000, 0, pcs, 3);
	sw_event(w, 6100, 0, &arg, 1);
	sw_event(w, 6300, 1, NULL, 0);
	sw_lost(w, 7000, 5, 6400, 6900);
	sw_sample(w, 8000, UT_SAMPLE_TRUNCATED, pcs, 2);
	return w->len;
}

/* body() and the end record that counts it; returns the end's offset. */
static size_t body_end(struct sw *w)
{
	size_t at = body(w);

	sw_end(w, 9000, 0, 5, 2, 3, 0);
	return at;
}

/* head(), one sample and an end record; returns the sample's offset,
 * for the cases that damage it. */
static size_t one_sample(struct sw *w)
{
	size_t at;

	head(w);
	at = w->len;
	sw_sample(w, 6000, 0, pcs, 3);
	sw_end(w, 9000, 0, 0, 1, 0, 0);
	return at;
}

/* The streams, one function each (cases[] below gives each its file name
 * and expected error): first one without damage. */
static long case_valid(struct sw *w)
{
	head(w);
	body_end(w);
	return -1;
}

/* The older layout: no missed counts, a 56-byte end record. */
static long case_valid_v1(struct sw *w)
{
	w->version = 1;
	head(w);
	body_end(w);
	return -1;
}

/* A recording stopped from outside: drained up to some point, no
 * end record. */
static long case_no_end_drained(struct sw *w)
{
	w->drain_ms = 100;
	head(w);
	body(w);
	sw_sample_missed(w, 8500, 0, pcs, 3, 4);
	return (long)w->len;
}

/* A version 2 end record cut to the version 1 length. */
static long case_end_v1_length_in_v2(struct sw *w)
{
	size_t at;

	head(w);
	at = body_end(w);
	w->buf[at + 4] = 56;
	w->len -= 8;
	return (long)at;
}

static long case_header_truncated(struct sw *w)
{
	head(w);
	w->len = 40;
	return 0;
}

static long case_header_bad_magic(struct sw *w)
{
	head(w);
	w->buf[0] ^= 0xff;
	return 0;
}

static long case_header_bad_version(struct sw *w)
{
	head(w);
	w->buf[4] = 9;
	return 4;
}

static long case_header_bad_length(struct sw *w)
{
	head(w);
	w->buf[6] = 12;
	w->buf[7] = 0;
	return 6;
}

static long case_header_build_id_length(struct sw *w)
{
	head(w);
	w->buf[40] = 200;
	return 40;
}

static long case_table_huge_count(struct sw *w)
{
	head(w);
	memset(w->buf + 28, 0xff, 4);
	return 28;
}

static long case_table_truncated(struct sw *w)
{
	head(w);
	w->len = 72 + 64 + 10;
	return 28;
}

static long case_table_bad_name(struct sw *w)
{
	table(w, 2, "bad name");
	sw_end(w, 9000, 0, 0, 0, 0, 0);
	return 72 + 128 + 12 + 3;
}

static long case_table_duplicate_id(struct sw *w)
{
	table(w, 0, "again");
	sw_end(w, 9000, 0, 0, 0, 0, 0);
	return 72 + 128;
}

/* Header values no guest writes (here and in the next two): reported,
 * decoding goes on. */
static long case_header_tsc_hz_impossible(struct sw *w)
{
	head(w);
	memset(w->buf + 8, 0xff, 8);	/* tsc_hz 2^64 - 1 */
	body_end(w);
	return 8;
}

static long case_header_tsc_boot_top_bit(struct sw *w)
{
	head(w);
	w->buf[23] = 0x80;	/* tsc_boot 1000 | 1 << 63 */
	body_end(w);
	return 16;
}

static long case_header_sample_hz_impossible(struct sw *w)
{
	head(w);
	memset(w->buf + 24, 0xff, 4);	/* sample_hz 2^32 - 1 */
	body_end(w);
	return 24;
}

static long case_table_duplicate_name(struct sw *w)
{
	table(w, 2, "alloc");
	body_end(w);
	return 72 + 128;
}

static long case_no_end(struct sw *w)
{
	head(w);
	body(w);
	return (long)w->len;
}

static long case_end_cut(struct sw *w)
{
	size_t at;

	head(w);
	at = body_end(w);
	w->len = at + 30;
	return (long)at;
}

static long case_len_not_multiple(struct sw *w)
{
	size_t at = one_sample(w);
	w->buf[at + 4] = 27;	/* len 48 -> 27 */
	return (long)at;
}

static long case_len_zero(struct sw *w)
{
	size_t at = one_sample(w);
	memset(w->buf + at + 4, 0, 4);
	return (long)at;
}

static long case_len_huge(struct sw *w)
{
	size_t at = one_sample(w);
	memset(w->buf + at + 4, 0xff, 3);
	w->buf[at + 4] = 0xf8;
	return (long)at;
}

static long case_sample_huge_depth(struct sw *w)
{
	size_t at = one_sample(w);
	w->buf[at + 18] = 0x0f;	/* depth 3 -> 0xf0003 */
	return (long)at;
}

static long case_sample_depth_mismatch(struct sw *w)
{
	size_t at = one_sample(w);
	w->buf[at + 16] = 2;	/* depth 3 -> 2, len still 48 */
	return (long)at;
}

static long case_record_bad_magic(struct sw *w)
{
	size_t at;

	head(w);
	at = w->len;
	sw_sample(w, 6000, 0, pcs, 3);
	w->buf[at] ^= 0x01;	/* record magic */
	sw_event(w, 6100, 2, NULL, 0);
	sw_end(w, 9000, 0, 0, 1, 1, 0);
	return (long)at;
}

static long case_garbage_between(struct sw *w)
{
	size_t at;

	head(w);
	sw_event(w, 5000, 2, NULL, 0);
	at = w->len;
	sw_bytes(w, "garbage!garbage!garbage!garbage!garbage!", 40);
	body(w);
	sw_end(w, 9000, 0, 5, 2, 4, 0);
	return (long)at;
}

static long case_unknown_type(struct sw *w)
{
	head(w);
	sw_unknown(w, 77, 32, 5500);
	body_end(w);
	return -1;
}

static long case_event_unknown_tp(struct sw *w)
{
	size_t at;

	head(w);
	at = w->len;
	sw_event(w, 5000, 99, NULL, 0);
	sw_end(w, 9000, 0, 0, 0, 1, 0);
	return (long)at;
}

static long case_event_nargs_mismatch(struct sw *w)
{
	size_t at;

	head(w);
	at = w->len;
	sw_event(w, 5000, 0, NULL, 0);
	sw_end(w, 9000, 0, 0, 0, 1, 0);
	return (long)at;
}

static long case_trailing_data(struct sw *w)
{
	size_t at;

	head(w);
	body_end(w);
	at = w->len;
	sw_bytes(w, "trailing", 8);
	return (long)at;
}

static long case_end_count_mismatch(struct sw *w)
{
	size_t at;

	head(w);
	body(w);
	at = w->len;
	sw_end(w, 9000, 99, 5, 2, 3, 0);
	return (long)at;
}

static long case_record_header_cut(struct sw *w)
{
	size_t at;

	head(w);
	body(w);
	at = w->len;
	sw_bytes(w, "\x54\x55\x04\x00\x38\x00", 6);
	return (long)at;
}

/* Every stream of the corpus, in MANIFEST order. */
static const struct corpus_case {
	const char *name;
	/* Writes the stream; the offset of its first error, or -1. */
	long (*write)(struct sw *w);
	const char *message;	/* what that error must say */
} cases[] = {
	{ "valid.uttr", case_valid, NULL },
	{ "valid-v1.uttr", case_valid_v1, NULL },
	{ "no-end-drained.uttr", case_no_end_drained,
	  "stream truncated: no end record" },
	{ "end-v1-length-in-v2.uttr", case_end_v1_length_in_v2,
	  "end record length 56 (expected 64)" },
	{ "header-truncated.uttr", case_header_truncated,
	  "stream header truncated" },
	{ "header-bad-magic.uttr", case_header_bad_magic, "bad stream magic" },
	{ "header-bad-version.uttr", case_header_bad_version,
	  "unsupported stream version 9" },
	{ "header-bad-length.uttr", case_header_bad_length,
	  "header length 12" },
	{ "header-build-id-length.uttr", case_header_build_id_length,
	  "build-id length 200 exceeds 20" },
	{ "table-huge-count.uttr", case_table_huge_count,
	  "4294967295 descriptors need" },
	{ "table-truncated.uttr", case_table_truncated,
	  "trace point table truncated" },
	{ "table-bad-name.uttr", case_table_bad_name, "name byte 0x20" },
	{ "table-duplicate-id.uttr", case_table_duplicate_id,
	  "duplicate id 0" },
	{ "header-tsc-hz-impossible.uttr", case_header_tsc_hz_impossible,
	  "TSC rate 18446744073709551615 Hz is above 100000000000 Hz" },
	{ "header-tsc-boot-top-bit.uttr", case_header_tsc_boot_top_bit,
	  "boot TSC 9223372036854776808 has its top bit set" },
	{ "header-sample-hz-impossible.uttr", case_header_sample_hz_impossible,
	  "sample rate 4294967295 Hz is above the guest's maximum" },
	{ "table-duplicate-name.uttr", case_table_duplicate_name,
	  "trace point 'alloc': duplicate name (ids 0 and 2)" },
	{ "no-end.uttr", case_no_end, "stream truncated: no end record" },
	{ "end-cut.uttr", case_end_cut,
	  "record length 64 runs past the end of the stream (30 bytes "
	  "remain)" },
	{ "len-not-multiple.uttr", case_len_not_multiple,
	  "record length 27 is not a multiple of 8" },
	{ "len-zero.uttr", case_len_zero, "record length 0 is below 16" },
	{ "len-huge.uttr", case_len_huge,
	  "record length 16777208 runs past the end" },
	{ "sample-huge-depth.uttr", case_sample_huge_depth,
	  "sample depth 983043 is outside 1..64" },
	{ "sample-depth-mismatch.uttr", case_sample_depth_mismatch,
	  "does not match its depth 2" },
	{ "record-bad-magic.uttr", case_record_bad_magic,
	  "bad record magic 0x5555" },
	{ "garbage-between.uttr", case_garbage_between, "bad record magic" },
	{ "unknown-type.uttr", case_unknown_type, NULL },
	{ "event-unknown-tp.uttr", case_event_unknown_tp,
	  "event for unknown trace point id 99" },
	{ "event-nargs-mismatch.uttr", case_event_nargs_mismatch,
	  "has 0 arguments, its descriptor says 1" },
	{ "trailing-data.uttr", case_trailing_data,
	  "8 bytes of trailing data after the end record" },
	{ "end-count-mismatch.uttr", case_end_count_mismatch,
	  "end record counts 99 records, 7 arrived intact" },
	{ "record-header-cut.uttr", case_record_header_cut,
	  "record header truncated: 6 of 16 bytes" },
};

int main(int argc, char **argv)
{
	struct out o = { 0 };
	char path[4096];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	o.dir = argv[1];
	snprintf(path, sizeof(path), "%s/MANIFEST", o.dir);
	o.manifest = fopen(path, "w");
	if (!o.manifest) {
		fprintf(stderr, "mkcorpus: cannot write %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	fprintf(o.manifest,
		"# SPDX-License-Identifier: BSD-3-Clause\n"
		"# Generated by profiler/tests/mkcorpus.c (make prof-corpus).\n"
		"# file<TAB>first error offset<TAB>message substring; '-': no "
		"error\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sw w = SW_INIT;
		long first = cases[i].write(&w);

		emit(&o, cases[i].name, &w, first, cases[i].message);
	}
	if (fclose(o.manifest))
		o.failed = 1;
	return o.failed;
}
