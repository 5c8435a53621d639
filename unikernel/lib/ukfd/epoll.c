/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll sets (uk/epoll.h). Each entry is a watch on its target file; the
 * target's uk_file_notify queues the entry on the set's ready list and
 * notifies the set's own file, which wakes whoever waits on the set (an
 * epoll_wait caller, poll on the set, or an enclosing set). Entries hold
 * no reference on their target: the target's release detaches them.
 */
#include <uk/alloc.h>
#include <uk/epoll.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/poll.h>

/* Bits that steer the entry rather than name events. */
#define PRIVATE_BITS                                                           \
	(UK_EPOLLONESHOT | UK_EPOLLET | UK_EPOLLEXCLUSIVE | UK_EPOLLWAKEUP)
/* What EPOLLEXCLUSIVE may come with (Linux's EPOLLEXCLUSIVE_OK_BITS). */
#define EXCLUSIVE_OK_BITS                                                      \
	(UK_EPOLLIN | UK_EPOLLOUT | UK_EPOLLERR | UK_EPOLLHUP |                \
	 UK_EPOLLWAKEUP | UK_EPOLLET | UK_EPOLLEXCLUSIVE)

struct epoll;

struct epitem {
	struct uk_file_watch watch; /* on the target; first member */
	struct epoll *ep;
	int fd;
	uint32_t events;	/* interest (with ERR, HUP) and private bits */
	uint64_t data;
	struct epitem *all_next, *all_prev; /* every entry of ep */
	struct epitem *rd_next, *rd_prev;   /* ep's ready list */
	bool queued;
};

struct epoll {
	struct uk_file file; /* first member */
	struct epitem *all;
	struct epitem *rd_head, *rd_tail;
};

static const struct uk_file_ops epoll_ops;

static bool is_epoll(const struct uk_file *f)
{
	return f->ops == &epoll_ops;
}

static struct epoll *epoll_of(struct uk_file *f)
{
	return (struct epoll *)f;
}

/* The events an entry is armed for; 0 after a one-shot report. */
static uint32_t interest(const struct epitem *it)
{
	return it->events & ~PRIVATE_BITS;
}

/* ---- the ready list ---------------------------------------------------- */

static void ready_add(struct epitem *it)
{
	struct epoll *ep = it->ep;

	if (it->queued)
		return;
	it->queued = true;
	it->rd_next = NULL;
	it->rd_prev = ep->rd_tail;
	if (ep->rd_tail)
		ep->rd_tail->rd_next = it;
	else
		ep->rd_head = it;
	ep->rd_tail = it;
}

static void ready_remove(struct epitem *it)
{
	struct epoll *ep = it->ep;

	if (!it->queued)
		return;
	it->queued = false;
	if (it->rd_prev)
		it->rd_prev->rd_next = it->rd_next;
	else
		ep->rd_head = it->rd_next;
	if (it->rd_next)
		it->rd_next->rd_prev = it->rd_prev;
	else
		ep->rd_tail = it->rd_prev;
	it->rd_next = it->rd_prev = NULL;
}

/* ---- entries ----------------------------------------------------------- */

/* The target may have become ready: queue the entry, tell the set's
 * waiters. */
static void epitem_notify(struct uk_file_watch *w, uint32_t events)
{
	struct epitem *it = (struct epitem *)w;

	(void)events;
	if (!interest(it))
		return;
	ready_add(it);
	uk_file_notify(&it->ep->file, UK_EPOLLIN);
}

static void epitem_free(struct epitem *it)
{
	struct epoll *ep = it->ep;

	ready_remove(it);
	if (it->all_prev)
		it->all_prev->all_next = it->all_next;
	else
		ep->all = it->all_next;
	if (it->all_next)
		it->all_next->all_prev = it->all_prev;
	uk_free(uk_alloc_default(), it);
}

/* The target's last reference went: the entry goes with it. */
static void epitem_detach(struct uk_file_watch *w)
{
	epitem_free((struct epitem *)w);
}

