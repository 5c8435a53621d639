/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writing CSV as RFC 4180 has it: fields separated by commas, records
 * ended by CRLF, and a field holding a comma, a double quote, CR or LF
 * enclosed in double quotes with each double quote doubled. Every other
 * field is written as is.
 */
#ifndef UNITUNE_CSV_H
#define UNITUNE_CSV_H

#include <stdbool.h>
#include <stdio.h>

struct csv {
	FILE *f;
	bool mid_record; /* a field was written in this record */
};

void csv_init(struct csv *c, FILE *f);
/* One field; NULL writes an empty one. */
void csv_field(struct csv *c, const char *s);
/* A number field, as json_format_double() spells it (the fewest digits
 * that read back exactly; empty for NaN). */
void csv_number(struct csv *c, double x);
void csv_end_record(struct csv *c);

#endif
