/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Confirmation of wall-clock suspects before anyone is told, as
 * Chromium's Pinpoint does: the commit before the change and the suspect
 * are re-measured alternately, NIGHTLY_CONFIRM_STEP repetitions at a
 * time, so drift of the machine falls on both, and only these samples are
 * compared (detect_compare) until the test says different or same, or
 * the per-side limit is reached (unconfirmed). A deterministic change is
 * exact and needs none of this.
 */
#include "nightly_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct samples {
	double *v;
	size_t n;
};

/* Measure one side NIGHTLY_CONFIRM_STEP times more; false when it could
 * not be measured (the reason is said). */
static int measure_side(struct nightly *n, const struct night_change *c,
			const struct git_commit *side, struct samples *s,
			bool *ok)
{
	struct measure_result r;
	double *v = NULL, *grown;
	size_t k = 0;
	int err;

	*ok = false;
	err = night_measure(n, side, c->bench, c->metric->name,
			    NIGHTLY_CONFIRM_STEP, HISTORY_CONFIRM, &r);
	if (!err && r.status == STORE_DONE)
		err = night_values(&r, c->bench, c->metric->name, &v, &k);
	if (!err && r.status != STORE_DONE)
		night_say(n, "confirm %s %s: %.12s did not measure: %s",
			  c->bench->name, c->metric->name, side->sha,
			  r.reason);
	if (!err && k) {
		grown = realloc(s->v, (s->n + k) * sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
		} else {
			memcpy(grown + s->n, v, k * sizeof(*v));
			s->v = grown;
			s->n += k;
			*ok = true;
		}
	}
	free(v);
	measure_result_free(&r);
	return err;
}

static bool worse(const struct night_change *c, double before, double after)
{
	return c->metric->better == SUITE_HIGHER_IS_BETTER ? after < before
							   : after > before;
}

static int confirm_one(struct nightly *n, struct night_change *c)
{
	unsigned max = n->o->confirm_max ? n->o->confirm_max
					 : NIGHTLY_CONFIRM_MAX_DEFAULT;
	struct samples a = { 0 }, b = { 0 };
	struct detect_params p;
	double pv = 1.0;
	bool ok_a, ok_b;
	int err = 0;

	night_params(c->metric, DETECT_WALL, &p);
	c->confirmation = REPORT_UNCONFIRMED;
	night_say(n, "confirming %s %s at %.12s (%+.1f%%): re-measuring it "
		  "and %.12s alternately", c->bench->name, c->metric->name,
		  c->at.sha, 100.0 * c->d.rel, c->before.sha);
	while (a.n < max || b.n < max) {
		enum detect_compare_result cmp;

		err = measure_side(n, c, &c->before, &a, &ok_a);
		if (!err)
			err = measure_side(n, c, &c->at, &b, &ok_b);
		if (err || !ok_a || !ok_b)
			break;
		cmp = detect_compare(a.v, a.n, b.v, b.n, p.p_value,
				     p.min_effect, &pv);
		if (cmp == DETECT_UNKNOWN)
			continue;
		if (cmp == DETECT_DIFFERENT &&
		    worse(c, night_median(a.v, a.n), night_median(b.v, b.n)))
			c->confirmation = REPORT_CONFIRMED;
		else
			c->confirmation = REPORT_REFUTED;
		break;
	}
	c->confirm_samples = a.n < b.n ? a.n : b.n;
	if (c->confirm_samples)
		c->d.p = pv;
	night_say(n, "confirm %s %s at %.12s: %s after %zu samples a side "
		  "(p %.3g)", c->bench->name, c->metric->name, c->at.sha,
		  report_confirmation_name(c->confirmation), c->confirm_samples,
		  pv);
	free(a.v);
	free(b.v);
	return err;
}

int night_confirm(struct nightly *n)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < n->n_changes; i++) {
		struct night_change *c = &n->changes[i];

		if (c->kind != DETECT_WALL ||
		    c->d.direction != DETECT_REGRESSION)
			continue;
		if (n->o->no_confirm) {
			c->confirmation = REPORT_UNCONFIRMED;
			continue;
		}
		err = confirm_one(n, c);
	}
	return err;
}
