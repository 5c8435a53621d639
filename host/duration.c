/* SPDX-License-Identifier: BSD-3-Clause */
#include "duration.h"

#include <errno.h>

#include "count.h"

#define NS_PER_S 1000000000LL

int duration_parse_ns(const char *s, int64_t *ns)
{
	const char *p;
	int64_t sec, frac = 0, scale = NS_PER_S;
	uint64_t whole;
	size_t n;
	int err = count_scan(s, SIZE_MAX, INT64_MAX / NS_PER_S, &whole, &n);

	if (err)
		return err;
	sec = (int64_t)whole;
	p = s + n;
	if (*p == '.') {
		p++;
		/* "1." has no fraction digits: a typo more likely than intent. */
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
		}
	}
	if (*p)
		return -EINVAL;
	if (sec * NS_PER_S > INT64_MAX - frac)
		return -ERANGE;
	*ns = sec * NS_PER_S + frac;
	return 0;
}
