/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path calls (CONFIG_UKVFS): open, openat, creat, stat, lstat,
 * newfstatat, statx, access, faccessat, faccessat2, mkdir, mkdirat,
 * rmdir, unlink, unlinkat, rename, renameat, renameat2, truncate,
 * getcwd, chdir, readlink, readlinkat, symlink, symlinkat. The old calls
 * are their *at form with AT_FDCWD; the semantics are lib/ukvfs's.
 *
 * There are no symbolic links: readlink of an existing path is EINVAL
 * (what Linux says of anything that is not a link, and what realpath
 * expects), and symlink is EPERM, Linux's answer on a file system that
 * cannot hold links (after the checks: a
 * missing directory is ENOENT, a taken name EEXIST). lstat is therefore stat. Creation modes lose the
 * umask's bits (uk_umask_get, sys_proc.c).
 */
#include <uk/errno.h>
#include <uk/syscall_impl.h>
#include <uk/vfs.h>
#include "sys_vfs.h"

#define RENAME_NOREPLACE 1
#define STAT_AT_FLAGS (UK_AT_SYMLINK_NOFOLLOW | UK_AT_EMPTY_PATH | UK_AT_NO_AUTOMOUNT)
/* statx's AT_STATX_SYNC_TYPE bits: accepted, nothing to synchronise. */
#define AT_STATX_SYNC_TYPE 0x6000

static const char *upath(long p)
{
	return (const char *)p;
}

long uk_sys_openat(long dirfd, long path, long flags, long mode, long a4,
		   long a5)
{
	(void)a4, (void)a5;
	return uk_vfs_open((int)dirfd, upath(path), (int)flags,
			   (unsigned int)mode & ~uk_umask_get());
}

long uk_sys_open(long path, long flags, long mode, long a3, long a4, long a5)
{
	(void)a3;
	return uk_sys_openat(UK_AT_FDCWD, path, flags, mode, a4, a5);
}

long uk_sys_creat(long path, long mode, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return uk_sys_openat(UK_AT_FDCWD, path,
			     UK_O_CREAT | UK_O_WRONLY | UK_O_TRUNC, mode, 0, 0);
}

/* An empty path with AT_EMPTY_PATH names dirfd itself. */
static int empty_path(long path, long flags)
{
	return (flags & UK_AT_EMPTY_PATH) && path && upath(path)[0] == '\0';
}

long uk_sys_newfstatat(long dirfd, long path, long user, long flags, long a4,
		       long a5)
{
	struct uk_vfs_stat st;
	long r;

	(void)a4, (void)a5;
	if (flags & ~STAT_AT_FLAGS)
		return -EINVAL;
	if (empty_path(path, flags) && dirfd != UK_AT_FDCWD)
		return uk_sys_fstat(dirfd, user, 0, 0, 0, 0);
	r = uk_vfs_stat((int)dirfd, empty_path(path, flags) ? "." : upath(path),
			(int)flags, &st);
	return r < 0 ? r : uk_sys_vfs_put_stat(&st, user);
}

long uk_sys_stat(long path, long user, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3;
	return uk_sys_newfstatat(UK_AT_FDCWD, path, user, 0, a4, a5);
}

long uk_sys_lstat(long path, long user, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3;
	return uk_sys_newfstatat(UK_AT_FDCWD, path, user,
				 UK_AT_SYMLINK_NOFOLLOW, a4, a5);
}

