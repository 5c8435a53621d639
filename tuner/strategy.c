/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Search strategies (tuner/strategy.h): grid, random without replacement,
 * greedy coordinate descent and a multivariate TPE (densities in
 * tuner/parzen.c) with ordered int options.
 *
 * Every point proposed or told is a record (its index vector, score and
 * state) found through a hash map keyed by the point's grid index (mixed
 * radix, last option fastest) when the grid fits in 64 bits, else by a
 * hash of the vector with probing on collision. Memory grows with the
 * points seen, never with the size of the space.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parzen.h"
#include "rng.h"
#include "strategy.h"

/* --- u64 -> u64 map, open addressing; slot empty when val1 == 0 --- */

struct u64map {
	uint64_t *key;
	uint64_t *val1;		/* value + 1 */
	size_t cap;		/* 0 or a power of two */
	size_t n;
};

static bool map_get(const struct u64map *m, uint64_t key, uint64_t *val)
{
	size_t i;

	if (!m->cap)
		return false;
	for (i = rng_mix64(key) & (m->cap - 1); m->val1[i];
	     i = (i + 1) & (m->cap - 1)) {
		if (m->key[i] == key) {
			*val = m->val1[i] - 1;
			return true;
		}
	}
	return false;
}

static void map_place(uint64_t *keys, uint64_t *val1, size_t cap,
		      uint64_t key, uint64_t v1)
{
	size_t i = rng_mix64(key) & (cap - 1);

	while (val1[i] && keys[i] != key)
		i = (i + 1) & (cap - 1);
	keys[i] = key;
	val1[i] = v1;
}

/* Insert or replace. val < UINT64_MAX. 0 or -ENOMEM. */
static int map_put(struct u64map *m, uint64_t key, uint64_t val)
{
	uint64_t old;
	size_t i;

	if (map_get(m, key, &old)) {
		map_place(m->key, m->val1, m->cap, key, val + 1);
		return 0;
	}
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		uint64_t *k = calloc(cap, sizeof(*k));
		uint64_t *v = calloc(cap, sizeof(*v));

		if (!k || !v || cap < m->cap) {
			free(k);
			free(v);
			return -ENOMEM;
		}
		for (i = 0; i < m->cap; i++)
			if (m->val1[i])
				map_place(k, v, cap, m->key[i], m->val1[i]);
		free(m->key);
		free(m->val1);
		m->key = k;
		m->val1 = v;
		m->cap = cap;
	}
	map_place(m->key, m->val1, m->cap, key, val + 1);
	m->n++;
	return 0;
}

static void map_release(struct u64map *m)
{
	free(m->key);
	free(m->val1);
}

/* --- the strategy --- */

enum {
	REC_PROPOSED = 1,
	REC_TOLD = 2,
	REC_FAILED = 4,
};

struct rec {
	double score;
	unsigned flags;
};

/* Candidates tpe samples from l(x) per proposal, and its good fraction. */
#define TPE_CANDIDATES 24
#define TPE_GAMMA 0.25
/* Weight of the uniform prior in l(x) and g(x), against 1 a point. */
#define TPE_PRIOR_WEIGHT 1.0

struct strategy {
	enum space_strategy kind;
	size_t n;		/* options */
	size_t *k;		/* value count per option */
	bool fits;		/* the grid size fits in 64 bits */
	uint64_t size;		/* grid size when it fits */
	uint64_t rng;
	bool done;		/* next() returned 0 */

	/* Every point proposed or told. */
	struct u64map index;	/* key -> record number */
	struct rec *recs;
	size_t *vecs;		/* record r's point at vecs + r * n */
	size_t n_recs, cap_recs;
	size_t n_told;
	size_t *tmp;		/* scratch point */

	uint64_t grid_next;	/* grid: next grid index */

	/* random (and tpe's random points): a Fisher-Yates shuffle of the
	 * grid indices done lazily, perm holding only the moved entries */
	struct u64map perm;
	uint64_t perm_next;

	/* greedy */
	size_t *inc;		/* the incumbent */
	size_t inc_rec;
	bool started;
	size_t cur;		/* option being scanned */
	size_t next_v;		/* its next value to propose */
	bool improved;		/* in this pass */

