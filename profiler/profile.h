/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Aggregation of symbolized stacks into a call tree and a function table.
 *
 * A stack is given outermost frame first. Each sample adds its weight to
 *   - every node on its path in the call tree (node total) and to the
 *     leaf node (node self);
 *   - the leaf frame's function (self), and every function on the path
 *     once (total: a recursive function counts once per sample);
 *   - every (function, file, line) on the path once: the hottest line of
 *     a function is the one most samples passed through, whether it was
 *     executing there or calling from there.
 * Functions are told apart by name and defining file, so two static
 * functions of one name are two functions; their display names then get
 * the file (" [alloc.c]"). profile_finish() computes display names, hot
 * lines and sorts each node's children by name (the flame-graph order).
 *
 * Strings are copied into the profile; frames may come from a symbolizer
 * that is closed afterwards.
 */
#ifndef UNITUNE_PROF_PROFILE_H
#define UNITUNE_PROF_PROFILE_H

#include <stddef.h>
#include <stdint.h>

struct prof_frame {
	const char *func;	/* required */
	const char *file;	/* NULL: unknown */
	int line;		/* 0: unknown */
	const char *decl_file;	/* identity; NULL: unknown */
};

struct prof_func {
	const char *name;	/* display name, after profile_finish() */
	const char *key_name;
	const char *decl_file;
	uint64_t self;
	uint64_t total;
	const char *hot_file;	/* after profile_finish(); NULL: none */
	int hot_line;
	uint64_t hot_count;
	uint64_t mark;		/* internal: last sample counted */
};

#define PROF_NONE UINT32_MAX
#define PROF_ROOT 0u	/* the root node: all samples, no function */

struct prof_node {
	uint32_t func;		/* PROF_NONE for the root */
	uint32_t parent;
	uint32_t child;		/* first child, PROF_NONE: none */
	uint32_t sibling;	/* next sibling, PROF_NONE: none */
	uint32_t depth;		/* root 0 */
	uint64_t self;
	uint64_t total;
};

struct profile;

struct profile *profile_new(void);

/* Keep the order samples arrive in (their leaf node and weight, 16
 * bytes per add), for profile_halves(). Call before the first add. */
void profile_keep_order(struct profile *p);

/* Add one stack (n >= 1 frames, outermost first) with a weight. 0, or
 * -ENOMEM, -EINVAL (n == 0 or a frame without a function). */
int profile_add(struct profile *p, const struct prof_frame *frames, size_t n,
		uint64_t weight);

/* Names, hot lines, child order. Call once, after the last add. 0 or
 * -ENOMEM. */
int profile_finish(struct profile *p);

uint64_t profile_samples(const struct profile *p);
size_t profile_nfuncs(const struct profile *p);
const struct prof_func *profile_func(const struct profile *p, size_t i);
size_t profile_nnodes(const struct profile *p);
const struct prof_node *profile_node(const struct profile *p, uint32_t i);

/* Functions sorted by self (then total, then name), descending; the array
 * is the caller's to free. NULL on -ENOMEM or when there are none. */
const struct prof_func **profile_by_self(const struct profile *p,
					 size_t *n);

/*
 * Self and total per function (indexed like profile_func()) in the first
 * and the second half of the samples, in the order they were added: the
 * first half holds the adds that start before half the total weight.
 * Splitting a trace by time this way shows how much a share moves within
 * one run. The profile must be finished and have kept its order.
 */
struct prof_halves {
	uint64_t samples[2];
	uint64_t *self[2];
	uint64_t *total[2];
};

/* 0, -EINVAL (the order was not kept) or -ENOMEM; free with
 * profile_halves_free() in every case. */
int profile_halves(const struct profile *p, struct prof_halves *h);
void profile_halves_free(struct prof_halves *h);

/* Display name of a function, by index. */
const char *profile_func_name(const struct profile *p, uint32_t func);

void profile_free(struct profile *p);

#endif
