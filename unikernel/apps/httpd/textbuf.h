/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text appended to a fixed buffer with plain copies (no snprintf: answer
 * heads are written once per request, and in the guest each instruction
 * of that is counted). A write that does not fit marks the buffer full
 * and the text unusable.
 */
#ifndef HTTPD_TEXTBUF_H
#define HTTPD_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct textbuf {
	char *p;
	size_t len, cap;
	bool full;
};

void tb_put(struct textbuf *b, const char *s, size_t n);
void tb_str(struct textbuf *b, const char *s);
void tb_uint(struct textbuf *b, uint64_t v);

#endif
