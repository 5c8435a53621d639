/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to lib/uktrace: a byte ring of whole records. */
#ifndef UKTRACE_RING_H
#define UKTRACE_RING_H

#include <stddef.h>
#include <stdint.h>

struct ut_ring {
	uint8_t *buf;
	size_t size;		/* power of two */
	uint64_t head;		/* bytes ever written */
	uint64_t tail;		/* bytes ever consumed */
};

static inline size_t ut_ring_used(const struct ut_ring *r)
{
	return (size_t)(r->head - r->tail);
}

static inline size_t ut_ring_free(const struct ut_ring *r)
{
	return r->size - ut_ring_used(r);
}

void ut_ring_init(struct ut_ring *r, uint8_t *buf, size_t size);
/* Copy len bytes in at head (the caller checked there is room). */
void ut_ring_put(struct ut_ring *r, const void *data, size_t len);
/* The longest contiguous readable run at tail; 0 when empty. */
size_t ut_ring_peek(const struct ut_ring *r, const uint8_t **data);
void ut_ring_consume(struct ut_ring *r, size_t len);

#endif
