/* SPDX-License-Identifier: BSD-3-Clause */
#include "csv.h"

#include <string.h>

#include "json.h"

void csv_init(struct csv *c, FILE *f)
{
	*c = (struct csv){ .f = f };
}

void csv_field(struct csv *c, const char *s)
{
	if (c->mid_record)
		fputc(',', c->f);
	c->mid_record = true;
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, c->f);
		return;
	}
	fputc('"', c->f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->f);
		fputc(*s, c->f);
	}
	fputc('"', c->f);
}

void csv_number(struct csv *c, double x)
{
	char buf[64];

	json_format_double(x, buf, sizeof(buf));
	csv_field(c, buf);
}

void csv_end_record(struct csv *c)
{
	fputs("\r\n", c->f);
	c->mid_record = false;
}
