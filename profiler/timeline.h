/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timeline plot: samples per time bin, and events per time bin for each
 * trace point that fired, rendered to PNG by gnuplot (pngcairo when that
 * terminal exists, else png; Debian's gnuplot-nox has both).
 *
 * Time runs from the guest's first instruction (the header's tsc_boot)
 * when every record is after it, else from the first record; it is in
 * milliseconds when the TSC frequency is known, else in million cycles.
 */
#ifndef UNITUNE_PROF_TIMELINE_H
#define UNITUNE_PROF_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stream.h"

#define TIMELINE_BINS_DEFAULT 100

struct timeline;

/* info must outlive the timeline. NULL: -ENOMEM. */
struct timeline *timeline_new(const struct stream_info *info);

/* Feed every record (samples and events are plotted). 0 or -ENOMEM. */
int timeline_add(struct timeline *tl, const struct stream_rec *rec);

/*
 * The plot data: one line per bin, "time samples count..." with a count
 * per trace point that fired, in descriptor order, preceded by a comment
 * line naming the columns. 0, or -ENODATA when there is nothing to plot.
 */
int timeline_write_data(const struct timeline *tl, FILE *out, unsigned bins);

/*
 * Write the data and a gnuplot script to a private temporary directory,
 * run gnuplot to make png_path, and clean up. 0, or a negative errno with
 * a reason in why (-ENOENT: gnuplot is not installed; -ENODATA: nothing to
 * plot; -EIO: gnuplot failed).
 */
int timeline_render(const struct timeline *tl, const char *png_path,
		    const char *title, unsigned bins, char *why,
		    size_t why_len);

void timeline_free(struct timeline *tl);

#endif
