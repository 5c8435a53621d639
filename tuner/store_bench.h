/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store's bench tables (migrations 5 and 6 of tuner/schema.sql):
 * a bench run, its samples and its summaries. Written by `unitune bench`
 * (cli/cmd_bench.c) in one transaction per run.
 */
#ifndef UNITUNE_STORE_BENCH_H
#define UNITUNE_STORE_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct store_bench {
	const char *kind;		/* "http" */
	const char *image_path;
	const char *config_hash;	/* "unknown" when the image has none */
	const char *url_path;
	int64_t threads, connections, repetitions;
	double duration_s, warmup_s, first_200_ms;
	bool unstable;
	const char *git_commit, *host, *cpu_model, *qemu_version;
	const char *accelerator;
	/* NULL or "unikernel"; "linux" for a --baseline linux side, then
	 * baseline_of is the unikernel's row (0: none). */
	const char *side;
	int64_t baseline_of;
};

/* A bench row; its id in *id. 0 or an error (store_errmsg()). */
int store_bench_add(struct store *st, const struct store_bench *b,
		    int64_t *id);

/* One repetition's value of a figure. */
int store_bench_add_sample(struct store *st, int64_t bench, const char *metric,
			   const char *unit, int64_t repetition, double value);

struct store_bench_stat {
	const char *metric, *unit;
	int64_t n;
	double median, min, max, ci_low, ci_high;
	double spread;			/* NAN: stored as NULL */
	bool unstable;
};

/* A figure's summary. */
int store_bench_add_stat(struct store *st, int64_t bench,
			 const struct store_bench_stat *s);

/* A ratio of the unikernel's bench over its Linux baseline's (migration
 * 6): the ratio of the medians with its paired interval. */
struct store_bench_ratio {
	const char *metric;
	int64_t n;
	double ratio, ci_low, ci_high;
};

int store_bench_add_ratio(struct store *st, int64_t bench, int64_t baseline,
			  const struct store_bench_ratio *r);

#endif
