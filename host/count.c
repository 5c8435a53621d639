/* SPDX-License-Identifier: BSD-3-Clause */
#include "count.h"

#include <errno.h>
#include <stdlib.h>

int count_parse(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	/* strtoul would take a sign or leading spaces: a count has neither. */
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -EINVAL;
	return 0;
}
