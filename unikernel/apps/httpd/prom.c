/* SPDX-License-Identifier: BSD-3-Clause */
#include "prom.h"

#include <string.h>

static void put(struct prom *o, const char *s, size_t n)
{
	if (o->full || n > o->cap - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void put_str(struct prom *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_uint(struct prom *o, uint64_t v)
{
	char digits[20];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, digits + i, sizeof(digits) - i);
}

void prom_family(struct prom *o, const char *name, const char *type,
		 const char *help)
{
	put_str(o, "# HELP ");
	put_str(o, name);
	put_str(o, " ");
	put_str(o, help);
	put_str(o, "\n# TYPE ");
	put_str(o, name);
	put_str(o, " ");
	put_str(o, type);
	put_str(o, "\n");
}

static void sample(struct prom *o, const char *name, const char *suffix,
		   const char *labels, uint64_t value)
{
	put_str(o, name);
	put_str(o, suffix);
	if (labels) {
		put_str(o, "{");
		put_str(o, labels);
		put_str(o, "}");
	}
	put_str(o, " ");
	put_uint(o, value);
	put_str(o, "\n");
}

void prom_sample(struct prom *o, const char *name, const char *labels,
		 uint64_t value)
{
	sample(o, name, "", labels, value);
}

void prom_histogram_pow2(struct prom *o, const char *name, const char *help,
			 const uint64_t *counts, unsigned n, unsigned lo,
			 uint64_t sum)
{
	uint64_t cum = 0;
	char le[32];
	unsigned i;

	prom_family(o, name, "histogram", help);
	for (i = 0; i < n; i++) {
		struct prom l = { le, 0, sizeof(le) - 1, false };

		cum += counts[i];
		put_str(&l, "le=\"");
		if (i + 1 < n)
			put_uint(&l, (uint64_t)1 << (lo + i));
		else
			put_str(&l, "+Inf");
		put_str(&l, "\"");
		le[l.len] = '\0';
		sample(o, name, "_bucket", le, cum);
	}
	sample(o, name, "_sum", NULL, sum);
	sample(o, name, "_count", NULL, cum);
}
