/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A nightly suite file (YAML; format in docs/suite-file.md): the
 * benchmarks `unitune nightly` measures on every commit. It is of the
 * space file's family and validated the same way (tuner/space_int.h's
 * loaders): each benchmark is a space without options, so it names an
 * app, a configuration fragment, the benchmark mapping of a space file
 * (kind, http settings, args, metrics, repetitions) and a mode, and is
 * measured by the tuner's measure_image(). On top of a space a benchmark
 * has the detector's settings: a warm-up count, the deterministic
 * threshold, the wall minimum effect, and which way each metric is
 * better.
 *
 *	name: nightly
 *	benchmarks:
 *	  - name: syscall
 *	    app: syscallbench
 *	    config: {CONFIG_UKBOOT_BANNER: n}  # optional, checked symbols
 *	    config_file: frag.config           # optional, beside the suite
 *	    metrics: [syscall.syscall_raw.cycles_per_op]
 *	    mode: deterministic                # the default
 *	    repetitions: 1                     # the default
 *	    threshold: 0.1%                    # or {METRIC: 0.001, ...}
 *
 * Decisions (docs/suite-file.md): warmup is refused in mode
 * deterministic (nothing to warm up) and with kind http (it warms up
 * inside its boot: http: {warmup: D}); kind http in mode deterministic
 * may list only its exact metrics (http.guest.instructions_per_request,
 * image_size), measured without wrk; repetitions are a count, not a
 * race; threshold, min_effect and better take one value for every
 * metric or a mapping per metric.
 *
 * suite_load() reports the first problem only, as space_load(), as
 * "FILE:LINE: [CONFIG_X: ]what is wrong".
 */
#ifndef UNITUNE_SUITE_H
#define UNITUNE_SUITE_H

#include <stdbool.h>
#include <stddef.h>

#include "kconfig.h"
#include "space.h"
#include "store.h"

/* Longest benchmark name ([A-Za-z0-9_.-], unique in the suite). */
#define SUITE_NAME_MAX 64
/* Most benchmarks in one suite. */
#define SUITE_MAX_BENCHMARKS 256

enum suite_better {
	SUITE_LOWER_IS_BETTER,
	SUITE_HIGHER_IS_BETTER,
};

struct suite_metric {
	char *name;		/* as in space->bench.metrics */
	enum suite_better better;	/* "better:" per metric, else from the
					 * unit: req/s, B/s, ops/s higher;
					 * everything else lower */
	double threshold;	/* deterministic: relative, > 0 */
	double min_effect;	/* wall: relative, > 0 */
	/* How it is recorded (as measure_image() records it): mode
	 * deterministic, or image_size, min_mem and
	 * http.guest.instructions_per_request in any mode, are exact;
	 * everything else in mode wall is wall-clock. */
	enum store_kind kind;
	const char *unit;	/* suite_metric_unit(name); static */
};

struct suite_bench {
	char *name;
	unsigned line;		/* of the benchmark's mapping */
	/* app, base_config (config_file, resolved against the suite's
	 * folder), bench (kind, http, args, metrics, repetitions) and mode:
	 * options, objectives, budget and strategy are empty. */
	struct space *space;
	/* "config:" as .config lines ("CONFIG_X=V\n" ...; a bool n as
	 * "# CONFIG_X is not set", a string quoted), each checked against
	 * the Kconfig; applied after config_file. "" when absent. */
	char *config;
	unsigned warmup;	/* wall, kind console: runs measured and
				 * discarded first (0 otherwise) */
	struct suite_metric *metrics;	/* one per space->bench.metrics */
	size_t n_metrics;
};

struct suite {
	char *path;		/* as given */
	char *name;		/* "name", or the file's base name without .yaml */
	struct suite_bench *benches;
	size_t n_benches;
	/* The file's bytes, stored with each night's history. */
	char *text;
};

/*
 * Load and validate the suite at path against kc. 0 and *out (free with
 * suite_free), -EINVAL (invalid), -EFBIG, -ENOENT/-errno with why; or
 * -ENOMEM.
 */
int suite_load(const char *path, const struct kconfig *kc,
	       struct suite **out, char *why, size_t why_len);
void suite_free(struct suite *s);

/* The benchmark called name, or NULL. */
const struct suite_bench *suite_find(const struct suite *s, const char *name);

/* The unit a metric is recorded in ("cycles", "req/s", ...; as
 * measure_unit), or "" when the name does not say (a result line's
 * field named without a unit suffix, or not a metric name). In
 * suite_metric.c. */
const char *suite_metric_unit(const char *metric);

#endif
