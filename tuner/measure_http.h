/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Measuring one image of a benchmark of kind http (space.h): the same
 * procedure as `unitune bench http` (bench/http.h), wall-clock: one
 * boot with the guest's port published on 127.0.0.1, its first HTTP 200,
 * a discarded warm-up, then o->repetitions wrk runs, each recorded as
 * one repetition (numbered from o->first_repetition) of every
 * http.wrk.NAME metric (http_metrics.h), with image_size beside each.
 * With o->per_request, and only for a variant's first repetitions (a
 * race's top-up has it already), a second, deterministic boot measures
 * http.guest.instructions_per_request (bench/per_request.h) as
 * repetition 0.
 *
 * With o->deterministic (never a space's: kind http needs mode wall
 * there; a nightly suite's benchmark in mode deterministic) there is no
 * wrk boot: image_size as repetition o->first_repetition and, with
 * o->per_request, the deterministic boot.
 *
 * Failure classes: the guest did not boot (QEMU failed, the image is
 * bad) is boot_failed; it ended during the bench is crashed (a timeout
 * when the runner's deadline ended it; bench_failed when it exited); no
 * HTTP 200 in time, a repetition that completed no request, wrk or a
 * request failing, or the counts of the deterministic boot not adding up
 * is bench_failed. wrk missing is the host's problem: -ENOENT.
 */
#ifndef UNITUNE_MEASURE_HTTP_H
#define UNITUNE_MEASURE_HTTP_H

#include "image.h"
#include "measure.h"

/* Called by measure_image() when o->http is set, with the image's
 * layout read; r is initialised. 0 or -errno as measure_image(). */
int measure_http(const struct measure_opts *o, const struct image_layout *l,
		 struct measure_result *r);

#endif
