/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where things are on the host: the Unitune tree, programs in PATH,
 * directories to create.
 */
#ifndef UNITUNE_PATHS_H
#define UNITUNE_PATHS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * The root of the Unitune tree: $UNITUNE_ROOT if set, else two levels up
 * from the running executable (bin/unitune -> ../). The result is an
 * absolute path without a trailing slash. 0, -ENAMETOOLONG or -errno.
 */
int paths_root(char *buf, size_t len);

/*
 * Resolve a program the way execvp() would: a name with a '/' is taken
 * as is, otherwise the first executable regular file in $PATH. The result
 * is absolute. 0, -ENOENT or -ENAMETOOLONG.
 */
int paths_which(const char *prog, char *buf, size_t len);

/* mkdir -p. 0 or -errno. */
int paths_mkdir_p(const char *path, mode_t mode);

/* Make path absolute against the current directory (lexically; the path
 * need not exist). 0, -ENAMETOOLONG or -errno. */
int paths_absolute(const char *path, char *buf, size_t len);

/*
 * Open path for reading when it is a regular file, and only then: a FIFO
 * or a terminal would block the reader, a device such as /dev/zero never
 * ends, a directory is a mistake. The open itself cannot block
 * (O_NONBLOCK, cleared once the type is known). Returns the descriptor
 * (O_CLOEXEC; *st filled when st is not NULL) or -errno: -EINVAL for a
 * file of another type. On failure why (when not NULL) holds
 * "PATH: what is wrong", e.g. "/dev/zero: a character device, not a
 * regular file".
 */
int paths_open_regular(const char *path, struct stat *st, char *why,
		       size_t why_len);

/* "a directory", "a FIFO", ... for a st_mode that is not a regular file;
 * "a regular file" for one. */
const char *paths_file_type(mode_t mode);

/* Copy the file from to to (written through a temporary file and a
 * rename, so to is never half written). 0 or -errno. */
int paths_copy_file(const char *from, const char *to);

/* rm -rf path (symbolic links are removed, never followed); a path that
 * does not exist is fine. 0 or -errno of the first failure. */
int paths_remove_tree(const char *path);

#endif
