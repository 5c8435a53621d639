/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/string.h>
#include "ring.h"

void ut_ring_init(struct ut_ring *r, uint8_t *buf, size_t size)
{
	*r = (struct ut_ring){ .buf = buf, .size = size };
}

void ut_ring_put(struct ut_ring *r, const void *data, size_t len)
{
	size_t off = (size_t)(r->head & (r->size - 1));
	size_t first = r->size - off < len ? r->size - off : len;

	memcpy(r->buf + off, data, first);
	memcpy(r->buf, (const uint8_t *)data + first, len - first);
	r->head += len;
}

size_t ut_ring_peek(const struct ut_ring *r, const uint8_t **data)
{
	size_t off = (size_t)(r->tail & (r->size - 1));
	size_t used = ut_ring_used(r);

	*data = r->buf + off;
	return r->size - off < used ? r->size - off : used;
}

void ut_ring_consume(struct ut_ring *r, size_t len)
{
	r->tail += len;
}
