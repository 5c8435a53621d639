/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>

#include "httpd.h"

/* The default page: 612 bytes, the size of the page served by the web
 * servers httpd is benchmarked against, so their figures compare. */
static const char default_page[] =
	"<!DOCTYPE html>\n"
	"<html>\n"
	"<head>\n"
	"<title>unitune httpd</title>\n"
	"<style>\n"
	"body { max-width: 40rem; margin: 2em auto; font-family: sans-serif; }\n"
	"</style>\n"
	"</head>\n"
	"<body>\n"
	"<h1>It works: unitune httpd</h1>\n"
	"<p>This page comes from httpd, an event-loop HTTP server running as a\n"
	"unikernel on Unitune. The page is held in memory and served as it is.</p>\n"
	"<p>Its size, 612 bytes, matches the default page of the web-server\n"
	"benchmarks it is compared with, so request rates can be set side by side.</p>\n"
	"<p>Counters and a latency histogram are at <a href=\"/metrics\">/metrics</a>.</p>\n"
	"<p><em>Served by httpd</em>.</p>\n"
	"</body>\n"
	"</html>\n";
_Static_assert(sizeof(default_page) - 1 == 612, "the default page is 612 bytes");

const char *page_default(size_t *len)
{
	*len = sizeof(default_page) - 1;
	return default_page;
}

char *page_of_size(size_t n)
{
	/* Lines of 64 bytes, so the body reads as text in a terminal. */
	static const char line[] =
		"httpd body of a requested size, filled with the same line......\n";
	char *p = malloc(n ? n : 1);

	_Static_assert(sizeof(line) - 1 == 64, "a 64-byte line");
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = line[i % 64];
	return p;
}
