/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The wait behind poll(2) and select(2): a watch on every file, then the
 * one waiting primitive with a condition that polls them all. Both calls
 * are O(descriptors) by their nature; epoll is the O(ready) one.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include "pollset.h"

int pollset_init(struct pollset *s, unsigned long n)
{
	s->n = n;
	if (n <= POLLSET_STACK) {
		s->e = s->stack;
		memset(s->stack, 0, sizeof(s->stack));
		return 0;
	}
	s->e = uk_calloc(uk_alloc_default(), n, sizeof(*s->e));
	return s->e ? 0 : -ENOMEM;
}

static long pollset_check(void *arg)
{
	struct pollset *s = arg;
	long ready = 0;

	for (unsigned long i = 0; i < s->n; i++) {
		struct pollent *e = &s->e[i];

		if (e->file)
			e->got = uk_file_poll(e->file) & e->want;
		ready += e->got != 0;
	}
	return ready ? ready : -EAGAIN;
}

long pollset_wait(struct pollset *s, uint64_t deadline)
{
	struct uk_poll_waiter w;
	long r;

	uk_poll_waiter_init(&w);
	for (unsigned long i = 0; i < s->n; i++)
		if (s->e[i].file)
			uk_poll_watch(&s->e[i].pw, &w, s->e[i].file, s->e[i].want);
	r = uk_poll_wait(&w, pollset_check, s, deadline);
	for (unsigned long i = 0; i < s->n; i++)
		if (s->e[i].file)
			uk_poll_unwatch(&s->e[i].pw);
	return r == -EAGAIN ? 0 : r;
}

void pollset_fini(struct pollset *s)
{
	for (unsigned long i = 0; i < s->n; i++)
		if (s->e[i].file)
			uk_file_put(s->e[i].file);
	if (s->e != s->stack)
		uk_free(uk_alloc_default(), s->e);
}
