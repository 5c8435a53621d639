/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pushgateway client (see push.h): the grouping key's URL, and the PUT
 * through one libcurl easy handle.
 */
#include "push.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <nettle/base64.h>

struct push {
	CURL *curl;
	char *base;	/* without trailing '/' */
	struct strbuf url;
	struct strbuf body; /* the gateway's answer, up to PUSH_BODY_MAX */
	char curl_err[CURL_ERROR_SIZE];
};

static bool part_set(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	bool set = curl_url_get(u, part, &v, 0) == CURLUE_OK && v && *v;

	curl_free(v);
	return set;
}

int push_url_check(const char *url, char *why, size_t why_len)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	const char *wrong = NULL;
	CURLUcode rc;
	int err = -EINVAL;

	if (!u) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	rc = curl_url_set(u, CURLUPART_URL, url ? url : "", 0);
	if (rc != CURLUE_OK)
		wrong = curl_url_strerror(rc);
	else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
		 (strcmp(scheme, "http") && strcmp(scheme, "https")))
		wrong = "not http:// or https://";
	else if (!part_set(u, CURLUPART_HOST))
		wrong = "no host";
	else if (part_set(u, CURLUPART_QUERY) || part_set(u, CURLUPART_FRAGMENT))
		wrong = "a query or fragment (give the gateway's base URL)";
	else if (part_set(u, CURLUPART_USER))
		wrong = "a user name (credentials on the command line are seen "
			"by every user of the machine)";
	else
		err = 0;
	if (err)
		snprintf(why, why_len, "Pushgateway URL '%s': %s (expected "
			 "http://HOST:PORT, e.g. http://127.0.0.1:9091)",
			 url ? url : "", wrong);
	curl_free(scheme);
	curl_url_cleanup(u);
	return err;
}

/* One path segment pair of the grouping key: /NAME/VALUE or
 * /NAME@base64/ENCODED. */
static int add_pair(struct strbuf *out, const char *name, const char *value)
{
	struct base64_encode_ctx ctx;
	size_t n = strlen(value), len;
	char *enc;
	int err;

	if (*value && !strchr(value, '/')) {
		enc = curl_easy_escape(NULL, value, (int)n);
		if (!enc)
			return -ENOMEM;
		err = strbuf_addf(out, "/%s/%s", name, enc);
		curl_free(enc);
		return err;
	}
	if (!n) /* base64 of nothing is nothing: the gateway reads "=" */
		return strbuf_addf(out, "/%s@base64/=", name);
	enc = malloc(BASE64_ENCODE_LENGTH(n) + BASE64_ENCODE_FINAL_LENGTH + 1);
	if (!enc)
		return -ENOMEM;
	base64url_encode_init(&ctx);
	len = base64_encode_update(&ctx, enc, n, (const uint8_t *)value);
	len += base64_encode_final(&ctx, enc + len);
	while (len && enc[len - 1] == '=') /* padding is optional there */
		len--;
	enc[len] = '\0';
	err = strbuf_addf(out, "/%s@base64/%s", name, enc);
	free(enc);
	return err;
}

static int check_group(const char *job, const struct prom_label *g, size_t n,
		       char *why, size_t why_len)
{
	size_t i, j;
	long bad;

	if (!job || !*job) {
		snprintf(why, why_len, "Pushgateway job: empty (a push needs "
			 "a job name)");
		return -EINVAL;
	}
	if ((bad = prom_utf8_invalid_at(job)) >= 0) {
		snprintf(why, why_len, "Pushgateway job: not valid UTF-8 "
			 "(byte 0x%02x at offset %ld)", (unsigned char)job[bad],
			 bad);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!prom_label_name_valid(g[i].name) ||
		    !strcmp(g[i].name, "job")) {
			snprintf(why, why_len, "grouping label '%s': not a "
				 "Prometheus label name other than job",
				 g[i].name ? g[i].name : "");
			return -EINVAL;
		}
		if (!g[i].value) {
			snprintf(why, why_len, "grouping label %s: no value",
				 g[i].name);
			return -EINVAL;
		}
		if ((bad = prom_utf8_invalid_at(g[i].value)) >= 0) {
			snprintf(why, why_len, "grouping label %s: value not "
				 "valid UTF-8 (byte 0x%02x at offset %ld)",
				 g[i].name, (unsigned char)g[i].value[bad], bad);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(g[i].name, g[j].name)) {
				snprintf(why, why_len, "grouping label %s: "
					 "given twice", g[i].name);
				return -EINVAL;
			}
	}
	return 0;
}

