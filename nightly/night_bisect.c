/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bisection of a confirmed regression between the last good and the first
 * bad measured commit, by git bisect in the night's worktree: git picks
 * each step's commit and checks it out there, nightly builds and measures
 * only the regressed benchmark's metric, and answers good, bad or skip
 * (a commit that does not build or run). A step is bad when its value is
 * nearer the bad end's than the good end's, which holds for deterministic
 * and wall metrics alike and does not depend on the threshold.
 */
#include "nightly_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* git bisect's steps are log2 of the range; this bounds a broken loop. */
#define BISECT_MAX_STEPS 64

static int bisect_git(struct nightly *n, const char *const *args,
		      struct strbuf *out, char *why, size_t why_len)
{
	strbuf_release(out);
	return git_run(n->src, args, out, why, why_len);
}

/* "SHA is the first bad commit" in git bisect's output: the culprit. */
static bool first_bad(const struct strbuf *out, git_sha sha)
{
	const char *p = out->buf ? strstr(out->buf, " is the first bad commit")
				 : NULL;

	if (!p || p - out->buf < GIT_SHA_LEN)
		return false;
	memcpy(sha, p - GIT_SHA_LEN, GIT_SHA_LEN);
	sha[GIT_SHA_LEN] = 0;
	return true;
}

static int add_step(struct night_change *c, const struct git_commit *g,
		    double value, bool bad, bool failed)
{
	struct report_step *s;
	char **str;

	s = realloc(c->steps, (c->n_steps + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	c->steps = s;
	str = realloc(c->step_strings, (2 * c->n_steps + 2) * sizeof(*str));
	if (!str)
		return -ENOMEM;
	c->step_strings = str;
	str[2 * c->n_steps] = strdup(g->sha);
	str[2 * c->n_steps + 1] = strdup(g->subject);
	if (!str[2 * c->n_steps] || !str[2 * c->n_steps + 1])
		return -ENOMEM;
	s[c->n_steps] = (struct report_step){
		.commit = str[2 * c->n_steps],
		.subject = str[2 * c->n_steps + 1],
		.value = value,
		.bad = bad,
		.failed = failed,
	};
	c->n_steps++;
	return 0;
}

/* Measure the commit the worktree is at; *verdict "good", "bad" or
 * "skip". */
static int judge(struct nightly *n, struct night_change *c,
		 const char **verdict)
{
	struct measure_result r;
	struct git_commit g;
	char why[512];
	double *v = NULL, value = NAN;
	size_t k = 0;
	int err;

	err = git_commit_info(n->src, "HEAD", &g, why, sizeof(why));
	if (err) {
		night_say(n, "error: bisect: %s", why);
		return err;
	}
	err = night_measure(n, &g, c->bench, c->metric->name, 0,
			    HISTORY_BISECT, &r);
	if (!err && r.status == STORE_DONE)
		err = night_values(&r, c->bench, c->metric->name, &v, &k);
	if (err)
		goto out;
	if (!k) {
		*verdict = "skip";
		night_say(n, "bisect %s %s: %.12s %s: skipped (%s)",
			  c->bench->name, c->metric->name, g.sha, g.subject,
			  r.status == STORE_DONE ? "no value"
						 : store_status_name(r.status));
		err = add_step(c, &g, NAN, false, true);
		goto out;
	}
	value = night_median(v, k);
	*verdict = fabs(value - c->d.after) <= fabs(value - c->d.before)
			   ? "bad"
			   : "good";
	night_say(n, "bisect %s %s: %.12s %s: %g (%+.2f%% from %.12s): %s",
		  c->bench->name, c->metric->name, g.sha, g.subject, value,
		  c->d.before ? 100.0 * (value / c->d.before - 1) : 0.0,
		  c->before.sha, *verdict);
	err = add_step(c, &g, value, !strcmp(*verdict, "bad"), false);
out:
	free(v);
	measure_result_free(&r);
	return err;
}

static int bisect_one(struct nightly *n, struct night_change *c)
{
	const char *reset[] = { "bisect", "reset", "--quiet", NULL };
	const char *start[] = { "bisect", "start", c->at.sha, c->before.sha,
				"--", NULL };
	struct strbuf out = STRBUF_INIT, ignore = STRBUF_INIT;
	char why[1024];
	git_sha culprit = "";
	int err, steps;

	night_say(n, "bisecting %s %s between %.12s (good) and %.12s (bad)",
		  c->bench->name, c->metric->name, c->before.sha, c->at.sha);
	err = git_worktree_at(n->repo, n->src, c->at.sha, why, sizeof(why));
	if (!err) {
		bisect_git(n, reset, &ignore, why, sizeof(why));
		err = bisect_git(n, start, &out, why, sizeof(why));
	}
	n->src_at[0] = 0;
	for (steps = 0; !err && steps < BISECT_MAX_STEPS; steps++) {
		const char *verdict = "skip";
		const char *answer[] = { "bisect", NULL, NULL };

		if (first_bad(&out, culprit))
			break;
		if (out.buf && strstr(out.buf, "only 'skip'ped commits left")) {
			night_say(n, "bisect %s %s: only commits that could not "
				  "be measured are left; no single culprit",
				  c->bench->name, c->metric->name);
			break;
		}
		err = judge(n, c, &verdict);
		n->src_at[0] = 0;
		if (err)
			break;
		answer[1] = verdict;
		err = bisect_git(n, answer, &out, why, sizeof(why));
	}
	if (err)
		night_say(n, "error: bisect: %s", why);
	bisect_git(n, reset, &ignore, why, sizeof(why));
	n->src_at[0] = 0;
	if (!err && culprit[0]) {
		err = git_commit_info(n->repo, culprit, &c->culprit, why,
				      sizeof(why));
		c->has_culprit = !err;
		c->bisected = true;
		if (!err)
			night_say(n, "bisect %s %s: the culprit is %.12s %s "
				  "(%zu steps)", c->bench->name,
				  c->metric->name, culprit, c->culprit.subject,
				  c->n_steps);
	}
	strbuf_release(&out);
	strbuf_release(&ignore);
	return err == -ENOMEM ? err : 0;
}

static bool confirmed_regression(const struct night_change *c)
{
	return c->d.direction == DETECT_REGRESSION &&
	       (c->confirmation == REPORT_EXACT ||
		c->confirmation == REPORT_CONFIRMED);
}

int night_bisect(struct nightly *n)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < n->n_changes; i++) {
		struct night_change *c = &n->changes[i];

		if (!confirmed_regression(c))
			continue;
		/* Adjacent ends: the first bad commit is the culprit. */
		if (!strcmp(c->at.parent, c->before.sha)) {
			c->culprit = c->at;
			c->has_culprit = true;
			continue;
		}
		if (n->o->bisect)
			err = bisect_one(n, c);
	}
	return err;
}
