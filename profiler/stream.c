/* SPDX-License-Identifier: BSD-3-Clause */
#include "stream.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct stream {
	const uint8_t *buf;
	size_t len;
	size_t pos;		/* next record header; always 8-aligned */
	bool done;
	uint8_t *owned;		/* buf, when the handle read the file */
	struct stream_info info;
	struct stream_tp *tps;
	/* Indexes of valid descriptors sorted by id, for event look-ups: a
	 * hostile table may be large, so no linear search per event. */
	uint32_t *by_id;
	uint32_t nby_id;
	struct stream_stats stats;
	struct stream_error errors[STREAM_ERRORS_KEPT];
	size_t nerrors;
};

/* Fields are little-endian and the buffer may be unaligned (a fuzzer's,
 * or a record at any 8-byte offset of a mapped file): assemble bytes. */
static uint16_t ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void add_error(struct stream *s, uint64_t offset, uint64_t skipped,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_error(struct stream *s, uint64_t offset, uint64_t skipped,
		      const char *fmt, ...)
{
	struct stream_error *e;
	va_list ap;

	s->stats.errors++;
	s->stats.bytes_skipped += skipped;
	if (s->nerrors >= STREAM_ERRORS_KEPT)
		return;
	e = &s->errors[s->nerrors++];
	e->offset = offset;
	e->skipped = skipped;
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
}

/* A record header worth resuming at: the framing is self-consistent. The
 * type is not checked, so a newer guest's records still resynchronise. */
static bool plausible_header(const struct stream *s, size_t pos)
{
	const uint8_t *p = s->buf + pos;
	uint32_t len;

	if (s->len - pos < STREAM_REC_HDR_SIZE)
		return false;
	len = ld32(p + 4);
	return ld16(p) == UT_REC_MAGIC && len >= STREAM_REC_HDR_SIZE &&
	       len % 8 == 0 && len <= s->len - pos;
}

/* Report the problem of the record at s->pos and move to the next
 * plausible header after it (or the end). */
static void resync(struct stream *s, const char *what)
{
	size_t from = s->pos, p = s->pos + 8;

	while (p < s->len && !plausible_header(s, p))
		p += 8;
	if (p > s->len)
		p = s->len;
	add_error(s, from, p - from, "%s", what);
	s->pos = p;
}

static int cmp_by_id(const void *a, const void *b, void *ctx)
{
	const struct stream_tp *tps = ctx;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	uint32_t x = tps[ia].id, y = tps[ib].id;

	/* Ties by table position, so "the first" of duplicates is kept. */
	if (x != y)
		return x < y ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/*
 * One descriptor. Names reach terminals, gnuplot scripts, SVG and folded
 * stacks, so only identifier-like characters are accepted here, once,
 * rather than escaped in every consumer.
 */
static void decode_tp(struct stream *s, size_t off, uint32_t idx,
		      struct stream_tp *tp)
{
	const uint8_t *p = s->buf + off;
	const char *name = (const char *)p + 12;
	size_t n, i;

	memset(tp, 0, sizeof(*tp));
	tp->id = ld32(p);
	tp->nargs = p[4];
	for (i = 0; i < UT_TP_ARGS_MAX; i++)
		tp->arg_types[i] = p[5 + i];
	n = strnlen(name, UT_TP_NAME_MAX);
	memcpy(tp->name, name, n);
	tp->name[n] = '\0';
	if (n == UT_TP_NAME_MAX) {
		tp->name[0] = '\0';
		add_error(s, off + 12, 0,
			  "trace point descriptor %u: name is not "
			  "NUL-terminated within %u bytes",
			  idx, UT_TP_NAME_MAX);
		return;
	}
	if (n == 0) {
		add_error(s, off + 12, 0,
			  "trace point descriptor %u: empty name", idx);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!name_char_ok(tp->name[i])) {
			add_error(s, off + 12 + i, 0,
				  "trace point descriptor %u: name byte 0x%02x "
				  "is not a letter, digit, '_', '.' or '-'",
				  idx, (unsigned char)tp->name[i]);
			tp->name[0] = '\0';
			return;
		}
	}
	if (tp->nargs > UT_TP_ARGS_MAX) {
		add_error(s, off + 4, 0,
			  "trace point '%s': %u arguments (at most %u)",
			  tp->name, tp->nargs, UT_TP_ARGS_MAX);
		return;
	}
	for (i = 0; i < tp->nargs; i++) {
		if (tp->arg_types[i] > UT_ARG_HEX) {
			add_error(s, off + 5 + i, 0,
				  "trace point '%s': unknown argument type %u",
				  tp->name, tp->arg_types[i]);
			return;
		}
	}
	tp->valid = true;
}

static int cmp_by_name(const void *a, const void *b, void *ctx)
{
	const struct stream_tp *tps = ctx;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	int c = strcmp(tps[ia].name, tps[ib].name);

	return c ? c : (ia < ib ? -1 : ia > ib);
}

/* Two trace points of one name would have their counts and latencies
 * merged by every consumer that goes by name: say so (sorting keeps a
 * hostile table of many descriptors from costing n^2). */
static int check_duplicate_names(struct stream *s)
{
	const struct stream_info *in = &s->info;
	uint32_t *order = malloc((size_t)s->nby_id * sizeof(*order) + 1);
	uint32_t i;

	if (!order)
		return -ENOMEM;
	memcpy(order, s->by_id, (size_t)s->nby_id * sizeof(*order));
	qsort_r(order, s->nby_id, sizeof(*order), cmp_by_name, s->tps);
	for (i = 1; i < s->nby_id; i++) {
		const struct stream_tp *a = &s->tps[order[i - 1]];
		const struct stream_tp *b = &s->tps[order[i]];

		if (!strcmp(a->name, b->name))
			add_error(s, in->header_len +
				  (uint64_t)order[i] * STREAM_TP_DESC_SIZE, 0,
				  "trace point '%s': duplicate name (ids %u "
				  "and %u)", b->name, a->id, b->id);
	}
	free(order);
	return 0;
}

/* Header values no guest writes: reported (not fatal); an impossible
 * TSC rate is dropped, so no duration is computed from it. */
static void check_header_values(struct stream *s)
{
	struct stream_info *in = &s->info;

	if (in->tsc_hz > STREAM_TSC_HZ_MAX) {
		add_error(s, 8, 0, "TSC rate %llu Hz is above %llu Hz: "
			  "impossible, taken as unknown",
			  (unsigned long long)in->tsc_hz,
			  (unsigned long long)STREAM_TSC_HZ_MAX);
		in->tsc_hz = 0;
	}
	if (in->tsc_boot >> 63)
		add_error(s, 16, 0, "boot TSC %llu has its top bit set: "
			  "impossible for a counter started at reset",
			  (unsigned long long)in->tsc_boot);
	if (in->sample_hz > STREAM_SAMPLE_HZ_MAX)
		add_error(s, 24, 0, "sample rate %u Hz is above the guest's "
			  "maximum of %u Hz", in->sample_hz,
			  STREAM_SAMPLE_HZ_MAX);
}

static int decode_table(struct stream *s)
{
	struct stream_info *in = &s->info;
	size_t off = in->header_len;
	uint32_t i, j;

	if (!in->ntp)
		return 0;
	s->tps = calloc(in->ntp, sizeof(*s->tps));
	s->by_id = calloc(in->ntp, sizeof(*s->by_id));
	if (!s->tps || !s->by_id)
		return -ENOMEM;
	for (i = 0; i < in->ntp; i++, off += STREAM_TP_DESC_SIZE) {
		decode_tp(s, off, i, &s->tps[i]);
		if (s->tps[i].valid)
			s->by_id[s->nby_id++] = i;
	}
	qsort_r(s->by_id, s->nby_id, sizeof(*s->by_id), cmp_by_id, s->tps);
	/* A duplicate id would make events ambiguous: keep the first. */
	for (i = 1, j = 1; s->nby_id && i < s->nby_id; i++) {
		struct stream_tp *a = &s->tps[s->by_id[j - 1]];
		struct stream_tp *b = &s->tps[s->by_id[i]];

		if (a->id == b->id) {
			add_error(s, in->header_len +
				  (uint64_t)s->by_id[i] * STREAM_TP_DESC_SIZE, 0,
				  "trace point '%s': duplicate id %u (also '%s')",
				  b->name, b->id, a->name);
			b->valid = false;
			continue;
		}
		s->by_id[j++] = s->by_id[i];
	}
	if (s->nby_id)
		s->nby_id = j;
	in->tps = s->tps;
	return check_duplicate_names(s);
}

/* The header and table. Problems here are fatal: -EBADMSG. */
static int decode_header(struct stream *s)
{
	struct stream_info *in = &s->info;
	const uint8_t *p = s->buf;
	uint32_t magic, ntp;
	uint64_t table;

	if (s->len < STREAM_HEADER_SIZE) {
		add_error(s, 0, 0,
			  "stream header truncated: %zu of %u bytes", s->len,
			  STREAM_HEADER_SIZE);
		return -EBADMSG;
	}
	magic = ld32(p);
	if (magic != UT_TRACE_MAGIC) {
		add_error(s, 0, 0,
			  "bad stream magic 0x%08x (expected 0x%08x, \"UTTR\"): "
			  "not a Unitune trace",
			  magic, UT_TRACE_MAGIC);
		return -EBADMSG;
	}
	in->version = ld16(p + 4);
	if (in->version < UT_TRACE_VERSION_MIN ||
	    in->version > UT_TRACE_VERSION) {
		add_error(s, 4, 0,
			  "unsupported stream version %u (this decoder reads "
			  "versions %u to %u)",
			  in->version, UT_TRACE_VERSION_MIN, UT_TRACE_VERSION);
		return -EBADMSG;
	}
	in->header_len = ld16(p + 6);
	if (in->header_len < STREAM_HEADER_SIZE || in->header_len % 8) {
		add_error(s, 6, 0,
			  "header length %u is invalid (a multiple of 8, at "
			  "least %u)",
			  in->header_len, STREAM_HEADER_SIZE);
		return -EBADMSG;
	}
	if (in->header_len > s->len) {
		add_error(s, 0, 0, "stream header truncated: %zu of %u bytes",
			  s->len, in->header_len);
		return -EBADMSG;
	}
	in->tsc_hz = ld64(p + 8);
	in->tsc_boot = ld64(p + 16);
	in->sample_hz = ld32(p + 24);
	check_header_values(s);
	ntp = ld32(p + 28);
	in->trace_mask = ld64(p + 32);
	in->build_id_len = p[40];
	if (in->build_id_len > UT_BUILD_ID_MAX) {
		add_error(s, 40, 0, "build-id length %u exceeds %u",
			  in->build_id_len, UT_BUILD_ID_MAX);
		return -EBADMSG;
	}
	memcpy(in->build_id, p + 48, in->build_id_len);
	if (in->version >= 2)
		in->drain_ms = ld32(p + 68);
	/* Divide rather than multiply: ntp is hostile and may overflow. */
	if (ntp > (s->len - in->header_len) / STREAM_TP_DESC_SIZE) {
		add_error(s, 28, 0,
			  "trace point table truncated: %u descriptors need "
			  "%llu bytes, %zu remain",
			  ntp, (unsigned long long)ntp * STREAM_TP_DESC_SIZE,
			  s->len - in->header_len);
		return -EBADMSG;
	}
	/* Set only now: after a fatal error, info says no table at all
	 * (ntp 0, tps NULL), never a count without descriptors. */
	in->ntp = ntp;
	table = (uint64_t)in->ntp * STREAM_TP_DESC_SIZE;
	in->records_offset = in->header_len + table;
	return decode_table(s);
}

static int stream_init(struct stream **out, const void *buf, size_t len,
		       uint8_t *owned)
{
	struct stream *s;
	int err;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		free(owned);
		return -ENOMEM;
	}
	s->buf = buf;
	s->len = len;
	s->owned = owned;
	err = decode_header(s);
	if (err == -ENOMEM) {
		stream_close(s);
		return err;
	}
	if (err)
		s->done = true;
	s->pos = s->info.records_offset;
	*out = s;
	return err;
}

