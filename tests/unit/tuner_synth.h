/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A synthetic experiment for the read-side tests (analysis, report):
 * a three-option space checked against the real Kconfig tree and a store
 * in a temporary file holding six variants whose expected statistics,
 * ranking, effects and Pareto front are worked out by hand in
 * test_tuner_analysis.c. Included by one test file each (static).
 *
 *   id  alloc   stack banner status        boot_cycles     image_size
 *   1   REGION  16    y      done          100, 110 (105)  1250
 *   2   REGION  64    y      done          90              1200
 *   3   TLSF    16    y      done          120             900
 *   4   TLSF    64    n      done          80, 84, 88 (84) 1300
 *   5   REGION  16    n      crashed       -               -
 *   6   TLSF    16    n      build_failed  -               -
 *
 * Variant 4 asked for a 64 KiB stack; its resolved config has 128.
 *
 * synth_noisy_experiment() adds another experiment with wall-clock
 * samples (synth_noisy: ties and the front within the noise).
 */
#ifndef UNITUNE_TEST_TUNER_SYNTH_H
#define UNITUNE_TEST_TUNER_SYNTH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kconfig.h"
#include "space.h"
#include "store.h"
#include "strbuf.h"
#include "tmpdb.h"
#include "why.h"

/* fixtures/ is tests/unit/fixtures: the tree root is three levels up. */
#define SYNTH_UNIKERNEL UT_FIXTURES "/../../../unikernel"
#define SYNTH_NAME "synth"

static const char synth_space_text[] =
	"name: synth\n"
	"app: hello\n"
	"options:\n"
	"  - symbol: CONFIG_UKALLOC_BACKEND\n"
	"    type: choice\n"
	"    values: [CONFIG_UKALLOC_REGION, CONFIG_UKALLOC_TLSF]\n"
	"  - symbol: CONFIG_UKBOOT_STACK_KB\n"
	"    type: int\n"
	"    values: [16, 64]\n"
	"  - symbol: CONFIG_UKBOOT_BANNER\n"
	"    type: bool\n"
	"objectives:\n"
	"  - {metric: boot_cycles, goal: minimize}\n"
	"  - {metric: image_size, goal: minimize}\n";

struct synth {
	char db[64];
	struct kconfig *kc;
	struct space *space;
	struct store *st;
	int64_t exp;
};

struct synth_variant {
	size_t idx[3];
	enum store_status status;
	double boot[3];
	unsigned n_boot;
	double size;
	const char *log;
};

static const struct synth_variant synth_variants[] = {
	{ { 0, 0, 0 }, STORE_DONE, { 100, 110 }, 2, 1250, NULL },
	{ { 0, 1, 0 }, STORE_DONE, { 90 }, 1, 1200, NULL },
	{ { 1, 0, 0 }, STORE_DONE, { 120 }, 1, 900, NULL },
	{ { 1, 1, 1 }, STORE_DONE, { 80, 84, 88 }, 3, 1300, NULL },
	{ { 0, 0, 1 }, STORE_CRASHED, { 0 }, 0, 0, "panic: oops\n---\nbooting\n" },
	{ { 1, 0, 1 }, STORE_BUILD_FAILED, { 0 }, 0, 0, "error: x\n---\ncc ...\n" },
};

#define SYNTH_N (sizeof(synth_variants) / sizeof(synth_variants[0]))

static void synth_add(struct synth *s, size_t i)
{
	const struct synth_variant *sv = &synth_variants[i];
	struct strbuf req = STRBUF_INIT, res = STRBUF_INIT;
	char hash[16];
	int64_t vid;
	unsigned r;

	assert_int_equal(space_point_format(s->space, sv->idx, &req), 0);
	if (i == 3)
		strbuf_adds(&res, "CONFIG_UKALLOC_TLSF=y\n"
				  "CONFIG_UKBOOT_STACK_KB=128\n"
				  "# CONFIG_UKBOOT_BANNER is not set\n");
	else
		strbuf_adds(&res, req.buf);
	strbuf_adds(&res, "CONFIG_UKDEBUG=y\n");
	snprintf(hash, sizeof(hash), "hash%zu", i + 1);
	assert_int_equal(store_variant_upsert(s->st, s->exp, hash, req.buf,
					      res.buf, &vid, NULL),
			 1);
	assert_int_equal(vid, (int64_t)i + 1);
	for (r = 0; r < sv->n_boot; r++)
		assert_int_equal(store_run_add(s->st, vid, "boot_cycles",
					       sv->boot[r], "cycles", (int)r,
					       STORE_DETERMINISTIC, "tcg"),
				 0);
	if (sv->size > 0)
		assert_int_equal(store_run_add(s->st, vid, "image_size",
					       sv->size, "bytes", 0,
					       STORE_DETERMINISTIC, "tcg"),
				 0);
	if (i == 0)
		assert_int_equal(store_run_add(s->st, vid,
					       "alloc.small.cycles_per_op", 7,
					       "cycles", 0,
					       STORE_DETERMINISTIC, "tcg"),
				 0);
	assert_int_equal(store_variant_set_status(s->st, vid, sv->status,
						  sv->log),
			 0);
	strbuf_release(&req);
	strbuf_release(&res);
}

