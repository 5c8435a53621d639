/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests only (cmocka): a small profile with known shares, shared by the
 * tests of the aggregation and of the views and exports built on it.
 */
#ifndef UNITUNE_PROF_SAMPLE_PROFILE_H
#define UNITUNE_PROF_SAMPLE_PROFILE_H

#include <string.h>

#include "profile.h"

#define F(name, line) { name, "src/" name ".c", line, "src/" name ".c" }

/*
 *   main;a;b  x5    (a calls b at line 10)
 *   main;a    x2    (a runs line 11)
 *   main;c;b  x3
 *   main;c;c  x1    (recursion: c counts once in total)
 */
static inline struct profile *sample_profile(void)
{
	const struct prof_frame s1[] = { F("main", 1), F("a", 10), F("b", 20) };
	const struct prof_frame s2[] = { F("main", 1), F("a", 11) };
	const struct prof_frame s3[] = { F("main", 2), F("c", 30), F("b", 21) };
	const struct prof_frame s4[] = { F("main", 2), F("c", 30), F("c", 31) };
	struct profile *p = profile_new();
	int i;

	assert_non_null(p);
	for (i = 0; i < 5; i++)
		assert_int_equal(profile_add(p, s1, 3, 1), 0);
	assert_int_equal(profile_add(p, s2, 2, 2), 0);
	assert_int_equal(profile_add(p, s3, 3, 3), 0);
	assert_int_equal(profile_add(p, s4, 3, 1), 0);
	assert_int_equal(profile_finish(p), 0);
	return p;
}

static inline const struct prof_func *find(const struct profile *p, const char *n)
{
	size_t i;

	for (i = 0; i < profile_nfuncs(p); i++)
		if (!strcmp(profile_func(p, i)->name, n))
			return profile_func(p, i);
	fail_msg("no function %s", n);
	return NULL;
}

#endif
