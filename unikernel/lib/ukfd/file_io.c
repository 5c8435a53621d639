/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * read and write on any kind of file, and the blocking loop behind them:
 * kinds never block; a call on a blocking file waits here, with the one
 * waiting primitive (wait.c), for the readiness that lets it go on.
 */
#include <uk/errno.h>
#include <uk/file.h>
#include <uk/poll.h>

struct block_call {
	struct uk_file *f;
	uk_file_attempt_fn attempt;
	void *arg;
};

static long block_cond(void *arg)
{
	struct block_call *c = arg;

	return c->attempt(c->f, c->arg);
}

long uk_file_block(struct uk_file *f, uint32_t events,
		   uk_file_attempt_fn attempt, void *arg, uint64_t deadline)
{
	struct block_call call = { f, attempt, arg };
	struct uk_poll_waiter w;
	struct uk_poll_watch pw;
	long r = attempt(f, arg);

	if (r != -EAGAIN || (f->flags & UK_O_NONBLOCK) || deadline == UK_POLL_NOW)
		return r;
	uk_poll_waiter_init(&w);
	uk_poll_watch(&pw, &w, f, events);
	r = uk_poll_wait(&w, block_cond, &call, deadline);
	uk_poll_unwatch(&pw);
	return r;
}

static int check_iov(const struct uk_iovec *iov, int iovcnt)
{
	size_t total = 0;

	if (iovcnt < 0 || iovcnt > UK_IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].len > (size_t)__LONG_MAX__ - total)
			return -EINVAL;
		total += iov[i].len;
	}
	return 0;
}

struct io_call {
	long (*op)(struct uk_file *f, const struct uk_iovec *iov, int iovcnt);
	const struct uk_iovec *iov;
	int iovcnt;
};

static long io_attempt(struct uk_file *f, void *arg)
{
	struct io_call *c = arg;

	return c->op(f, c->iov, c->iovcnt);
}

static long io(struct uk_file *f, struct io_call *c, uint32_t events)
{
	int err = check_iov(c->iov, c->iovcnt);

	if (err)
		return err;
	if (!c->iovcnt)
		return 0;
	if (!c->op)
		return -EINVAL;
	return uk_file_block(f, events, io_attempt, c, UK_POLL_FOREVER);
}

long uk_file_read(struct uk_file *f, const struct uk_iovec *iov, int iovcnt)
{
	struct io_call c = { f->ops->read, iov, iovcnt };

	if ((f->flags & UK_O_ACCMODE) == UK_O_WRONLY)
		return -EBADF;
	return io(f, &c, UK_EPOLLIN);
}

long uk_file_write(struct uk_file *f, const struct uk_iovec *iov, int iovcnt)
{
	struct io_call c = { f->ops->write, iov, iovcnt };

	if ((f->flags & UK_O_ACCMODE) == UK_O_RDONLY)
		return -EBADF;
	return io(f, &c, UK_EPOLLOUT);
}
