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

#include "json.h"
#include "profile.h"

/*
 * Top functions by self share, with total share (the function anywhere in
 * the stack, once per sample) and the hottest source line where DWARF
 * has it. limit 0: every function.
 */
void report_top(const struct profile *p, FILE *out, size_t limit);

/*
 * The same table as JSON, into an open object of w: the members
 * "functions_total" (how many functions had samples) and "functions", an
 * array of the first limit rows (0: all) in the same order, each
 * { "function", "self", "self_share", "total", "total_share",
 *   "file", "line", "line_share" } (shares in percent of the samples;
 * file, line and line_share are null where DWARF has no line).
 * Schema in docs/json-output.md. 0 or -ENOMEM.
 */
int report_top_json(const struct profile *p, struct json *w, size_t limit);

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
/*
 * A speedscope file (https://www.speedscope.app, the "sampled" profile
 * type): one shared frame per function (name; file and line of its
 * hottest line, else its defining file), one sample per distinct stack
 * (function indices, outermost first) weighted by its sample count, unit
 * "none". The weights add up to the profile's samples. 0, -ENOMEM,
 * -EIO.
 */
#define SPEEDSCOPE_SCHEMA "https://www.speedscope.app/file-format-schema.json"
int speedscope_write(const struct profile *p, FILE *out, const char *name);

#define FLAME_WIDTH 1200
#define FLAME_FRAME_HEIGHT 16
int flame_write(const struct profile *p, FILE *out, const char *title);

#endif
