/* SPDX-License-Identifier: BSD-3-Clause */
/* What to answer, and the answer's head (textbuf.h: no snprintf). */
#include <string.h>

#include "httpd.h"
#include "textbuf.h"

#define SERVER_NAME "unitune-httpd"
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

static bool path_is(const struct http_request *req, const char *p)
{
	size_t n = strlen(p);

	return req->path_len == n && !memcmp(req->path, p, n);
}

void respond_error(int status, struct response *r)
{
	/* The bodies: "<status> <reason>\n", one per status. */
	static const struct {
		int status;
		const char *body;
	} bodies[] = {
		{ 400, "400 Bad Request\n" },
		{ 404, "404 Not Found\n" },
		{ 405, "405 Method Not Allowed\n" },
		{ 408, "408 Request Timeout\n" },
		{ 413, "413 Content Too Large\n" },
		{ 500, "500 Internal Server Error\n" },
		{ 503, "503 Service Unavailable\n" },
		{ 505, "505 HTTP Version Not Supported\n" },
	};
	size_t i;

	memset(r, 0, sizeof(*r));
	r->status = status;
	r->handler = HANDLER_ERROR;
	r->close = true;
	r->content_type = "text/plain";
	r->body = "error\n";
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		if (bodies[i].status == status)
			r->body = bodies[i].body;
	r->body_len = strlen(r->body);
}

void respond_route(const struct server *s, const struct http_request *req,
		   struct response *r)
{
	bool readable = req->method == HTTP_METHOD_GET ||
			req->method == HTTP_METHOD_HEAD;
	bool page = path_is(req, "/") || path_is(req, "/index.html");
	bool metrics = path_is(req, "/metrics");
	bool close;

	/* A body this server does not read leaves no way to find the
	 * next request: answer, then close. */
	close = !req->keep_alive || req->has_body;
	if (!page && !metrics)
		respond_error(404, r);
	else if (!readable)
		respond_error(405, r);
	else {
		memset(r, 0, sizeof(*r));
		r->status = 200;
		if (metrics) {
			r->handler = HANDLER_METRICS;
			r->content_type = METRICS_TYPE;
		} else {
			r->handler = HANDLER_PAGE;
			r->content_type = "text/html";
			r->body = s->cfg->body;
			r->body_len = s->cfg->body_len;
		}
	}
	r->close = close;
	r->keep_alive_10 = !close && req->version_minor == 0;
	r->head_only = req->method == HTTP_METHOD_HEAD;
}

size_t respond_head(const struct response *r, char *buf, size_t cap)
{
	struct textbuf b = { buf, 0, cap, false };

	tb_str(&b, "HTTP/1.1 ");
	tb_uint(&b, (uint64_t)r->status);
	tb_str(&b, " ");
	tb_str(&b, http_status_reason(r->status));
	tb_str(&b, "\r\nServer: " SERVER_NAME "\r\nContent-Type: ");
	tb_str(&b, r->content_type);
	tb_str(&b, "\r\nContent-Length: ");
	tb_uint(&b, r->body_len);
	if (r->status == 405)
		tb_str(&b, "\r\nAllow: GET, HEAD");
	if (r->close)
		tb_str(&b, "\r\nConnection: close");
	else if (r->keep_alive_10)
		tb_str(&b, "\r\nConnection: keep-alive");
	tb_str(&b, "\r\n\r\n");
	return b.full ? 0 : b.len;
}
