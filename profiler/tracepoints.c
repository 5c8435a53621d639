/* SPDX-License-Identifier: BSD-3-Clause */
#include "tracepoints.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct u64vec {
	uint64_t *v;
	size_t n, cap;
};

struct pair {
	uint32_t base, ret;	/* descriptor indexes of x and x_ret */
	struct u64vec open;	/* TSCs of x not yet returned */
	struct u64vec lat;	/* measured durations */
	struct tp_latency res;
};

struct tpstats {
	const struct stream_info *info;
	uint64_t *count;	/* per descriptor index */
	uint64_t *first_tsc;	/* per descriptor index: first firing */
	struct pair **pair_of;	/* per descriptor index, for x and x_ret */
	struct pair *pairs;
	size_t npairs;
};

static int vec_push(struct u64vec *v, uint64_t x)
{
	uint64_t *nv;
	size_t cap;

	if (v->n == v->cap) {
		cap = v->cap ? v->cap * 2 : 64;
		nv = realloc(v->v, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return 0;
}

static int cmp_tp_name(const void *a, const void *b, void *ctx)
{
	const struct stream_tp *tps = ctx;

	return strcmp(tps[*(const uint32_t *)a].name,
		      tps[*(const uint32_t *)b].name);
}

/* Index of the valid descriptor named name, via the sorted index. */
static int find_name(const struct stream_tp *tps, const uint32_t *sorted,
		     uint32_t n, const char *name, uint32_t *out)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(tps[sorted[mid]].name, name);

		if (!c) {
			*out = sorted[mid];
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

struct tpstats *tpstats_new(const struct stream_info *info)
{
	struct tpstats *t = calloc(1, sizeof(*t));
	uint32_t *sorted = NULL, nvalid = 0, i, base;
	char want[UT_TP_NAME_MAX + 1];
	size_t len;

	if (!t)
		return NULL;
	t->info = info;
	if (!info->ntp)
		return t;
	t->count = calloc(info->ntp, sizeof(*t->count));
	t->first_tsc = calloc(info->ntp, sizeof(*t->first_tsc));
	t->pair_of = calloc(info->ntp, sizeof(*t->pair_of));
	t->pairs = calloc(info->ntp, sizeof(*t->pairs));
	sorted = calloc(info->ntp, sizeof(*sorted));
	if (!t->count || !t->first_tsc || !t->pair_of || !t->pairs || !sorted)
		goto fail;
	/* Names are matched through a sorted index: a hostile table may
	 * hold many descriptors, so no quadratic search. */
	for (i = 0; i < info->ntp; i++)
		if (info->tps[i].valid)
			sorted[nvalid++] = i;
	qsort_r(sorted, nvalid, sizeof(*sorted), cmp_tp_name,
		(void *)info->tps);
	for (i = 0; i < info->ntp; i++) {
		const struct stream_tp *tp = &info->tps[i];
		struct pair *p;

		len = strlen(tp->name);
		if (!tp->valid || len <= 4 || strcmp(tp->name + len - 4, "_ret"))
			continue;
		memcpy(want, tp->name, len - 4);
		want[len - 4] = '\0';
		if (find_name(info->tps, sorted, nvalid, want, &base))
			continue;
		if (t->pair_of[base] || t->pair_of[i])
			continue;	/* duplicate names: first wins */
		p = &t->pairs[t->npairs++];
		p->base = base;
		p->ret = i;
		t->pair_of[base] = p;
		t->pair_of[i] = p;
	}
	free(sorted);
	return t;
fail:
	free(sorted);
	tpstats_free(t);
	return NULL;
}

static void close_all(struct tpstats *t)
{
	size_t i;

	for (i = 0; i < t->npairs; i++) {
		t->pairs[i].res.dropped += t->pairs[i].open.n;
		t->pairs[i].open.n = 0;
	}
}

int tpstats_add(struct tpstats *t, const struct stream_rec *rec)
{
	struct pair *p;
	uint32_t idx;
	uint64_t start;

	if (rec->type == UT_REC_LOST) {
		close_all(t);
		return 0;
	}
	if (rec->type != UT_REC_EVENT || !rec->u.event.tp)
		return 0;
	idx = (uint32_t)(rec->u.event.tp - t->info->tps);
	if (idx >= t->info->ntp)
		return 0;
	if (!t->count[idx]++)
		t->first_tsc[idx] = rec->tsc;
	p = t->pair_of[idx];
	if (!p)
		return 0;
	if (idx == p->base)
		return vec_push(&p->open, rec->tsc);
	if (!p->open.n) {
		p->res.unmatched++;
		return 0;
	}
	start = p->open.v[--p->open.n];
	if (rec->tsc < start) {
		p->res.backwards++;
		return 0;
	}
	return vec_push(&p->lat, rec->tsc - start);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t tp_percentile(const uint64_t *sorted, size_t n, unsigned pct)
{
	/* rank = ceil(pct * n / 100), 1-based; in integers, no rounding. */
	size_t rank = ((size_t)pct * n + 99) / 100;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

int tpstats_finish(struct tpstats *t)
{
	size_t i;

	for (i = 0; i < t->npairs; i++) {
		struct pair *p = &t->pairs[i];

		p->res.pending = p->open.n;
		p->res.n = p->lat.n;
		if (!p->lat.n)
			continue;
		qsort(p->lat.v, p->lat.n, sizeof(*p->lat.v), cmp_u64);
		p->res.p50 = tp_percentile(p->lat.v, p->lat.n, 50);
		p->res.p90 = tp_percentile(p->lat.v, p->lat.n, 90);
		p->res.p99 = tp_percentile(p->lat.v, p->lat.n, 99);
		p->res.max = p->lat.v[p->lat.n - 1];
	}
	return 0;
}

uint64_t tpstats_count(const struct tpstats *t, const char *name)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < t->info->ntp; i++)
		if (t->info->tps[i].valid && !strcmp(t->info->tps[i].name, name))
			n += t->count[i];
	return n;
}

int tpstats_latency(const struct tpstats *t, const char *name,
		    struct tp_latency *out)
{
	size_t i;

	for (i = 0; i < t->npairs; i++) {
		if (!strcmp(t->info->tps[t->pairs[i].base].name, name)) {
			*out = t->pairs[i].res;
			return 0;
		}
	}
	return -ENOENT;
}

static double us(uint64_t cycles, uint64_t hz)
{
	return (double)cycles * 1e6 / (double)hz;
}

static int cmp_step(const void *a, const void *b, void *ctx)
{
	const uint64_t *tsc = ctx;
	uint64_t x = tsc[*(const uint32_t *)a], y = tsc[*(const uint32_t *)b];

	return (x > y) - (x < y);
}

/*
 * The guest's boot steps (trace points "boot_*", each fired once with the
 * TSC at which the step was reached): each step's share of the time from
 * the first instruction to main(). The intervals add up to the boot line's
 * cycles by construction, which the tests check.
 */
static void print_boot_steps(const struct tpstats *t, FILE *out, uint64_t tsc_hz)
{
	const struct stream_info *in = t->info;
	uint32_t *idx = calloc(in->ntp ? in->ntp : 1, sizeof(*idx)), n = 0, i;

	if (!idx)
		return;
	for (i = 0; i < in->ntp; i++)
		if (in->tps[i].valid && t->count[i] &&
		    !strncmp(in->tps[i].name, "boot_", 5))
			idx[n++] = i;
	if (n < 2)
		goto out;
	qsort_r(idx, n, sizeof(*idx), cmp_step, t->first_tsc);
	uint64_t first = t->first_tsc[idx[0]], last = t->first_tsc[idx[n - 1]];
	fprintf(out, "\nboot steps (TSC cycles; each row runs until the next):\n");
	fprintf(out, "  %-20s %14s %14s %8s\n", "step", "at", "cycles", "share");
	for (i = 0; i < n; i++) {
		uint64_t at = t->first_tsc[idx[i]] - first;
		uint64_t len = i + 1 < n ? t->first_tsc[idx[i + 1]] - t->first_tsc[idx[i]] : 0;
		fprintf(out, "  %-20s %14llu %14llu %7.2f%%\n", in->tps[idx[i]].name,
			(unsigned long long)at, (unsigned long long)len,
			last > first ? 100.0 * (double)len / (double)(last - first) : 0.0);
	}
	fprintf(out, "  boot total: %llu cycles", (unsigned long long)(last - first));
	if (tsc_hz)
		fprintf(out, " (%.1f us)", us(last - first, tsc_hz));
	fprintf(out, "\n");
out:
	free(idx);
}

void tpstats_print(const struct tpstats *t, FILE *out, uint64_t tsc_hz)
{
	const struct stream_info *in = t->info;
	uint64_t fired = 0;
	size_t i;

	for (i = 0; i < in->ntp; i++)
		fired += t->count[i] ? 1 : 0;
	fprintf(out, "trace points: %u defined, %llu fired (run-time mask "
		"0x%016llx)\n",
		in->ntp, (unsigned long long)fired,
		(unsigned long long)in->trace_mask);
	if (in->ntp) {
		fprintf(out, "  %-32s %12s\n", "name", "count");
		for (i = 0; i < in->ntp; i++) {
			if (!in->tps[i].valid)
				continue;
			fprintf(out, "  %-32s %12llu%s\n", in->tps[i].name,
				(unsigned long long)t->count[i],
				in->tps[i].id < 64 &&
						!(in->trace_mask >> in->tps[i].id & 1)
					? "  (disabled)"
					: "");
		}
	}
	if (!t->npairs)
		return;
	fprintf(out, "\nlatency, entry to _ret (TSC cycles; nearest-rank "
		"percentiles):\n");
	fprintf(out, "  %-28s %10s %12s %12s %12s %12s\n", "pair", "n", "p50",
		"p90", "p99", "max");
	for (i = 0; i < t->npairs; i++) {
		const struct tp_latency *r = &t->pairs[i].res;

		fprintf(out, "  %-28s %10llu", in->tps[t->pairs[i].base].name,
			(unsigned long long)r->n);
		if (r->n)
			fprintf(out, " %12llu %12llu %12llu %12llu\n",
				(unsigned long long)r->p50,
				(unsigned long long)r->p90,
				(unsigned long long)r->p99,
				(unsigned long long)r->max);
		else
			fprintf(out, " %12s %12s %12s %12s\n", "-", "-", "-",
				"-");
	}
	if (tsc_hz) {
		fprintf(out, "\nlatency in microseconds (TSC at %.3f MHz):\n",
			(double)tsc_hz / 1e6);
		fprintf(out, "  %-28s %10s %12s %12s %12s %12s\n", "pair", "n",
			"p50", "p90", "p99", "max");
		for (i = 0; i < t->npairs; i++) {
			const struct tp_latency *r = &t->pairs[i].res;

			if (!r->n)
				continue;
			fprintf(out,
				"  %-28s %10llu %12.3f %12.3f %12.3f %12.3f\n",
				in->tps[t->pairs[i].base].name,
				(unsigned long long)r->n, us(r->p50, tsc_hz),
				us(r->p90, tsc_hz), us(r->p99, tsc_hz),
				us(r->max, tsc_hz));
		}
	}
	for (i = 0; i < t->npairs; i++) {
		const struct tp_latency *r = &t->pairs[i].res;

		if (r->unmatched || r->pending || r->dropped || r->backwards)
			fprintf(out,
				"  %s: %llu returns without an entry, %llu "
				"entries never returned, %llu closed by a gap "
				"in the stream, %llu with time running "
				"backwards\n",
				in->tps[t->pairs[i].base].name,
				(unsigned long long)r->unmatched,
				(unsigned long long)r->pending,
				(unsigned long long)r->dropped,
				(unsigned long long)r->backwards);
	}
	print_boot_steps(t, out, tsc_hz);
}

void tpstats_free(struct tpstats *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->pairs && i < t->npairs; i++) {
		free(t->pairs[i].open.v);
		free(t->pairs[i].lat.v);
	}
	free(t->pairs);
	free(t->pair_of);
	free(t->count);
	free(t->first_tsc);
	free(t);
}
