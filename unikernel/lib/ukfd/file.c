/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open files: references, watches and readiness notification, and the
 * calls that are the same for every kind (ioctl, F_SETFL, lseek).
 */
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/file.h>

void uk_file_init(struct uk_file *f, const struct uk_file_ops *ops,
		  unsigned int flags)
{
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	f->watches = NULL;
}

void uk_file_put(struct uk_file *f)
{
	UK_ASSERT(f->refs > 0);
	if (--f->refs)
		return;
	/* Holders without a reference (epoll sets) forget the file. */
	while (f->watches) {
		struct uk_file_watch *w = f->watches;

		if (!w->detach)
			uk_panic("file %p released while watched by %p",
				 (void *)f, (void *)w);
		uk_file_watch_remove(w);
		w->detach(w);
	}
	if (f->ops->release)
		f->ops->release(f);
}

void uk_file_watch_add(struct uk_file *f, struct uk_file_watch *w)
{
	w->file = f;
	w->prev = NULL;
	w->next = f->watches;
	if (f->watches)
		f->watches->prev = w;
	f->watches = w;
}

void uk_file_watch_remove(struct uk_file_watch *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		w->file->watches = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->next = w->prev = NULL;
}

void uk_file_notify(struct uk_file *f, uint32_t events)
{
	struct uk_file_watch *w, *next;

	/* fn may not add or remove watches of f, but may notify other files
	 * (an epoll set tells its own watchers). */
	for (w = f->watches; w; w = next) {
		next = w->next;
		if (!events || (events & w->events))
			w->fn(w, events);
	}
}

uint32_t uk_file_poll(struct uk_file *f)
{
	if (!f->ops->poll)
		return UK_EPOLLIN | UK_EPOLLRDNORM | UK_EPOLLOUT | UK_EPOLLWRNORM;
	return f->ops->poll(f);
}

int uk_file_ioctl(struct uk_file *f, unsigned long req, void *arg)
{
	switch (req) {
	case UK_FIONBIO:
		if (!arg)
			return -EFAULT;
		return uk_file_setfl(f, *(const int *)arg
						? f->flags | UK_O_NONBLOCK
						: f->flags & ~UK_O_NONBLOCK);
	case UK_FIOASYNC:
		/* SIGIO would need signal delivery, which does not exist. */
		return -EINVAL;
	default:
		return f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	}
}

#define SETFL_MASK (UK_O_NONBLOCK | UK_O_APPEND)

int uk_file_setfl(struct uk_file *f, unsigned int flags)
{
	if (flags & UK_O_ASYNC)
		return -EINVAL;
	f->flags = (f->flags & ~SETFL_MASK) | (flags & SETFL_MASK);
	return 0;
}

long uk_file_lseek(struct uk_file *f, long off, int whence)
{
	return f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
}
