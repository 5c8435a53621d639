/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File calls on descriptors (CONFIG_UKVFS): pread64, pwrite64, fstat,
 * ftruncate, fsync, fdatasync, getdents64, flock and fcntl's record
 * locks, plus the stat and statx layouts the path calls (sys_path.c)
 * share. The semantics are lib/ukvfs's; this is the ABI.
 *
 * Locks: there is one process, so no lock can ever conflict. flock and
 * F_SETLK/F_SETLKW (and the OFD variants) check their arguments as Linux
 * does and succeed; F_GETLK answers F_UNLCK ("nothing would block").
 * fsync and fdatasync succeed at once: every file lives in RAM.
 */
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include <uk/vfs.h>
#include "sys_vfs.h"

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define STATX_BASIC_STATS 0x7ffu
#define BLKSIZE 4096

struct stat_abi {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};

struct statx_ts_abi {
	int64_t sec;
	uint32_t nsec;
	int32_t pad;
};

struct statx_abi {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts_abi atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

struct flock_abi {
	int16_t type, whence;
	int64_t start, len;
	int32_t pid;
};

_Static_assert(sizeof(struct stat_abi) == 144, "struct stat of x86_64");
_Static_assert(sizeof(struct statx_abi) == 256, "struct statx");

long uk_sys_vfs_put_stat(const struct uk_vfs_stat *st, long user)
{
	struct stat_abi s = { 0 };

	if (!user)
		return -EFAULT;
	s.dev = st->dev;
	s.ino = st->ino;
	s.nlink = st->nlink;
	s.mode = st->mode;
	s.rdev = st->rdev;
	s.size = (int64_t)st->size;
	s.blksize = BLKSIZE;
	s.blocks = (int64_t)st->blocks;
	s.mtime = s.atime = st->mtime_ns / 1000000000;
	s.mtime_ns = s.atime_ns = st->mtime_ns % 1000000000;
	s.ctime = st->ctime_ns / 1000000000;
	s.ctime_ns = st->ctime_ns % 1000000000;
	memcpy((void *)user, &s, sizeof(s));
	return 0;
}

static struct statx_ts_abi statx_ts(int64_t ns)
{
	return (struct statx_ts_abi){ ns / 1000000000,
				      (uint32_t)(ns % 1000000000), 0 };
}

/* Linux's device number encoding: major in bits 8-19, minor in 0-7 and 20-31. */
static uint32_t dev_major(uint64_t d)
{
	return (uint32_t)((d >> 8) & 0xfff);
}

static uint32_t dev_minor(uint64_t d)
{
	return (uint32_t)((d & 0xff) | ((d >> 12) & 0xfff00));
}

long uk_sys_vfs_put_statx(const struct uk_vfs_stat *st, long user)
{
	struct statx_abi s = { 0 };

	if (!user)
		return -EFAULT;
	s.mask = STATX_BASIC_STATS;
	s.blksize = BLKSIZE;
	s.nlink = st->nlink;
	s.mode = (uint16_t)st->mode;
	s.ino = st->ino;
	s.size = st->size;
	s.blocks = st->blocks;
	s.atime = s.mtime = statx_ts(st->mtime_ns);
	s.ctime = statx_ts(st->ctime_ns);
	s.rdev_major = dev_major(st->rdev);
	s.rdev_minor = dev_minor(st->rdev);
	s.dev_major = dev_major(st->dev);
	s.dev_minor = dev_minor(st->dev);
	memcpy((void *)user, &s, sizeof(s));
	return 0;
}

/* Run fn on the file open at fd (EBADF when none). */
static long with_file(long fd, long (*fn)(struct uk_file *f, long a, long b,
					  long c),
		      long a, long b, long c)
{
	struct uk_file *f = uk_fd_get((int)fd);
	long r;

	if (!f)
		return -EBADF;
	r = fn(f, a, b, c);
	uk_file_put(f);
	return r;
}

static long do_pread(struct uk_file *f, long buf, long len, long off)
{
	return uk_vfs_pread(f, (void *)buf, (size_t)len, off);
}

static long do_pwrite(struct uk_file *f, long buf, long len, long off)
{
	return uk_vfs_pwrite(f, (const void *)buf, (size_t)len, off);
}

long uk_sys_pread64(long fd, long buf, long len, long off, long a4, long a5)
{
	(void)a4, (void)a5;
	return with_file(fd, do_pread, buf, len, off);
}

long uk_sys_pwrite64(long fd, long buf, long len, long off, long a4, long a5)
{
	(void)a4, (void)a5;
	return with_file(fd, do_pwrite, buf, len, off);
}

static long do_fstat(struct uk_file *f, long user, long b, long c)
{
	struct uk_vfs_stat st;

	(void)b, (void)c;
	uk_vfs_fstat(f, &st);
	return uk_sys_vfs_put_stat(&st, user);
}

long uk_sys_fstat(long fd, long user, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return with_file(fd, do_fstat, user, 0, 0);
}

long uk_sys_vfs_fstatx(long fd, long user)
{
	struct uk_file *f = uk_fd_get((int)fd);
	struct uk_vfs_stat st;

	if (!f)
		return -EBADF;
	uk_vfs_fstat(f, &st);
	uk_file_put(f);
	return uk_sys_vfs_put_statx(&st, user);
}

static long do_ftruncate(struct uk_file *f, long size, long b, long c)
{
	(void)b, (void)c;
	return uk_vfs_ftruncate(f, size);
}

long uk_sys_ftruncate(long fd, long size, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return with_file(fd, do_ftruncate, size, 0, 0);
}

static long nothing(struct uk_file *f, long a, long b, long c)
{
	(void)f, (void)a, (void)b, (void)c;
	return 0;
}

long uk_sys_fsync(long fd, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return with_file(fd, nothing, 0, 0, 0);
}

long uk_sys_fdatasync(long fd, long a1, long a2, long a3, long a4, long a5)
{
	return uk_sys_fsync(fd, a1, a2, a3, a4, a5);
}

static long do_getdents(struct uk_file *f, long buf, long len, long c)
{
	(void)c;
	if (!buf)
		return -EFAULT;
	return uk_vfs_getdents(f, (void *)buf, (size_t)(unsigned int)len);
}

long uk_sys_getdents64(long fd, long buf, long len, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return with_file(fd, do_getdents, buf, len, 0);
}

static long do_flock(struct uk_file *f, long op, long b, long c)
{
	int kind = (int)op & ~LOCK_NB;

	(void)f, (void)b, (void)c;
	return kind == LOCK_SH || kind == LOCK_EX || kind == LOCK_UN ? 0
								     : -EINVAL;
}

long uk_sys_flock(long fd, long op, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return with_file(fd, do_flock, op, 0, 0);
}

long uk_sys_vfs_fcntl_lock(struct uk_file *f, int cmd, long arg)
{
	struct flock_abi *l = (struct flock_abi *)arg;
	unsigned int acc = f->flags & UK_O_ACCMODE;
	int ofd = cmd >= F_OFD_GETLK;

	if (!l)
		return -EFAULT;
	if (l->type < F_RDLCK || l->type > F_UNLCK || l->whence < 0 ||
	    l->whence > 2 || (ofd && l->pid != 0))
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (l->type == F_UNLCK)
			return -EINVAL;
		l->type = F_UNLCK;
		return 0;
	}
	if ((l->type == F_RDLCK && acc == UK_O_WRONLY) ||
	    (l->type == F_WRLCK && acc == UK_O_RDONLY))
		return -EBADF;
	return 0;
}

int uk_sys_vfs_is_lock_cmd(long cmd)
{
	return (cmd >= F_GETLK && cmd <= F_SETLKW) ||
	       (cmd >= F_OFD_GETLK && cmd <= F_OFD_SETLKW);
}

long uk_sys_fchdir(long fd, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_vfs_fchdir((int)fd);
}
