/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whether what a verb wrote arrived. stdio keeps a failed write (ENOSPC
 * on a full disk, EPIPE, EIO) to itself until the stream is flushed, so a
 * verb that never checks ends with status 0 and a file cut short; every
 * verb whose output is data checks its streams here before it exits.
 */
#ifndef UNITUNE_OUTPUT_H
#define UNITUNE_OUTPUT_H

#include <stdio.h>

/* Flush f, then check its error flag. 0 or -errno (-EIO when the failed
 * write left no errno behind). f stays open. */
int output_flush(FILE *f);

/*
 * The end of a verb whose stdout is data: output_flush(stdout), and on
 * failure one line "PROG: cannot write standard output: REASON" on
 * stderr. 0, or 1 (the status for it).
 */
int output_finish_stdout(const char *prog);

#endif
