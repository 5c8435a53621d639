/* SPDX-License-Identifier: BSD-3-Clause */
/* select(2) on descriptors (uk/poll.h), with Linux's mapping of events. */
#include <uk/errno.h>
#include <uk/fd.h>
#include "pollset.h"

#define WORD_BITS 64
#define IN_SET                                                                 \
	(UK_EPOLLRDNORM | UK_EPOLLRDBAND | UK_EPOLLIN | UK_EPOLLHUP | UK_EPOLLERR)
#define OUT_SET (UK_EPOLLWRBAND | UK_EPOLLWRNORM | UK_EPOLLOUT | UK_EPOLLERR)
#define EX_SET UK_EPOLLPRI

static bool is_set(const unsigned long *set, int fd)
{
	return set && set[fd / WORD_BITS] >> (fd % WORD_BITS) & 1;
}

enum { SET_R = 1, SET_W = 2, SET_E = 4 };

/* The sets that name fd. */
static unsigned int sets_of(int fd, const unsigned long *r,
			    const unsigned long *w, const unsigned long *e)
{
	return (is_set(r, fd) ? SET_R : 0) | (is_set(w, fd) ? SET_W : 0) |
	       (is_set(e, fd) ? SET_E : 0);
}

static uint32_t wanted(unsigned int sets)
{
	return (sets & SET_R ? IN_SET : 0) | (sets & SET_W ? OUT_SET : 0) |
	       (sets & SET_E ? EX_SET : 0);
}

/* An entry for every fd in a set; -EBADF when one is not open. */
static long collect(struct pollset *s, int nfds, const unsigned long *r,
		    const unsigned long *w, const unsigned long *e)
{
	unsigned long n = 0;

	for (int fd = 0; fd < nfds; fd++) {
		unsigned int sets = sets_of(fd, r, w, e);

		if (!sets)
			continue;
		s->e[n].file = uk_fd_get(fd);
		if (!s->e[n].file)
			return -EBADF;
		s->e[n].fd = fd;
		s->e[n].sets = sets;
		s->e[n++].want = wanted(sets);
	}
	return 0;
}

/* Write the answer over one set: the whole words the caller passed. */
static long answer(unsigned long *set, int nfds, const struct pollset *s,
		   unsigned int which, uint32_t events)
{
	long bits = 0;

	if (!set)
		return 0;
	for (int i = 0; i < (nfds + WORD_BITS - 1) / WORD_BITS; i++)
		set[i] = 0;
	for (unsigned long i = 0; i < s->n; i++) {
		const struct pollent *e = &s->e[i];

		if (!(e->sets & which) || !(e->got & events))
			continue;
		set[e->fd / WORD_BITS] |= 1UL << (e->fd % WORD_BITS);
		bits++;
	}
	return bits;
}

long uk_select(int nfds, unsigned long *rfds, unsigned long *wfds,
	       unsigned long *efds, uint64_t deadline)
{
	struct pollset s;
	unsigned long n = 0;
	long r;

	if (nfds < 0)
		return -EINVAL;
	if (nfds > UK_FD_MAX)
		nfds = UK_FD_MAX;
	for (int fd = 0; fd < nfds; fd++)
		n += sets_of(fd, rfds, wfds, efds) != 0;
	r = pollset_init(&s, n);
	if (r)
		return r;
	r = collect(&s, nfds, rfds, wfds, efds);
	if (!r)
		r = pollset_wait(&s, deadline);
	if (r >= 0)
		r = answer(rfds, nfds, &s, SET_R, IN_SET) +
		    answer(wfds, nfds, &s, SET_W, OUT_SET) +
		    answer(efds, nfds, &s, SET_E, EX_SET);
	pollset_fini(&s);
	return r;
}
