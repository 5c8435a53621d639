/* SPDX-License-Identifier: BSD-3-Clause */
/* eventfd (uk/eventfd.h): the counter, as Linux's fs/eventfd.c defines it. */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/eventfd.h>
#include <uk/fd.h>

#define COUNT_MAX (UINT64_MAX - 1)

struct eventfd {
	struct uk_file file;
	uint64_t count;
	bool semaphore;
};

static struct eventfd *eventfd_of(struct uk_file *f)
{
	return (struct eventfd *)f;
}

static long eventfd_read(struct uk_file *f, const struct uk_iovec *iov,
			 int iovcnt)
{
	struct eventfd *e = eventfd_of(f);
	uint64_t v;

	if (uk_iov_total(iov, iovcnt) < sizeof(v))
		return -EINVAL;
	if (!e->count)
		return -EAGAIN;
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	uk_iov_copy_out(iov, iovcnt, &v, sizeof(v));
	uk_file_notify(f, UK_EPOLLOUT);
	return sizeof(v);
}

static long eventfd_write(struct uk_file *f, const struct uk_iovec *iov,
			  int iovcnt)
{
	struct eventfd *e = eventfd_of(f);
	uint64_t v;

	if (uk_iov_total(iov, iovcnt) < sizeof(v))
		return -EINVAL;
	uk_iov_copy_in(&v, sizeof(v), iov, iovcnt);
	if (v == UINT64_MAX)
		return -EINVAL;
	if (v > COUNT_MAX - e->count)
		return -EAGAIN;
	e->count += v;
	uk_file_notify(f, UK_EPOLLIN);
	return sizeof(v);
}

static uint32_t eventfd_poll(struct uk_file *f)
{
	struct eventfd *e = eventfd_of(f);
	uint32_t events = 0;

	if (e->count)
		events |= UK_EPOLLIN;
	if (e->count < COUNT_MAX)
		events |= UK_EPOLLOUT;
	return events;
}

static void eventfd_release(struct uk_file *f)
{
	uk_free(uk_alloc_default(), eventfd_of(f));
}

static const struct uk_file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
};

int uk_eventfd(unsigned int initval, int flags)
{
	struct eventfd *e;
	int fd;

	if (flags & ~(UK_EFD_SEMAPHORE | UK_EFD_NONBLOCK | UK_EFD_CLOEXEC))
		return -EINVAL;
	e = uk_malloc(uk_alloc_default(), sizeof(*e));
	if (!e)
		return -ENOMEM;
	uk_file_init(&e->file, &eventfd_ops,
		     UK_O_RDWR | (flags & UK_EFD_NONBLOCK));
	e->count = initval;
	e->semaphore = flags & UK_EFD_SEMAPHORE;
	fd = uk_fd_alloc(&e->file, 0,
			 flags & UK_EFD_CLOEXEC ? UK_FD_CLOEXEC : 0);
	if (fd < 0)
		uk_file_put(&e->file);
	return fd;
}
