/* SPDX-License-Identifier: BSD-3-Clause */
#include "textbuf.h"

#include <string.h>

void tb_put(struct textbuf *b, const char *s, size_t n)
{
	if (b->full || n > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void tb_str(struct textbuf *b, const char *s)
{
	tb_put(b, s, strlen(s));
}

void tb_uint(struct textbuf *b, uint64_t v)
{
	char digits[20];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tb_put(b, digits + i, sizeof(digits) - i);
}
