/* SPDX-License-Identifier: BSD-3-Clause */
#include "http_parse.h"

#include <string.h>

/* Content-Length values with more digits are refused (about 10^18 bytes,
 * far beyond any body this server would wait for), so the sum never
 * overflows. */
#define CONTENT_LENGTH_DIGITS_MAX 18

/* RFC 9110 5.6.2: the bytes of a token (methods, header names). */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

/* A byte of a header value: HTAB, visible ASCII, space, obs-text. */
static bool is_value_char(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static enum http_parse_result fail(struct http_request *req, int status,
				   const char *reason)
{
	req->error_status = status;
	req->error_reason = reason;
	return HTTP_PARSE_ERROR;
}

static bool eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return false;
	}
	return true;
}

/* One line of the head: [p, p + n), without its CRLF or LF. A CR left
 * inside is a bare CR, which the character checks refuse. */
struct line {
	const char *p;
	size_t n;
};

/* The line at *pos, which must end before end (the head is complete up
 * to end); *pos moves past its line end. */
static struct line next_line(const char *buf, size_t *pos, size_t end)
{
	const char *nl = memchr(buf + *pos, '\n', end - *pos);
	struct line l = { buf + *pos, (size_t)(nl - (buf + *pos)) };

	*pos = (size_t)(nl - buf) + 1;
	if (l.n && l.p[l.n - 1] == '\r')
		l.n--;
	return l;
}

static enum http_parse_result parse_target(const char *t, size_t n,
					   struct http_request *req)
{
	size_t i, path_end;

	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x21 || (unsigned char)t[i] > 0x7e ||
		    t[i] == '#')
			return fail(req, 400, "request target has a byte "
					      "outside visible ASCII or a '#'");
	if (n == 1 && t[0] == '*') {
		if (!(req->method_len == 7 &&
		      !memcmp(req->method_str, "OPTIONS", 7)))
			return fail(req, 400, "'*' target without OPTIONS");
		req->path = t;
		req->path_len = 1;
		return HTTP_PARSE_DONE;
	}
	if (n >= 7 && (eq_nocase(t, 7, "http://") ||
		       (n >= 8 && eq_nocase(t, 8, "https://")))) {
		/* Absolute form: the path starts after the authority. */
		const char *a = memchr(t, ':', n) + 3;
		const char *slash;

		if (a >= t + n || *a == '/' || *a == '?')
			return fail(req, 400, "absolute target without a host");
		slash = memchr(a, '/', (size_t)(t + n - a));
		if (!slash) {
			req->path = "/";
			req->path_len = 1;
			return HTTP_PARSE_DONE;
		}
		n -= (size_t)(slash - t);
		t = slash;
	}
	if (!n || t[0] != '/')
		return fail(req, 400, "request target does not start with '/'");
	for (path_end = 0; path_end < n && t[path_end] != '?'; path_end++)
		;
	req->path = t;
	req->path_len = path_end;
	return HTTP_PARSE_DONE;
}

static enum http_parse_result parse_version(const char *v, size_t n,
					    struct http_request *req)
{
	if (n != 8 || memcmp(v, "HTTP/", 5) || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return fail(req, 400, "malformed HTTP version");
	if (v[5] != '1')
		return fail(req, 505, "HTTP major version is not 1");
	/* RFC 9110 2.5: a later 1.x is answered as 1.1. */
	req->version_minor = v[7] == '0' ? 0 : 1;
	return HTTP_PARSE_DONE;
}

/* method SP request-target SP HTTP-version, single spaces. */
static enum http_parse_result parse_request_line(struct line l,
						 struct http_request *req)
{
	const char *sp1, *sp2, *end = l.p + l.n;
	enum http_parse_result r;
	size_t i;

