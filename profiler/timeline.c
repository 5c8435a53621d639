/* SPDX-License-Identifier: BSD-3-Clause */
#include "timeline.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gnuplot.h"

/* One point in time per record, in a series: 0 = samples, 1 + i = the
 * trace point with descriptor index i. */
struct point {
	uint64_t tsc;
	uint32_t series;
};

struct timeline {
	const struct stream_info *info;
	struct point *pts;
	size_t n, cap;
	uint64_t min, max;
};

struct timeline *timeline_new(const struct stream_info *info)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (tl)
		tl->info = info;
	return tl;
}

int timeline_add(struct timeline *tl, const struct stream_rec *rec)
{
	struct point *np;
	uint32_t series;
	size_t cap;

	if (rec->type == UT_REC_SAMPLE)
		series = 0;
	else if (rec->type == UT_REC_EVENT && rec->u.event.tp)
		series = 1 + (uint32_t)(rec->u.event.tp - tl->info->tps);
	else
		return 0;
	if (tl->n == tl->cap) {
		cap = tl->cap ? tl->cap * 2 : 1024;
		np = realloc(tl->pts, cap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		tl->pts = np;
		tl->cap = cap;
	}
	if (!tl->n || rec->tsc < tl->min)
		tl->min = rec->tsc;
	if (!tl->n || rec->tsc > tl->max)
		tl->max = rec->tsc;
	tl->pts[tl->n].tsc = rec->tsc;
	tl->pts[tl->n].series = series;
	tl->n++;
	return 0;
}

static uint64_t origin(const struct timeline *tl)
{
	uint64_t boot = tl->info->tsc_boot;

	return boot && boot <= tl->min ? boot : tl->min;
}

/* Seconds-or-cycles per unit of the time axis. */
static double unit_scale(const struct timeline *tl, const char **unit)
{
	if (tl->info->tsc_hz) {
		*unit = "ms";
		return (double)tl->info->tsc_hz / 1e3;
	}
	*unit = "Mcycles";
	return 1e6;
}

int timeline_write_data(const struct timeline *tl, FILE *out, unsigned bins)
{
	uint32_t nseries = 1 + tl->info->ntp, s;
	uint64_t *counts = NULL, *totals = NULL, t0, span;
	const char *unit;
	double scale, width;
	unsigned b;
	size_t i;
	int err = 0;

	if (!tl->n)
		return -ENODATA;
	if (!bins)
		bins = TIMELINE_BINS_DEFAULT;
	counts = calloc((size_t)bins * nseries, sizeof(*counts));
	totals = calloc(nseries, sizeof(*totals));
	if (!counts || !totals) {
		err = -ENOMEM;
		goto out;
	}
	t0 = origin(tl);
	span = tl->max - t0 + 1;
	for (i = 0; i < tl->n; i++) {
		/* 128-bit product: span may be close to 2^64. */
		b = (unsigned)((unsigned __int128)(tl->pts[i].tsc - t0) * bins /
			       span);
		counts[(size_t)b * nseries + tl->pts[i].series]++;
		totals[tl->pts[i].series]++;
	}
	scale = unit_scale(tl, &unit);
	width = (double)span / bins / scale;
	fprintf(out, "# time(%s) samples", unit);
	for (s = 1; s < nseries; s++)
		if (totals[s])
			fprintf(out, " %s", tl->info->tps[s - 1].name);
	fprintf(out, "\n");
	for (b = 0; b < bins; b++) {
		/* Each bin is plotted at its start; steps draw it flat. */
		fprintf(out, "%.6f", (double)b * width);
		for (s = 0; s < nseries; s++)
			if (!s || totals[s])
				fprintf(out, " %llu", (unsigned long long)
						counts[(size_t)b * nseries + s]);
		fprintf(out, "\n");
	}
out:
	free(counts);
	free(totals);
	return err;
}

/* gnuplot single-quoted string: only ' is special, doubled. */
static int write_script(const struct timeline *tl, FILE *f,
			const char *data, const char *png, const char *title)
{
	uint32_t s, col = 3, nev = 0;
	bool samples = false;
	const char *unit;
	size_t i;
	uint64_t *fired = calloc(tl->info->ntp + 1, sizeof(*fired));

	if (!fired)
		return -ENOMEM;
	for (i = 0; i < tl->n; i++)
		fired[tl->pts[i].series]++;
	samples = fired[0] > 0;
	for (s = 1; s <= tl->info->ntp; s++)
		nev += fired[s] ? 1 : 0;
	unit_scale(tl, &unit);
	fprintf(f,
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"  set terminal pngcairo size 1200,%d noenhanced font ',9'\n"
		"} else {\n"
		"  set terminal png size 1200,%d noenhanced\n"
		"}\n"
		"set output ",
		samples && nev ? 800 : 450, samples && nev ? 800 : 450);
	gnuplot_quote(f, png);
	/* Fixed margins, so both panels share one time axis. */
	fprintf(f, "\nset datafile commentschars '#'\nset grid\n"
		   "set key outside right top\nset lmargin 10\n"
		   "set rmargin at screen 0.84\n");
	fprintf(f, "set multiplot layout %d,1 title ", samples && nev ? 2 : 1);
	gnuplot_quote(f, title);
	fprintf(f, "\nset xlabel 'time since boot (%s)'\n", unit);
	if (samples) {
		fprintf(f, "set ylabel 'samples per bin'\nplot ");
		gnuplot_quote(f, data);
		fprintf(f, " using 1:2 with steps lw 1.5 title 'samples'\n");
	}
	if (nev) {
		fprintf(f, "set ylabel 'events per bin'\nplot ");
		for (s = 1; s <= tl->info->ntp; s++) {
			if (!fired[s])
				continue;
			if (col > 3)
				fprintf(f, ", \\\n     ");
			gnuplot_quote(f, data);
			/* Names are [A-Za-z0-9_.-] (the decoder checks). */
			fprintf(f, " using 1:%u with steps title '%s'", col,
				tl->info->tps[s - 1].name);
			col++;
		}
		fprintf(f, "\n");
	}
	fprintf(f, "unset multiplot\n");
	free(fired);
	return 0;
}

int timeline_render(const struct timeline *tl, const char *png_path,
		    const char *title, unsigned bins, char *why,
		    size_t why_len)
{
	char dir[PATH_MAX], data[PATH_MAX + 16], script[PATH_MAX + 16];
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	bool made = false;
	int e = 0;

	if (!tl->n) {
		snprintf(why, why_len, "nothing to plot: no samples or events");
		return -ENODATA;
	}
	snprintf(dir, sizeof(dir), "%s/unitune-timeline.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		e = -errno;
		snprintf(why, why_len, "cannot make a temporary directory: %s",
			 strerror(-e));
		goto out;
	}
	made = true;
	snprintf(data, sizeof(data), "%s/timeline.dat", dir);
	snprintf(script, sizeof(script), "%s/timeline.gp", dir);
	f = fopen(data, "w");
	if (f) {
		e = timeline_write_data(tl, f, bins);
		if (fclose(f) && !e)
			e = -EIO;
	} else {
		e = -errno;
	}
	f = e ? NULL : fopen(script, "w");
	if (f && !e) {
		e = write_script(tl, f, data, png_path, title);
		if (fclose(f) && !e)
			e = -EIO;
	} else if (!e) {
		e = -errno;
	}
	if (e) {
		snprintf(why, why_len, "cannot write the plot files in %s: %s",
			 dir, strerror(-e));
		goto out;
	}
	e = gnuplot_run(script, NULL, why, why_len);
out:
	if (made) {
		unlink(data);
		unlink(script);
		rmdir(dir);
	}
	return e;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	free(tl->pts);
	free(tl);
}
