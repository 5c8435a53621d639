/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to lib/ukfd: what poll(2) and select(2) share (pollset.c). */
#ifndef UKFD_POLLSET_H
#define UKFD_POLLSET_H

#include <uk/poll.h>

/* One descriptor being waited for. file NULL: nothing to poll (got stays
 * as set up: 0 for a skipped entry, UK_EPOLLNVAL for a closed fd). */
struct pollent {
	struct uk_file *file; /* referenced while the wait runs */
	int fd;
	unsigned int sets;    /* select: which sets named fd (bit per set) */
	uint32_t want;	      /* events of interest (poll adds ERR, HUP) */
	uint32_t got;	      /* what was ready, within want */
	struct uk_poll_watch pw;
};

/* Entries on the caller's stack up to this many, else allocated. */
#define POLLSET_STACK 8

struct pollset {
	struct pollent *e;
	unsigned long n;
	struct pollent stack[POLLSET_STACK];
};

/* Room for n zeroed entries: 0 or -ENOMEM. */
int pollset_init(struct pollset *s, unsigned long n);
/* Wait until an entry is ready or the deadline: the ready entries (got
 * set), 0 at the deadline. */
long pollset_wait(struct pollset *s, uint64_t deadline);
/* Drop the references and the memory. */
void pollset_fini(struct pollset *s);

#endif
