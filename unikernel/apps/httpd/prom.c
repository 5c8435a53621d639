/* SPDX-License-Identifier: BSD-3-Clause */
#include "prom.h"

void prom_family(struct textbuf *o, const char *name, const char *type,
		 const char *help)
{
	tb_str(o, "# HELP ");
	tb_str(o, name);
	tb_str(o, " ");
	tb_str(o, help);
	tb_str(o, "\n# TYPE ");
	tb_str(o, name);
	tb_str(o, " ");
	tb_str(o, type);
	tb_str(o, "\n");
}

static void sample(struct textbuf *o, const char *name, const char *suffix,
		   const char *labels, uint64_t value)
{
	tb_str(o, name);
	tb_str(o, suffix);
	if (labels) {
		tb_str(o, "{");
		tb_str(o, labels);
		tb_str(o, "}");
	}
	tb_str(o, " ");
	tb_uint(o, value);
	tb_str(o, "\n");
}

void prom_sample(struct textbuf *o, const char *name, const char *labels,
		 uint64_t value)
{
	sample(o, name, "", labels, value);
}

void prom_metric(struct textbuf *o, const char *name, const char *type,
		 const char *help, uint64_t value)
{
	prom_family(o, name, type, help);
	prom_sample(o, name, NULL, value);
}

void prom_histogram_pow2(struct textbuf *o, const char *name, const char *help,
			 const uint64_t *counts, unsigned n, unsigned lo,
			 uint64_t sum)
{
	uint64_t cum = 0;
	char le[32];
	unsigned i;

	prom_family(o, name, "histogram", help);
	for (i = 0; i < n; i++) {
		struct textbuf l = { le, 0, sizeof(le) - 1, false };

		cum += counts[i];
		tb_str(&l, "le=\"");
		if (i + 1 < n)
			tb_uint(&l, (uint64_t)1 << (lo + i));
		else
			tb_str(&l, "+Inf");
		tb_str(&l, "\"");
		le[l.len] = '\0';
		sample(o, name, "_bucket", le, cum);
	}
	sample(o, name, "_sum", NULL, sum);
	sample(o, name, "_count", NULL, cum);
}