	sp1 = memchr(l.p, ' ', l.n);
	if (!sp1 || sp1 == l.p)
		return fail(req, 400, "request line has no method");
	for (i = 0; l.p + i < sp1; i++)
		if (!is_tchar((unsigned char)l.p[i]))
			return fail(req, 400, "method has a byte outside a token");
	req->method_str = l.p;
	req->method_len = (size_t)(sp1 - l.p);
	if (req->method_len == 3 && !memcmp(l.p, "GET", 3))
		req->method = HTTP_METHOD_GET;
	else if (req->method_len == 4 && !memcmp(l.p, "HEAD", 4))
		req->method = HTTP_METHOD_HEAD;
	else
		req->method = HTTP_METHOD_OTHER;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || sp2 == sp1 + 1)
		return fail(req, 400, "request line is not "
				      "'METHOD TARGET VERSION'");
	r = parse_version(sp2 + 1, (size_t)(end - sp2 - 1), req);
	if (r != HTTP_PARSE_DONE)
		return r;
	return parse_target(sp1 + 1, (size_t)(sp2 - sp1 - 1), req);
}

struct head_fields {
	unsigned hosts;
	bool conn_close, conn_keep_alive, te, cl_seen;
	uint64_t cl;
};

static void parse_connection(const char *v, size_t n, struct head_fields *f)
{
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (is_ows(v[i]) || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && is_ows(v[e - 1]))
			e--;
		if (eq_nocase(v + s, e - s, "close"))
			f->conn_close = true;
		else if (eq_nocase(v + s, e - s, "keep-alive"))
			f->conn_keep_alive = true;
	}
}

static enum http_parse_result parse_content_length(const char *v, size_t n,
						   struct head_fields *f,
						   struct http_request *req)
{
	uint64_t x = 0;
	size_t i;

	if (!n || n > CONTENT_LENGTH_DIGITS_MAX)
		return fail(req, 400, "Content-Length is empty or too long");
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return fail(req, 400, "Content-Length is not a number");
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (f->cl_seen && f->cl != x)
		return fail(req, 400, "Content-Length values differ");
	f->cl_seen = true;
	f->cl = x;
	return HTTP_PARSE_DONE;
}

/* name ":" OWS value OWS */
static enum http_parse_result parse_header(struct line l,
					   struct head_fields *f,
					   struct http_request *req)
{
	const char *colon, *v, *ve;
	size_t name_len, i;

	if (is_ows(l.p[0]))
		return fail(req, 400, "folded or indented header line");
	colon = memchr(l.p, ':', l.n);
	if (!colon || colon == l.p)
		return fail(req, 400, "header line without a name and ':'");
	name_len = (size_t)(colon - l.p);
	for (i = 0; i < name_len; i++)
		if (!is_tchar((unsigned char)l.p[i]))
			return fail(req, 400, "header name has a byte outside "
					      "a token");
	v = colon + 1;
	ve = l.p + l.n;
	for (i = 0; v + i < ve; i++)
		if (!is_value_char((unsigned char)v[i]))
			return fail(req, 400, "header value has a control byte");
	while (v < ve && is_ows(*v))
		v++;
	while (ve > v && is_ows(ve[-1]))
		ve--;
	if (eq_nocase(l.p, name_len, "host"))
		f->hosts++;
	else if (eq_nocase(l.p, name_len, "connection"))
		parse_connection(v, (size_t)(ve - v), f);
	else if (eq_nocase(l.p, name_len, "content-length"))
		return parse_content_length(v, (size_t)(ve - v), f, req);
	else if (eq_nocase(l.p, name_len, "transfer-encoding"))
		f->te = true;
	return HTTP_PARSE_DONE;
}

