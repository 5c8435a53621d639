/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Measured results as Prometheus metrics, and their push: the metric
 * names every Unitune job shares (`unitune tune --push`, job
 * unitune_tune; `unitune bench --push`, job unitune_bench), written in
 * one place so a dashboard reads both the same way (docs/prometheus.md).
 *
 * One result set is one group on the Pushgateway (one variant of a sweep,
 * one benchmarked image). Its text:
 *
 *	unitune_result_mean{metric="M",unit="U"}      mean over repetitions
 *	unitune_result_min{metric="M",unit="U"}       smallest repetition
 *	unitune_result_max{metric="M",unit="U"}       largest repetition
 *	unitune_result_stddev{metric="M",unit="U"}    sample standard deviation
 *	unitune_result_median{metric="M",unit="U"}    median over repetitions
 *	unitune_result_repetitions{metric="M"}        how many there were
 *	unitune_status{status="S"} 1                  the outcome (done, crashed...)
 *	unitune_rank 1                                1 = best; only when ranked
 *
 * M is the tool's own metric name as the store and the space file spell
 * it ("boot_cycles", "alloc.small.cycles_per_op"), kept in a label so any
 * name is valid Prometheus and two names never collide; U its unit ("" for
 * a count). A result with no repetition (n == 0) is left out.
 *
 * Usage (a benchmark's push):
 *	struct prom_result r[] = {
 *		{ "requests_per_s", "1/s", 41000, 40100, 41800, 650, 5, 40900 },
 *	};
 *	struct prom_result_set set = { .status = "done", .results = r,
 *				       .n = 1 };
 *	struct prom_label group[] = { { "commit", c }, { "config_hash", h } };
 *	push_open(&p, url, why, len);
 *	prom_results_push(p, "unitune_bench", group, 2, &set, why, len);
 *	push_close(p);
 */
#ifndef UNITUNE_PROM_RESULTS_H
#define UNITUNE_PROM_RESULTS_H

#include <stddef.h>

#include "prom.h"
#include "push.h"
#include "strbuf.h"

struct prom_result {
	const char *metric;
	const char *unit;   /* "" or NULL for a plain count */
	double mean, min, max;
	double stddev;	    /* sample (n - 1); 0 when n < 2 */
	unsigned n;	    /* repetitions; 0: not measured, left out */
	double median;	    /* what `show`, `best` and the bench table rank
			     * and print */
};

struct prom_result_set {
	const char *status;	/* NULL: no unitune_status */
	unsigned rank;		/* 1-based; 0: not ranked, no unitune_rank */
	const struct prom_result *results;
	size_t n;
};

/* Append s as Prometheus text. 0, -EINVAL (a result without a metric
 * name, a name that is not UTF-8: why says which) or -ENOMEM. */
int prom_results_write(struct strbuf *out, const struct prom_result_set *s,
		       char *why, size_t why_len);

/* prom_results_write(), then push_put() of it as the group job + group.
 * push_put()'s errors. */
int prom_results_push(struct push *p, const char *job,
		      const struct prom_label *group, size_t n_group,
		      const struct prom_result_set *s, char *why,
		      size_t why_len);

#endif