	/* tpe */
	size_t n_startup;
	bool *ordered;		/* per option: values in a meaningful order */
	struct parzen good;	/* l(x), fitted to the best results */
	struct parzen bad;	/* g(x), fitted to the rest and the failures */
	double *u;		/* uniform numbers for one parzen_sample() */
	size_t *cand;		/* the best candidate so far */
	struct tpe_rank *rank;
};

struct tpe_rank {
	double score;
	unsigned failed;
	size_t rec;
};

/* The key of point idx; probe > 0 gives the next key to try when the
 * grid does not fit and two vectors hash alike. */
static uint64_t point_key(const struct strategy *s, const size_t *idx,
			  uint64_t probe)
{
	uint64_t h = 0;
	size_t i;

	if (s->fits) {
		for (i = 0; i < s->n; i++)
			h = h * s->k[i] + idx[i];
		return h;
	}
	for (i = 0; i < s->n; i++)
		h = rng_mix64(h ^ idx[i]) + i;
	return rng_mix64(h + probe);
}

static void grid_decode(const struct strategy *s, uint64_t code, size_t *idx)
{
	size_t i;

	for (i = s->n; i-- > 0;) {
		idx[i] = (size_t)(code % s->k[i]);
		code /= s->k[i];
	}
}

/*
 * The record of idx: its number (>= 0), or -1 when absent, with *key the
 * key to insert it under.
 */
static long rec_find(const struct strategy *s, const size_t *idx,
		     uint64_t *key)
{
	uint64_t probe, r;

	for (probe = 0;; probe++) {
		*key = point_key(s, idx, probe);
		if (!map_get(&s->index, *key, &r))
			return -1;
		if (s->fits || !memcmp(s->vecs + r * s->n, idx,
				       s->n * sizeof(*idx)))
			return (long)r;
	}
}

static bool known(const struct strategy *s, const size_t *idx)
{
	uint64_t key;

	return rec_find(s, idx, &key) >= 0;
}

/* Add idx (absent, under key) with flags. Its record number or -ENOMEM. */
static long rec_add(struct strategy *s, const size_t *idx, uint64_t key,
		    unsigned flags)
{
	size_t r = s->n_recs;

	if (r == s->cap_recs) {
		size_t cap = s->cap_recs ? s->cap_recs * 2 : 64;
		struct rec *recs;
		size_t *vecs;

		if (cap > SIZE_MAX / sizeof(*vecs) / s->n)
			return -ENOMEM;
		recs = realloc(s->recs, cap * sizeof(*recs));
		if (!recs)
			return -ENOMEM;
		s->recs = recs;
		vecs = realloc(s->vecs, cap * s->n * sizeof(*vecs));
		if (!vecs)
			return -ENOMEM;
		s->vecs = vecs;
		s->cap_recs = cap;
	}
	if (map_put(&s->index, key, r))
		return -ENOMEM;
	memcpy(s->vecs + r * s->n, idx, s->n * sizeof(*idx));
	s->recs[r].score = 0;
	s->recs[r].flags = flags;
	s->n_recs++;
	return (long)r;
}

/* Record idx as proposed and copy it out: 1 or -ENOMEM. */
static int propose(struct strategy *s, const size_t *idx, size_t *out)
{
	uint64_t key;
	long r = rec_find(s, idx, &key);

	if (r >= 0)
		return -EINVAL;	/* callers only propose unknown points */
	r = rec_add(s, idx, key, REC_PROPOSED);
	if (r < 0)
		return (int)r;
	if (out != idx)
		memcpy(out, idx, s->n * sizeof(*idx));
	return 1;
}

static bool every_point_known(const struct strategy *s)
{
	return s->fits && s->n_recs >= s->size;
}

/* Is record a better than record b (lower score; failed is worst)? */
static bool rec_better(const struct rec *a, const struct rec *b)
{
	if (a->flags & REC_FAILED)
		return false;
	return (b->flags & REC_FAILED) || a->score < b->score;
}

static int grid_next(struct strategy *s, size_t *idx)
{
	while (s->grid_next < s->size) {
		grid_decode(s, s->grid_next++, s->tmp);
		if (!known(s, s->tmp))
			return propose(s, s->tmp, idx);
	}
	return 0;
}

