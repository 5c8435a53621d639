/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics the host measures itself. See host_metrics.h; what each one
 * means is in tuner/measure.h and docs/space-file.md.
 */
#include "host_metrics.h"

#include <stdio.h>
#include <string.h>

static const struct host_metric metrics[HOST_METRIC_COUNT] = {
	[HOST_IMAGE_SIZE] = { "image_size", "B", HOST_FROM_ELF, false },
	[HOST_BOOT_CYCLES] = { "boot_cycles", "cycles", HOST_FROM_BOOT_LINE,
			       false },
	[HOST_MIN_MEM] = { "min_mem", "KiB", HOST_BY_BISECTION, true },
};

const struct host_metric *host_metric(enum host_metric_id id)
{
	return &metrics[id];
}

const struct host_metric *host_metric_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < HOST_METRIC_COUNT; i++)
		if (!strcmp(name, metrics[i].name))
			return &metrics[i];
	return NULL;
}

bool host_metric_is(const char *name, enum host_metric_id id)
{
	return name && !strcmp(name, metrics[id].name);
}

void host_metric_names(char *buf, size_t len)
{
	size_t i, pos = 0;
	int n;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < HOST_METRIC_COUNT && pos < len; i++) {
		n = snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "",
			     metrics[i].name);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
}
