/* SPDX-License-Identifier: BSD-3-Clause */
#include "duration.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

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

int duration_parse_units_ns(const char *s, int64_t *ns)
{
	static const struct {
		const char *suffix;
		int64_t mul, div;
	} units[] = { { "ms", 1, 1000 }, { "s", 1, 1 }, { "m", 60, 1 },
		      { "h", 3600, 1 } };
	char num[64];
	size_t len, i, sl;
	int64_t v;
	int err;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		sl = strlen(units[i].suffix);
		if (len > sl && !strcmp(s + len - sl, units[i].suffix))
			break;
	}
	if (i == sizeof(units) / sizeof(units[0])) {
		return duration_parse_ns(s, ns);
	}
	if (len - sl >= sizeof(num))
		return -ERANGE;
	memcpy(num, s, len - sl);
	num[len - sl] = '\0';
	err = duration_parse_ns(num, &v);
	if (err)
		return err;
	if (v > INT64_MAX / units[i].mul)
		return -ERANGE;
	*ns = v * units[i].mul / units[i].div;
	return 0;
}
