/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's operating-system layer under LWIP_THREADED (NO_SYS=0), on the
 * cooperative scheduler (lib/uksched): semaphores and mailboxes are a
 * count or a ring plus wait queues, checked and waited on with interrupts
 * disabled so an interrupt handler's post cannot slip in between. The
 * objects are embedded where lwIP keeps them; nothing is allocated but a
 * mailbox's ring. sys_arch_threaded.c implements them.
 */
#ifndef UK_LWIP_SYS_ARCH_H
#define UK_LWIP_SYS_ARCH_H

#include <stdint.h>
#include <uk/sched.h>

struct uk_lwip_sem {
	int valid;
	uint32_t count;
	struct uk_waitq wq;
};
typedef struct uk_lwip_sem sys_sem_t;

/* A mutex is a binary semaphore: no priorities to inherit, and a
 * cooperative thread holds it only across calls that may block. */
typedef struct uk_lwip_sem sys_mutex_t;

struct uk_lwip_mbox {
	int valid;
	uint32_t size, head, count;	/* ring of size slots */
	void **slot;
	struct uk_waitq not_empty, not_full;
};
typedef struct uk_lwip_mbox sys_mbox_t;

typedef struct uk_thread *sys_thread_t;

#define sys_sem_valid(s) ((s)->valid)
#define sys_sem_set_invalid(s) ((s)->valid = 0)
#define sys_mutex_valid(m) ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = 0)
#define sys_mbox_valid(m) ((m)->valid)
#define sys_mbox_set_invalid(m) ((m)->valid = 0)

#endif
