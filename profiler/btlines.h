/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Source lines for the backtraces a guest prints when it crashes.
 *
 * The guest names each frame from its embedded function table only
 * ("  #1 0x0000000000108e89 main+0xe9", after "[uk] backtrace:"); the
 * host has the image and its DWARF. A btlines stream sits between the
 * runner's console echo and the terminal: it copies every byte through
 * and appends " at FILE:LINE" to each frame line it can place (the
 * innermost function at that address, inlined or not; a return address
 * is looked up at pc - 1, its call). Everything else passes through as
 * it arrives; only a frame line is held until its newline.
 *
 * Usage (btlines_run() does this for a verb that boots an image):
 *	FILE *echo = btlines_open(image, stdout);
 *	opts.echo = echo ? echo : stdout;
 *	... runner_run(&opts, &r) ...
 *	if (echo)
 *		fclose(echo);	(flushes; dest stays open)
 */
#ifndef UNITUNE_PROF_BTLINES_H
#define UNITUNE_PROF_BTLINES_H

#include <stdio.h>

#include "runner.h"

/*
 * A stream that writes to dest. The image is read at the first frame
 * line, so a run without a crash costs nothing; an image that cannot be
 * read, or has no DWARF, gets no source lines. NULL (errno set) when
 * memory runs out: the caller then writes to dest directly.
 */
FILE *btlines_open(const char *image, FILE *dest);

/*
 * runner_run(o, r) with the console echo going through a btlines stream
 * on o->echo for o->image (straight to o->echo when memory runs out, or
 * none when o->echo is NULL). o->echo is as given again on return, and
 * flushed. runner_run()'s
 * return value.
 */
int btlines_run(struct runner_opts *o, struct runner_result *r);

#endif
