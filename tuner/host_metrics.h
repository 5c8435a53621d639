/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics the host measures itself, as opposed to those a benchmark
 * prints in its result lines (bench.pattern.field): one table read by
 * the space parser (which names a space may use), the measurement
 * (tuner/measure.c) and the sweep (what to ask a worker for).
 */
#ifndef UNITUNE_HOST_METRICS_H
#define UNITUNE_HOST_METRICS_H

#include <stdbool.h>
#include <stddef.h>

enum host_metric_id {
	HOST_IMAGE_SIZE,
	HOST_BOOT_CYCLES,
	HOST_MIN_MEM,
	HOST_METRIC_COUNT
};

/* How the host gets a metric. */
enum host_metric_how {
	HOST_FROM_ELF,		/* read from the image before it runs */
	HOST_FROM_BOOT_LINE,	/* the guest's "[uk] boot: cycles=" line */
	HOST_BY_BISECTION,	/* runs bisecting a run parameter */
};

struct host_metric {
	const char *name;
	const char *unit;
	enum host_metric_how how;
	/* Measured only when a space names it (it costs extra runs). */
	bool on_demand;
};

/* The entry for id (which must be below HOST_METRIC_COUNT). */
const struct host_metric *host_metric(enum host_metric_id id);

/* The host-measured metric called name, or NULL. */
const struct host_metric *host_metric_find(const char *name);

/* Is name the metric id? (name may be NULL.) */
bool host_metric_is(const char *name, enum host_metric_id id);

/* "image_size, boot_cycles, min_mem": every name, for messages
 * (truncated to len). */
void host_metric_names(char *buf, size_t len);

#endif
