/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libcbench [SCALE]: work that leans on libc, one result line per pattern
 * (apps/common/bench.h).
 *   qsort     sort 20000 pseudo-random ints
 *   snprintf  format integers, floats and strings
 *   strtod    parse decimal and exponent notation
 *   string    strlen, strchr, strstr, memcmp, memcpy over a text buffer
 */
#include <stdlib.h>
#include <string.h>
#include "../common/bench.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static uint64_t pattern_qsort(unsigned scale)
{
	enum { N = 20000 };
	int *v = malloc(N * sizeof(int));
	uint64_t seed = 4, ops = 0;

	if (!v)
		abort();
	for (unsigned r = 0; r < scale; r++) {
		for (int i = 0; i < N; i++)
			v[i] = (int)(bench_rand(&seed) >> 33);
		qsort(v, N, sizeof(int), cmp_int);
		for (int i = 1; i < N; i++)
			if (v[i - 1] > v[i])
				abort();
		ops += N;
	}
	free(v);
	return ops;
}

static uint64_t pattern_snprintf(unsigned scale)
{
	char buf[128];
	uint64_t seed = 5, ops = 0, sink = 0;

	for (uint64_t i = 0; i < 20000ULL * scale; i++) {
		uint64_t r = bench_rand(&seed);
		int n = snprintf(buf, sizeof(buf), "%d %08x %.3f %s|%-6lu",
				 (int)(r >> 40), (unsigned)r, (double)(r >> 20) / 1e3,
				 (r & 1) ? "odd" : "even", (unsigned long)(r % 1000));
		sink += (uint64_t)n;
		ops++;
	}
	return sink ? ops : 0;
}

static uint64_t pattern_strtod(unsigned scale)
{
	static const char *const inputs[] = {
		"3.14159", "-2.5e-3", "1e308", "12345678.875", "0.000001",
		"6.02214076e23", "-0", "42", "2.2250738585072014e-308", "7.5",
	};
	uint64_t ops = 0;
	double sum = 0;

	for (uint64_t i = 0; i < 20000ULL * scale; i++) {
		sum += strtod(inputs[i % 10], NULL);
		ops++;
	}
	return sum != 0 ? ops : 0;
}

static uint64_t pattern_string(unsigned scale)
{
	enum { LEN = 4096 };
	char *a = malloc(LEN + 1), *b = malloc(LEN + 1);
	uint64_t seed = 6, ops = 0, sink = 0;

	if (!a || !b)
		abort();
	for (int i = 0; i < LEN; i++)
		a[i] = (char)('a' + bench_rand(&seed) % 26);
	a[LEN] = '\0';
	for (uint64_t i = 0; i < 2000ULL * scale; i++) {
		memcpy(b, a, LEN + 1);
		b[i % LEN] = 'Z';
		sink += strlen(b);
		sink += (uint64_t)(strchr(b, 'Z') - b);
		sink += strstr(b, "zzq") != NULL;
		sink += (uint64_t)(memcmp(a, b, LEN) != 0);
		ops += 5;
	}
	free(a);
	free(b);
	return sink ? ops : 0;
}

int main(int argc, char *argv[])
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	static const struct {
		const char *name;
		uint64_t (*run)(unsigned scale);
	} patterns[] = {
		{ "qsort", pattern_qsort },
		{ "snprintf", pattern_snprintf },
		{ "strtod", pattern_strtod },
		{ "string", pattern_string },
	};

	if (!scale)
		scale = 1;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		struct bench_phase ph;
		bench_begin(&ph, "libc", patterns[i].name);
		bench_end(&ph, patterns[i].run(scale));
	}
	return 0;
}
