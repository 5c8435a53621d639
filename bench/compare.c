/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ratio column of a bench against its Linux baseline
 * (bench/compare.h).
 */
#include "compare.h"

#include <errno.h>
#include <string.h>

#include "bench_report.h"

static const char *const compared[] = {
	"requests_per_s", "latency_p50_us", "latency_p99_us", "first_200_ms",
	"min_mem_kib",
};

/* The memory's interval: each side's answer a lies in (a - res, a]. */
static void memory_ratio(double uk, double lx, double res,
			 struct stats_ratio *r)
{
	r->n = 1;
	r->ratio = uk / lx;
	r->ci_low = (uk > res ? uk - res : 0) / lx;
	r->ci_high = lx > res ? uk / (lx - res) : uk / lx;
}

int bench_compare_make(const struct bench_summary *uk,
		       const struct bench_summary *lx,
		       uint64_t mem_resolution_kib, struct bench_compare *out)
{
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < BENCH_COMPARE_ROWS; i++) {
		const struct bench_figure *a = bench_summary_find(uk,
								  compared[i]);
		const struct bench_figure *b = bench_summary_find(lx,
								  compared[i]);
		struct bench_compare_row *row;

		if (!a || !b)
			continue;
		row = &out->row[out->n++];
		row->name = a->name;
		row->label = a->label;
		row->unit = a->unit;
		row->uk = a->s.median;
		row->linux_ = b->s.median;
		if (!strcmp(a->name, "min_mem_kib")) {
			row->ok = b->s.median > 0;
			if (row->ok)
				memory_ratio(a->s.median, b->s.median,
					     (double)mem_resolution_kib,
					     &row->r);
			continue;
		}
		/* Both sides ran the same rounds: pair them. */
		err = stats_paired_ratio(a->samples, b->samples,
					 a->n < b->n ? a->n : b->n, &row->r);
		if (err == -ENOMEM)
			return err;
		row->ok = !err;
	}
	return 0;
}

void bench_compare_table(FILE *f, const struct bench_compare *c)
{
	size_t i;

	fprintf(f, "%-30s %12s %12s %9s  %s\n", "figure (unit)",
		"unikernel", "linux", "ratio", "95% CI of the ratio");
	for (i = 0; i < c->n; i++) {
		const struct bench_compare_row *row = &c->row[i];
		char label[64], uk[32], lx[32];

		snprintf(label, sizeof(label), "%s (%s)", row->label,
			 row->unit);
		bench_report_fmt(uk, sizeof(uk), row->uk, row->unit);
		bench_report_fmt(lx, sizeof(lx), row->linux_, row->unit);
		fprintf(f, "%-30s %12s %12s ", label, uk, lx);
		if (row->ok)
			fprintf(f, "%8.2fx  %.2f .. %.2f\n", row->r.ratio,
				row->r.ci_low, row->r.ci_high);
		else
			fprintf(f, "%9s  -\n", "-");
	}
}
