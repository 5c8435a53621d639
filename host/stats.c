/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Median, range, bootstrap interval and spread of repeated measurements
 * (host/stats.h).
 */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *x, size_t n)
{
	if (n > 1)
		qsort(x, n, sizeof(*x), cmp_double);
}

double stats_quantile_sorted(const double *x, size_t n, double p)
{
	double pos = p * (double)(n - 1);
	size_t i = (size_t)pos;

	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + (pos - (double)i) * (x[i + 1] - x[i]);
}

/*
 * The 95% percentile interval of the median over STATS_BOOTSTRAP_RESAMPLES
 * resamples (with replacement) of sorted[0..n-1]. The samples are sorted
 * first and the seed is fixed, so the interval depends on the values only.
 */
static int bootstrap_median(const double *sorted, size_t n, double *lo,
			    double *hi)
{
	double *medians = malloc(STATS_BOOTSTRAP_RESAMPLES * sizeof(*medians));
	double *draw = malloc(n * sizeof(*draw));
	uint64_t state = STATS_BOOTSTRAP_SEED;
	size_t b, i;

	if (!medians || !draw) {
		free(medians);
		free(draw);
		return -ENOMEM;
	}
	for (b = 0; b < STATS_BOOTSTRAP_RESAMPLES; b++) {
		for (i = 0; i < n; i++)
			draw[i] = sorted[rng_below(&state, n)];
		stats_sort(draw, n);
		medians[b] = stats_quantile_sorted(draw, n, 0.5);
	}
	stats_sort(medians, STATS_BOOTSTRAP_RESAMPLES);
	*lo = stats_quantile_sorted(medians, STATS_BOOTSTRAP_RESAMPLES, 0.025);
	*hi = stats_quantile_sorted(medians, STATS_BOOTSTRAP_RESAMPLES, 0.975);
	free(medians);
	free(draw);
	return 0;
}

static double spread_of(double min, double max, double median)
{
	if (max == min)
		return 0;
	if (median == 0)
		return NAN;
	return (max - min) / fabs(median);
}

int stats_summarize(const double *x, size_t n, struct stats_summary *out)
{
	double *sorted, sum = 0, sq = 0;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, x, n * sizeof(*sorted));
	stats_sort(sorted, n);
	for (i = 0; i < n; i++)
		sum += sorted[i];
	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (sorted[i] - out->mean) * (sorted[i] - out->mean);
	out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	out->median = stats_quantile_sorted(sorted, n, 0.5);
	out->spread = spread_of(out->min, out->max, out->median);
	out->unstable = !isnan(out->spread) &&
			out->spread > STATS_UNSTABLE_SPREAD;
	err = bootstrap_median(sorted, n, &out->ci_low, &out->ci_high);
	free(sorted);
	return err;
}

static double median_of(double *scratch, size_t n)
{
	stats_sort(scratch, n);
	return stats_quantile_sorted(scratch, n, 0.5);
}

int stats_paired_ratio(const double *a, const double *b, size_t n,
		       struct stats_ratio *out)
{
	double *ratios = NULL, *da = NULL, *db = NULL, ma, mb;
	uint64_t state = STATS_BOOTSTRAP_SEED;
	size_t r, i, k;
	int err = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isfinite(a[i]) || !isfinite(b[i]))
			return -EINVAL;
	ratios = malloc(STATS_BOOTSTRAP_RESAMPLES * sizeof(*ratios));
	da = malloc(n * sizeof(*da));
	db = malloc(n * sizeof(*db));
	if (!ratios || !da || !db)
		goto out;
	memcpy(da, a, n * sizeof(*da));
	memcpy(db, b, n * sizeof(*db));
	ma = median_of(da, n);
	mb = median_of(db, n);
	err = -EDOM;
	if (mb == 0)
		goto out;
	out->n = n;
	out->ratio = ma / mb;
	/* Rounds drawn in the order given: the pairs must stay pairs, so
	 * the interval depends on the order of the rounds, not of a side. */
	for (r = 0; r < STATS_BOOTSTRAP_RESAMPLES; r++) {
		for (i = 0; i < n; i++) {
			k = (size_t)rng_below(&state, n);
			da[i] = a[k];
			db[i] = b[k];
		}
		mb = median_of(db, n);
		if (mb == 0)
			goto out;
		ratios[r] = median_of(da, n) / mb;
	}
	stats_sort(ratios, STATS_BOOTSTRAP_RESAMPLES);
	out->ci_low = stats_quantile_sorted(ratios, STATS_BOOTSTRAP_RESAMPLES,
					    0.025);
	out->ci_high = stats_quantile_sorted(ratios, STATS_BOOTSTRAP_RESAMPLES,
					     0.975);
	err = 0;
out:
	if (err)
		memset(out, 0, sizeof(*out));
	free(ratios);
	free(da);
	free(db);
	return err;
}
