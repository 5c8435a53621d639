/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decoder of the trace stream defined in include/unitune/abi.h.
 *
 * The stream is hostile input: it comes from a guest that may have
 * crashed mid-record, over a port that may have dropped bytes, from a
 * file that may be cut short. The decoder therefore
 *   - checks every length and count against the bytes that remain before
 *     reading anything they describe (it never reads out of bounds);
 *   - turns every problem into an error naming the byte offset and what
 *     was wrong ("offset 4096: record length 3 is not a multiple of 8"),
 *     counts it, and resumes at the next 8-byte-aligned offset that holds
 *     a plausible record header (magic, len >= 16, multiple of 8, fits);
 *   - skips record types it does not know, by their length;
 *   - reports a stream without its end record ("stream truncated: no end
 *     record");
 *   - reports, without stopping, header values no guest writes (a TSC
 *     rate above STREAM_TSC_HZ_MAX, which is then taken as unknown; a
 *     boot TSC with its top bit set; a sample rate above
 *     STREAM_SAMPLE_HZ_MAX) and trace points that share a name;
 *   - reads versions UT_TRACE_VERSION_MIN to UT_TRACE_VERSION (abi.h): a
 *     version 1 stream has no missed-window counts and no drain period,
 *     which decode as 0.
 * Only a broken stream header or trace-point table is fatal: without it
 * nothing after it can be interpreted.
 *
 * Usage:
 *	struct stream *s;
 *	struct stream_rec rec;
 *	int err = stream_open_file(&s, "trace.uttr");
 *	if (err == -EBADMSG) ... stream_error_at(s, 0) says why ...
 *	while (stream_next(s, &rec) > 0) ... rec.type ...
 *	... stream_stats(s)->errors, stream_error_at(s, i) ...
 *	stream_close(s);
 *
 * A handle holds no global state; handles are independent.
 */
#ifndef UNITUNE_PROF_STREAM_H
#define UNITUNE_PROF_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unitune/abi.h>

/* Sizes on the wire (the structures in abi.h have no implicit padding). */
#define STREAM_HEADER_SIZE 72u
#define STREAM_TP_DESC_SIZE 64u
#define STREAM_REC_HDR_SIZE 16u
#define STREAM_SAMPLE_SIZE 24u
#define STREAM_EVENT_SIZE 24u
#define STREAM_LOST_SIZE 40u
#define STREAM_END_SIZE_V1 56u
#define STREAM_END_SIZE 64u

/* Header values beyond these are impossible (reported as errors): no
 * x86 TSC runs at 100 GHz, and the guest samples at most 100 kHz
 * (uk.sample_hz, `unitune record --freq`). */
#define STREAM_TSC_HZ_MAX 100000000000ull
#define STREAM_SAMPLE_HZ_MAX 100000u

/* The first errors are kept with their text; later ones are only counted,
 * so garbage cannot make the decoder's memory grow without bound. */
#define STREAM_ERRORS_KEPT 64

struct stream_tp {
	uint32_t id;
	uint8_t nargs;
	uint8_t arg_types[UT_TP_ARGS_MAX];	/* enum ut_arg_type */
	bool valid;	/* false: the descriptor failed its checks */
	char name[UT_TP_NAME_MAX + 1];	/* always NUL-terminated */
};

/* The stream header, decoded. */
struct stream_info {
	uint16_t version;
	uint16_t header_len;
	uint64_t tsc_hz;	/* 0: unknown */
	uint64_t tsc_boot;
	uint32_t sample_hz;	/* 0: the sampler was off */
	uint32_t drain_ms;	/* the guest's periodic drain; 0: none, or a
				 * version 1 stream, which does not say */
	uint64_t trace_mask;
	uint8_t build_id_len;
	uint8_t build_id[UT_BUILD_ID_MAX];
	uint32_t ntp;		/* entries in tps */
	const struct stream_tp *tps;
	uint64_t records_offset; /* where the first record starts */
};

struct stream_error {
	uint64_t offset;	/* where the problem is */
	uint64_t skipped;	/* bytes skipped to resume (0: none) */
	char what[160];		/* without the offset */
};

/* Totals over what has been decoded so far (final after stream_next()
 * returned 0). */
struct stream_stats {
	uint64_t records;	/* valid records of every type, END included */
	uint64_t samples;
	uint64_t missed;	/* sum of the samples' missed windows */
	uint64_t events;
	uint64_t lost_markers;	/* UT_REC_LOST records */
	uint64_t lost;		/* sum of their lost counts */
	uint64_t unknown;	/* records of unknown type, skipped */
	uint64_t errors;	/* all errors, kept or not */
	uint64_t bytes_skipped;	/* by resynchronisation */
	bool have_end;
	uint64_t first_tsc;	/* of valid records, when records > 0 */
	uint64_t last_tsc;
	/* The end record's fields, when have_end. */
	uint8_t end_flags;
	uint64_t end_records, end_lost, end_samples, end_events;
	uint64_t end_missed;	/* 0 in a version 1 stream */
	int32_t end_exit_status;
};

/* One valid record. Only the member matching type is meaningful. */
struct stream_rec {
	uint64_t offset;
	uint8_t type;		/* enum ut_rec_type (never unknown) */
	uint8_t flags;
	uint32_t len;
	uint64_t tsc;
	union {
		struct {
			uint32_t depth;	/* 1..UT_STACK_MAX */
			uint32_t missed;
			uint64_t pcs[UT_STACK_MAX]; /* innermost first */
		} sample;
		struct {
			uint32_t tp_id;
			uint32_t nargs;	/* 0..UT_TP_ARGS_MAX */
			const struct stream_tp *tp;
			uint64_t args[UT_TP_ARGS_MAX];
		} event;
		struct {
			uint64_t lost, first_tsc, last_tsc;
		} lost;
		struct {
			uint64_t records, lost, samples, events, missed;
			int32_t exit_status;
		} end;
	} u;
};

struct stream;

/*
 * Decode the header and trace-point table of buf[0..len). The buffer is
 * borrowed and must outlive the handle. On success 0. -EBADMSG when the
 * header or table is unusable: *out is still a handle, whose first error
 * says why (stream_next() then yields nothing). -ENOMEM: *out is NULL.
 */
int stream_open(struct stream **out, const void *buf, size_t len);

/*
 * The most bytes of a trace file stream_open_file() reads (the whole file
 * is held in memory): about half an hour of 64-deep stacks sampled at
 * 1000 Hz. `unitune report --max-trace-size` and `unitune diff
 * --max-trace-size` raise it.
 */
#define STREAM_FILE_MAX ((size_t)1 << 30)

/*
 * The same for a whole file, which the handle reads and owns: a regular
 * file of at most max bytes (strbuf_read_file(): a FIFO or a device such
 * as /dev/zero is refused, never read). -errno when the file cannot be
 * read (*out is NULL then; why, when not NULL, says "PATH: what is
 * wrong"), else as stream_open().
 */
int stream_open_file_max(struct stream **out, const char *path, size_t max,
			 char *why, size_t why_len);
/* stream_open_file_max() with STREAM_FILE_MAX and no message. */
int stream_open_file(struct stream **out, const char *path);

/*
 * The next valid record into *rec: 1, or 0 at the end (after the end
 * record, or when the bytes run out; a missing end record is an error).
 * Errors met on the way are counted and kept; decoding goes on.
 */
int stream_next(struct stream *s, struct stream_rec *rec);

const struct stream_info *stream_info(const struct stream *s);
const struct stream_stats *stream_stats(const struct stream *s);

/* The descriptor with this id, or NULL (unknown or invalid). */
const struct stream_tp *stream_tp_by_id(const struct stream *s, uint32_t id);

/* Kept errors: i < stream_nerrors_kept(s) <= STREAM_ERRORS_KEPT. */
size_t stream_nerrors_kept(const struct stream *s);
const struct stream_error *stream_error_at(const struct stream *s, size_t i);

/* "offset N: what" plus " (skipped K bytes)" when it resynchronised. */
void stream_error_format(const struct stream_error *e, char *buf,
			 size_t len);

/* The build-id as lowercase hex ("" when empty). buf holds 2*20+1. */
void stream_build_id_hex(const uint8_t *id, size_t len, char *buf,
			 size_t buflen);

void stream_close(struct stream *s);

#endif
