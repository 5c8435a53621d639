/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The min_mem search. See min_mem.h.
 */
#include "min_mem.h"

#include <errno.h>
#include <stddef.h>

/*
 * Steps a gallop takes before bisection takes over: 6 doubling steps from
 * the resolution reach 63 resolutions away (252 KiB at 4 KiB), past what
 * a prediction that is merely off misses by, while a guess that is far
 * off costs at most these runs more than bisection alone.
 */
#define GALLOP_STEPS_MAX 6

/* What the runs so far imply, bisection's assumption granted: every size
 * up to fail fails, every size from run up runs. */
struct known {
	uint64_t fail, run;
};

enum answer { FAILS, RUNS, UNKNOWN };

static enum answer known_answer(const struct known *k, uint64_t kib)
{
	if (kib <= k->fail)
		return FAILS;
	if (kib >= k->run)
		return RUNS;
	return UNKNOWN;
}

/* Ask the oracle about kib (unknown so far) and remember the answer. */
static int ask(const struct min_mem_query *q, struct known *k, uint64_t kib,
	       struct min_mem_answer *out, bool *runs)
{
	int err = q->runs(q->ctx, kib, runs);

	out->probes++;
	if (err)
		return err;
	if (*runs)
		k->run = kib;
	else
		k->fail = kib;
	return 0;
}

/*
 * The bracket bisection ends with when every size it asks about is
 * answered from k where k knows, and as if guess were the threshold
 * elsewhere: *lo < guess <= *hi whenever k->fail < guess <= k->run.
 */
static void final_bracket(const struct min_mem_query *q, const struct known *k,
			  uint64_t guess, uint64_t *lo, uint64_t *hi)
{
	uint64_t l = q->lo_kib, h = q->hi_kib;

	while (h - l > q->resolution_kib) {
		uint64_t mid = l + (h - l) / 2;
		enum answer a = known_answer(k, mid);

		if (a == UNKNOWN)
			a = mid >= guess ? RUNS : FAILS;
		if (a == RUNS)
			h = mid;
		else
			l = mid;
	}
	*lo = l;
	*hi = h;
}

/* Bisection, asking only what k does not already tell; its answer. */
static int bisect_known(const struct min_mem_query *q, struct known *k,
			struct min_mem_answer *out)
{
	uint64_t l = q->lo_kib, h = q->hi_kib;
	bool runs;
	int err;

	while (h - l > q->resolution_kib) {
		uint64_t mid = l + (h - l) / 2;
		enum answer a = known_answer(k, mid);

		if (a == UNKNOWN) {
			err = ask(q, k, mid, out, &runs);
			if (err)
				return err;
			a = runs ? RUNS : FAILS;
		}
		if (a == RUNS)
			h = mid;
		else
			l = mid;
	}
	out->kib = h;
	return 0;
}

static uint64_t clamp_guess(const struct known *k, uint64_t guess)
{
	if (guess <= k->fail)
		return k->fail + 1;
	return guess > k->run ? k->run : guess;
}

static uint64_t first_step(const struct min_mem_query *q)
{
	return q->step_kib ? q->step_kib : q->resolution_kib;
}

/*
 * A check just learnt that the threshold is above k->fail (up) or at or
 * below k->run (down). Guesses move that way from there by doubling
 * steps, each checked at the end of its bracket on that side, until one
 * answers the other way (the threshold is bracketed) or the steps run
 * out.
 */
static int gallop(const struct min_mem_query *q, struct known *k, bool up,
		  struct min_mem_answer *out)
{
	uint64_t step = first_step(q), guess, l, h, at;
	bool runs = !up;
	unsigned n;
	int err;

	for (n = 0; runs != up && n < GALLOP_STEPS_MAX; n++) {
		if (up)
			guess = k->fail + step;
		else
			guess = k->run > step ? k->run + 1 - step : 0;
		final_bracket(q, k, clamp_guess(k, guess), &l, &h);
		at = up ? h : l;
		if (known_answer(k, at) != UNKNOWN)
			return 0;
		err = ask(q, k, at, out, &runs);
		if (err)
			return err;
		step *= 2;
	}
	return 0;
}

/* Check the guess's final bracket; gallop from whichever end disagrees. */
static int check_guess(const struct min_mem_query *q, struct known *k,
		       struct min_mem_answer *out)
{
	uint64_t l, h;
	bool runs;
	int err;

	final_bracket(q, k, clamp_guess(k, q->guess_kib), &l, &h);
	if (known_answer(k, h) == UNKNOWN) {
		err = ask(q, k, h, out, &runs);
		if (err)
			return err;
		if (!runs)
			return gallop(q, k, true, out);
	}
	if (known_answer(k, l) == UNKNOWN) {
		err = ask(q, k, l, out, &runs);
		if (err)
			return err;
		if (runs)
			return gallop(q, k, false, out);
	}
	out->guess_held = true;
	return 0;
}

static bool query_valid(const struct min_mem_query *q)
{
	return q->runs && q->resolution_kib && q->hi_kib > q->lo_kib;
}

int min_mem_search(const struct min_mem_query *q, struct min_mem_answer *out)
{
	struct known k = { q->lo_kib, q->hi_kib };
	int err;

	out->kib = 0;
	out->probes = 0;
	out->guess_held = false;
	if (!query_valid(q))
		return -EINVAL;
	if (q->guess_kib > q->lo_kib && q->hi_kib - q->lo_kib >
					    q->resolution_kib) {
		err = check_guess(q, &k, out);
		if (err)
			return err;
	}
	return bisect_known(q, &k, out);
}

int min_mem_bisect(const struct min_mem_query *q, struct min_mem_answer *out)
{
	struct known k = { q->lo_kib, q->hi_kib };

	out->kib = 0;
	out->probes = 0;
	out->guess_held = false;
	if (!query_valid(q))
		return -EINVAL;
	return bisect_known(q, &k, out);
}
