/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A profile in pprof's format (profile.proto beside this file, encoded
 * with protobuf-c, gzipped), for `go tool pprof`, Pyroscope and other
 * readers of it. What unitune puts there:
 *   sample_type  [samples, count], and [cpu, nanoseconds] when the
 *                sampling rate is known (value = samples * 1e9 / Hz of
 *                guest time; under --deterministic that is virtual time)
 *   sample       one per distinct stack, leaf first, with its count
 *   location     one per function (pprof's locations are addresses; the
 *                profile has aggregated them away), one line each, line
 *                number 0: the per-address lines are not kept
 *   function     display name, raw name (system_name), defining file
 *   mapping      one: the image, with its build-id
 *   period       1 sample (or 1e9/Hz ns), duration_nanos from the TSC
 *   comment      "unitune report"
 * default_sample_type is "samples". No time_nanos: the trace has no
 * wall-clock start, and a deterministic profile must not depend on when
 * it was converted.
 */
#ifndef UNITUNE_PROF_PPROF_H
#define UNITUNE_PROF_PPROF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"

struct trace;

struct pprof_input {
	const struct profile *prof;	/* finished */
	const char *image;		/* mapping file name, or NULL */
	const char *build_id;		/* hex, or NULL */
	uint32_t sample_hz;		/* 0: unknown */
	uint64_t duration_ns;		/* 0: unknown */
	const char *comment;		/* or NULL */
};

/* The gzipped protobuf in *buf (*len bytes, the caller frees it). 0 or
 * -ENOMEM, -EIO (zlib failed). */
int pprof_encode(const struct pprof_input *in, uint8_t **buf, size_t *len);

/* pprof_encode() of a loaded trace (its profile, image, build-id, rate
 * and duration), written to out. 0 or -ENOMEM, -EIO. */
int pprof_write(const struct trace *t, FILE *out);

#endif
