/* SPDX-License-Identifier: BSD-3-Clause */
/* The Pushgateway client (host/push.c): base URL checks, the grouping
 * key's URL (percent-encoding, @base64 for empty values and '/'), and a
 * push to a port where nothing listens. The PUT against a real gateway
 * is tests/system/test_push.sh. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "push.h"
#include "why.h"

static void url_ok(const char *url)
{
	char why[UNITUNE_WHY_MAX] = "";

	if (push_url_check(url, why, sizeof(why)))
		fail_msg("%s refused: %s", url, why);
}

static void url_bad(const char *url, const char *want)
{
	char why[UNITUNE_WHY_MAX] = "";

	assert_int_equal(push_url_check(url, why, sizeof(why)), -EINVAL);
	if (!strstr(why, want))
		fail_msg("message '%s' lacks '%s'", why, want);
}

static void test_base_urls(void **state)
{
	(void)state;
	url_ok("http://127.0.0.1:9091");
	url_ok("http://127.0.0.1:9091/");
	url_ok("https://gateway.example/prefix");
	url_ok("http://[::1]:9091");
	url_bad("ftp://127.0.0.1", "Pushgateway URL 'ftp://127.0.0.1': not "
		"http:// or https://");
	url_bad("", "Pushgateway URL '':");
	url_bad(NULL, "Pushgateway URL '':");
	url_bad("http://127.0.0.1:9091/?x=1", "a query or fragment");
	url_bad("http://127.0.0.1:9091/#top", "a query or fragment");
	url_bad("http://me:secret@127.0.0.1:9091", "a user name");
	url_bad("http://127.0.0.1:99999", "Pushgateway URL");
}

static void group_is(const char *base, const char *job,
		     const struct prom_label *g, size_t n, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";

	if (push_group_url(&out, base, job, g, n, why, sizeof(why)))
		fail_msg("refused: %s", why);
	assert_string_equal(out.buf, want);
	strbuf_release(&out);
}

static void test_grouping_key(void **state)
{
	const struct prom_label tune[] = {
		{ "experiment", "alloc" },
		{ "commit", "14bb6e2-dirty" },
		{ "config_hash", "9f86d081884c7d65" },
	};
	const struct prom_label odd[] = {
		{ "path", "/var/tmp" },	  /* '/': base64 */
		{ "empty", "" },	  /* empty: "=" */
		{ "sp", "a b%c?d#e" },	  /* percent-encoded */
		{ "url_safe", "/\xe2\x82\xac\xc3\xbf" }, /* "/€ÿ": - and _ */
		{ "utf8", "caf\xc3\xa9" },
	};

	(void)state;
	group_is("http://127.0.0.1:9091", "unitune_tune", tune, 3,
		 "http://127.0.0.1:9091/metrics/job/unitune_tune/experiment/"
		 "alloc/commit/14bb6e2-dirty/config_hash/9f86d081884c7d65");
	group_is("http://127.0.0.1:9091//", "unitune_bench", NULL, 0,
		 "http://127.0.0.1:9091/metrics/job/unitune_bench");
	group_is("http://h/p/", "j", odd, 5,
		 "http://h/p/metrics/job/j/path@base64/L3Zhci90bXA"
		 "/empty@base64/=/sp/a%20b%25c%3Fd%23e/url_safe@base64/L-KCrMO_"
		 "/utf8/caf%C3%A9");
	group_is("http://h", "a/b", NULL, 0,
		 "http://h/metrics/job@base64/YS9i");
	group_is("http://h", "/", NULL, 0, "http://h/metrics/job@base64/Lw");
}

static void group_bad(const char *job, const struct prom_label *g, size_t n,
		      const char *want)
{
	struct strbuf out = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";

	assert_int_equal(push_group_url(&out, "http://h", job, g, n, why,
					sizeof(why)), -EINVAL);
	assert_null(out.buf);
	if (!strstr(why, want))
		fail_msg("message '%s' lacks '%s'", why, want);
}

static void test_grouping_key_refused(void **state)
{
	const struct prom_label twice[] = { { "a", "1" }, { "a", "2" } };

	(void)state;
	group_bad("", NULL, 0, "Pushgateway job: empty");
	group_bad(NULL, NULL, 0, "Pushgateway job: empty");
	group_bad("j", &(struct prom_label){ "job", "x" }, 1,
		  "grouping label 'job'");
	group_bad("j", &(struct prom_label){ "config-hash", "x" }, 1,
		  "grouping label 'config-hash': not a Prometheus label name");
	group_bad("j", &(struct prom_label){ "__x", "x" }, 1,
		  "grouping label '__x'");
	group_bad("j", &(struct prom_label){ "a", NULL }, 1,
		  "grouping label a: no value");
	group_bad("j", twice, 2, "grouping label a: given twice");
	group_bad("j", &(struct prom_label){ "a", "x\xff" }, 1,
		  "grouping label a: value not valid UTF-8 (byte 0xff at "
		  "offset 1)");
	group_bad("j\xc3", NULL, 0, "Pushgateway job: not valid UTF-8");
}

/* A port of 127.0.0.1 where nothing listens: bound, never listened on,
 * so no one else can take it while the test runs. */
static int closed_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*fd >= 0);
	assert_int_equal(bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

static void test_connection_refused(void **state)
{
	char why[UNITUNE_WHY_MAX] = "", url[64], want[128];
	struct push *p = NULL;
	int fd, port = closed_port(&fd);

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	assert_int_equal(push_open(&p, url, why, sizeof(why)), 0);
	url[strlen(url) - 1] = '\0'; /* the handle keeps no trailing '/' */
	assert_string_equal(push_base(p), url);
	assert_int_equal(push_put(p, "j", NULL, 0, "x 1\n", 4, why,
				  sizeof(why)), -ECONNREFUSED);
	snprintf(want, sizeof(want), "cannot connect to the Pushgateway at "
		 "http://127.0.0.1:%d: Connection refused (is it running?)",
		 port);
	if (strncmp(why, want, strlen(want)))
		fail_msg("message '%s' does not begin '%s'", why, want);
	/* The handle is usable again after a failure. */
	assert_int_equal(push_put(p, "", NULL, 0, "", 0, why, sizeof(why)),
			 -EINVAL);
	push_close(p);
	close(fd);

	assert_int_equal(push_open(&p, "gopher://x", why, sizeof(why)),
			 -EINVAL);
	assert_null(p);
	assert_non_null(strstr(why, "not http:// or https://"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_urls),
		cmocka_unit_test(test_grouping_key),
		cmocka_unit_test(test_grouping_key_refused),
		cmocka_unit_test(test_connection_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
