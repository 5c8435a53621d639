/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of httpd's request parser (http_parse.c), under ASan and
 * UBSan: the request corpus with the verdict its MANIFEST expects, and the
 * rules a corpus file cannot show (pieces, pipelining, the exact limit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http_parse.h"

#define MAX_HEAD 8192

static enum http_parse_result parse(const char *s, size_t len, size_t max,
				    struct http_request *q)
{
	size_t scan = 0;

	return http_parse_request(s, len, max, &scan, q);
}

static enum http_parse_result parse_str(const char *s, struct http_request *q)
{
	return parse(s, strlen(s), MAX_HEAD, q);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len ? *len : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* Statuses 200, 404 and 405 are the router's: the parser sees a whole,
 * well-formed head. 400, 413 and 505 are the parser's own. */
static void test_corpus_manifest(void **state)
{
	FILE *m = fopen(HTTPD_CORPUS "/MANIFEST", "r");
	char line[512], file[128], path[512];
	int status, checked = 0;

	(void)state;
	assert_non_null(m);
	while (fgets(line, sizeof(line), m)) {
		struct http_request q;
		enum http_parse_result r;
		size_t len;
		char *buf;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%127[^\t]\t%d", file, &status), 2);
		snprintf(path, sizeof(path), "%s/%s", HTTPD_CORPUS, file);
		buf = read_file(path, &len);
		r = parse(buf, len, MAX_HEAD, &q);
		if (status == 200 || status == 404 || status == 405) {
			if (r != HTTP_PARSE_DONE)
				fail_msg("%s: expected a head, got %d (%s)",
					 file, r, q.error_reason);
		} else if (r != HTTP_PARSE_ERROR || q.error_status != status) {
			fail_msg("%s: expected error %d, got result %d status %d",
				 file, status, r, q.error_status);
		}
		free(buf);
		checked++;
	}
	fclose(m);
	assert_true(checked >= 40);
}

static void test_fields(void **state)
{
	struct http_request q;
	const char *s = "GET /metrics?x=1 HTTP/1.1\r\nHost: h\r\n"
			"Content-Length: 0\r\n\r\n";

	(void)state;
	assert_int_equal(parse_str(s, &q), HTTP_PARSE_DONE);
	assert_int_equal(q.method, HTTP_METHOD_GET);
	assert_int_equal(q.path_len, strlen("/metrics"));
	assert_memory_equal(q.path, "/metrics", q.path_len);
	assert_int_equal(q.version_minor, 1);
	assert_true(q.keep_alive);
	assert_false(q.has_body);
	assert_int_equal(q.head_len, strlen(s));

	assert_int_equal(parse_str("POST / HTTP/1.1\r\nHost: h\r\n"
				   "content-length: 12\r\n\r\n", &q),
			 HTTP_PARSE_DONE);
	assert_int_equal(q.method, HTTP_METHOD_OTHER);
	assert_true(q.has_body);
	assert_int_equal(q.content_length, 12);
	assert_int_equal(parse_str("HEAD / HTTP/1.1\r\nHost: h\r\n"
				   "Transfer-Encoding: chunked\r\n\r\n", &q),
			 HTTP_PARSE_DONE);
	assert_int_equal(q.method, HTTP_METHOD_HEAD);
	assert_true(q.has_body);
}

static void test_keep_alive(void **state)
{
	struct http_request q;

	(void)state;
	parse_str("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n", &q);
	assert_false(q.keep_alive);
	parse_str("GET / HTTP/1.0\r\n\r\n", &q);
	assert_false(q.keep_alive);
	parse_str("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &q);
	assert_true(q.keep_alive);
	parse_str("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", &q);
	assert_false(q.keep_alive);
	parse_str("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\n\r\n", &q);
	assert_true(q.keep_alive);
}

/* One byte at a time: "need more" until the blank line, then the same
 * head as in one piece, and the scan never runs past the data. */
static void test_byte_by_byte(void **state)
{
	const char *s = "\r\nGET /index.html HTTP/1.1\r\nHost: h\r\n"
			"X: y\n\r\n";
	size_t n = strlen(s), scan = 0, i;
	struct http_request q;

	(void)state;
	for (i = 1; i < n; i++) {
		assert_int_equal(http_parse_request(s, i, MAX_HEAD, &scan, &q),
				 HTTP_PARSE_MORE);
		assert_true(scan <= i);
	}
	assert_int_equal(http_parse_request(s, n, MAX_HEAD, &scan, &q),
			 HTTP_PARSE_DONE);
	assert_int_equal(q.head_len, n);
	assert_int_equal(q.path_len, strlen("/index.html"));
}

static void test_pipelined(void **state)
{
	const char *s = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
			"GET /b HTTP/1.0\r\n\r\nGET /c";
	struct http_request q;
	size_t off;

	(void)state;
	assert_int_equal(parse_str(s, &q), HTTP_PARSE_DONE);
	off = q.head_len;
	assert_int_equal(parse_str(s + off, &q), HTTP_PARSE_DONE);
	assert_memory_equal(q.path, "/b", 2);
	assert_int_equal(q.version_minor, 0);
	off += q.head_len;
	assert_int_equal(parse_str(s + off, &q), HTTP_PARSE_MORE);
}

/* A head of exactly the limit is served; one byte more is 413, and so is
 * a limit's worth without a blank line. */
static void test_limit(void **state)
{
	enum { MAX = 256 };
	char buf[MAX + 1];
	const char *pre = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
	struct http_request q;
	size_t n = strlen(pre);

	(void)state;
	memcpy(buf, pre, n);
	memset(buf + n, 'v', MAX - n - 4);
	memcpy(buf + MAX - 4, "\r\n\r\n", 4);
	assert_int_equal(parse(buf, MAX, MAX, &q), HTTP_PARSE_DONE);
	assert_int_equal(q.head_len, MAX);

	memset(buf + n, 'v', MAX + 1 - n - 4);
	memcpy(buf + MAX + 1 - 4, "\r\n\r\n", 4);
	assert_int_equal(parse(buf, MAX + 1, MAX, &q), HTTP_PARSE_ERROR);
	assert_int_equal(q.error_status, 413);
	assert_int_equal(parse(buf, MAX, MAX, &q), HTTP_PARSE_ERROR);
	assert_int_equal(q.error_status, 413);
	assert_int_equal(parse(buf, MAX - 1, MAX, &q), HTTP_PARSE_MORE);
}

/* Garbage is refused before any blank line arrives. */
static void test_early_errors(void **state)
{
	struct http_request q;

	(void)state;
	assert_int_equal(parse_str("\x16\x03\x01", &q), HTTP_PARSE_ERROR);
	assert_int_equal(q.error_status, 400);
	assert_int_equal(parse_str("GET /x HTTP/1.1 junk\r\nHost", &q),
			 HTTP_PARSE_ERROR);
	assert_int_equal(q.error_status, 400);
	assert_int_equal(parse_str("GET / HTTP/3.0\r\n", &q), HTTP_PARSE_ERROR);
	assert_int_equal(q.error_status, 505);
	assert_int_equal(parse_str("GET", &q), HTTP_PARSE_MORE);
	assert_int_equal(parse_str("", &q), HTTP_PARSE_MORE);
	assert_int_equal(parse_str("\r", &q), HTTP_PARSE_MORE);
}

static void test_reasons(void **state)
{
	(void)state;
	assert_string_equal(http_status_reason(404), "Not Found");
	assert_string_equal(http_status_reason(413), "Content Too Large");
	assert_string_equal(http_status_reason(299), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_manifest),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_early_errors),
		cmocka_unit_test(test_reasons),
	};

	return cmocka_run_group_tests_name("http_parse", tests, NULL, NULL);
}
