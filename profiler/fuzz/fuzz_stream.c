/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the trace-stream decoder on arbitrary bytes, and the
 * trace-point pairing that consumes what it yields. Built and run by
 * `make fuzz` (clang, -fsanitize=fuzzer,address,undefined); any crash,
 * sanitizer report, leak or broken invariant below is a finding.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "tracepoints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stream *s = NULL;
	struct tpstats *t = NULL;
	struct stream_rec r;
	char line[256];
	size_t i;
	/* An exact-size copy: libFuzzer's buffer is exact too, but this
	 * keeps the target honest if that ever changes. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (stream_open(&s, copy, size) == -ENOMEM)
		goto out;
	t = tpstats_new(stream_info(s));
	while (stream_next(s, &r) > 0) {
		/* What the decoder yields is always inside the input and
		 * well framed. */
		if (r.offset + r.len > size || r.len % 8 || r.len < 16)
			abort();
		if (r.type == UT_REC_SAMPLE &&
		    (r.u.sample.depth < 1 || r.u.sample.depth > UT_STACK_MAX))
			abort();
		if (r.type == UT_REC_EVENT &&
		    (!r.u.event.tp || r.u.event.nargs > UT_TP_ARGS_MAX))
			abort();
		if (t)
			tpstats_add(t, &r);
	}
	if (t)
		tpstats_finish(t);
	for (i = 0; i < stream_nerrors_kept(s); i++)
		stream_error_format(stream_error_at(s, i), line, sizeof(line));
	if (stream_nerrors_kept(s) > STREAM_ERRORS_KEPT ||
	    stream_stats(s)->errors < stream_nerrors_kept(s))
		abort();
out:
	tpstats_free(t);
	stream_close(s);
	free(copy);
	return 0;
}