/* A uniformly random point not yet known, or 0 when there is none. */
static int random_next(struct strategy *s, size_t *idx)
{
	uint64_t i, j, vi, vj;
	size_t o;

	if (!s->fits) {
		/* At least 2^64 points: a collision is rare, retry it. */
		do {
			for (o = 0; o < s->n; o++)
				s->tmp[o] = rng_below(&s->rng, s->k[o]);
		} while (known(s, s->tmp));
		return propose(s, s->tmp, idx);
	}
	while (s->perm_next < s->size && !every_point_known(s)) {
		i = s->perm_next++;
		j = i + rng_below(&s->rng, s->size - i);
		if (!map_get(&s->perm, i, &vi))
			vi = i;
		if (!map_get(&s->perm, j, &vj))
			vj = j;
		/* Position i is never read again: only j needs vi. */
		if (j != i && map_put(&s->perm, j, vi))
			return -ENOMEM;
		grid_decode(s, vj, s->tmp);
		if (!known(s, s->tmp))
			return propose(s, s->tmp, idx);
	}
	return 0;
}

/*
 * Greedy: coordinate descent from index 0 of every option. For option
 * cur, propose the incumbent with that option set to each other value;
 * once all are told, move to the best if it beats the incumbent; after
 * the last option start another pass, unless the pass moved nothing.
 */
static int greedy_next(struct strategy *s, size_t *idx)
{
	size_t v, best_v = 0, k;
	uint64_t key;
	long r, best;
	bool waiting;

	if (!s->started) {
		s->started = true;
		r = rec_find(s, s->inc, &key);
		if (r < 0) {
			r = rec_add(s, s->inc, key, REC_PROPOSED);
			if (r < 0)
				return (int)r;
			s->inc_rec = (size_t)r;
			memcpy(idx, s->inc, s->n * sizeof(*idx));
			return 1;
		}
		s->inc_rec = (size_t)r;
	}
	if (!(s->recs[s->inc_rec].flags & REC_TOLD))
		return -EAGAIN;
	for (;;) {
		if (s->cur == s->n) {
			if (!s->improved)
				return 0;
			s->improved = false;
			s->cur = 0;
			s->next_v = 0;
		}
		k = s->k[s->cur];
		memcpy(s->tmp, s->inc, s->n * sizeof(*idx));
		while (s->next_v < k) {
			s->tmp[s->cur] = s->next_v++;
			if (s->tmp[s->cur] != s->inc[s->cur] &&
			    !known(s, s->tmp))
				return propose(s, s->tmp, idx);
		}
		best = (long)s->inc_rec;
		waiting = false;
		for (v = 0; v < k; v++) {
			if (v == s->inc[s->cur])
				continue;
			s->tmp[s->cur] = v;
			r = rec_find(s, s->tmp, &key);
			if (!(s->recs[r].flags & REC_TOLD))
				waiting = true;
			else if (rec_better(&s->recs[r], &s->recs[best])) {
				best = r;
				best_v = v;
			}
		}
		if (waiting)
			return -EAGAIN;
		if ((size_t)best != s->inc_rec) {
			s->inc[s->cur] = best_v;
			s->inc_rec = (size_t)best;
			s->improved = true;
		}
		s->cur++;
		s->next_v = 0;
	}
}

