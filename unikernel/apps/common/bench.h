/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Result lines of the in-guest benchmarks, the format the tuner parses
 * (docs/result-lines.md):
 *
 *   result: bench=<b> pattern=<p> ops=<n> cycles=<n> cycles_per_op=<x.xx> peak_heap=<bytes>
 *
 * cycles are TSC ticks: under --deterministic, executed instructions.
 * peak_heap is the allocator's high-water mark of allocated bytes during
 * the pattern. A pattern that could not finish prints instead
 *
 *   result: bench=<b> pattern=<p> failed=<reason> ops=<done>
 */
#ifndef APPS_BENCH_H
#define APPS_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uk/alloc.h>

struct bench_phase {
	const char *bench, *pattern;
	uint64_t t0;
};

static inline uint64_t bench_cycles(void)
{
	return __builtin_ia32_rdtsc();
}

static inline void bench_begin(struct bench_phase *ph, const char *bench,
			       const char *pattern)
{
	ph->bench = bench;
	ph->pattern = pattern;
	uk_alloc_stats_reset_peak(uk_alloc_default());
	ph->t0 = bench_cycles();
}

static inline void bench_end(struct bench_phase *ph, uint64_t ops)
{
	uint64_t cycles = bench_cycles() - ph->t0;
	struct uk_alloc_stats st;

	uk_alloc_stats_get(uk_alloc_default(), &st);
	printf("result: bench=%s pattern=%s ops=%llu cycles=%llu "
	       "cycles_per_op=%.2f peak_heap=%llu\n",
	       ph->bench, ph->pattern, (unsigned long long)ops,
	       (unsigned long long)cycles, ops ? (double)cycles / (double)ops : 0.0,
	       (unsigned long long)st.peak_bytes);
}

static inline void bench_fail(struct bench_phase *ph, const char *reason,
			      uint64_t ops_done)
{
	printf("result: bench=%s pattern=%s failed=%s ops=%llu\n", ph->bench,
	       ph->pattern, reason, (unsigned long long)ops_done);
}

/* A benchmark's pattern: its name and what runs it, returning the
 * operations done. */
struct bench_pattern {
	const char *name;
	uint64_t (*run)(unsigned scale);
};

/* SCALE, the first argument: 1 when absent or 0. */
static inline unsigned bench_scale(int argc, char *argv[])
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;

	return scale ? scale : 1;
}

/*
 * Run the n patterns of bench in order, a result line each. check (may
 * be NULL) is asked after each whether it could not finish: it returns
 * the reason for its failed= line (having said why) or NULL. Returns the
 * number of patterns that failed.
 */
/* Inlined, so a benchmark's check is inlined too and the timed window
 * holds only what a hand-written loop would. */
static inline __attribute__((always_inline)) int
bench_run(const char *bench, const struct bench_pattern *p, size_t n,
	  unsigned scale,
	  const char *(*check)(const char *pattern, uint64_t ops))
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		struct bench_phase ph;
		const char *why;

		bench_begin(&ph, bench, p[i].name);
		uint64_t ops = p[i].run(scale);
		if (check && (why = check(p[i].name, ops))) {
			bench_fail(&ph, why, ops);
			failed++;
			continue;
		}
		bench_end(&ph, ops);
	}
	return failed;
}

/* xorshift64*: the same sequence on every run and every allocator. */
static inline uint64_t bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

#endif
