/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text exposition format (version 0.0.4) read back, as a
 * guest's /metrics serves it: samples of name, labels, value. Comments
 * (# HELP, # TYPE) and timestamps are skipped. Enough for the bench to
 * add up a metric family over its labels before and after a run.
 * Writing the format is prom.h's.
 *
 *	struct prom_scrape t;
 *	if (prom_scrape_parse(body, len, &t, why, sizeof(why)) == 0) {
 *		double drops;
 *		if (prom_scrape_sum(&t, "uk_netdev_drops_total", NULL, &drops) > 0)
 *			...
 *		prom_scrape_free(&t);
 *	}
 */
#ifndef UNITUNE_PROM_SCRAPE_H
#define UNITUNE_PROM_SCRAPE_H

#include <stdbool.h>
#include <stddef.h>

struct prom_scrape_label {
	char *name, *value;
};

struct prom_scrape_sample {
	char *name;
	struct prom_scrape_label *labels;
	size_t nlabels;
	double value;		/* NaN and +-Inf allowed */
};

struct prom_scrape {
	struct prom_scrape_sample *s;
	size_t n, cap;
};

/*
 * Parse text[0..len) into *t (which the call initialises). 0, -ENOMEM,
 * or -EINVAL with why naming the first bad line ("line 7: ...").
 */
int prom_scrape_parse(const char *text, size_t len, struct prom_scrape *t,
		      char *why, size_t why_len);

void prom_scrape_free(struct prom_scrape *t);

/* A label condition: the sample has label name equal to value (equal
 * true) or not equal to it, a missing label counting as "" (equal
 * false). */
struct prom_match {
	const char *name, *value;
	bool equal;
};

/*
 * Add up the values of every sample named name that meets match (NULL:
 * any) into *sum. Returns how many samples matched (0: the family is
 * absent, *sum 0).
 */
size_t prom_scrape_sum(const struct prom_scrape *t, const char *name,
		       const struct prom_match *match, double *sum);

#endif
