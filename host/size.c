/* SPDX-License-Identifier: BSD-3-Clause */
#include "size.h"

#include <errno.h>

#include "count.h"

int size_parse(const char *s, uint64_t unit, uint64_t *bytes)
{
	uint64_t v;
	size_t n;
	const char *p;
	int err = count_scan(s, SIZE_MAX, UINT64_MAX, &v, &n);

	if (err)
		return err;
	p = s + n;
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		unit = 1ULL << 10;
		p++;
		break;
	case 'm':
	case 'M':
		unit = 1ULL << 20;
		p++;
		break;
	case 'g':
	case 'G':
		unit = 1ULL << 30;
		p++;
		break;
	case 't':
	case 'T':
		unit = 1ULL << 40;
		p++;
		break;
	default:
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	if (unit && v > UINT64_MAX / unit)
		return -ERANGE;
	*bytes = v * unit;
	return 0;
}

int size_parse_mem_kib(const char *s, uint64_t *kib)
{
	uint64_t bytes, k;
	int err = size_parse(s, 1ULL << 20, &bytes);

	if (err)
		return err;
	if (bytes == 0)
		return -EINVAL;
	k = bytes / 1024 + (bytes % 1024 != 0);
	if (k > UNITUNE_MEM_MAX_KIB)
		return -ERANGE;
	*kib = k;
	return 0;
}
