/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Descriptor calls: the syscall ABI over lib/ukfd's table (uk/fd.h) and
 * generic file calls (uk/file.h). The console is descriptors 0 (empty
 * stdin), 1 and 2; every kind of file goes through the same calls.
 */
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/syscall_impl.h>
#if CONFIG_UKVFS
#include "sys_vfs.h"
#endif

typedef long (*file_io_fn)(struct uk_file *f, const struct uk_iovec *iov,
			   int iovcnt);

/* Descriptors are an unsigned int to Linux: the upper bits of the
 * register are ignored, and a negative int is never open. */
static long fd_io(long fd, file_io_fn io, const struct uk_iovec *iov,
		  long iovcnt)
{
	struct uk_file *f = uk_fd_get((int)fd);
	long r;

	if (!f)
		return -EBADF;
	r = iovcnt < 0 || iovcnt > UK_IOV_MAX ? -EINVAL
					       : io(f, iov, (int)iovcnt);
	uk_file_put(f);
	return r;
}

/* A length beyond a long (negative here) is EINVAL from uk_file_*. */
static long fd_io1(long fd, file_io_fn io, long buf, long len)
{
	struct uk_iovec iov = { (void *)buf, (size_t)len };

	return fd_io(fd, io, &iov, 1);
}

long uk_sys_read(long fd, long buf, long len, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return fd_io1(fd, uk_file_read, buf, len);
}

long uk_sys_write(long fd, long buf, long len, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return fd_io1(fd, uk_file_write, buf, len);
}

long uk_sys_readv(long fd, long iov, long cnt, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return fd_io(fd, uk_file_read, (const struct uk_iovec *)iov, cnt);
}

long uk_sys_writev(long fd, long iov, long cnt, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return fd_io(fd, uk_file_write, (const struct uk_iovec *)iov, cnt);
}

long uk_sys_ioctl(long fd, long req, long arg, long a3, long a4, long a5)
{
	struct uk_file *f = uk_fd_get((int)fd);
	unsigned int r32 = (unsigned int)req; /* an unsigned int in Linux */
	long r;

	(void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	if (r32 == UK_FIOCLEX || r32 == UK_FIONCLEX)
		r = uk_fd_set_flags((int)fd, r32 == UK_FIOCLEX ? UK_FD_CLOEXEC : 0);
	else
		r = uk_file_ioctl(f, r32, (void *)arg);
	uk_file_put(f);
	return r;
}

long uk_sys_close(long fd, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_fd_close((int)fd);
}

long uk_sys_lseek(long fd, long off, long whence, long a3, long a4, long a5)
{
	struct uk_file *f = uk_fd_get((int)fd);
	long r;

	(void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	r = uk_file_lseek(f, off, (int)whence);
	uk_file_put(f);
	return r;
}

/* F_DUPFD's lower bound: beyond the table is EINVAL, as on Linux. */
static long dupfd(int fd, unsigned long min, unsigned int fdflags)
{
	if (min >= UK_FD_MAX)
		return -EINVAL;
	return uk_fd_dup(fd, (int)min, fdflags);
}

/*
 * Descriptor and status flags, and F_DUPFD. With CONFIG_UKVFS, record
 * locks always succeed (one process: sys_vfs.c); otherwise they, owners,
 * leases and the rest are EINVAL (an unknown command to Linux too).
 */
long uk_sys_fcntl(long fd, long cmd, long arg, long a3, long a4, long a5)
{
	struct uk_file *f = uk_fd_get((int)fd);
	long r;

	(void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	switch (cmd) {
	case UK_F_DUPFD:
		r = dupfd((int)fd, (unsigned long)arg, 0);
		break;
	case UK_F_DUPFD_CLOEXEC:
		r = dupfd((int)fd, (unsigned long)arg, UK_FD_CLOEXEC);
		break;
	case UK_F_GETFD:
		r = uk_fd_flags((int)fd);
		break;
	case UK_F_SETFD:
		r = uk_fd_set_flags((int)fd, (unsigned int)arg & UK_FD_CLOEXEC);
		break;
	case UK_F_GETFL:
		r = f->flags;
		break;
	case UK_F_SETFL:
		r = uk_file_setfl(f, (unsigned int)arg);
		break;
	default:
#if CONFIG_UKVFS
		if (uk_sys_vfs_is_lock_cmd(cmd)) {
			r = uk_sys_vfs_fcntl_lock(f, (int)cmd, arg);
			break;
		}
#endif
		r = -EINVAL;
	}
	uk_file_put(f);
	return r;
}

long uk_sys_dup(long fd, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return uk_fd_dup((int)fd, 0, 0);
}

long uk_sys_dup2(long oldfd, long newfd, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return uk_fd_dup3((int)oldfd, (int)newfd, 0, true);
}

long uk_sys_dup3(long oldfd, long newfd, long flags, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	return uk_fd_dup3((int)oldfd, (int)newfd, (unsigned int)flags, false);
}
