/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A bench's results for people (one table on stdout) and for programs
 * (one JSON document, docs/json-output.md).
 */
#ifndef UNITUNE_BENCH_BENCH_REPORT_H
#define UNITUNE_BENCH_BENCH_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "env.h"
#include "figures.h"
#include "http.h"

struct bench_report {
	const char *image;
	const char *config_hash;	/* "unknown" without a .config */
	const struct env_facts *env;
	const struct bench_http_opts *opts;
	const struct bench_http_result *result;
	const struct bench_summary *summary;
	int64_t bench_id;		/* its row in the store; 0: not stored */
	const char *db_path;
};

/* A figure's value as the tables print it: counts (count, frames,
 * packets, bytes, KiB) as integers, everything else with one decimal. */
void bench_report_fmt(char *buf, size_t len, double v, const char *unit);

/* The table. */
void bench_report_table(FILE *f, const struct bench_report *b);

/* The JSON document; 0 or the json writer's error (-EIO ...). */
int bench_report_json(FILE *f, const struct bench_report *b);

#endif
