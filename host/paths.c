/* SPDX-License-Identifier: BSD-3-Clause */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

static int copy(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, s, n + 1);
	return 0;
}

static void strip_component(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash)
		return;
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
}

int paths_root(char *buf, size_t len)
{
	char exe[PATH_MAX];
	const char *env = getenv("UNITUNE_ROOT");
	ssize_t n;

	if (env && *env)
		return paths_absolute(env, buf, len);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(exe) - 1)
		return -ENAMETOOLONG;
	exe[n] = '\0';
	strip_component(exe); /* bin/unitune -> bin */
	strip_component(exe); /* bin -> root */
	return copy(buf, len, exe);
}

int paths_which(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	const char *p, *end;
	char cand[PATH_MAX];
	struct stat st;

	if (!*prog)
		return -ENOENT;
	if (strchr(prog, '/'))
		return paths_absolute(prog, buf, len);
	/* execvp's default when PATH is unset. */
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		size_t dlen;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		dlen = (size_t)(end - p);
		if (dlen == 0) /* an empty entry means the current directory */
			snprintf(cand, sizeof(cand), "%s", prog);
		else if (snprintf(cand, sizeof(cand), "%.*s/%s", (int)dlen, p,
				  prog) >= (int)sizeof(cand))
			cand[0] = '\0';
		if (cand[0] && stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(cand, X_OK) == 0)
			return paths_absolute(cand, buf, len);
		if (!*end)
			break;
	}
	return -ENOENT;
}

int paths_absolute(const char *path, char *buf, size_t len)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return copy(buf, len, path);
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if ((size_t)snprintf(buf, len, "%s/%s", strcmp(cwd, "/") ? cwd : "",
			     path) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int paths_mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	char *p;
	int err;

	err = copy(tmp, sizeof(tmp), path);
	if (err)
		return err;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

const char *paths_file_type(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO (pipe)";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int paths_open_regular(const char *path, struct stat *st, char *why,
		       size_t why_len)
{
	struct stat own;
	int fd, flags, err;

	if (!st)
		st = &own;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, st) < 0) {
		err = -errno;
		if (why)
			snprintf(why, why_len, "%s: %s", path, strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		if (why)
			snprintf(why, why_len, "%s: %s, not a regular file",
				 path, paths_file_type(st->st_mode));
		close(fd);
		return -EINVAL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int paths_copy_file(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	/* Our own files (images): no cap beyond memory. */
	int err = strbuf_read_file(&sb, from, SIZE_MAX, NULL, 0);

	if (!err)
		err = strbuf_write_file(to, sb.buf, sb.len, true);
	strbuf_release(&sb);
	return err;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) < 0 ? -errno : 0;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

int paths_remove_tree(const char *path)
{
	struct stat st;
	int r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? -errno : 0;
	r = nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return r < 0 ? -errno : r;
}
