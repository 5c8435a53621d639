/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prometheus text exposition format 0.0.4, written into a fixed buffer:
 * each family is "# HELP", "# TYPE", then its samples, every line ending
 * in '\n'. Label sets are passed already formatted (handler="page"); the
 * callers' label values are constants that need no escaping. The host
 * writes the same format with checks and escaping (host/prom.c); the
 * two cannot share code (this one is built into the image and never
 * allocates), so keep their layout alike: HELP, TYPE, samples, '\n'
 * after each line.
 */
#ifndef HTTPD_PROM_H
#define HTTPD_PROM_H

#include <stdint.h>

#include "textbuf.h"

/* type: "counter", "gauge", "histogram". */
void prom_family(struct textbuf *o, const char *name, const char *type,
		 const char *help);
/* name{labels} value; labels may be NULL. */
void prom_sample(struct textbuf *o, const char *name, const char *labels,
		 uint64_t value);
/* A family with one sample and no labels. */
void prom_metric(struct textbuf *o, const char *name, const char *type,
		 const char *help, uint64_t value);
/* A histogram with buckets of upper bounds 2^lo .. 2^(lo + n - 2) and
 * +Inf: counts[i] is the number of observations in bucket i alone (the
 * text is cumulative). */
void prom_histogram_pow2(struct textbuf *o, const char *name, const char *help,
			 const uint64_t *counts, unsigned n, unsigned lo,
			 uint64_t sum);

#endif