/* The complete head [start, end): request line, header lines, blank line. */
static enum http_parse_result parse_head(const char *buf, size_t start,
					 size_t end, struct http_request *req)
{
	struct head_fields f = { 0 };
	enum http_parse_result r;
	size_t pos = start;
	struct line l;

	r = parse_request_line(next_line(buf, &pos, end), req);
	if (r != HTTP_PARSE_DONE)
		return r;
	for (l = next_line(buf, &pos, end); l.n; l = next_line(buf, &pos, end)) {
		r = parse_header(l, &f, req);
		if (r != HTTP_PARSE_DONE)
			return r;
	}
	if (f.te && f.cl_seen)
		return fail(req, 400, "both Content-Length and "
				      "Transfer-Encoding");
	if (f.hosts > 1 || (req->version_minor && !f.hosts))
		return fail(req, 400, "HTTP/1.1 needs exactly one Host header");
	req->content_length = f.cl;
	req->has_body = f.te || f.cl > 0;
	req->keep_alive = req->version_minor ? !f.conn_close
					     : f.conn_keep_alive && !f.conn_close;
	req->head_len = end;
	return HTTP_PARSE_DONE;
}

/*
 * Before the head is complete: refuse what is already wrong, so a client
 * sending garbage (a TLS hello, binary) is answered at once rather than
 * after max_head bytes or the request timeout.
 */
static enum http_parse_result check_partial(const char *buf, size_t start,
					    size_t len, struct http_request *req)
{
	const char *nl = memchr(buf + start, '\n', len - start);
	size_t i;

	if (nl) {
		struct line l = { buf + start, (size_t)(nl - buf) - start };

		if (l.n && l.p[l.n - 1] == '\r')
			l.n--;
		return parse_request_line(l, req) == HTTP_PARSE_ERROR
			       ? HTTP_PARSE_ERROR : HTTP_PARSE_MORE;
	}
	for (i = start; i < len && buf[i] != ' '; i++)
		if (!is_tchar((unsigned char)buf[i]))
			return fail(req, 400, "method has a byte outside a token");
	if (i < len && i == start)
		return fail(req, 400, "request line has no method");
	return HTTP_PARSE_MORE;
}

/* Empty lines before the request line (RFC 9112 2.2): *start moves past
 * them; false if a CR at the end of the data may still become one. */
static bool skip_empty_lines(const char *buf, size_t len, size_t *start)
{
	while (*start < len) {
		if (buf[*start] == '\n')
			(*start)++;
		else if (buf[*start] == '\r' && *start + 1 < len &&
			 buf[*start + 1] == '\n')
			*start += 2;
		else if (buf[*start] == '\r' && *start + 1 == len)
			return false;
		else
			break;
	}
	return true;
}

/*
 * Look for the blank line that ends the head, from *scan on: a '\n'
 * followed by "\n" or "\r\n". Returns the end of the head, or 0 with
 * *scan at the first '\n' whose follower has not arrived yet.
 */
static size_t find_head_end(const char *buf, size_t len, size_t *scan)
{
	size_t i = *scan;
	const char *nl;

	while (i < len && (nl = memchr(buf + i, '\n', len - i))) {
		i = (size_t)(nl - buf);
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
		if (i + 1 == len || (i + 2 == len && buf[i + 1] == '\r'))
			break;
		i++;
	}
	*scan = i < len ? i : len;
	return 0;
}

enum http_parse_result http_parse_request(const char *buf, size_t len,
					  size_t max_head, size_t *scan,
					  struct http_request *req)
{
	size_t start = 0, end;

	memset(req, 0, sizeof(*req));
	/* Only the first max_head bytes count: the answer never depends on
	 * bytes a server with a max_head buffer could not have read. */
	if (len > max_head)
		len = max_head;
	if (!skip_empty_lines(buf, len, &start)) {
		if (len >= max_head)
			return fail(req, 413, "request head larger than the limit");
		return HTTP_PARSE_MORE;
	}
	if (*scan < start)
		*scan = start;
	end = find_head_end(buf, len, scan);
	if (end)
		return parse_head(buf, start, end, req);
	/* A malformed request line says more than the head's size. */
	if (check_partial(buf, start, len, req) == HTTP_PARSE_ERROR)
		return HTTP_PARSE_ERROR;
	if (len >= max_head)
		return fail(req, 413, "request head larger than the limit");
	return HTTP_PARSE_MORE;
}

const char *http_status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	}
	return "Unknown";
}
