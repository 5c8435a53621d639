/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests only: build trace streams in memory, byte by byte in the wire
 * format of include/unitune/abi.h, independently of the decoder (so a
 * round trip checks the decoder against a second reading of the ABI, not
 * against itself). Used by the unit tests, the corpus generator and the
 * fuzzer's seeds.
 *
 *	struct sw w = SW_INIT;
 *	sw_header(&w, 1000000000, 1000, id, 20, 2, ~0ull);
 *	sw_tp(&w, 0, "alloc", 1); sw_tp(&w, 1, "alloc_ret", 0);
 *	sw_sample(&w, 100, 0, pcs, 3);
 *	sw_end(&w, 200, 2, 0, 1, 0, 0);
 *	... w.buf, w.len; w.oom is set if memory ran out ...
 *
 * Streams are UT_TRACE_VERSION unless w.version says otherwise (set it
 * before sw_header: 1 writes the older layout); w.drain_ms goes into the
 * header, w.end_missed into a version 2 end record.
 *	sw_free(&w);
 */
#ifndef UNITUNE_PROF_STREAM_WRITER_H
#define UNITUNE_PROF_STREAM_WRITER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unitune/abi.h>

struct sw {
	uint8_t *buf;
	size_t len, cap;
	int oom;
	uint64_t records;	/* records written so far (for sw_end) */
	uint16_t version;	/* 0: UT_TRACE_VERSION */
	uint32_t drain_ms;
	uint64_t end_missed;
};

#define SW_INIT { 0 }

static inline void sw_bytes(struct sw *w, const void *p, size_t n)
{
	uint8_t *nb;
	size_t cap;

	if (w->oom || !n)
		return;
	if (w->len + n > w->cap) {
		cap = w->cap ? w->cap : 256;
		while (cap < w->len + n)
			cap *= 2;
		nb = realloc(w->buf, cap);
		if (!nb) {
			w->oom = 1;
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static inline void sw_u8(struct sw *w, uint8_t v)
{
	sw_bytes(w, &v, 1);
}

static inline void sw_u16(struct sw *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	sw_bytes(w, b, 2);
}

static inline void sw_u32(struct sw *w, uint32_t v)
{
	sw_u16(w, (uint16_t)v);
	sw_u16(w, (uint16_t)(v >> 16));
}

static inline void sw_u64(struct sw *w, uint64_t v)
{
	sw_u32(w, (uint32_t)v);
	sw_u32(w, (uint32_t)(v >> 32));
}

static inline void sw_zero(struct sw *w, size_t n)
{
	while (n--)
		sw_u8(w, 0);
}

static inline void sw_header(struct sw *w, uint64_t tsc_hz,
			     uint32_t sample_hz, const uint8_t *build_id,
			     uint8_t build_id_len, uint32_t ntp,
			     uint64_t mask)
{
	if (!w->version)
		w->version = UT_TRACE_VERSION;
	sw_u32(w, UT_TRACE_MAGIC);
	sw_u16(w, w->version);
	sw_u16(w, 72);
	sw_u64(w, tsc_hz);
	sw_u64(w, 1000);	/* tsc_boot */
	sw_u32(w, sample_hz);
	sw_u32(w, ntp);
	sw_u64(w, mask);
	sw_u8(w, build_id_len);
	sw_zero(w, 7);
	sw_bytes(w, build_id, build_id_len);
	sw_zero(w, UT_BUILD_ID_MAX - build_id_len);
	sw_u32(w, w->version >= 2 ? w->drain_ms : 0);
}

static inline void sw_tp(struct sw *w, uint32_t id, const char *name,
			 uint8_t nargs)
{
	char n[UT_TP_NAME_MAX] = { 0 };
	uint8_t i;

	/* NUL-padded; a 48-byte name is (wrongly) left unterminated, which
	 * the hostile-input tests want to be able to write. */
	memcpy(n, name, strnlen(name, sizeof(n)));
	sw_u32(w, id);
	sw_u8(w, nargs);
	for (i = 0; i < UT_TP_ARGS_MAX + 1; i++)
		sw_u8(w, i < nargs ? UT_ARG_U64 : UT_ARG_NONE);
	sw_bytes(w, n, sizeof(n));
	sw_u32(w, 0);
}

static inline void sw_rec_hdr(struct sw *w, uint8_t type, uint8_t flags,
			      uint32_t len, uint64_t tsc)
{
	sw_u16(w, UT_REC_MAGIC);
	sw_u8(w, type);
	sw_u8(w, flags);
	sw_u32(w, len);
	sw_u64(w, tsc);
	w->records++;
}

/* missed: the sampler windows missed before this sample (version 2). */
static inline void sw_sample_missed(struct sw *w, uint64_t tsc, uint8_t flags,
				    const uint64_t *pcs, uint32_t depth,
				    uint32_t missed)
{
	uint32_t i;

	sw_rec_hdr(w, UT_REC_SAMPLE, flags, 24 + 8 * depth, tsc);
	sw_u32(w, depth);
	sw_u32(w, missed);
	for (i = 0; i < depth; i++)
		sw_u64(w, pcs[i]);
}

static inline void sw_sample(struct sw *w, uint64_t tsc, uint8_t flags,
			     const uint64_t *pcs, uint32_t depth)
{
	sw_sample_missed(w, tsc, flags, pcs, depth, 0);
}

static inline void sw_event(struct sw *w, uint64_t tsc, uint32_t tp_id,
			    const uint64_t *args, uint32_t nargs)
{
	uint32_t i;

	sw_rec_hdr(w, UT_REC_EVENT, 0, 24 + 8 * nargs, tsc);
	sw_u32(w, tp_id);
	sw_u32(w, nargs);
	for (i = 0; i < nargs; i++)
		sw_u64(w, args[i]);
}

static inline void sw_lost(struct sw *w, uint64_t tsc, uint64_t lost,
			   uint64_t first, uint64_t last)
{
	sw_rec_hdr(w, UT_REC_LOST, 0, 40, tsc);
	sw_u64(w, lost);
	sw_u64(w, first);
	sw_u64(w, last);
}

/* records: 0 means "every record written, this one included". */
static inline void sw_end(struct sw *w, uint64_t tsc, uint64_t records,
			  uint64_t lost, uint64_t samples, uint64_t events,
			  int32_t status)
{
	int v1 = w->version == 1;

	if (!records)
		records = w->records + 1;
	sw_rec_hdr(w, UT_REC_END, 0, v1 ? 56 : 64, tsc);
	sw_u64(w, records);
	sw_u64(w, lost);
	sw_u64(w, samples);
	sw_u64(w, events);
	sw_u32(w, (uint32_t)status);
	sw_u32(w, 0);
	if (!v1)
		sw_u64(w, w->end_missed);
}

/* A record of a type this decoder does not know, with len bytes. */
static inline void sw_unknown(struct sw *w, uint8_t type, uint32_t len,
			      uint64_t tsc)
{
	sw_rec_hdr(w, type, 0, len, tsc);
	sw_zero(w, len - 16);
}

static inline void sw_free(struct sw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

#endif
