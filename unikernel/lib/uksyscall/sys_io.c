/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File descriptors: 0 is an empty stdin, 1 and 2 are the console. There is
 * no file system, so every other descriptor is EBADF.
 */
#include <stddef.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/syscall_impl.h>

#define TIOCGWINSZ 0x5413
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define O_RDONLY 0
#define O_WRONLY 1

struct iovec_abi {
	void *base;
	size_t len;
};

struct winsize_abi {
	unsigned short rows, cols, xpixel, ypixel;
};

static int is_console(long fd)
{
	return fd == 1 || fd == 2;
}

static int is_std(long fd)
{
	return fd >= 0 && fd <= 2;
}

long uk_sys_read(long fd, long buf, long len, long a3, long a4, long a5)
{
	(void)buf, (void)len, (void)a3, (void)a4, (void)a5;
	return fd == 0 ? 0 : is_std(fd) ? -EINVAL : -EBADF;
}

long uk_sys_readv(long fd, long iov, long cnt, long a3, long a4, long a5)
{
	return uk_sys_read(fd, iov, cnt, a3, a4, a5);
}

long uk_sys_write(long fd, long buf, long len, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (!is_console(fd))
		return is_std(fd) ? -EINVAL : -EBADF;
	if (len < 0)
		return -EINVAL;
	plat_console_write((const char *)buf, (size_t)len);
	return len;
}

long uk_sys_writev(long fd, long iov_addr, long cnt, long a3, long a4, long a5)
{
	const struct iovec_abi *iov = (const struct iovec_abi *)iov_addr;
	long total = 0;

	(void)a3, (void)a4, (void)a5;
	if (!is_console(fd))
		return is_std(fd) ? -EINVAL : -EBADF;
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (long i = 0; i < cnt; i++) {
		plat_console_write(iov[i].base, iov[i].len);
		total += (long)iov[i].len;
	}
	return total;
}

/* musl asks for the window size to decide whether stdout is a terminal:
 * answering makes stdout line-buffered, so output appears as it happens. */
long uk_sys_ioctl(long fd, long req, long arg, long a3, long a4, long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (!is_std(fd))
		return -EBADF;
	if (req != TIOCGWINSZ)
		return -ENOTTY;
	*(struct winsize_abi *)arg = (struct winsize_abi){ 25, 80, 0, 0 };
	return 0;
}

long uk_sys_close(long fd, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return is_std(fd) ? 0 : -EBADF;
}

long uk_sys_lseek(long fd, long off, long whence, long a3, long a4, long a5)
{
	(void)off, (void)whence, (void)a3, (void)a4, (void)a5;
	return is_std(fd) ? -ESPIPE : -EBADF;
}

long uk_sys_fcntl(long fd, long cmd, long arg, long a3, long a4, long a5)
{
	(void)arg, (void)a3, (void)a4, (void)a5;
	if (!is_std(fd))
		return -EBADF;
	switch (cmd) {
	case F_GETFD:
	case F_SETFD:
		return 0;
	case F_GETFL:
		return fd == 0 ? O_RDONLY : O_WRONLY;
	default:
		return -EINVAL;
	}
}
