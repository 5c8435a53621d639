/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * E-divisive means (Matteson and James, 2014) as Hunter and Apache Otava
 * run it (Fleming et al., ICPE 2023), over a wall metric's good points
 * (edivisive.h). Our own code, written from the papers:
 *
 *   1. In a segment, the split that maximizes the divergence Q (alpha =
 *      1: plain distances), tried only at commit boundaries, each side
 *      holding at least ED_MIN_POINTS points (and two samples). One
 *      point alone against the rest is what the selection of the best
 *      split inflates most (the replay's false alarms halved with this
 *      rule); the newest point alone is the two-sample test's job.
 *   2. The split is kept when a Welch t-test of the two sides gives p at
 *      most p_value (Hunter's replacement of the permutation test: fast
 *      and deterministic); then both halves are split again, until no
 *      split is significant.
 *   3. This runs over windows of `window` points sliding by half a
 *      window, so an old change does not hide a new one and the cost is
 *      bounded by the window, not the history.
 *   4. The candidates from every window are then checked together: each
 *      against its neighbours' segments (cut to window points either
 *      side), and the weakest that fails (p above p_value, or medians
 *      less than min_effect apart) is merged away and the rest checked
 *      again, bottom-up, as Hunter merges weak change points.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "detect.h"
#include "edivisive.h"
#include "two_sample.h"

/* Points each side of a split, at least. */
#define ED_MIN_POINTS 2

double edivisive_q(const double *z, size_t n, size_t k)
{
	double wl = 0, wr = 0, b = 0, nl = (double)k, nr = (double)(n - k);
	size_t i, j;

	if (k < 2 || n - k < 2)
		return 0;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			double d = fabs(z[i] - z[j]);

			if (j < k)
				wl += d;
			else if (i >= k)
				wr += d;
			else
				b += d;
		}
	return nl * nr / (nl + nr) *
	       (2 * b / (nl * nr) - 2 * wl / (nl * (nl - 1)) -
		2 * wr / (nr * (nr - 1)));
}

/*
 * The point of [ps, pe) that starts the right side of the best split, 0
 * when no boundary leaves two samples a side. The sums of distances
 * within the left side, within the right side and between them are
 * updated as each sample moves from the right to the left: O(n^2) for
 * the whole segment.
 */
static size_t best_split(const struct ed_series *s, size_t ps, size_t pe)
{
	const double *z = s->z + s->start[ps];
	size_t n = s->start[pe] - s->start[ps], i, k, cur = ps, best = 0;
	double wl = 0, wr = 0, b = 0, best_q = -INFINITY;

	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++)
			wr += fabs(z[i] - z[k]);
	for (k = 0; k + 1 < n; k++) {
		double sl = 0, sr = 0, nl = (double)(k + 1), nr, q;

		for (i = 0; i < k; i++)
			sl += fabs(z[k] - z[i]);
		for (i = k + 1; i < n; i++)
			sr += fabs(z[k] - z[i]);
		wl += sl;
		wr -= sr;
		b += sr - sl;
		if (s->start[ps] + k + 1 != s->start[cur + 1])
			continue;	/* inside a point */
		cur++;
		nr = (double)(n - k - 1);
		if (nl < 2 || nr < 2 || cur - ps < ED_MIN_POINTS ||
		    pe - cur < ED_MIN_POINTS)
			continue;
		q = nl * nr / (nl + nr) *
		    (2 * b / (nl * nr) - 2 * wl / (nl * (nl - 1)) -
		     2 * fmax(wr, 0) / (nr * (nr - 1)));
		if (q > best_q) {
			best_q = q;
			best = cur;
		}
	}
	return best;
}

static double seg_welch(const struct ed_series *s, size_t a, size_t m,
			size_t e)
{
	return detect_welch_t_p(s->z + s->start[a], s->start[m] - s->start[a],
				s->z + s->start[m], s->start[e] - s->start[m]);
}