static struct epitem *epitem_find(struct epoll *ep, struct uk_file *f, int fd)
{
	for (struct uk_file_watch *w = f->watches; w; w = w->next) {
		struct epitem *it = (struct epitem *)w;

		if (w->fn == epitem_notify && it->ep == ep && it->fd == fd)
			return it;
	}
	return NULL;
}

/* Arm it for events, and queue it when the target is ready already. */
static void epitem_arm(struct epitem *it, const struct uk_epoll_event *ev)
{
	it->events = (ev->events & ~UK_EPOLLWAKEUP) | UK_EPOLL_ALWAYS;
	it->data = ev->data;
	it->watch.events = interest(it);
	if (uk_file_poll(it->watch.file) & interest(it)) {
		ready_add(it);
		uk_file_notify(&it->ep->file, UK_EPOLLIN);
	}
}

static int epitem_insert(struct epoll *ep, struct uk_file *f, int fd,
			 const struct uk_epoll_event *ev)
{
	struct epitem *it = uk_calloc(uk_alloc_default(), 1, sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->fd = fd;
	it->watch.fn = epitem_notify;
	it->watch.detach = epitem_detach;
	it->all_next = ep->all;
	if (ep->all)
		ep->all->all_prev = it;
	ep->all = it;
	uk_file_watch_add(f, &it->watch);
	epitem_arm(it, ev);
	return 0;
}

static void epitem_delete(struct epitem *it)
{
	uk_file_watch_remove(&it->watch);
	epitem_free(it);
}

/* ---- the set as a file ------------------------------------------------- */

/* Readable while some queued entry has an event to report. */
static uint32_t epoll_poll(struct uk_file *f)
{
	for (struct epitem *it = epoll_of(f)->rd_head; it; it = it->rd_next)
		if (uk_file_poll(it->watch.file) & interest(it))
			return UK_EPOLLIN | UK_EPOLLRDNORM;
	return 0;
}

static void epoll_release(struct uk_file *f)
{
	struct epoll *ep = epoll_of(f);

	while (ep->all)
		epitem_delete(ep->all);
	uk_free(uk_alloc_default(), ep);
}

static const struct uk_file_ops epoll_ops = {
	.poll = epoll_poll,
	.release = epoll_release,
};

int uk_epoll_create(int flags)
{
	struct epoll *ep;
	int fd;

	if (flags & ~UK_EPOLL_CLOEXEC)
		return -EINVAL;
	ep = uk_calloc(uk_alloc_default(), 1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	uk_file_init(&ep->file, &epoll_ops, UK_O_RDWR);
	fd = uk_fd_alloc(&ep->file, 0,
			 flags & UK_EPOLL_CLOEXEC ? UK_FD_CLOEXEC : 0);
	if (fd < 0)
		uk_file_put(&ep->file);
	return fd;
}

/* ---- epoll_ctl --------------------------------------------------------- */

/* Whether to is reachable from from through nested sets, counting a
 * nesting deeper than the limit as reachable (both are ELOOP). */
static bool reaches(struct epoll *from, struct epoll *to, int depth)
{
	if (from == to || depth > UK_EPOLL_MAX_NESTS)
		return true;
	for (struct epitem *it = from->all; it; it = it->all_next)
		if (is_epoll(it->watch.file) &&
		    reaches(epoll_of(it->watch.file), to, depth + 1))
			return true;
	return false;
}

static bool has_event(int op)
{
	return op == UK_EPOLL_CTL_ADD || op == UK_EPOLL_CTL_MOD;
}

/* Linux's order of checks (fs/eventpoll.c, do_epoll_ctl). */
static int ctl(struct uk_file *epf, int op, int fd, struct uk_file *f,
	       const struct uk_epoll_event *ev)
{
	struct epoll *ep;
	struct epitem *it;

	if (!f->ops->poll)
		return -EPERM;
	if (epf == f || !is_epoll(epf))
		return -EINVAL;
	if (has_event(op) && (ev->events & UK_EPOLLEXCLUSIVE)) {
		if (op == UK_EPOLL_CTL_MOD)
			return -EINVAL;
		if (is_epoll(f) || (ev->events & ~EXCLUSIVE_OK_BITS))
			return -EINVAL;
	}
	ep = epoll_of(epf);
	if (op == UK_EPOLL_CTL_ADD && is_epoll(f) && reaches(epoll_of(f), ep, 1))
		return -ELOOP;
	it = epitem_find(ep, f, fd);
	switch (op) {
	case UK_EPOLL_CTL_ADD:
		return it ? -EEXIST : epitem_insert(ep, f, fd, ev);
	case UK_EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		epitem_delete(it);
		return 0;
	case UK_EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & UK_EPOLLEXCLUSIVE)
			return -EINVAL;
		epitem_arm(it, ev);
		return 0;
	default:
		return -EINVAL;
	}
}

int uk_epoll_ctl(int epfd, int op, int fd, const struct uk_epoll_event *ev)
{
	struct uk_file *epf, *f;
	int r;

	if (has_event(op) && !ev)
		return -EFAULT;
	epf = uk_fd_get(epfd);
	if (!epf)
		return -EBADF;
	f = uk_fd_get(fd);
	if (!f) {
		uk_file_put(epf);
		return -EBADF;
	}
	r = ctl(epf, op, fd, f, ev);
	uk_file_put(f);
	uk_file_put(epf);
	return r;
}

/* ---- epoll_wait -------------------------------------------------------- */

struct harvest {
	struct epoll *ep;
	struct uk_epoll_event *out;
	int max;
};

/*
 * Report what the queued entries have now, at most max, in queue order.
 * Entries with nothing to report leave the list; level-triggered ones
 * that reported go back to its end (polled again next time), after this
 * round so none is reported twice in one call.
 */
static long harvest(void *arg)
{
	struct harvest *h = arg;
	struct epoll *ep = h->ep;
	struct epitem *again = NULL, **again_tail = &again, *it;
	int n = 0;

	while (n < h->max && (it = ep->rd_head)) {
		uint32_t got;

		ready_remove(it);
		got = interest(it) ? uk_file_poll(it->watch.file) & interest(it) : 0;
		if (!got)
			continue;
		h->out[n].events = got;
		h->out[n].data = it->data;
		n++;
		if (it->events & UK_EPOLLONESHOT) {
			it->events &= PRIVATE_BITS;
			it->watch.events = 0;
		} else if (!(it->events & UK_EPOLLET)) {
			it->rd_next = NULL;
			*again_tail = it;
			again_tail = &it->rd_next;
		}
	}
	while ((it = again)) {
		again = it->rd_next;
		ready_add(it);
	}
	return n ? n : -EAGAIN;
}

long uk_epoll_wait(int epfd, struct uk_epoll_event *events, int maxevents,
		   uint64_t deadline)
{
	struct uk_poll_waiter w;
	struct uk_poll_watch pw;
	struct harvest h;
	struct uk_file *f;
	long r;

	if (maxevents <= 0 || maxevents > UK_EPOLL_MAX_EVENTS)
		return -EINVAL;
	if (!events)
		return -EFAULT;
	f = uk_fd_get(epfd);
	if (!f)
		return -EBADF;
	if (!is_epoll(f)) {
		uk_file_put(f);
		return -EINVAL;
	}
	h = (struct harvest){ epoll_of(f), events, maxevents };
	uk_poll_waiter_init(&w);
	uk_poll_watch(&pw, &w, f, UK_EPOLLIN);
	r = uk_poll_wait(&w, harvest, &h, deadline);
	uk_poll_unwatch(&pw);
	uk_file_put(f);
	return r == -EAGAIN ? 0 : r;
}
