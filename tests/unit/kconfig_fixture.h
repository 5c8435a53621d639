/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A Kconfig tree loaded once for a group of unit tests: the group's
 * state is its struct kconfig *. Include after <cmocka.h>.
 */
#ifndef UNITUNE_TEST_KCONFIG_FIXTURE_H
#define UNITUNE_TEST_KCONFIG_FIXTURE_H

#include <stdio.h>

#include "kconfig.h"
#include "strbuf.h"

/* Load dir/Config.uk into *state; why it failed goes to stderr. */
static inline int kconfig_fixture_setup(void **state, const char *dir)
{
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = NULL;
	int r = kconfig_load(dir, "Config.uk", NULL, &kc, &err);

	if (r)
		fprintf(stderr, "kconfig_load: %d %s\n", r, err.buf);
	strbuf_release(&err);
	*state = kc;
	return r;
}

static inline int kconfig_fixture_teardown(void **state)
{
	kconfig_free(*state);
	return 0;
}

#endif
