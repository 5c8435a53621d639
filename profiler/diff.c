/* SPDX-License-Identifier: BSD-3-Clause */
#include "diff.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct side {
	const struct prof_func *f;
	int which;	/* 0: a, 1: b */
};

static int cmp_side(const void *x, const void *y)
{
	const struct side *a = x, *b = y;
	int c = strcmp(a->f->name, b->f->name);

	return c ? c : a->which - b->which;
}

static int cmp_row(const void *x, const void *y)
{
	const struct diff_row *a = x, *b = y;
	double da = fabs(a->delta), db = fabs(b->delta);

	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(a->name, b->name);
}

static double share(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0.0;
}

int diff_profiles(const struct profile *a, const struct profile *b,
		  struct diff_row **rows, size_t *n)
{
	size_t na = profile_nfuncs(a), nb = profile_nfuncs(b), i, k = 0;
	uint64_t sa = profile_samples(a), sb = profile_samples(b);
	struct side *v = calloc(na + nb + 1, sizeof(*v));
	struct diff_row *r = calloc(na + nb + 1, sizeof(*r));

	*rows = NULL;
	*n = 0;
	if (!v || !r) {
		free(v);
		free(r);
		return -ENOMEM;
	}
	for (i = 0; i < na; i++)
		v[i] = (struct side){ profile_func(a, i), 0 };
	for (i = 0; i < nb; i++)
		v[na + i] = (struct side){ profile_func(b, i), 1 };
	/* Sorted by name, a before b: a name's entries are adjacent. */
	qsort(v, na + nb, sizeof(*v), cmp_side);
	for (i = 0; i < na + nb; i++) {
		struct diff_row *row;

		if (i && !strcmp(v[i].f->name, v[i - 1].f->name))
			row = &r[k - 1];
		else
			row = &r[k++];
		row->name = v[i].f->name;
		if (v[i].which)
			row->self_b += v[i].f->self;
		else
			row->self_a += v[i].f->self;
	}
	for (i = 0; i < k; i++) {
		r[i].share_a = share(r[i].self_a, sa);
		r[i].share_b = share(r[i].self_b, sb);
		r[i].delta = r[i].share_b - r[i].share_a;
	}
	qsort(r, k, sizeof(*r), cmp_row);
	free(v);
	*rows = r;
	*n = k;
	return 0;
}

void diff_print(FILE *out, const struct diff_row *rows, size_t n,
		size_t limit, double min_delta, uint64_t samples_a,
		uint64_t samples_b)
{
	size_t i, shown = 0, hidden = 0;

	fprintf(out, "self share, A: %llu samples, B: %llu samples "
		"(delta in percentage points, B - A)\n",
		(unsigned long long)samples_a, (unsigned long long)samples_b);
	fprintf(out, "%9s %9s %9s  %s\n", "A", "B", "delta", "function");
	for (i = 0; i < n; i++) {
		if (fabs(rows[i].delta) < min_delta || rows[i].delta == 0 ||
		    (limit && shown >= limit)) {
			hidden++;
			continue;
		}
		fprintf(out, "%8.2f%% %8.2f%% %+8.2f  %s\n", rows[i].share_a,
			rows[i].share_b, rows[i].delta, rows[i].name);
		shown++;
	}
	if (!shown)
		fprintf(out, "no function's self share changed by %.2f points "
			"or more\n", min_delta);
	if (hidden)
		fprintf(out, "(%zu functions changed less or not at all%s)\n",
			hidden, limit ? ", or are past --limit" : "");
}