int stream_open(struct stream **out, const void *buf, size_t len)
{
	return stream_init(out, buf, len, NULL);
}

int stream_open_file(struct stream **out, const char *path)
{
	return stream_open_file_max(out, path, STREAM_FILE_MAX, NULL, 0);
}

int stream_open_file_max(struct stream **out, const char *path, size_t max,
			 char *why, size_t why_len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	int err;

	*out = NULL;
	err = strbuf_read_file(&sb, path, max, why, why_len);
	if (err) {
		strbuf_release(&sb);
		return err;
	}
	uint8_t *buf = (uint8_t *)strbuf_detach(&sb, &len);
	if (!buf)
		return -ENOMEM;
	return stream_init(out, buf, len, buf);
}

static const struct stream_tp *find_tp(const struct stream *s, uint32_t id)
{
	uint32_t lo = 0, hi = s->nby_id;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct stream_tp *tp = &s->tps[s->by_id[mid]];

		if (tp->id == id)
			return tp;
		if (tp->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct stream_tp *stream_tp_by_id(const struct stream *s, uint32_t id)
{
	return find_tp(s, id);
}

/*
 * Check and decode the body of a known record type. Returns 1 for a
 * record to yield, 0 for one to skip by its length (a consistent frame
 * with a meaning we cannot use; the error is recorded), or -1 when the
 * frame itself is wrong (why is filled in; the caller resynchronises).
 */
static int decode_body(struct stream *s, struct stream_rec *r, char *why,
		       size_t why_len)
{
	const uint8_t *p = s->buf + s->pos;
	uint32_t i, n, need;

	switch (r->type) {
	case UT_REC_SAMPLE:
		if (r->len < STREAM_SAMPLE_SIZE) {
			snprintf(why, why_len,
				 "sample record length %u is below %u", r->len,
				 STREAM_SAMPLE_SIZE);
			return -1;
		}
		n = ld32(p + 16);
		if (n == 0 || n > UT_STACK_MAX) {
			snprintf(why, why_len,
				 "sample depth %u is outside 1..%u", n,
				 UT_STACK_MAX);
			return -1;
		}
		need = STREAM_SAMPLE_SIZE + 8 * n;
		if (r->len != need) {
			snprintf(why, why_len,
				 "sample record length %u does not match its "
				 "depth %u (expected %u)",
				 r->len, n, need);
			return -1;
		}
		r->u.sample.depth = n;
		if (s->info.version >= 2)
			r->u.sample.missed = ld32(p + 20);
		for (i = 0; i < n; i++)
			r->u.sample.pcs[i] = ld64(p + STREAM_SAMPLE_SIZE + 8 * i);
		return 1;
	case UT_REC_EVENT:
		if (r->len < STREAM_EVENT_SIZE) {
			snprintf(why, why_len,
				 "event record length %u is below %u", r->len,
				 STREAM_EVENT_SIZE);
			return -1;
		}
		n = ld32(p + 20);
		if (n > UT_TP_ARGS_MAX) {
			snprintf(why, why_len,
				 "event has %u arguments (at most %u)", n,
				 UT_TP_ARGS_MAX);
			return -1;
		}
		need = STREAM_EVENT_SIZE + 8 * n;
		if (r->len != need) {
			snprintf(why, why_len,
				 "event record length %u does not match its %u "
				 "arguments (expected %u)",
				 r->len, n, need);
			return -1;
		}
		r->u.event.tp_id = ld32(p + 16);
		r->u.event.nargs = n;
		for (i = 0; i < n; i++)
			r->u.event.args[i] = ld64(p + STREAM_EVENT_SIZE + 8 * i);
		r->u.event.tp = find_tp(s, r->u.event.tp_id);
		if (!r->u.event.tp) {
			add_error(s, s->pos, 0,
				  "event for unknown trace point id %u",
				  r->u.event.tp_id);
			return 0;
		}
		if (r->u.event.tp->nargs != n) {
			add_error(s, s->pos, 0,
				  "event of trace point '%s' has %u arguments, "
				  "its descriptor says %u",
				  r->u.event.tp->name, n,
				  r->u.event.tp->nargs);
			return 0;
		}
		return 1;
	case UT_REC_LOST:
		if (r->len != STREAM_LOST_SIZE) {
			snprintf(why, why_len,
				 "lost record length %u (expected %u)", r->len,
				 STREAM_LOST_SIZE);
			return -1;
		}
		r->u.lost.lost = ld64(p + 16);
		r->u.lost.first_tsc = ld64(p + 24);
		r->u.lost.last_tsc = ld64(p + 32);
		return 1;
	case UT_REC_END:
		need = s->info.version >= 2 ? STREAM_END_SIZE : STREAM_END_SIZE_V1;
		if (r->len != need) {
			snprintf(why, why_len,
				 "end record length %u (expected %u)", r->len,
				 need);
			return -1;
		}
		if (need >= STREAM_END_SIZE)
			r->u.end.missed = ld64(p + 56);
		r->u.end.records = ld64(p + 16);
		r->u.end.lost = ld64(p + 24);
		r->u.end.samples = ld64(p + 32);
		r->u.end.events = ld64(p + 40);
		r->u.end.exit_status = (int32_t)ld32(p + 48);
		return 1;
	}
	return -1;
}

static void count(struct stream *s, const struct stream_rec *r)
{
	struct stream_stats *st = &s->stats;

	if (!st->records || r->tsc < st->first_tsc)
		st->first_tsc = r->tsc;
	if (!st->records || r->tsc > st->last_tsc)
		st->last_tsc = r->tsc;
	st->records++;
	switch (r->type) {
	case UT_REC_SAMPLE:
		st->samples++;
		st->missed += r->u.sample.missed;
		break;
	case UT_REC_EVENT:
		st->events++;
		break;
	case UT_REC_LOST:
		st->lost_markers++;
		st->lost += r->u.lost.lost;
		break;
	case UT_REC_END:
		st->have_end = true;
		st->end_flags = r->flags;
		st->end_records = r->u.end.records;
		st->end_lost = r->u.end.lost;
		st->end_samples = r->u.end.samples;
		st->end_events = r->u.end.events;
		st->end_missed = r->u.end.missed;
		st->end_exit_status = r->u.end.exit_status;
		break;
	}
}

/* After the end record: anything left is reported, and the counts the
 * guest wrote are checked against what arrived. */
static void finish_end(struct stream *s, const struct stream_rec *r)
{
	s->done = true;
	if (s->stats.end_records != s->stats.records)
		add_error(s, r->offset, 0,
			  "end record counts %llu records, %llu arrived intact",
			  (unsigned long long)s->stats.end_records,
			  (unsigned long long)s->stats.records);
	if (s->pos < s->len)
		add_error(s, s->pos, s->len - s->pos,
			  "%zu bytes of trailing data after the end record",
			  s->len - s->pos);
}

int stream_next(struct stream *s, struct stream_rec *rec)
{
	char why[128];
	size_t rem;
	uint32_t len;
	int ok;

	while (!s->done) {
		const uint8_t *p = s->buf + s->pos;

		rem = s->len - s->pos;
		if (rem == 0) {
			add_error(s, s->len, 0,
				  "stream truncated: no end record");
			s->done = true;
			break;
		}
		if (rem < STREAM_REC_HDR_SIZE) {
			add_error(s, s->pos, rem,
				  "record header truncated: %zu of %u bytes",
				  rem, STREAM_REC_HDR_SIZE);
			s->pos = s->len;
			continue;
		}
		len = ld32(p + 4);
		if (ld16(p) != UT_REC_MAGIC) {
			snprintf(why, sizeof(why),
				 "bad record magic 0x%04x (expected 0x%04x)",
				 ld16(p), UT_REC_MAGIC);
			resync(s, why);
			continue;
		}
		if (len < STREAM_REC_HDR_SIZE) {
			snprintf(why, sizeof(why),
				 "record length %u is below %u", len,
				 STREAM_REC_HDR_SIZE);
			resync(s, why);
			continue;
		}
		if (len % 8) {
			snprintf(why, sizeof(why),
				 "record length %u is not a multiple of 8", len);
			resync(s, why);
			continue;
		}
		if (len > rem) {
			snprintf(why, sizeof(why),
				 "record length %u runs past the end of the "
				 "stream (%zu bytes remain)",
				 len, rem);
			resync(s, why);
			continue;
		}
		memset(rec, 0, sizeof(*rec));
		rec->offset = s->pos;
		rec->type = p[2];
		rec->flags = p[3];
		rec->len = len;
		rec->tsc = ld64(p + 8);
		if (rec->type < UT_REC_SAMPLE || rec->type > UT_REC_END) {
			/* A newer guest's record: skipped, not an error. */
			s->stats.unknown++;
			s->stats.records++;
			s->pos += len;
			continue;
		}
		ok = decode_body(s, rec, why, sizeof(why));
		if (ok < 0) {
			resync(s, why);
			continue;
		}
		s->pos += len;
		if (ok == 0)
			continue;
		count(s, rec);
		if (rec->type == UT_REC_END)
			finish_end(s, rec);
		return 1;
	}
	return 0;
}

const struct stream_info *stream_info(const struct stream *s)
{
	return &s->info;
}

const struct stream_stats *stream_stats(const struct stream *s)
{
	return &s->stats;
}

size_t stream_nerrors_kept(const struct stream *s)
{
	return s->nerrors;
}

const struct stream_error *stream_error_at(const struct stream *s, size_t i)
{
	return i < s->nerrors ? &s->errors[i] : NULL;
}

void stream_error_format(const struct stream_error *e, char *buf, size_t len)
{
	if (e->skipped)
		snprintf(buf, len, "offset %llu: %s (skipped %llu bytes)",
			 (unsigned long long)e->offset, e->what,
			 (unsigned long long)e->skipped);
	else
		snprintf(buf, len, "offset %llu: %s",
			 (unsigned long long)e->offset, e->what);
}

void stream_build_id_hex(const uint8_t *id, size_t len, char *buf,
			 size_t buflen)
{
	size_t i;

	if (!buflen)
		return;
	buf[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < buflen; i++)
		snprintf(buf + 2 * i, 3, "%02x", id[i]);
}

void stream_close(struct stream *s)
{
	if (!s)
		return;
	free(s->tps);
	free(s->by_id);
	free(s->owned);
	free(s);
}
