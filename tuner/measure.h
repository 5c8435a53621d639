/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Measuring one built image: the tuner's metrics and its failure classes.
 *
 * measure_image() records, per repetition:
 *   image_size   bytes QEMU loads (ELF PT_LOAD file sizes)      B
 *   boot_cycles  first instruction to main(), from the boot line  cycles
 *   bench.pattern.field  every numeric field of every result line
 *                (docs/result-lines.md); "ops" has no unit
 * and, when asked, min_mem: the least --mem (KiB) with which the run
 * still exits 0, bisection's answer in deterministic mode, found from the
 * guest's "[uk] mem: need=" line of the last repetition (min_mem.h; the
 * log says how many runs it took). The host-measured ones' names and
 * units come from host_metrics.h.
 *
 * A run that does not end well is classified (enum store_status):
 *   boot_failed  QEMU could not start the image, or it crashed/stopped
 *                before main() (no boot line)
 *   crashed      a crash after main()
 *   timeout      the run hit its deadline
 *   bench_failed it exited non-zero, or a wanted metric is missing, or
 *                its pattern printed failed=<reason>
 * The reason is one line; the console of the failing run goes to log.
 */
#ifndef UNITUNE_MEASURE_H
#define UNITUNE_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "space.h"
#include "store.h"

struct measure_opts {
	/* Kind http (measure_http.h): wrk's settings; NULL: the app runs
	 * to its exit and prints result lines. */
	const struct space_http *http;
	bool per_request;		/* http: instructions per request */
	const char *image;
	const char *const *args;	/* the app's arguments */
	size_t n_args;
	bool deterministic;		/* else wall-clock, --accel auto */
	uint64_t mem_kib;		/* 0: the runner's default */
	int64_t timeout_ns;		/* per run; 0: none */
	unsigned repetitions;		/* >= 1 */
	int first_repetition;		/* the first one's number (a race
					 * adds repetitions to a variant) */
	const char *const *wanted;	/* metrics that must be found */
	size_t n_wanted;
	bool min_mem;			/* bisect for min_mem */
	FILE *log;			/* consoles and what was run, or NULL */
};

struct measure_value {
	char *metric;
	double value;
	const char *unit;		/* static */
	int repetition;
	enum store_kind kind;
};

struct measure_result {
	enum store_status status;	/* STORE_DONE or a failure class */
	char reason[256];		/* empty when done */
	char accel[8];			/* "tcg", "kvm" */
	struct measure_value *v;
	size_t n, cap;
};

/*
 * Measure o->image into *r (free with measure_result_free, also on
 * error). Failures of the guest are results (r->status), not errors: the
 * return value is 0, or a negative errno for invalid options or failures
 * of the host (-ENOMEM; -ENOENT: QEMU is not installed).
 */
int measure_image(const struct measure_opts *o, struct measure_result *r);
void measure_result_free(struct measure_result *r);

/*
 * What a space's benchmark asks of a measurement (the sweep's variants
 * and the nightly suite's benchmarks alike): its args, kind http's
 * settings, the wanted metrics, the repetitions, deterministic or
 * wall-clock, and the on-demand metrics (min_mem, instructions per
 * request) when the benchmark or an objective names them. The rest of
 * *o (image, timeout, log, first_repetition) is zeroed for the caller;
 * pointers refer into s, which must outlive *o.
 */
void measure_opts_for_space(struct measure_opts *o, const struct space *s,
			    bool deterministic);

/*
 * Append the metrics of the result lines in console (len bytes) as
 * repetition rep of kind. The unit comes from the field name. A line
 * with failed=<reason> adds nothing and, when the pattern's metrics are
 * wanted later, makes them missing. 0 or -ENOMEM.
 */
int measure_parse_results(const char *console, size_t len, int rep,
			  enum store_kind kind, struct measure_result *r);

/* Append one value (metric_len bytes of metric; unit must be one of
 * measure_unit's). 0 or -ENOMEM. */
int measure_add(struct measure_result *r, const char *metric,
		size_t metric_len, double value, const char *unit, int rep,
		enum store_kind kind);

/* Mark r failed with status st and a one-line reason (printf format). */
void measure_fail(struct measure_result *r, enum store_status st,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The static copy of a unit the tuner records ("", "B", "KiB", "cycles",
 * "cycles/op", "ns", and kind http's "req/s", "B/s", "us", "count",
 * "instructions"), or NULL for any other string. */
const char *measure_unit(const char *unit);

/* The value of metric at repetition rep in r, or NULL. */
const struct measure_value *measure_find(const struct measure_result *r,
					 const char *metric, int rep);

#endif
