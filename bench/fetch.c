/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libcurl GETs (bench/fetch.h).
 */
#include "fetch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "spawn.h"

/* Between tries while a guest boots. */
#define AWAIT_TRY_GAP_NS (10 * 1000000LL)
/* One try's limit: a guest that accepted but never answers. */
#define AWAIT_TRY_MAX_NS (2 * 1000000000LL)

int fetch_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) ? -EIO : 0;
}

void fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct strbuf *body = ctx;
	size_t n = size * nmemb;

	if (body && strbuf_add(body, data, n))
		return 0; /* out of memory: curl stops with a write error */
	return n;
}

/* The options of every GET here; errbuf receives libcurl's reason. */
static void set_get(CURL *c, const char *url, int64_t timeout_ns,
		    struct strbuf *body, char *errbuf)
{
	long ms = (long)((timeout_ns + 999999) / 1000000);

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
}

int fetch_get(const char *url, int64_t timeout_ns, long *status,
	      struct strbuf *body, char *why, size_t why_len)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (!c) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	set_get(c, url, timeout_ns, body, errbuf);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	else
		snprintf(why, why_len, "%s", *errbuf ? errbuf :
			 curl_easy_strerror(rc));
	curl_easy_cleanup(c);
	if (rc == CURLE_WRITE_ERROR)
		return -ENOMEM;
	return rc == CURLE_OK ? 0 : -EIO;
}

int fetch_get_repeat(const char *url, unsigned n, int64_t timeout_ns,
		     unsigned *done, char *why, size_t why_len)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	CURLcode rc = CURLE_OK;
	long status = 0;
	int err = 0;

	*done = 0;
	if (!c) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	/* One handle: libcurl keeps its connection open between them. */
	set_get(c, url, timeout_ns, NULL, errbuf);
	while (*done < n) {
		rc = curl_easy_perform(c);
		if (rc != CURLE_OK) {
			snprintf(why, why_len, "request %u of %u to %s: %s",
				 *done + 1, n, url, *errbuf ? errbuf :
				 curl_easy_strerror(rc));
			err = -EIO;
			break;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status != 200) {
			snprintf(why, why_len, "request %u of %u to %s: HTTP "
				 "%ld", *done + 1, n, url, status);
			err = -EIO;
			break;
		}
		(*done)++;
	}
	curl_easy_cleanup(c);
	return err;
}

int fetch_scrape(const char *url, int64_t timeout_ns, struct prom_scrape *t,
		 char *why, size_t why_len)
{
	struct strbuf body = STRBUF_INIT;
	long status = 0;
	char msg[256];
	int err = fetch_get(url, timeout_ns, &status, &body, msg, sizeof(msg));

	if (!err && status != 200) {
		snprintf(why, why_len, "%s answered HTTP %ld", url, status);
		err = -EIO;
	} else if (err) {
		snprintf(why, why_len, "%s: %.150s", url, msg);
	} else {
		err = prom_scrape_parse(body.buf ? body.buf : "", body.len, t,
					msg, sizeof(msg));
		if (err)
			snprintf(why, why_len, "%s: %.150s", url, msg);
		if (err == -EINVAL)
			err = -EIO;
	}
	strbuf_release(&body);
	return err;
}

int fetch_await_200(const char *url, int64_t timeout_ns,
		    fetch_keep_waiting_fn keep_waiting, void *ctx,
		    int64_t *at_ns, char *why, size_t why_len)
{
	int64_t deadline = spawn_now_ns() + timeout_ns, left;
	char last[256] = "no try";
	long status = 0;
	int err;

	for (;;) {
		if (keep_waiting && !keep_waiting(ctx))
			return -ECANCELED;
		left = deadline - spawn_now_ns();
		if (left <= 0)
			break;
		err = fetch_get(url, left < AWAIT_TRY_MAX_NS ? left :
				AWAIT_TRY_MAX_NS, &status, NULL, last,
				sizeof(last));
		if (err == -ENOMEM) {
			snprintf(why, why_len, "out of memory");
			return err;
		}
		if (!err && status == 200) {
			*at_ns = spawn_now_ns();
			return 0;
		}
		if (!err && status >= 400 && status < 500) {
			/* The server is up: waiting cannot change a client
			 * error such as a 404 for a wrong page. */
			snprintf(why, why_len, "%s answered HTTP %ld, not 200",
				 url, status);
			return -EPROTO;
		}
		if (!err)
			snprintf(last, sizeof(last), "HTTP %ld", status);
		spawn_sleep_ns(AWAIT_TRY_GAP_NS);
	}
	snprintf(why, why_len, "no HTTP 200 from %s within %.1f s (last: %s)",
		 url, (double)timeout_ns / 1e9, last);
	return -ETIMEDOUT;
}
