/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nightly/git.c against a real repository made in a temporary folder:
 * revisions and ranges resolved oldest first, bad ranges and revisions
 * refused with their names in the message, a commit's time, parent and
 * subject (whatever it holds), and the one worktree moved between
 * commits and cleaned of what a build left there. Also paths.c's
 * paths_remove_tree, which the night uses on its build folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "git.h"
#include "paths.h"

struct repo {
	char dir[64];
	char work[96];
	git_sha c[3];
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Three commits a minute apart: a file, a change, a subject with quotes,
 * a pipe and non-ASCII. */
static int setup(void **state)
{
	struct repo *r = calloc(1, sizeof(*r));
	const char *subjects[3] = { "first", "second: a change",
				    "third \"quoted\" | piped \xc3\xa9" };
	char why[256];
	int i;

	if (!r)
		return -1;
	snprintf(r->dir, sizeof(r->dir), "/tmp/unitune-git-XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->work, sizeof(r->work), "%s.wt", r->dir);
	if (sh("git -C %s init -q && git -C %s config user.email t@t && "
	       "git -C %s config user.name t", r->dir, r->dir, r->dir))
		return -1;
	for (i = 0; i < 3; i++) {
		FILE *f;
		char path[128], msg[128];

		snprintf(path, sizeof(path), "%s/file", r->dir);
		f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, "version %d\n", i);
		fclose(f);
		snprintf(path, sizeof(path), "%s/msg", r->dir);
		f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, "%s\n", subjects[i]);
		fclose(f);
		snprintf(msg, sizeof(msg), "%d", 1700000000 + 60 * i);
		if (sh("cd %s && git add file && GIT_COMMITTER_DATE='@%s +0000' "
		       "GIT_AUTHOR_DATE='@%s +0000' git commit -q -F msg",
		       r->dir, msg, msg))
			return -1;
		if (git_resolve(r->dir, "HEAD", r->c[i], why, sizeof(why)))
			return -1;
	}
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct repo *r = *state;

	git_worktree_drop(r->dir, r->work);
	paths_remove_tree(r->work);
	assert_int_equal(paths_remove_tree(r->dir), 0);
	assert_int_equal(access(r->dir, F_OK), -1);
	free(r);
	return 0;
}

static void test_resolve(void **state)
{
	struct repo *r = *state;
	char why[256] = "";
	git_sha sha;

	assert_int_equal(git_resolve(r->dir, "HEAD~2", sha, why, sizeof(why)),
			 0);
	assert_string_equal(sha, r->c[0]);
	assert_int_equal(strlen(sha), GIT_SHA_LEN);
	assert_int_not_equal(git_resolve(r->dir, "no-such-rev", sha, why,
					 sizeof(why)),
			     0);
	assert_non_null(strstr(why, "no-such-rev"));
	/* An option is not a revision. */
	assert_int_equal(git_resolve(r->dir, "--all", sha, why, sizeof(why)),
			 -EINVAL);
	assert_int_not_equal(git_resolve("/nonexistent-dir", "HEAD", sha, why,
					 sizeof(why)),
			     0);
}

static void test_range_oldest_first(void **state)
{
	struct repo *r = *state;
	char why[256] = "", range[128];
	git_sha *v = NULL;
	size_t n = 0;

	snprintf(range, sizeof(range), "%s..HEAD", r->c[0]);
	assert_int_equal(git_range(r->dir, range, &v, &n, why, sizeof(why)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], r->c[1]);
	assert_string_equal(v[1], r->c[2]);
	free(v);
	/* Empty, malformed and unknown ranges say which. */
	assert_int_equal(git_range(r->dir, "HEAD..HEAD", &v, &n, why,
				   sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "HEAD..HEAD"));
	assert_int_equal(git_range(r->dir, "HEAD", &v, &n, why, sizeof(why)),
			 -EINVAL);
	assert_int_equal(git_range(r->dir, "HEAD...HEAD~1", &v, &n, why,
				   sizeof(why)),
			 -EINVAL);
	assert_int_equal(git_range(r->dir, "nope..HEAD", &v, &n, why,
				   sizeof(why)),
			 -ECHILD);
	assert_null(v);
	assert_int_equal(n, 0);
}

static void test_commit_info(void **state)
{
	struct repo *r = *state;
	struct git_commit c;
	char why[256];

	assert_int_equal(git_commit_info(r->dir, "HEAD", &c, why, sizeof(why)),
			 0);
	assert_string_equal(c.sha, r->c[2]);
	assert_string_equal(c.parent, r->c[1]);
	assert_int_equal(c.time, 1700000120);
	assert_string_equal(c.subject, "third \"quoted\" | piped \xc3\xa9");
	assert_int_equal(git_commit_info(r->dir, r->c[0], &c, why,
					 sizeof(why)),
			 0);
	assert_string_equal(c.parent, "");
	assert_string_equal(c.subject, "first");
}

static void test_worktree_moves_and_cleans(void **state)
{
	struct repo *r = *state;
	char why[256], path[160], top[256];
	FILE *f;

	assert_int_equal(git_worktree_at(r->dir, r->work, r->c[0], why,
					 sizeof(why)),
			 0);
	snprintf(path, sizeof(path), "%s/file", r->work);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(top, sizeof(top), f));
	fclose(f);
	assert_string_equal(top, "version 0\n");
	/* What a build leaves, and a tracked file changed by hand. */
	snprintf(path, sizeof(path), "%s/left-over.o", r->work);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(sh("echo dirty >%s/file", r->work), 0);
	assert_int_equal(git_worktree_at(r->dir, r->work, r->c[2], why,
					 sizeof(why)),
			 0);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/file", r->work);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(top, sizeof(top), f));
	fclose(f);
	assert_string_equal(top, "version 2\n");
	assert_int_equal(git_toplevel(r->work, top, sizeof(top), why,
				      sizeof(why)),
			 0);
	assert_non_null(strstr(top, ".wt"));
	/* Dropped, it is gone from the list and the disk. */
	git_worktree_drop(r->dir, r->work);
	assert_int_equal(access(r->work, F_OK), -1);
	assert_int_not_equal(git_toplevel("/", top, sizeof(top), why,
					  sizeof(why)),
			     0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_oldest_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_commit_info, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_worktree_moves_and_cleans,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