static int synth_setup(void **state)
{
	struct synth *s = calloc(1, sizeof(*s));
	struct strbuf err = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX];
	size_t i;
	int r;

	if (!s)
		return -1;
	*state = s;
	r = kconfig_load(SYNTH_UNIKERNEL, "Config.uk", NULL, &s->kc, &err);
	if (r) {
		fprintf(stderr, "synth: %d %s\n", r, err.buf ? err.buf : "");
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	r = space_load_text(synth_space_text, strlen(synth_space_text),
			    "synth.yaml", s->kc, &s->space, why, sizeof(why));
	if (r) {
		fprintf(stderr, "synth: %d %s\n", r, why);
		return -1;
	}
	if (tmpdb_create(s->db, sizeof(s->db), "synth"))
		return -1;
	if (store_open(s->db, &s->st))
		return -1;
	if (store_experiment_create(s->st, SYNTH_NAME, "spaces/synth.yaml",
				    synth_space_text, &s->exp))
		return -1;
	for (i = 0; i < SYNTH_N; i++)
		synth_add(s, i);
	if (store_env_set(s->st, s->exp, "0123abc", "testhost",
			  "QEMU emulator version 8.2.2", "Test CPU @ 3GHz"))
		return -1;
	return 0;
}

static int synth_teardown(void **state)
{
	struct synth *s = *state;

	if (!s)
		return 0;
	store_close(s->st);
	space_free(s->space);
	kconfig_free(s->kc);
	if (s->db[0])
		tmpdb_remove(s->db);
	free(s);
	return 0;
}

/* One variant of a noisy experiment: boot_cycles samples of one kind,
 * image_size (deterministic) when size > 0. */
struct synth_noisy_variant {
	size_t idx[3];
	double boot[4];
	unsigned n_boot;
	enum store_kind kind;
	double size;
};

/*
 * (boot_cycles, wall, minimized; image_size, deterministic):
 *   A 100 101 102 -> 101 [100, 102], 1000
 *   B 103 101 102 -> 102 [101, 103], 1000  overlaps A: tied, and only
 *                                          within the noise behind it
 *   C 120 121 122 -> 121 [120, 122], 1100  beaten beyond the intervals
 *   D 130 131 132 -> 131 [130, 132],  900  the smallest: on the front
 * With three samples the bootstrap interval of the median is the range
 * (a resample's median is the smallest sample with probability 7/27).
 */
static const struct synth_noisy_variant synth_noisy[] = {
	{ { 0, 0, 0 }, { 100, 101, 102 }, 3, STORE_WALL, 1000 },
	{ { 0, 1, 0 }, { 103, 101, 102 }, 3, STORE_WALL, 1000 },
	{ { 1, 0, 0 }, { 120, 121, 122 }, 3, STORE_WALL, 1100 },
	{ { 1, 1, 0 }, { 130, 131, 132 }, 3, STORE_WALL, 900 },
};

#define SYNTH_NOISY_N (sizeof(synth_noisy) / sizeof(synth_noisy[0]))

/*
 * Add an experiment NAME to s's store, with the space of
 * synth_space_text and the variants v[0..n), all done, in that order.
 * Returns its id.
 */
static inline int64_t synth_noisy_experiment(struct synth *s,
					     const char *name,
					     const struct synth_noisy_variant *v,
					     size_t n)
{
	struct strbuf req = STRBUF_INIT;
	char hash[32];
	int64_t exp, vid;
	size_t i;
	unsigned r;

	assert_int_equal(store_experiment_create(s->st, name, "n.yaml",
						 synth_space_text, &exp),
			 0);
	for (i = 0; i < n; i++) {
		req.len = 0;
		assert_int_equal(space_point_format(s->space, v[i].idx, &req),
				 0);
		snprintf(hash, sizeof(hash), "%s%zu", name, i);
		assert_int_equal(store_variant_upsert(s->st, exp, hash, req.buf,
						      req.buf, &vid, NULL),
				 1);
		for (r = 0; r < v[i].n_boot; r++)
			assert_int_equal(store_run_add(s->st, vid,
						       "boot_cycles",
						       v[i].boot[r], "cycles",
						       (int)r, v[i].kind,
						       "tcg"),
					 0);
		if (v[i].size > 0)
			assert_int_equal(store_run_add(s->st, vid,
						       "image_size", v[i].size,
						       "bytes", 0,
						       STORE_DETERMINISTIC,
						       "tcg"),
					 0);
		assert_int_equal(store_variant_set_status(s->st, vid,
							  STORE_DONE, NULL),
				 0);
	}
	strbuf_release(&req);
	return exp;
}

#endif
