/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A folder of a unit test's own under /tmp for code that writes several
 * files (a report): made with a subfolder the code must create itself,
 * read back file by file, removed with everything in it. Include after
 * <cmocka.h>: a file that cannot be read fails the test.
 */
#ifndef UNITUNE_TEST_TMPDIR_H
#define UNITUNE_TEST_TMPDIR_H

#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strbuf.h"

/* dir gets "/tmp/unitune-TAG-XXXXXX/SUB", of which only the first part
 * exists. */
static inline void tmpdir_make(char *dir, size_t len, const char *tag,
			       const char *sub)
{
	snprintf(dir, len, "/tmp/unitune-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(dir));
	strncat(dir, "/", len - strlen(dir) - 1);
	strncat(dir, sub, len - strlen(dir) - 1);
}

static inline int tmpdir_rm_one(const char *p, const struct stat *sb,
				int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Remove what tmpdir_make made, dir's parent (dir is cut there). */
static inline void tmpdir_remove(char *dir)
{
	*strrchr(dir, '/') = '\0';
	nftw(dir, tmpdir_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* dir/name's contents (free()). */
static inline char *tmpdir_slurp(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 64];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = strbuf_read_file(&sb, path, SIZE_MAX, NULL, 0);
	if (r)
		fail_msg("cannot read %s: %s", path, strerror(-r));
	return strbuf_detach(&sb, NULL);
}

/* dir/name's size, -1 when it is not there. */
static inline long long tmpdir_size(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) ? -1 : (long long)st.st_size;
}

#endif
