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

/* xorshift64*: the same sequence on every run and every allocator. */
static inline uint64_t bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

#endif
