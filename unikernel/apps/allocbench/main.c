/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * allocbench [SCALE]: well-known allocation patterns, one result line each
 * (apps/common/bench.h). SCALE (default 1) multiplies the operation counts.
 *   small   many small short-lived objects (16-64 B, a window of 64 live)
 *   mixed   log-uniform sizes 8 B-4 KiB, random frees, up to 2048 live
 *   larson  producer/consumer: blocks allocated in one place and freed
 *           later in FIFO order elsewhere, random sizes 16-1024 B
 *   realloc buffers grown step by step to 64 KiB, then freed
 * When the allocator runs dry (the region allocator never frees), the
 * pattern stops and reports failed=out_of_memory with the operations done;
 * the exit status counts the failed patterns.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/compiler.h>
#include "../common/bench.h"

/* Set by a pattern whose malloc returned NULL. */
static bool out_of_memory;

static void *checked_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		out_of_memory = true;
	return p;
}

static void touch(void *p, size_t n)
{
	/* Write the first and last byte: an allocator that returned too
	 * little would corrupt its own metadata and show it. */
	((volatile char *)p)[0] = 1;
	((volatile char *)p)[n - 1] = 1;
}

static uint64_t pattern_small(unsigned scale)
{
	enum { WINDOW = 64 };
	void *live[WINDOW] = { 0 };
	uint64_t seed = 1, ops = 0, n = 200000ULL * scale;

	for (uint64_t i = 0; i < n && !out_of_memory; i++) {
		size_t sz = 16 + bench_rand(&seed) % 49;
		unsigned slot = i % WINDOW;
		free(live[slot]);
		live[slot] = checked_malloc(sz);
		if (!live[slot])
			break;
		touch(live[slot], sz);
		ops += 2;
	}
	for (unsigned i = 0; i < WINDOW; i++)
		free(live[i]);
	return ops;
}

static uint64_t pattern_mixed(unsigned scale)
{
	enum { LIVE = 2048 };
	static void *live[LIVE];
	static size_t sizes[LIVE];
	uint64_t seed = 2, ops = 0, n = 50000ULL * scale;

	for (uint64_t i = 0; i < n && !out_of_memory; i++) {
		unsigned slot = bench_rand(&seed) % LIVE;
		if (live[slot]) {
			free(live[slot]);
			live[slot] = NULL;
			ops++;
			continue;
		}
		/* log-uniform: 2^3 .. 2^12 bytes */
		unsigned shift = 3 + bench_rand(&seed) % 10;
		size_t sz = ((size_t)1 << shift) + bench_rand(&seed) % ((size_t)1 << shift);
		live[slot] = checked_malloc(sz);
		if (!live[slot])
			break;
		sizes[slot] = sz;
		touch(live[slot], sz);
		ops++;
	}
	for (unsigned i = 0; i < LIVE; i++) {
		free(live[i]);
		live[i] = NULL;
	}
	(void)sizes;
	return ops;
}

static uint64_t pattern_larson(unsigned scale)
{
	enum { QUEUE = 1000 };
	static void *queue[QUEUE];
	unsigned head = 0, count = 0;
	uint64_t seed = 3, ops = 0, n = 100000ULL * scale;

	for (uint64_t i = 0; i < n && !out_of_memory; i++) {
		/* The producer fills; once the queue is full the consumer
		 * frees the oldest block for every new one. */
		if (count == QUEUE) {
			free(queue[head]);
			head = (head + 1) % QUEUE;
			count--;
			ops++;
		}
		size_t sz = 16 + bench_rand(&seed) % 1009;
		void *p = checked_malloc(sz);
		if (!p)
			break;
		touch(p, sz);
		queue[(head + count) % QUEUE] = p;
		count++;
		ops++;
	}
	while (count) {
		free(queue[head]);
		head = (head + 1) % QUEUE;
		count--;
	}
	return ops;
}

static uint64_t pattern_realloc(unsigned scale)
{
	uint64_t ops = 0, n = 50ULL * scale;

	for (uint64_t i = 0; i < n && !out_of_memory; i++) {
		char *buf = NULL;
		for (size_t sz = 64; sz <= 65536; sz += sz / 2) {
			char *nb = realloc(buf, sz);
			if (!nb) {
				out_of_memory = true;
				break;
			}
			buf = nb;
			touch(buf, sz);
			ops++;
		}
		free(buf);
		ops++;
	}
	return ops;
}

/* A human-readable line before the result line, which only has a token:
 * which allocator ran dry, with how big a pool, and why. */
static void say_why_out_of_memory(const char *pattern, uint64_t ops)
{
	struct uk_alloc *a = uk_alloc_default();
	struct uk_alloc_stats st;

	uk_alloc_stats_get(a, &st);
	printf("allocbench: %s: out of memory after %llu operations: the %s "
	       "allocator's %llu KiB pool %s; more guest memory (--mem) "
	       "lets it finish\n",
	       pattern, (unsigned long long)ops, a->ops->name,
	       (unsigned long long)(st.pool_bytes / 1024),
	       IS_ENABLED(CONFIG_UKALLOC_REGION)
		       ? "is spent: it never frees"
		       : "has no block left for the request");
}

int main(int argc, char *argv[])
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	static const struct {
		const char *name;
		uint64_t (*run)(unsigned scale);
	} patterns[] = {
		{ "small", pattern_small },
		{ "mixed", pattern_mixed },
		{ "larson", pattern_larson },
		{ "realloc", pattern_realloc },
	};

	int failed = 0;

	if (!scale)
		scale = 1;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		struct bench_phase ph;
		out_of_memory = false;
		bench_begin(&ph, "alloc", patterns[i].name);
		uint64_t ops = patterns[i].run(scale);
		if (out_of_memory) {
			say_why_out_of_memory(patterns[i].name, ops);
			bench_fail(&ph, "out_of_memory", ops);
			failed++;
		} else {
			bench_end(&ph, ops);
		}
	}
	return failed;
}