static int cmp_rank(const void *pa, const void *pb)
{
	const struct tpe_rank *a = pa, *b = pb;

	if (a->failed != b->failed)
		return a->failed < b->failed ? -1 : 1;
	if (!a->failed && a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/*
 * Fit l(x) to the best TPE_GAMMA of the successful told points (at least
 * one when any succeeded) and g(x) to the rest, failures included, so
 * the neighbourhood of a failure scores low. Points proposed and not yet
 * told are left out: counting them as bad (Optuna's constant liar) made
 * batches of 4 no better on benchmarks/strategies.sh. 0 or -ENOMEM.
 */
static int tpe_fit(struct strategy *s)
{
	size_t r, t = 0, n_ok = 0, n_good;
	int err = 0;

	for (r = 0; r < s->n_recs; r++) {
		if (!(s->recs[r].flags & REC_TOLD))
			continue;
		s->rank[t].score = s->recs[r].score;
		s->rank[t].failed = !!(s->recs[r].flags & REC_FAILED);
		s->rank[t].rec = r;
		n_ok += !s->rank[t].failed;
		t++;
	}
	qsort(s->rank, t, sizeof(*s->rank), cmp_rank);
	n_good = (size_t)ceil(TPE_GAMMA * (double)n_ok);
	parzen_clear(&s->good);
	parzen_clear(&s->bad);
	for (r = 0; !err && r < t; r++)
		err = parzen_add(r < n_good ? &s->good : &s->bad,
				 s->vecs + s->rank[r].rec * s->n);
	parzen_fit(&s->good);
	parzen_fit(&s->bad);
	return err;
}

/*
 * TPE: random points until n_startup results are told; then, per
 * proposal, draw up to TPE_CANDIDATES unknown points from l(x) and
 * propose the one with the highest l(x)/g(x) (the first drawn on a tie),
 * or a random point when every draw was already known.
 */
static int tpe_next(struct strategy *s, size_t *idx)
{
	size_t found = 0, tries, i, n_u = parzen_draws(&s->good);
	double best = 0, a;
	int err;

	if (every_point_known(s))
		return 0;
	if (s->n_told < s->n_startup)
		return random_next(s, idx);
	err = tpe_fit(s);
	if (err)
		return err;
	for (tries = 0; tries < 4 * TPE_CANDIDATES &&
	     found < TPE_CANDIDATES; tries++) {
		for (i = 0; i < n_u; i++)
			s->u[i] = rng_unit(&s->rng);
		parzen_sample(&s->good, s->u, s->tmp);
		if (known(s, s->tmp))
			continue;
		a = parzen_log_pdf(&s->good, s->tmp) -
		    parzen_log_pdf(&s->bad, s->tmp);
		if (!found++ || a > best) {
			best = a;
			memcpy(s->cand, s->tmp, s->n * sizeof(*idx));
		}
	}
	if (!found)
		return random_next(s, idx);
	return propose(s, s->cand, idx);
}

int strategy_next(struct strategy *s, size_t *idx)
{
	int r;

	if (!s || !idx)
		return -EINVAL;
	if (s->done)
		return 0;
	switch (s->kind) {
	case SPACE_GRID:
		r = grid_next(s, idx);
		break;
	case SPACE_RANDOM:
		r = random_next(s, idx);
		break;
	case SPACE_GREEDY:
		r = greedy_next(s, idx);
		break;
	default:
		r = tpe_next(s, idx);
		break;
	}
	if (r == 0)
		s->done = true;
	return r;
}

int strategy_tell(struct strategy *s, const size_t *idx, double score,
		  bool failed)
{
	uint64_t key;
	long r;
	size_t i;

	if (!s || !idx)
		return -EINVAL;
	for (i = 0; i < s->n; i++)
		if (idx[i] >= s->k[i])
			return -EINVAL;
	r = rec_find(s, idx, &key);
	if (r < 0) {
		r = rec_add(s, idx, key, 0);
		if (r < 0)
			return (int)r;
	}
	if (!(s->recs[r].flags & REC_TOLD)) {
		/* tpe's ranking needs room for every told point. */
		if (s->rank) {
			struct tpe_rank *rank = realloc(s->rank,
				(s->n_told + 1) * sizeof(*rank));

			if (!rank)
				return -ENOMEM;
			s->rank = rank;
		}
		s->n_told++;
	}
	failed = failed || isnan(score);
	s->recs[r].flags = (s->recs[r].flags & REC_PROPOSED) | REC_TOLD |
			   (failed ? REC_FAILED : 0);
	s->recs[r].score = failed ? 0 : score;
	return 0;
}

void strategy_free(struct strategy *s)
{
	if (!s)
		return;
	map_release(&s->index);
	map_release(&s->perm);
	free(s->k);
	free(s->recs);
	free(s->vecs);
	free(s->tmp);
	free(s->inc);
	parzen_release(&s->good);
	parzen_release(&s->bad);
	free(s->ordered);
	free(s->u);
	free(s->cand);
	free(s->rank);
	free(s);
}

static int tpe_init(struct strategy *s, const bool *ordered)
{
	size_t i;

	/* Random points first: max(5, 2 x options), but at most a
	 * sixteenth of a small space (at least 3), where a quarter of the
	 * space is a typical budget; on the 60-point valley landscape that
	 * took tpe's median from 14 to 12 evaluations (100 seeds). */
	s->n_startup = s->n < SIZE_MAX / 2 && 2 * s->n > 5 ? 2 * s->n : 5;
	if (s->fits && s->n_startup > s->size / 16)
		s->n_startup = s->size / 16 > 3 ? (size_t)(s->size / 16) : 3;
	if (s->fits && s->n_startup > s->size)
		s->n_startup = (size_t)s->size;
	s->ordered = calloc(s->n, sizeof(*s->ordered));
	s->u = calloc(s->n + 1, sizeof(*s->u));
	s->cand = calloc(s->n, sizeof(*s->cand));
	s->rank = malloc(sizeof(*s->rank));
	if (!s->ordered || !s->u || !s->cand || !s->rank)
		return -ENOMEM;
	for (i = 0; ordered && i < s->n; i++)
		s->ordered[i] = ordered[i];
	parzen_init(&s->good, s->k, s->ordered, s->n, TPE_PRIOR_WEIGHT);
	parzen_init(&s->bad, s->k, s->ordered, s->n, TPE_PRIOR_WEIGHT);
	return 0;
}

int strategy_new_ordered(enum space_strategy kind, const size_t *n_values,
			 const bool *ordered, size_t n_options, uint64_t seed,
			 struct strategy **out)
{
	struct strategy *s;
	size_t i;
	int r = 0;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if ((unsigned)kind > SPACE_TPE || !n_values || !n_options)
		return -EINVAL;
	for (i = 0; i < n_options; i++)
		if (!n_values[i])
			return -EINVAL;
	if (n_options > SIZE_MAX / sizeof(size_t) / 64)
		return -EOVERFLOW;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->kind = kind;
	s->n = n_options;
	s->rng = seed;
	s->fits = true;
	s->size = 1;
	for (i = 0; i < n_options; i++) {
		if (s->size > UINT64_MAX / n_values[i])
			s->fits = false;
		else
			s->size *= n_values[i];
	}
	s->k = malloc(n_options * sizeof(*s->k));
	s->tmp = calloc(n_options, sizeof(*s->tmp));
	s->inc = calloc(n_options, sizeof(*s->inc));
	if (!s->k || !s->tmp || !s->inc) {
		strategy_free(s);
		return -ENOMEM;
	}
	memcpy(s->k, n_values, n_options * sizeof(*s->k));
	if (kind == SPACE_GRID && !s->fits)
		r = -EOVERFLOW;
	else if (kind == SPACE_TPE)
		r = tpe_init(s, ordered);
	if (r) {
		strategy_free(s);
		return r;
	}
	*out = s;
	return 0;
}

int strategy_new(enum space_strategy kind, const size_t *n_values,
		 size_t n_options, uint64_t seed, struct strategy **out)
{
	return strategy_new_ordered(kind, n_values, NULL, n_options, seed,
				    out);
}

bool strategy_option_ordered(const struct space_option *o)
{
	return o->kind == SPACE_OPT_INT;
}

int strategy_new_for_space(const struct space *sp, enum space_strategy kind,
			   uint64_t seed, struct strategy **out)
{
	size_t *k, i;
	bool *ordered;
	int r = -ENOMEM;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!sp || !sp->n_options)
		return -EINVAL;
	k = calloc(sp->n_options, sizeof(*k));
	ordered = calloc(sp->n_options, sizeof(*ordered));
	if (k && ordered) {
		for (i = 0; i < sp->n_options; i++) {
			k[i] = sp->options[i].n_values;
			ordered[i] = strategy_option_ordered(&sp->options[i]);
		}
		r = strategy_new_ordered(kind, k, ordered, sp->n_options,
					 seed, out);
	}
	free(k);
	free(ordered);
	return r;
}

const char *strategy_describe(enum space_strategy kind)
{
	switch (kind) {
	case SPACE_GRID:
		return "every point in grid order (the last option varies fastest)";
	case SPACE_RANDOM:
		return "seeded uniform random points, none twice, until the space is exhausted";
	case SPACE_GREEDY:
		return "coordinate descent from the first value of every option: try every value of one option at a time, keep the best, until a pass improves nothing";
	case SPACE_TPE:
		return "seeded random start, then a tree-structured Parzen estimator over all options jointly (ints ordered): propose the point likeliest among the best quarter of the results against the rest and the failures";
	}
	return NULL;
}
