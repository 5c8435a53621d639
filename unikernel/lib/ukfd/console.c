/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console as files: descriptor 0 is an empty stdin (every read is end
 * of file), 1 and 2 share one output file that writes to the platform
 * console. Both answer TIOCGWINSZ: musl asks it to decide whether stdout
 * is a terminal, and a terminal's stdout is line-buffered, so output
 * appears as it happens.
 */
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/plat.h>

struct winsize_abi {
	unsigned short rows, cols, xpixel, ypixel;
};

static int console_ioctl(struct uk_file *f, unsigned long req, void *arg)
{
	(void)f;
	if (req != UK_TIOCGWINSZ)
		return -ENOTTY;
	if (!arg)
		return -EFAULT;
	*(struct winsize_abi *)arg = (struct winsize_abi){ 25, 80, 0, 0 };
	return 0;
}

static long stdin_read(struct uk_file *f, const struct uk_iovec *iov,
		       int iovcnt)
{
	(void)f, (void)iov, (void)iovcnt;
	return 0;
}

/* At end of file a read does not block: readable. */
static uint32_t stdin_poll(struct uk_file *f)
{
	(void)f;
	return UK_EPOLLIN | UK_EPOLLRDNORM;
}

static int stdin_ioctl(struct uk_file *f, unsigned long req, void *arg)
{
	if (req != UK_FIONREAD)
		return console_ioctl(f, req, arg);
	if (!arg)
		return -EFAULT;
	*(int *)arg = 0;
	return 0;
}

static long stdout_write(struct uk_file *f, const struct uk_iovec *iov,
			 int iovcnt)
{
	long total = 0;

	(void)f;
	for (int i = 0; i < iovcnt; i++) {
		plat_console_write(iov[i].base, iov[i].len);
		total += (long)iov[i].len;
	}
	return total;
}

static uint32_t stdout_poll(struct uk_file *f)
{
	(void)f;
	return UK_EPOLLOUT | UK_EPOLLWRNORM;
}

/* Static files, never released: no release op. */
static const struct uk_file_ops stdin_ops = {
	.read = stdin_read,
	.poll = stdin_poll,
	.ioctl = stdin_ioctl,
};

static const struct uk_file_ops stdout_ops = {
	.write = stdout_write,
	.poll = stdout_poll,
	.ioctl = console_ioctl,
};

static struct uk_file console_in, console_out;

void uk_fd_init(void)
{
	uk_file_init(&console_in, &stdin_ops, UK_O_RDONLY);
	uk_file_init(&console_out, &stdout_ops, UK_O_WRONLY);
	uk_fd_alloc(&console_in, 0, 0);
	uk_fd_alloc(&console_out, 1, 0);
	uk_fd_alloc(uk_file_get(&console_out), 2, 0);
}
