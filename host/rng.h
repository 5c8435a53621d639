/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one seeded generator of the host tools: splitmix64 (a public-domain
 * algorithm by S. Vigna), the same sequence on every machine, unlike
 * rand(). The search strategies (tuner/strategy.c) and the bootstrap of
 * host/stats.c draw from it; the caller owns the state.
 */
#ifndef UNITUNE_RNG_H
#define UNITUNE_RNG_H

#include <stdint.h>

/* splitmix64's finalizer alone: a well-mixed 64-bit hash of z (hash
 * tables, a point's seed). */
uint64_t rng_mix64(uint64_t z);

/* The next 64 bits; *state advances. */
uint64_t rng_next(uint64_t *state);

/* Uniform in [0, bound), bound >= 1, without modulo bias. */
uint64_t rng_below(uint64_t *state, uint64_t bound);

/* Uniform in [0, 1). */
double rng_unit(uint64_t *state);

#endif
