/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * profsplit [ROUNDS]: a workload with a known profile, for checking the
 * sampling profiler. Three functions with the same loop body run 6000,
 * 3000 and 1000 iterations per round, so they take 60%, 30% and 10% of the
 * instructions (plus a sliver of loop and call overhead). Interleaving them
 * every round keeps the split the same over any stretch of time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SPLIT_BODY(n)                                                          \
	do {                                                                   \
		for (uint64_t i = 0; i < (n); i++)                             \
			__asm__ volatile("" : "+r"(acc) : "r"(i));             \
	} while (0)

__attribute__((noinline)) static uint64_t split_sixty(uint64_t acc)
{
	SPLIT_BODY(6000);
	return acc;
}

__attribute__((noinline)) static uint64_t split_thirty(uint64_t acc)
{
	SPLIT_BODY(3000);
	return acc;
}

__attribute__((noinline)) static uint64_t split_ten(uint64_t acc)
{
	SPLIT_BODY(1000);
	return acc;
}

int main(int argc, char *argv[])
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	uint64_t acc = 1;

	for (unsigned long r = 0; r < rounds; r++) {
		acc = split_sixty(acc);
		acc = split_thirty(acc);
		acc = split_ten(acc);
	}
	printf("profsplit: %lu rounds done (%llu)\n", rounds, (unsigned long long)acc);
	return 0;
}
