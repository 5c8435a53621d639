/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: httpd's request parser (http_parse.c) on arbitrary
 * bytes. Built and run by `make fuzz` (clang, -fsanitize=fuzzer,address,
 * undefined); its seeds are the request corpus (fuzz/corpus). Besides
 * memory errors, a finding is any broken promise of http_parse.h:
 *   - a complete head lies inside the input and within the limit, ends
 *     with '\n', and its path starts with '/' (or is "*");
 *   - an error is 400, 413 or 505, with a reason;
 *   - "need more" only below the limit;
 *   - fed in pieces (resuming with *scan), the parser says what it says
 *     on the whole input: the same head, or the same error status, and
 *     never a head that the whole input does not have.
 * Every request of a pipelined input is checked, one after the other.
 */
#include <stdlib.h>
#include <string.h>

#include "http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one(const char *buf, size_t len, size_t max_head,
		      enum http_parse_result r, const struct http_request *q)
{
	switch (r) {
	case HTTP_PARSE_DONE:
		if (!q->head_len || q->head_len > len || q->head_len > max_head ||
		    buf[q->head_len - 1] != '\n')
			abort();
		if (!q->method_len || q->method_str < buf ||
		    q->method_str + q->method_len > buf + q->head_len)
			abort();
		if (!q->path_len ||
		    (q->path[0] != '/' && !(q->path_len == 1 && q->path[0] == '*')))
			abort();
		/* The path is in the head, or the constant "/" of an
		 * absolute-form target without one. */
		if ((q->path < buf || q->path + q->path_len > buf + q->head_len) &&
		    strcmp(q->path, "/"))
			abort();
		if (q->version_minor != 0 && q->version_minor != 1)
			abort();
		break;
	case HTTP_PARSE_ERROR:
		if ((q->error_status != 400 && q->error_status != 413 &&
		     q->error_status != 505) || !q->error_reason)
			abort();
		break;
	case HTTP_PARSE_MORE:
		if (len >= max_head)
			abort();
		break;
	}
}

static bool same_head(const struct http_request *a,
		      const struct http_request *b)
{
	return a->head_len == b->head_len && a->method == b->method &&
	       a->path_len == b->path_len &&
	       !memcmp(a->path, b->path, a->path_len) &&
	       a->version_minor == b->version_minor &&
	       a->keep_alive == b->keep_alive && a->has_body == b->has_body &&
	       a->content_length == b->content_length;
}

/* Feed buf in pieces of step bytes; compare with the whole-input answer. */
static void check_pieces(const char *buf, size_t len, size_t max_head,
			 size_t step, enum http_parse_result whole,
			 const struct http_request *w)
{
	struct http_request q;
	enum http_parse_result r = HTTP_PARSE_MORE;
	size_t scan = 0, have = 0;

	while (have < len && r == HTTP_PARSE_MORE) {
		have = have + step < len ? have + step : len;
		r = http_parse_request(buf, have, max_head, &scan, &q);
		check_one(buf, have, max_head, r, &q);
		if (scan > have)
			abort();
	}
	if (r == HTTP_PARSE_MORE && whole != HTTP_PARSE_MORE)
		abort();
	if (r == HTTP_PARSE_DONE && (whole != HTTP_PARSE_DONE || !same_head(&q, w)))
		abort();
	if (r == HTTP_PARSE_ERROR &&
	    (whole != HTTP_PARSE_ERROR || q.error_status != w->error_status))
		abort();
}

static void check_all(const char *buf, size_t size, size_t max_head)
{
	size_t off = 0;

	while (off < size) {
		struct http_request w;
		size_t scan = 0, len = size - off;
		enum http_parse_result r =
			http_parse_request(buf + off, len, max_head, &scan, &w);

		check_one(buf + off, len, max_head, r, &w);
		check_pieces(buf + off, len, max_head, 1 + len % 61, r, &w);
		if (len <= 256)
			check_pieces(buf + off, len, max_head, 1, r, &w);
		if (r != HTTP_PARSE_DONE)
			break;
		off += w.head_len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reading past the input is caught. */
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	check_all(buf, size, 8192);
	check_all(buf, size, 64);
	http_status_reason(size ? (int)buf[0] * 4 : 0);
	free(buf);
	return 0;
}
