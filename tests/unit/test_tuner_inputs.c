/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hashes of a sweep's inputs (tuner/inputs.c) on a copy of the
 * fixture Kconfig tree in a temporary directory: each input changes its
 * own hash and no other, and the hash does not depend on where the tree
 * is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inputs.h"
#include "kconfig.h"
#include "paths.h"
#include "space.h"
#include "strbuf.h"

#define FIXTURE UT_FIXTURES "/kconfig"

struct tree {
	char dir[64];
	char base[128];
	struct space sp;
};

static void copy(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&sb, from, STRBUF_TEXT_MAX, NULL,
					  0), 0);
	assert_int_equal(strbuf_write_file(to, sb.buf, sb.len, false), 0);
	strbuf_release(&sb);
}

static void put(const struct tree *t, const char *rel, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	assert_int_equal(strbuf_write_file(path, text, strlen(text), false),
			 0);
}

/* A copy of the fixture tree with apps/demo/defconfig, in a new dir. */
static void make_tree(struct tree *t)
{
	char path[256];

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/unitune-inputs-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(path, sizeof(path), "%s/lib", t->dir);
	assert_int_equal(paths_mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/apps/demo", t->dir);
	assert_int_equal(paths_mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/Config.uk", t->dir);
	copy(FIXTURE "/Config.uk", path);
	snprintf(path, sizeof(path), "%s/lib/Config.uk", t->dir);
	copy(FIXTURE "/lib/Config.uk", path);
	put(t, "apps/demo/defconfig", "CONFIG_DEBUG=y\n");
	snprintf(t->base, sizeof(t->base), "%s/base.config", t->dir);
	put(t, "base.config", "CONFIG_THREADS=4\n");
	t->sp.app = "demo";
	t->sp.base_config = t->base;
}

static void remove_tree(const struct tree *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static void hash(const struct tree *t, struct store_inputs *out)
{
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = NULL;
	char why[512];

	if (kconfig_load(t->dir, "Config.uk", NULL, &kc, &err))
		fail_msg("kconfig_load: %s", err.buf);
	if (inputs_hash(t->dir, &t->sp, kc, out, why, sizeof(why)))
		fail_msg("inputs_hash: %s", why);
	assert_int_equal(strlen(out->defconfig), 64);
	assert_int_equal(strlen(out->kconfig), 64);
	kconfig_free(kc);
	strbuf_release(&err);
}

static void expect_changes(const struct store_inputs *a,
			   const struct store_inputs *b, const char *want)
{
	char what[128];

	inputs_describe_changes(a, b, what, sizeof(what));
	assert_string_equal(what, want);
}

static void test_each_input_has_its_hash(void **state)
{
	struct store_inputs first, now;
	struct tree t;

	(void)state;
	make_tree(&t);
	hash(&t, &first);
	assert_int_equal(strlen(first.base_config), 64);
	hash(&t, &now);
	expect_changes(&first, &now, "");

	put(&t, "base.config", "CONFIG_THREADS=8\n");
	hash(&t, &now);
	expect_changes(&first, &now, "its base_config");

	put(&t, "apps/demo/defconfig", "CONFIG_DEBUG=n\n");
	hash(&t, &now);
	expect_changes(&first, &now, "its base_config and the app's "
		       "defconfig");

	/* A sourced file, not only the root. */
	put(&t, "lib/Config.uk", "config LIB_ONLY\n\tbool \"x\"\n");
	hash(&t, &now);
	expect_changes(&first, &now, "its base_config, the app's defconfig "
		       "and the Kconfig tree");

	/* No base_config at all is a change too. */
	t.sp.base_config = NULL;
	hash(&t, &now);
	assert_string_equal(now.base_config, "");
	remove_tree(&t);
}

/* The same tree elsewhere hashes the same. */
static void test_independent_of_location(void **state)
{
	struct store_inputs a, b;
	struct tree t1, t2;

	(void)state;
	make_tree(&t1);
	make_tree(&t2);
	hash(&t1, &a);
	hash(&t2, &b);
	assert_string_equal(a.kconfig, b.kconfig);
	assert_string_equal(a.defconfig, b.defconfig);
	assert_string_equal(a.base_config, b.base_config);
	remove_tree(&t1);
	remove_tree(&t2);
}

/* A base_config that became a FIFO is refused, not read. */
static void test_unreadable_input(void **state)
{
	struct store_inputs out;
	struct strbuf err = STRBUF_INIT;
	struct kconfig *kc = NULL;
	char why[512];
	struct tree t;

	(void)state;
	make_tree(&t);
	assert_int_equal(unlink(t.base), 0);
	assert_int_equal(mkfifo(t.base, 0644), 0);
	assert_int_equal(kconfig_load(t.dir, "Config.uk", NULL, &kc, &err), 0);
	assert_int_equal(inputs_hash(t.dir, &t.sp, kc, &out, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "a FIFO (pipe), not a regular file"));
	kconfig_free(kc);
	strbuf_release(&err);
	remove_tree(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_input_has_its_hash),
		cmocka_unit_test(test_independent_of_location),
		cmocka_unit_test(test_unreadable_input),
	};

	return cmocka_run_group_tests_name("tuner_inputs", tests, NULL, NULL);
}
