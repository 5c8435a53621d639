/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The views of a finished profile (profile_finish() done): the top
 * functions table, folded stacks and an SVG flame graph, and the last two
 * for a pair of profiles (unitune diff). Each is one file (report_top.c,
 * folded.c, flame.c).
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
 * Folded stacks of two profiles, the form difffolded-style tools
 * exchange: one line per stack with self samples in a or b,
 * "outer;...;inner count_a count_b" (raw counts, 0 where a side lacks
 * the stack; frames matched by display name), sorted by stack.
 * 0 or -ENOMEM/-EIO.
 */
int folded_diff_write(const struct profile *a, const struct profile *b,
		      FILE *out);

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

/*
 * An SVG flame graph: one <rect> per call-tree node (the root "all"
 * included), width proportional to its samples, the root at the bottom,
 * siblings in name order, a <title> with the count and share on each,
 * colour from a hash of the name. 0, -ENOMEM or -EIO.
 */
#define FLAME_WIDTH 1200
#define FLAME_FRAME_HEIGHT 16
int flame_write(const struct profile *p, FILE *out, const char *title);

/*
 * A differential flame graph: laid out as flame_write(b) (the new
 * profile), each frame coloured by how its share (its samples over its
 * profile's samples, so the two may differ in size) changed from a to
 * b. The frame of a with the same stack of function names (display
 * names) is its match. Grey: no change; red: grew, blue: shrank, the
 * strength proportional to the change in points, full at the largest
 * change in the graph or FLAME_DIFF_MIN_SCALE points, whichever is more
 * (so a graph of tiny changes does not look alarming). A frame absent
 * from a is full red. A stack only a has is not drawn (the diff table
 * lists its function). Tooltip: "NAME (B: n samples, s%; A: m samples,
 * s%; +d points)", "A: not present" for a frame only in b. The title
 * gets the colour legend appended. 0, -ENOMEM or -EIO.
 */
#define FLAME_DIFF_MIN_SCALE 1.0
int flame_diff_write(const struct profile *a, const struct profile *b,
		     FILE *out, const char *title);

#endif