/* Split [ps, pe) recursively, marking the significant splits. */
static void bisect(const struct ed_series *s, size_t ps, size_t pe,
		   double p_value, bool *cand)
{
	size_t t;

	if (pe - ps < 2)
		return;
	t = best_split(s, ps, pe);
	if (!t || seg_welch(s, ps, t, pe) > p_value)
		return;
	cand[t] = true;
	bisect(s, ps, t, p_value, cand);
	bisect(s, t, pe, p_value, cand);
}

/* The figures of the change at c[i] against its neighbours c[i-1] and
 * c[i+1] (or the series' ends), each side cut to window points. -ENOMEM
 * when a median could not be taken. */
static int judge(const struct ed_series *s, const size_t *c, size_t k,
		 size_t i, size_t window, struct ed_change *ch)
{
	size_t at = c[i], lo = i ? c[i - 1] : 0, hi = i + 1 < k ? c[i + 1] : s->n;

	if (at - lo > window)
		lo = at - window;
	if (hi - at > window)
		hi = at + window;
	ch->at = at;
	ch->p = seg_welch(s, lo, at, hi);
	ch->before = detect_median(s->z + s->start[lo],
				   s->start[at] - s->start[lo]);
	ch->after = detect_median(s->z + s->start[at],
				  s->start[hi] - s->start[at]);
	return isnan(ch->before) || isnan(ch->after) ? -ENOMEM : 0;
}

/* How far a change is from passing: 0 when it passes, else larger for
 * weaker ones (a p above p_value is weaker than any small effect). */
static double weakness(const struct ed_change *ch, double p_value,
		       double min_effect)
{
	double rel = fabs(detect_rel(ch->before, ch->after));

	if (ch->p > p_value)
		return 1 + ch->p;
	if (!(rel >= min_effect))
		return 1 - rel / (min_effect > 0 ? min_effect : 1) * 0.5;
	return 0;
}

/* Merge away the weakest failing candidate until all pass; the passing
 * ones end in out[0..*k). */
static int merge_weak(const struct ed_series *s, size_t *c, size_t *k,
		      size_t window, double p_value, double min_effect,
		      struct ed_change *out)
{
	for (;;) {
		size_t i, worst = 0;
		double worst_w = 0;

		for (i = 0; i < *k; i++) {
			double w;

			if (judge(s, c, *k, i, window, &out[i]) < 0)
				return -ENOMEM;
			w = weakness(&out[i], p_value, min_effect);
			if (w > worst_w) {
				worst_w = w;
				worst = i;
			}
		}
		if (worst_w == 0)
			return 0;
		for (i = worst; i + 1 < *k; i++)
			c[i] = c[i + 1];
		(*k)--;
	}
}

int edivisive_changes(const struct ed_series *s, size_t window,
		      double p_value, double min_effect,
		      struct ed_change **out, size_t *count)
{
	size_t stride = window / 2 ? window / 2 : 1, w, i, k = 0;
	bool *cand = NULL;
	size_t *c = NULL;
	struct ed_change *ch = NULL;
	int rc = -ENOMEM;

	*out = NULL;
	*count = 0;
	if (s->n < 2)
		return 0;
	cand = calloc(s->n, sizeof(*cand));
	c = malloc(s->n * sizeof(*c));
	ch = malloc(s->n * sizeof(*ch));
	if (!cand || !c || !ch)
		goto out;
	for (w = 0;; w += stride) {
		size_t end = w + window < s->n ? w + window : s->n;

		bisect(s, w, end, p_value, cand);
		if (end == s->n)
			break;
	}
	for (i = 1; i < s->n; i++)
		if (cand[i])
			c[k++] = i;
	rc = merge_weak(s, c, &k, window, p_value, min_effect, ch);
	if (rc < 0)
		goto out;
	if (k) {
		*out = ch;
		ch = NULL;
	}
	*count = k;
out:
	free(ch);
	free(c);
	free(cand);
	return rc;
}
