/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The analysis's figures as text, one way for every verb: numbers, a
 * metric's statistics, a tie with the best (analysis.h).
 */
#include "analysis.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"

void analysis_fmt(double x, char *buf, size_t len)
{
	if (isfinite(x) && fabs(x) < 1e15 && x == floor(x))
		snprintf(buf, len, "%.0f", x);
	else if (isfinite(x) && fabs(x) >= 1000 && fabs(x) < 1e15)
		snprintf(buf, len, "%.1f", x);
	else
		snprintf(buf, len, "%.4g", x);
}

void analysis_first_line(const char *log, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", log ? (int)strcspn(log, "\n") : 0,
		 log ? log : "");
}

void analysis_stat_text(const struct analysis_stat *st, char *buf, size_t len)
{
	char m[48], a[48], b[48];

	if (!st->n) {
		snprintf(buf, len, "-");
		return;
	}
	analysis_fmt(st->median, m, sizeof(m));
	if (st->wall) {
		analysis_fmt(st->ci_low, a, sizeof(a));
		analysis_fmt(st->ci_high, b, sizeof(b));
		snprintf(buf, len, "%s [%s, %s]", m, a, b);
	} else if (st->n > 1 && st->stddev > 0) {
		analysis_fmt(st->stddev, a, sizeof(a));
		snprintf(buf, len, "%s+-%s", m, a);
	} else {
		snprintf(buf, len, "%s", m);
	}
}

/* "v4", "v4 and v7", "v4, v7 and v9": the best, then each tied one. */
static int tie_names(const struct analysis_table *t, struct strbuf *out)
{
	size_t i;
	int e = strbuf_addf(out, "v%lld", (long long)t->v[t->rank[0]].id);

	for (i = 0; !e && i < t->n_tied; i++)
		e = strbuf_addf(out, "%s v%lld",
				i + 1 == t->n_tied ? " and" : ",",
				(long long)t->v[t->tied[i]].id);
	return e;
}

static int tie_line(const struct analysis_table *t,
		    const struct analysis_variant *v, bool best,
		    struct strbuf *out)
{
	const struct analysis_stat *st = analysis_objective(t, v, 0);
	const char *unit = t->units[t->obj[0]];
	char text[160];

	analysis_stat_text(st, text, sizeof(text));
	return strbuf_addf(out, "  v%-5lld %s%s%s, %u repetitions%s\n",
			   (long long)v->id, text, *unit ? " " : "", unit,
			   st->n, best ? " (ranked first)" : "");
}

int analysis_tie_text(const struct analysis_table *t, struct strbuf *out)
{
	size_t i;
	int e;

	if (!t->n_tied)
		return 0;
	e = strbuf_adds(out, "tie: the 95% intervals of ");
	if (!e)
		e = tie_names(t, out);
	if (!e)
		e = strbuf_addf(out, " on %s overlap: the measurements do not "
				"say which is best\n", t->metrics[t->obj[0]]);
	if (!e)
		e = tie_line(t, &t->v[t->rank[0]], true, out);
	for (i = 0; !e && i < t->n_tied; i++)
		e = tie_line(t, &t->v[t->tied[i]], false, out);
	return e ? -ENOMEM : 0;
}
