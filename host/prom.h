/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text exposition format, version 0.0.4, written into a
 * struct strbuf: what the host pushes to a Pushgateway (host/push.h). The
 * guest's httpd writes the same format for its /metrics with its own
 * freestanding writer (unikernel/apps/httpd/prom.c); both print a family
 * as "# HELP", "# TYPE", then its samples, every line ending in '\n'.
 *
 * What the writer guarantees, so that what it wrote always parses:
 * - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
 *   [a-zA-Z_][a-zA-Z0-9_]* and do not begin with "__" (reserved);
 * - label values are valid UTF-8 with \ " and newline escaped as \\ \"
 *   \n; HELP text has \ and newline escaped;
 * - a family is declared once, before its samples, and every sample
 *   belongs to the family declared last (a histogram's or a summary's
 *   _bucket, _sum and _count too);
 * - values are the shortest decimal that reads back as the same double,
 *   or NaN, +Inf, -Inf.
 * Anything else is refused with -EINVAL and a message naming it; nothing
 * is appended then. -ENOMEM when the buffer cannot grow.
 *
 * Usage:
 *	struct prom p;
 *	prom_init(&p, &text);
 *	prom_family(&p, "unitune_result_mean", "gauge", "...", why, len);
 *	prom_sample(&p, "unitune_result_mean", labels, 2, 1000, why, len);
 *	prom_release(&p);	(text keeps what was written)
 */
#ifndef UNITUNE_PROM_H
#define UNITUNE_PROM_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Room for any value prom_format_value() writes, its NUL included. */
#define PROM_VALUE_MAX 32

/* The Content-Type of this format, as a Pushgateway or a scraper reads it. */
#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct prom_label {
	const char *name;
	const char *value;
};

struct prom {
	struct strbuf *out;
	struct strbuf families; /* names declared so far, each ending '\n' */
	size_t last;		/* offset in families of the last one */
	bool have_family;
	bool grouped;		/* the last is a histogram or a summary */
};

bool prom_metric_name_valid(const char *name);
/* Offset of the first byte of v that does not begin a valid UTF-8
 * sequence, -1 when v is valid UTF-8 (as every label value must be). */
long prom_utf8_invalid_at(const char *v);
bool prom_label_name_valid(const char *name);

/* v as a sample's value: "1000", "0.1", "1.5e-07", "NaN", "+Inf", "-Inf". */
void prom_format_value(double v, char buf[PROM_VALUE_MAX]);

/*
 * Append v, escaped for a label value (\\ \" \n), without the quotes.
 * -EINVAL (why says so) when v is not valid UTF-8.
 */
int prom_escape_label_value(struct strbuf *out, const char *v, char *why,
			    size_t why_len);

void prom_init(struct prom *p, struct strbuf *out);
void prom_release(struct prom *p);

/* "# HELP NAME HELP" and "# TYPE NAME TYPE"; type is counter, gauge,
 * histogram, summary or untyped; help may be "" (no HELP line then). */
int prom_family(struct prom *p, const char *name, const char *type,
		const char *help, char *why, size_t why_len);

/* NAME{L1="V1",...} VALUE; n may be 0 (no braces). */
int prom_sample(struct prom *p, const char *name,
		const struct prom_label *labels, size_t n, double value,
		char *why, size_t why_len);

#endif
