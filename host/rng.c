/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * splitmix64 and the draws made from it (host/rng.h).
 */
#include "rng.h"

uint64_t rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return rng_mix64(*state);
}

uint64_t rng_below(uint64_t *state, uint64_t bound)
{
	uint64_t threshold = -bound % bound, r;

	do
		r = rng_next(state);
	while (r < threshold);
	return r % bound;
}

double rng_unit(uint64_t *state)
{
	return (double)(rng_next(state) >> 11) * 0x1.0p-53;
}
