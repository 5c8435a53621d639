/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep behind `unitune tune SPACE`: ask the space's strategy for
 * points, resolve each into a variant (requested options over the app's
 * defconfig and base config, then olddefconfig), build and measure each
 * distinct resolved configuration once (variants are keyed by the SHA-256
 * of the resolved config), record everything in the store and tell the
 * strategy, until the strategy is done or the budget is spent.
 *
 * Recording is per variant and atomic: its build row, its runs and its
 * final status are one transaction, written only by this process. A sweep
 * killed at any moment therefore leaves finished variants complete and
 * the others pending; running the same command again replays the
 * strategy, answers every point whose variant is finished from the store,
 * and builds and measures only the rest.
 */
#ifndef UNITUNE_SWEEP_H
#define UNITUNE_SWEEP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Most variants in flight (--jobs). */
#define SWEEP_MAX_JOBS 64

struct sweep_opts {
	const char *space_path;
	const char *db_path;
	const char *work_dir;		/* NULL: <tree>/build/tune/<name> */
	unsigned jobs;			/* 1..SWEEP_MAX_JOBS */
	int64_t resolve_timeout_ns;	/* olddefconfig */
	int64_t build_timeout_ns;	/* make */
	int64_t run_timeout_ns;		/* each boot of the image */
	bool ccache;			/* when ccache is installed */
	bool tty;			/* a progress bar instead of lines */
	FILE *out;			/* progress and messages */
	/* A Pushgateway's base URL: once the sweep is complete, every
	 * variant is pushed there (tuner/exp_push.h). NULL: no push. */
	const char *push_url;
};

/* Exit statuses of sweep_run() beyond 0 (complete). */
#define SWEEP_EXIT_ERROR 1	/* the sweep could not go on (message given) */
#define SWEEP_EXIT_USAGE 2	/* invalid space file or options */
#define SWEEP_EXIT_INTERRUPTED 130

int sweep_run(const struct sweep_opts *o);

#endif
