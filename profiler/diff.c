/* SPDX-License-Identifier: BSD-3-Clause */
#include "diff.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct side {
	const struct prof_func *f;
	size_t index;	/* in its profile */
	int which;	/* 0: a, 1: b */
};

/* Per row and side: the function's self and total in each half. */
struct halves_acc {
	uint64_t self[2][2], total[2][2];	/* [side][half] */
};

static int cmp_side(const void *x, const void *y)
{
	const struct side *a = x, *b = y;
	int c = strcmp(a->f->name, b->f->name);

	return c ? c : a->which - b->which;
}

static double magnitude(const struct diff_row *r)
{
	return fmax(fabs(r->delta), fabs(r->tdelta));
}

static int cmp_row(const void *x, const void *y)
{
	const struct diff_row *a = x, *b = y;
	double da = magnitude(a), db = magnitude(b);

	if (a->within_noise != b->within_noise)
		return a->within_noise ? 1 : -1;
	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(a->name, b->name);
}

static double share(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0.0;
}

/* One side's standard deviation of a share, in points (diff.h). */
static double deviation(uint64_t x, uint64_t n, const uint64_t half[2],
			const struct prof_halves *h)
{
	double p, binomial, drift;

	if (!h || !n)
		return 0;
	p = (double)x / (double)n;
	binomial = 100.0 * sqrt(p * (1 - p) / (double)n);
	drift = fabs(share(half[0], h->samples[0]) -
		     share(half[1], h->samples[1])) / 2;
	return fmax(binomial, drift);
}

static double noise(double sa, double sb)
{
	return 2 * sqrt(sa * sa + sb * sb);
}

/* Fill the shares, deltas and noise of a row from its counts. */
static void finish_row(struct diff_row *r, const struct halves_acc *acc,
		       const struct diff_input *a, const struct diff_input *b)
{
	uint64_t sa = profile_samples(a->prof), sb = profile_samples(b->prof);

	r->share_a = share(r->self_a, sa);
	r->share_b = share(r->self_b, sb);
	r->delta = r->share_b - r->share_a;
	r->tshare_a = share(r->total_a, sa);
	r->tshare_b = share(r->total_b, sb);
	r->tdelta = r->tshare_b - r->tshare_a;
	if (!a->halves && !b->halves)
		return;
	r->noise = noise(deviation(r->self_a, sa, acc->self[0], a->halves),
			 deviation(r->self_b, sb, acc->self[1], b->halves));
	r->tnoise = noise(deviation(r->total_a, sa, acc->total[0], a->halves),
			  deviation(r->total_b, sb, acc->total[1], b->halves));
	r->within_noise = fabs(r->delta) <= r->noise &&
			  fabs(r->tdelta) <= r->tnoise;
}

static void add_side(struct diff_row *row, struct halves_acc *acc,
		     const struct side *s, const struct diff_input *in)
{
	const struct prof_halves *h = in->halves;
	int k;

	if (s->which) {
		row->self_b += s->f->self;
		row->total_b += s->f->total;
	} else {
		row->self_a += s->f->self;
		row->total_a += s->f->total;
	}
	for (k = 0; h && k < 2; k++) {
		acc->self[s->which][k] += h->self[k][s->index];
		acc->total[s->which][k] += h->total[k][s->index];
	}
}

int diff_profiles(const struct diff_input *a, const struct diff_input *b,
		  struct diff_row **rows, size_t *n)
{
	size_t na = profile_nfuncs(a->prof), nb = profile_nfuncs(b->prof);
	struct side *v = calloc(na + nb + 1, sizeof(*v));
	struct diff_row *r = calloc(na + nb + 1, sizeof(*r));
	struct halves_acc *acc = calloc(na + nb + 1, sizeof(*acc));
	size_t i, k = 0;

	*rows = NULL;
	*n = 0;
	if (!v || !r || !acc) {
		free(v);
		free(r);
		free(acc);
		return -ENOMEM;
	}
	for (i = 0; i < na; i++)
		v[i] = (struct side){ profile_func(a->prof, i), i, 0 };
	for (i = 0; i < nb; i++)
		v[na + i] = (struct side){ profile_func(b->prof, i), i, 1 };
	/* Sorted by name, a before b: a name's entries are adjacent. */
	qsort(v, na + nb, sizeof(*v), cmp_side);
	for (i = 0; i < na + nb; i++) {
		if (!i || strcmp(v[i].f->name, v[i - 1].f->name))
			k++;
		r[k - 1].name = v[i].f->name;
		add_side(&r[k - 1], &acc[k - 1], &v[i], v[i].which ? b : a);
	}
	for (i = 0; i < k; i++)
		finish_row(&r[i], &acc[i], a, b);
	qsort(r, k, sizeof(*r), cmp_row);
	free(v);
	free(acc);
	*rows = r;
	*n = k;
	return 0;
}

/* "+1.23" or, with a noise estimate, "+1.23±0.45". */
static void change(char *buf, size_t len, double delta, double noise,
		   bool exact)
{
	if (exact)
		snprintf(buf, len, "%+.2f", delta);
	else
		snprintf(buf, len, "%+.2f\u00b1%.2f", delta, noise);
}

void diff_print(FILE *out, const struct diff_row *rows, size_t n,
		size_t limit, double min_delta, uint64_t samples_a,
		uint64_t samples_b, bool exact)
{
	size_t i, shown = 0, hidden = 0, noisy = 0;
	/* Bytes: '\u00b1' takes two but shows as one column. */
	int w = exact ? 8 : 15, hw = exact ? 8 : 14;
	char d[48], td[48];

	fprintf(out, "A: %llu samples, B: %llu samples; shares in percent, "
		"changes B - A in percentage points\n",
		(unsigned long long)samples_a, (unsigned long long)samples_b);
	if (exact)
		fprintf(out, "both traces are deterministic: every change is "
			"exact (no noise to estimate)\n");
	else
		fprintf(out, "\u00b1: noise (2 sigma, from sampling and from "
			"the difference between each wall-clock trace's two "
			"halves); '~' marks a change within noise\n");
	fprintf(out, "%8s %8s %*s  %8s %8s %*s  %s\n", "self A", "self B",
		hw, "change", "total A", "total B", hw, "change", "function");
	for (i = 0; i < n; i++) {
		const struct diff_row *r = &rows[i];

		if ((fabs(r->delta) < min_delta &&
		     fabs(r->tdelta) < min_delta) ||
		    (r->delta == 0 && r->tdelta == 0) ||
		    (limit && shown >= limit)) {
			hidden++;
			continue;
		}
		change(d, sizeof(d), r->delta, r->noise, exact);
		change(td, sizeof(td), r->tdelta, r->tnoise, exact);
		fprintf(out, "%7.2f%% %7.2f%% %*s  %7.2f%% %7.2f%% %*s  "
			"%s%s\n", r->share_a, r->share_b, w, d, r->tshare_a,
			r->tshare_b, w, td, r->within_noise ? "~ " : "",
			r->name);
		shown++;
		noisy += r->within_noise;
	}
	if (!shown)
		fprintf(out, "no function's self or total share changed by "
			"%.2f points or more\n", min_delta);
	if (noisy)
		fprintf(out, "%zu of these changes are within noise (~): they "
			"may be chance\n", noisy);
	if (hidden)
		fprintf(out, "(%zu functions changed less or not at all%s)\n",
			hidden, limit ? ", or are past --limit" : "");
}
