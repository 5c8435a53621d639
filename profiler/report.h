/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The views of a finished profile (profile_finish() done): the top
 * functions table, folded stacks and an SVG flame graph. Each is one file
 * (report_top.c, folded.c, flame.c).
 */
#ifndef UNITUNE_PROF_REPORT_H
#define UNITUNE_PROF_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "profile.h"

/*
 * Top functions by self share, with total share (the function anywhere in
 * the stack, once per sample) and the hottest source line where DWARF
 * has it. limit 0: every function.
 */
void report_top(const struct profile *p, FILE *out, size_t limit);

/*
 * Folded stacks, the input of flamegraph.pl and speedscope: one line per
 * distinct stack that has self samples, "outer;...;inner count", sorted
 * by stack (byte order) so the output is stable. 0 or -ENOMEM/-EIO.
 */
int folded_write(const struct profile *p, FILE *out);

/*
 * An SVG flame graph: one <rect> per call-tree node (the root "all"
 * included), width proportional to its samples, the root at the bottom,
 * siblings in name order, a <title> with the count and share on each.
 * 0 or -EIO.
 */
#define FLAME_WIDTH 1200
#define FLAME_FRAME_HEIGHT 16
int flame_write(const struct profile *p, FILE *out, const char *title);

#endif
