/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A bench's figures pushed to a Pushgateway (bench/bench_push.h).
 */
#include "bench_push.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "prom_results.h"
#include "push.h"

int bench_push(const char *url, const struct bench_report *b, char *why,
	       size_t why_len)
{
	const struct bench_summary *s = b->summary;
	const struct prom_label group[] = {
		{ "commit", b->env && b->env->git_commit[0] ?
				    b->env->git_commit : "unknown" },
		{ "config_hash", b->config_hash ? b->config_hash : "unknown" },
	};
	struct prom_result_set set = {
		.status = s->unstable ? "unstable" : "done",
	};
	struct prom_result *r;
	struct push *p = NULL;
	size_t i;
	int err;

	r = calloc(s->n + 1, sizeof(*r));
	if (!r) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < s->n; i++) {
		const struct bench_figure *f = &s->f[i];

		r[i] = (struct prom_result){
			.metric = f->name, .unit = f->unit, .mean = f->s.mean,
			.min = f->s.min, .max = f->s.max,
			.stddev = f->s.stddev, .n = (unsigned)f->n,
			.median = f->s.median,
		};
	}
	/* One boot, one spawn-to-200 time; a baseline's sides have one a
	 * round among their figures already. */
	if (!bench_summary_find(s, "first_200_ms"))
		r[i++] = (struct prom_result){
			.metric = "first_200_ms", .unit = "ms",
			.mean = b->result->first_200_ms,
			.min = b->result->first_200_ms,
			.max = b->result->first_200_ms,
			.median = b->result->first_200_ms, .n = 1,
		};
	set.results = r;
	set.n = i;
	err = push_open(&p, url, why, why_len);
	if (!err)
		err = prom_results_push(p, BENCH_PUSH_JOB, group, 2, &set, why,
					why_len);
	push_close(p);
	free(r);
	return err;
}