int push_group_url(struct strbuf *out, const char *base, const char *job,
		   const struct prom_label *group, size_t n, char *why,
		   size_t why_len)
{
	size_t start = out->len, blen = strlen(base);
	size_t i;
	int err;

	err = check_group(job, group, n, why, why_len);
	if (err)
		return err;
	while (blen && base[blen - 1] == '/')
		blen--;
	err = strbuf_add(out, base, blen);
	err = err ? err : strbuf_adds(out, "/metrics");
	err = err ? err : add_pair(out, "job", job);
	for (i = 0; i < n && !err; i++)
		err = add_pair(out, group[i].name, group[i].value);
	if (err) {
		out->len = start;
		if (out->buf)
			out->buf[start] = '\0';
		snprintf(why, why_len, "out of memory");
	}
	return err;
}

int push_open(struct push **out, const char *base, char *why, size_t why_len)
{
	struct push *p;
	size_t blen;
	int err;

	*out = NULL;
	err = push_url_check(base, why, why_len);
	if (err)
		return err;
	p = calloc(1, sizeof(*p));
	if (!p || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(p);
		snprintf(why, why_len, "cannot set up libcurl");
		return -ENOMEM;
	}
	p->curl = curl_easy_init();
	p->base = strdup(base);
	if (!p->curl || !p->base) {
		push_close(p);
		snprintf(why, why_len, "cannot set up libcurl");
		return -ENOMEM;
	}
	blen = strlen(p->base);
	while (blen && p->base[blen - 1] == '/')
		p->base[--blen] = '\0';
	*out = p;
	return 0;
}

void push_close(struct push *p)
{
	if (!p)
		return;
	if (p->curl)
		curl_easy_cleanup(p->curl);
	curl_global_cleanup();
	strbuf_release(&p->url);
	strbuf_release(&p->body);
	free(p->base);
	free(p);
}

const char *push_base(const struct push *p)
{
	return p->base;
}

/* Keep the start of the answer; the rest is read and dropped. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct strbuf *body = ctx;
	size_t n = size * nmemb, room;

	room = body->len < PUSH_BODY_MAX ? PUSH_BODY_MAX - body->len : 0;
	if (strbuf_add(body, data, n < room ? n : room))
		return 0; /* out of memory: libcurl stops with an error */
	return n;
}

/* The body as one line: newlines and tabs become spaces, ends trimmed. */
static const char *body_line(struct strbuf *body)
{
	size_t i;

	if (!body->buf)
		return "";
	for (i = 0; i < body->len; i++)
		if (body->buf[i] == '\n' || body->buf[i] == '\r' ||
		    body->buf[i] == '\t')
			body->buf[i] = ' ';
	while (body->len && body->buf[body->len - 1] == ' ')
		body->buf[--body->len] = '\0';
	return body->buf;
}

static int transfer_failed(struct push *p, CURLcode rc, char *why,
			   size_t why_len)
{
	const char *words = p->curl_err[0] ? p->curl_err
					   : curl_easy_strerror(rc);
	long os_errno = 0;

	if (rc == CURLE_COULDNT_CONNECT) {
		/* libcurl's words ("Couldn't connect to server") hide the
		 * reason the system gave: say that one. */
		curl_easy_getinfo(p->curl, CURLINFO_OS_ERRNO, &os_errno);
		snprintf(why, why_len, "cannot connect to the Pushgateway at "
			 "%s: %s (is it running?)", p->base,
			 os_errno ? strerror((int)os_errno) : words);
		return os_errno && os_errno != ECONNREFUSED ? -EIO
							    : -ECONNREFUSED;
	}
	snprintf(why, why_len, "PUT %s: %s", p->url.buf, words);
	return -EIO;
}

static void set_request(struct push *p, struct curl_slist *hdr,
			const char *text, size_t len)
{
	curl_easy_reset(p->curl);
	curl_easy_setopt(p->curl, CURLOPT_URL, p->url.buf);
	curl_easy_setopt(p->curl, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)len);
	curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, &p->body);
	curl_easy_setopt(p->curl, CURLOPT_ERRORBUFFER, p->curl_err);
	curl_easy_setopt(p->curl, CURLOPT_TIMEOUT, (long)PUSH_TIMEOUT_S);
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "http,https");
}

int push_put(struct push *p, const char *job, const struct prom_label *group,
	     size_t n, const char *text, size_t len, char *why,
	     size_t why_len)
{
	struct curl_slist *hdr = NULL, *h;
	long status = 0;
	CURLcode rc;
	int err;

	p->url.len = 0;
	p->body.len = 0;
	p->curl_err[0] = '\0';
	err = push_group_url(&p->url, p->base, job, group, n, why, why_len);
	if (err)
		return err;
	h = curl_slist_append(hdr, "Content-Type: " PROM_CONTENT_TYPE);
	if (!h) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	hdr = h;
	set_request(p, hdr, text, len);
	rc = curl_easy_perform(p->curl);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK)
		return transfer_failed(p, rc, why, why_len);
	curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(why, why_len, "PUT %s: HTTP %ld from the Pushgateway: "
			 "%s", p->url.buf, status, body_line(&p->body));
		return -EPROTO;
	}
	return 0;
}
