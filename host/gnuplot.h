/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Running gnuplot on a generated script: the one place that knows how to
 * quote a string for a script and how to tell "gnuplot is not installed"
 * from "gnuplot failed". Used by the profiler's timeline and the tuner's
 * experiment report.
 */
#ifndef UNITUNE_GNUPLOT_H
#define UNITUNE_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

/* Write s as a single-quoted gnuplot string ('' inside stands for '). */
void gnuplot_quote(FILE *f, const char *s);

/*
 * Run `gnuplot script` in dir (NULL: the current directory), its output
 * on our stderr. 0, or a negative errno with a reason in why: -ENOENT
 * when gnuplot is not installed, -EIO when it failed, else why it could
 * not be started.
 */
int gnuplot_run(const char *script, const char *dir, char *why,
		size_t why_len);

#endif
