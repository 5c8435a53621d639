/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep's race (repetitions: {min, max}): once the search is over,
 * the variants whose interval on the first objective overlaps the
 * best's get more repetitions, one top-up at a time (sweep.c starts it
 * on the measuring job), as tuner/race.h decides. Every top-up's runs
 * are recorded in one transaction like a variant's first ones, so a
 * killed sweep loses at most the top-up in flight, and the next run
 * carries the race on from the samples in the store.
 */
#include "sweep_int.h"

#include <errno.h>
#include <stdlib.h>

#include "analysis.h"
#include "stats.h"

/* v's first objective from the store into v->race (n 0: no sample). */
static int load_entry(struct sweep *s, struct variant *v)
{
	struct stats_summary sum;
	double *x = NULL;
	size_t n = 0;
	int err;

	err = store_metric_samples(s->st, v->id, s->space->objectives[0].metric,
				   &x, &n);
	if (err) {
		free(x);
		return sw_db_fail(s, err, "reading a variant's samples");
	}
	v->race = (struct race_entry){ 0 };
	err = n ? stats_summarize(x, n, &sum) : 0;
	free(x);
	if (err == -ENOMEM)
		return sw_oom(s);
	if (err) {
		sw_say(s, "error: variant %.12s: a sample of %s is not a "
		       "finite number", v->hash, s->space->objectives[0].metric);
		return err;
	}
	if (n)
		v->race = (struct race_entry){ .median = sum.median,
					       .lo = sum.ci_low,
					       .hi = sum.ci_high,
					       .n = (unsigned)n };
	v->race_known = true;
	return 0;
}

/* Every variant's entry: done ones with their samples, the others out. */
static int entries(struct sweep *s, struct race_entry *e)
{
	size_t i;
	int err;

	for (i = 0; i < s->n_vars; i++) {
		struct variant *v = s->vars[i];

		e[i] = (struct race_entry){ 0 };
		if (v->status != STORE_DONE || v->lost || v->race_out)
			continue;
		if (!v->race_known && (err = load_entry(s, v)))
			return err;
		e[i] = v->race;
	}
	return 0;
}

/* "1234 [1200, 1260]" */
static void interval_text(const struct race_entry *e, char *buf, size_t len)
{
	char m[48], lo[48], hi[48];

	analysis_fmt(e->median, m, sizeof(m));
	analysis_fmt(e->lo, lo, sizeof(lo));
	analysis_fmt(e->hi, hi, sizeof(hi));
	snprintf(buf, len, "%s [%s, %s]", m, lo, hi);
}

static void say_topup(struct sweep *s, const struct race_entry *e, size_t n,
		      size_t pick, size_t best, unsigned target)
{
	const char *metric = s->space->objectives[0].metric;
	char mine[160], theirs[160];
	size_t i, rivals = 0;

	interval_text(&e[pick], mine, sizeof(mine));
	interval_text(&e[best], theirs, sizeof(theirs));
	for (i = 0; i < n; i++)
		rivals += i != best && e[i].n &&
			  race_overlap(e[i].lo, e[i].hi, e[best].lo,
				       e[best].hi);
	if (pick == best)
		sw_say(s, "race: %.12s, the best so far (%s %s), %zu "
		       "overlapping it: %u -> %u repetitions",
		       s->vars[pick]->hash, metric, mine, rivals, e[pick].n,
		       target);
	else
		sw_say(s, "race: %.12s (%s %s) overlaps the best %.12s (%s): "
		       "%u -> %u repetitions", s->vars[pick]->hash, metric,
		       mine, s->vars[best]->hash, theirs, e[pick].n, target);
}

int sw_race_next(struct sweep *s, struct variant **out)
{
	bool maximize = s->space->objectives[0].goal == SPACE_MAXIMIZE;
	struct race_entry *e;
	struct variant *v;
	unsigned target;
	size_t pick;
	int err, first;

	*out = NULL;
	if (!space_races(s->space) || s->prog.running || sw_interrupted() ||
	    !s->n_vars)
		return 0;
	e = calloc(s->n_vars, sizeof(*e));
	if (!e)
		return sw_oom(s);
	err = entries(s, e);
	if (err || !race_next(e, s->n_vars, maximize,
			      s->space->bench.max_repetitions, &pick, &target))
		goto out;
	v = s->vars[pick];
	err = store_next_repetition(s->st, v->id, &first);
	if (err) {
		err = sw_db_fail(s, err, "numbering a top-up");
		goto out;
	}
	say_topup(s, e, s->n_vars, pick, race_best(e, s->n_vars, maximize),
		  target);
	v->racing = true;
	v->race_first = first;
	v->race_more = target - e[pick].n;
	s->race_topups++;
	s->race_reps += v->race_more;
	*out = v;
out:
	free(e);
	return err;
}

void sw_race_done(struct sweep *s, struct variant *v,
		  const struct worker_result *r)
{
	unsigned before = v->race.n;
	char text[160];

	v->racing = false;
	v->race_known = false;
	if (r->status != STORE_DONE) {
		/* Like a failure in its first repetitions: it is out. */
		sw_say(s, "race: %.12s failed in its extra repetitions: %s: %s",
		       v->hash, store_status_name(r->status), r->reason);
		return;
	}
	if (load_entry(s, v))
		return;
	if (v->race.n <= before) {
		/* Its runs lacked the objective: asking again would loop. */
		v->race_out = true;
		sw_say(s, "warning: race: %.12s: the extra repetitions gave no "
		       "sample of %s; it leaves the race", v->hash,
		       s->space->objectives[0].metric);
		return;
	}
	interval_text(&v->race, text, sizeof(text));
	sw_say(s, "race: %.12s now has %u repetitions: %s %s", v->hash,
	       v->race.n, s->space->objectives[0].metric, text);
}
