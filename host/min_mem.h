/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The search for min_mem, the least guest memory with which an image
 * still runs, as a pure function of a "does it run with this much?"
 * oracle, so it can be tested without booting anything.
 *
 * The answer is defined by bisection: start with lo (taken to fail: the
 * image cannot even be loaded into less) and hi (taken to run: the
 * benchmark just ran with it), halve the bracket (mid = lo + (hi - lo) / 2)
 * until it is at most resolution wide, and answer its upper end. Like any
 * bisection it assumes the image runs with every size from some threshold
 * up and with none below.
 *
 * min_mem_search() gives the same answer with fewer runs when it is
 * given a guess of the threshold (the guest's "[uk] mem: need=" line):
 * it works out the final bracket bisection would reach if the guess were
 * the threshold, and checks both ends with one run each. Under the
 * assumption above, "runs at the upper end, fails at the lower one" means
 * every step of bisection's path would have gone the same way, so the
 * upper end is bisection's answer. When a check says otherwise the guess
 * moves in that direction by doubling steps (at most 6) until the
 * threshold is bracketed, then bisection finishes, asking only about
 * sizes whose answer the runs so far do not already imply. Without a
 * guess that is plain bisection. A right guess costs 2 runs; one a few
 * resolutions off about 4 to 10; one far off at most 8 more than
 * bisection (2 checks and 6 gallop steps).
 */
#ifndef UNITUNE_MIN_MEM_H
#define UNITUNE_MIN_MEM_H

#include <stdbool.h>
#include <stdint.h>

/* Does the image run with mem_kib KiB? *runs is the answer; the return
 * value 0, or a negative errno that stops the search (a failure of the
 * host, not of the image). */
typedef int (*min_mem_oracle)(void *ctx, uint64_t mem_kib, bool *runs);

struct min_mem_query {
	uint64_t lo_kib;	 /* taken to fail, never asked */
	uint64_t hi_kib;	 /* taken to run, never asked; > lo_kib */
	uint64_t resolution_kib; /* >= 1 */
	uint64_t guess_kib;	 /* predicted threshold; 0: none */
	uint64_t step_kib;	 /* the gallop's first step; 0: the
				  * resolution (a coarser granule of the
				  * answers saves runs) */
	min_mem_oracle runs;
	void *ctx;
};

struct min_mem_answer {
	uint64_t kib;		/* bisection's answer */
	unsigned probes;	/* oracle calls made */
	bool guess_held;	/* the two checks of the guess agreed */
};

/* 0, -EINVAL for a query that breaks the rules above, or the oracle's
 * error. */
int min_mem_search(const struct min_mem_query *q, struct min_mem_answer *out);

/* Plain bisection as defined above, every step asked: the reference the
 * search must agree with (q->guess_kib is ignored). */
int min_mem_bisect(const struct min_mem_query *q, struct min_mem_answer *out);

#endif
