/* SPDX-License-Identifier: BSD-3-Clause */
#include "count.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : -1;
}

static int hex_digit(char c)
{
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return digit(c);
}

int count_scan(const char *s, size_t len, uint64_t max, uint64_t *out,
	       size_t *used)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (!s)
		return -EINVAL;
	for (i = 0; i < len && (d = digit(s[i])) >= 0; i++) {
		/* v * 10 + d > max, asked without overflowing. */
		if (v > max / 10 || v * 10 > max - (uint64_t)d)
			return -ERANGE;
		v = v * 10 + (uint64_t)d;
	}
	if (!i)
		return -EINVAL;
	*out = v;
	*used = i;
	return 0;
}

int count_parse_range(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;
	size_t n;
	int err = count_scan(s, SIZE_MAX, max, &v, &n);

	if (err)
		return err;
	if (s[n])
		return -EINVAL;
	*out = v;
	return 0;
}

int count_parse_signed(const char *s, int64_t *out)
{
	bool neg = s && *s == '-';
	uint64_t v;
	int err;

	err = count_parse_range(s + neg, neg ? (uint64_t)INT64_MAX + 1 :
				(uint64_t)INT64_MAX, &v);
	if (err)
		return err;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int count_scan_hex(const char *s, size_t len, uint64_t *out, size_t *used)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (!s)
		return -EINVAL;
	for (i = 0; i < len && (d = hex_digit(s[i])) >= 0; i++) {
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | (uint64_t)d;
	}
	if (!i)
		return -EINVAL;
	*out = v;
	*used = i;
	return 0;
}

int count_parse_hex(const char *s, uint64_t *out)
{
	uint64_t v;
	size_t n;
	int err = count_scan_hex(s, SIZE_MAX, &v, &n);

	if (err)
		return err;
	if (s[n])
		return -EINVAL;
	*out = v;
	return 0;
}

int count_parse(const char *s, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (count_parse_range(s, max, &v))
		return -EINVAL;
	*out = (unsigned long)v;
	return 0;
}

int count_parse_real(const char *s, size_t len, double *out)
{
	char buf[COUNT_REAL_MAX + 1], *end;
	double v;

	/* strtod() wants a terminated string and skips white space. */
	if (!s || !len || len > COUNT_REAL_MAX || isspace((unsigned char)*s))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	v = strtod(buf, &end);
	if (*end || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}