long uk_sys_statx(long dirfd, long path, long flags, long mask, long user,
		  long a5)
{
	struct uk_vfs_stat st;
	long r;

	(void)mask, (void)a5;
	if (flags & ~(STAT_AT_FLAGS | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (empty_path(path, flags) && dirfd != UK_AT_FDCWD)
		return uk_sys_vfs_fstatx(dirfd, user);
	r = uk_vfs_stat((int)dirfd, empty_path(path, flags) ? "." : upath(path),
			(int)flags, &st);
	return r < 0 ? r : uk_sys_vfs_put_statx(&st, user);
}

long uk_sys_faccessat2(long dirfd, long path, long amode, long flags, long a4,
		       long a5)
{
	(void)a4, (void)a5;
	if (flags & ~(UK_AT_EACCESS | UK_AT_SYMLINK_NOFOLLOW | UK_AT_EMPTY_PATH))
		return -EINVAL;
	return uk_vfs_access((int)dirfd, empty_path(path, flags) ? "." : upath(path),
			     (int)amode, (int)flags);
}

long uk_sys_faccessat(long dirfd, long path, long amode, long a3, long a4,
		      long a5)
{
	(void)a3;
	return uk_sys_faccessat2(dirfd, path, amode, 0, a4, a5);
}

long uk_sys_access(long path, long amode, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3;
	return uk_sys_faccessat2(UK_AT_FDCWD, path, amode, 0, a4, a5);
}

long uk_sys_mkdirat(long dirfd, long path, long mode, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return uk_vfs_mkdir((int)dirfd, upath(path),
			    (unsigned int)mode & ~uk_umask_get());
}

long uk_sys_mkdir(long path, long mode, long a2, long a3, long a4, long a5)
{
	(void)a2;
	return uk_sys_mkdirat(UK_AT_FDCWD, path, mode, a3, a4, a5);
}

long uk_sys_unlinkat(long dirfd, long path, long flags, long a3, long a4,
		     long a5)
{
	(void)a3, (void)a4, (void)a5;
	return uk_vfs_unlink((int)dirfd, upath(path), (int)flags);
}

long uk_sys_unlink(long path, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2;
	return uk_sys_unlinkat(UK_AT_FDCWD, path, 0, a3, a4, a5);
}

long uk_sys_rmdir(long path, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2;
	return uk_sys_unlinkat(UK_AT_FDCWD, path, UK_AT_REMOVEDIR, a3, a4, a5);
}

/* RENAME_NOREPLACE: EEXIST when the new name is taken; other flags
 * (EXCHANGE, WHITEOUT) are EINVAL. */
long uk_sys_renameat2(long olddirfd, long oldpath, long newdirfd, long newpath,
		      long flags, long a5)
{
	struct uk_vfs_stat st;

	(void)a5;
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) &&
	    uk_vfs_stat((int)newdirfd, upath(newpath), 0, &st) == 0)
		return -EEXIST;
	return uk_vfs_rename((int)olddirfd, upath(oldpath), (int)newdirfd,
			     upath(newpath));
}

long uk_sys_renameat(long olddirfd, long oldpath, long newdirfd, long newpath,
		     long a4, long a5)
{
	(void)a4;
	return uk_sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0, a5);
}

long uk_sys_rename(long oldpath, long newpath, long a2, long a3, long a4,
		   long a5)
{
	(void)a2, (void)a3, (void)a4;
	return uk_sys_renameat2(UK_AT_FDCWD, oldpath, UK_AT_FDCWD, newpath, 0, a5);
}

long uk_sys_truncate(long path, long size, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return uk_vfs_truncate(upath(path), size);
}

long uk_sys_getcwd(long buf, long size, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!buf)
		return -EFAULT;
	return uk_vfs_getcwd((char *)buf, (size_t)size);
}

long uk_sys_chdir(long path, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_vfs_chdir(upath(path));
}

long uk_sys_readlinkat(long dirfd, long path, long buf, long len, long a4,
		       long a5)
{
	(void)a4, (void)a5;
	if ((int)len <= 0)
		return -EINVAL;
	return uk_vfs_readlink((int)dirfd, upath(path), (char *)buf, (size_t)len);
}

long uk_sys_readlink(long path, long buf, long len, long a3, long a4, long a5)
{
	(void)a3;
	return uk_sys_readlinkat(UK_AT_FDCWD, path, buf, len, a4, a5);
}

long uk_sys_symlinkat(long target, long dirfd, long path, long a3, long a4,
		      long a5)
{
	(void)target, (void)a3, (void)a4, (void)a5;
	return uk_vfs_symlink((int)dirfd, upath(path));
}

long uk_sys_symlink(long target, long path, long a2, long a3, long a4, long a5)
{
	(void)a2;
	return uk_sys_symlinkat(target, UK_AT_FDCWD, path, a3, a4, a5);
}
