/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The http kind's metrics (tuner/http_metrics.h).
 */
#include "http_metrics.h"

#include <stdio.h>
#include <string.h>

#include "figures.h"

long http_metric_wrk_index(const char *name)
{
	size_t n = strlen(HTTP_METRIC_WRK_PREFIX);

	if (!name || strncmp(name, HTTP_METRIC_WRK_PREFIX, n))
		return -1;
	return bench_wrk_figure_find(name + n);
}

bool http_metric_valid(const char *name)
{
	return http_metric_wrk_index(name) >= 0 ||
	       (name && !strcmp(name, HTTP_METRIC_PER_REQUEST));
}

void http_metric_names(char *buf, size_t len)
{
	size_t i, at = 0;
	int n;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i <= bench_wrk_figure_count(); i++) {
		if (i < bench_wrk_figure_count())
			n = snprintf(buf + at, len - at, "%s" HTTP_METRIC_WRK_PREFIX
				     "%s", i ? ", " : "",
				     bench_wrk_figure_name(i));
		else
			n = snprintf(buf + at, len - at,
				     ", " HTTP_METRIC_PER_REQUEST);
		if (n < 0 || (size_t)n >= len - at)
			return;
		at += (size_t)n;
	}
}
