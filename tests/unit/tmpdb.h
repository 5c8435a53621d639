/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A database file of a unit test's own under /tmp, and its removal with
 * the -wal and -shm files SQLite keeps beside it.
 */
#ifndef UNITUNE_TEST_TMPDB_H
#define UNITUNE_TEST_TMPDB_H

#include <stdio.h>
#include <unistd.h>

/* Create an empty /tmp/unitune-TAG-XXXXXX into path. 0 or -1. */
static inline int tmpdb_create(char *path, size_t len, const char *tag)
{
	int fd;

	snprintf(path, len, "/tmp/unitune-%s-XXXXXX", tag);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static inline void tmpdb_remove(const char *path)
{
	char p[80];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

#endif
