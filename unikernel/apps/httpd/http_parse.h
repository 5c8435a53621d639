/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.x request-head parser: no I/O, no allocation, no global state, so
 * it compiles unchanged into the guest app, the native build, its unit
 * tests and its libFuzzer target.
 *
 * The caller keeps the bytes received so far in one buffer and calls
 * http_parse_request() after each read. The search for the end of the head
 * resumes where the previous call stopped (*scan), so a client that sends
 * one byte at a time costs linear work, not quadratic.
 *
 * Strict where laxness lets requests be smuggled or misread: single spaces
 * in the request line, no whitespace before a header's colon, no folded
 * header lines, no control bytes, one Content-Length value, never both
 * Content-Length and Transfer-Encoding. Lenient where RFC 9112 allows it:
 * bare LF line ends, empty lines before the request line.
 */
#ifndef HTTP_PARSE_H
#define HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum http_method {
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_OTHER,	/* any other well-formed token */
};

enum http_parse_result {
	HTTP_PARSE_DONE,	/* a whole head: *req is filled */
	HTTP_PARSE_MORE,	/* no error so far; need more bytes */
	HTTP_PARSE_ERROR,	/* req->error_status says which */
};

struct http_request {
	enum http_method method;
	/* Pointers into the caller's buffer, valid while it is. */
	const char *method_str;
	size_t method_len;
	const char *path;	/* starts with '/', without the query */
	size_t path_len;
	int version_minor;	/* 0 for HTTP/1.0, 1 for 1.1 and later 1.x */
	/* The connection may carry another request after this one:
	 * HTTP/1.1 unless "Connection: close", HTTP/1.0 only with
	 * "Connection: keep-alive". */
	bool keep_alive;
	/* A body follows the head: Content-Length > 0 or any
	 * Transfer-Encoding. Its end is not known to this parser. */
	bool has_body;
	uint64_t content_length;
	/* Bytes of the head, empty lines before it and the blank line
	 * that ends it included: where the next request (or the body)
	 * starts. */
	size_t head_len;
	/* With HTTP_PARSE_ERROR: 400 (malformed), 413 (head larger than
	 * the limit) or 505 (HTTP major version other than 1), and a
	 * static text saying what was wrong. */
	int error_status;
	const char *error_reason;
};

/*
 * Parse the head at the start of buf[0..len). max_head bounds the head:
 * a head that is not complete within max_head bytes is a 413. *scan is
 * where the previous call on the same request stopped looking for the
 * end of the head: 0 for a new request, then left to this function.
 * Bytes past max_head are not looked at. Errors are reported as soon as
 * the bytes received prove them, even before the head is complete.
 */
enum http_parse_result http_parse_request(const char *buf, size_t len,
					  size_t max_head, size_t *scan,
					  struct http_request *req);

/* Reason phrase of a status this server sends ("Not Found"), or
 * "Unknown". */
const char *http_status_reason(int status);

#endif
