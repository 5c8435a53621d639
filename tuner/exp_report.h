/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The experiment report: a directory with a static index.html (inline
 * CSS, images referenced relatively, readable offline) and the plots
 * behind it, each as its data (.dat), its gnuplot script (.gp) and the
 * SVG gnuplot rendered, so a plot can be re-rendered or restyled with
 * `gnuplot NAME.gp` inside the directory:
 *
 *   objective  the primary objective per variant, best first, failures
 *              marked
 *   effects    mean primary objective per value of each option, one
 *              panel per option, largest effect first, common y axis
 *   pareto     the first two objectives of every measured variant, the
 *              front highlighted (only with two or more objectives)
 *   convergence  the best primary objective so far against evaluations,
 *              one line per experiment over the same space (strategy)
 *
 * index.html also holds the space summary, the environment, status
 * counts, the best variant, the top configurations, the options kconfig
 * changed, the failures and the space file itself. See docs/reports.md.
 */
#ifndef UNITUNE_EXP_REPORT_H
#define UNITUNE_EXP_REPORT_H

#include <stdint.h>

#include "kconfig.h"
#include "space.h"
#include "store.h"
#include "strbuf.h"
#include "why.h"

#define EXP_REPORT_TOP_DEFAULT 10
#define EXP_REPORT_NO_PLOTS 1

/*
 * Write the report of experiment exp (whose space is s) into dir,
 * creating it if needed; top rows in the table of top configurations.
 * kc is the tree's symbol table: it tells which changes kconfig made
 * are dead by dependency, and loads the spaces of other experiments in
 * the store (those over the same space join the convergence plot).
 * 0; EXP_REPORT_NO_PLOTS when everything but the SVGs was written
 * because gnuplot is not installed or failed (index.html says so); a
 * negative errno or store error when the report could not be written
 * (-ENOENT: no experiment exp). Unless 0, why holds one line saying why
 * (host/why.h).
 */
int exp_report_write(struct store *st, int64_t exp, const struct space *s,
		     const struct kconfig *kc, const char *dir, unsigned top,
		     char *why, size_t why_len);

#endif
