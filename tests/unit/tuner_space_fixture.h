/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the space-file unit tests share (test_tuner_space*.c): the
 * Kconfig tree of unikernel/, a load that must succeed, and a load that
 * must be refused with exactly one message.
 */
#ifndef TUNER_SPACE_FIXTURE_H
#define TUNER_SPACE_FIXTURE_H

/* fixtures/ is tests/unit/fixtures: the tree root is three levels up. */
#define UNIKERNEL UT_FIXTURES "/../../../unikernel"
#define SPACES UT_FIXTURES "/spaces/"

static inline int setup(void **state)
{
	return kconfig_fixture_setup(state, UNIKERNEL);
}

static inline struct space *load_ok(void **state, const char *file)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;
	int r = space_load(file, *state, &s, why, sizeof(why));

	if (r)
		fail_msg("space_load(%s): %d %s", file, r, why);
	assert_non_null(s);
	return s;
}

/*
 * Was a load (its return r, space s, message why) refused with exactly
 * "FILE:MSG"? 0 if so; else 1, the difference printed (case i). Frees s.
 */
static inline int refused_as(int r, struct space *s, const char *why,
		      const char *file, const char *msg, size_t i)
{
	char want[2048];
	int bad;

	snprintf(want, sizeof(want), "%s:%s", file, msg);
	bad = r != -EINVAL || s || strcmp(why, want);
	if (bad)
		print_error("case %zu: r=%d\n  got:  %s\n  want: %s\n", i, r,
			    why, want);
	space_free(s);
	return bad;
}

#endif
