/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Published ports end to end below the CLI: their text form
 * (host/publish.c), QEMU's network arguments (qemu.c), the classification
 * of a forwarding rule QEMU could not set up (qemu_classify.c), and the
 * runner's policy: picking free ports, picking again, and saying why a
 * port named by the user cannot be used (runner.c), against the fake
 * QEMU.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_qemu.h"
#include "publish.h"
#include "runner.h"

#define MS 1000000LL

static void parses(const char *arg, unsigned host, unsigned guest)
{
	struct runner_publish p;
	char why[256] = "";

	assert_int_equal(publish_parse(arg, &p, why, sizeof(why)), 0);
	assert_int_equal(p.host, host);
	assert_int_equal(p.guest, guest);
	assert_string_equal(why, "");
}

/* arg is refused, and the reason holds want. */
static void refused(const char *arg, const char *want)
{
	struct runner_publish p = { 7, 7 };
	char why[256] = "";

	assert_int_equal(publish_parse(arg, &p, why, sizeof(why)), -EINVAL);
	if (!strstr(why, want))
		fail_msg("'%s': reason '%s' lacks '%s'", arg, why, want);
	assert_int_equal(p.host, 7);
}

static void test_parse(void **state)
{
	(void)state;
	parses("8080:80", 8080, 80);
	parses("0:80", 0, 80);
	parses("65535:65535", 65535, 65535);
	parses("1:1", 1, 1);
	refused("80", "'80' has no ':'");
	refused("", "has no ':'");
	refused("a:80", "host port 'a' in 'a:80' is not a number in 0..65535");
	refused(":80", "host port '' in ':80'");
	refused("65536:80", "host port '65536'");
	refused("-1:80", "host port '-1'");
	refused("+80:80", "host port '+80'");
	refused(" 80:80", "host port ' 80'");
	refused("8080:0", "guest port '0' in '8080:0' is not a number in 1..65535");
	refused("8080:", "guest port ''");
	refused("8080:x", "guest port 'x'");
	refused("8080:99999999999999999999", "guest port '9999");
	refused("127.0.0.1:8080:80", "host address is always 127.0.0.1");
	refused("0.0.0.0:8080:80", "host address is always 127.0.0.1");
	refused("8080:80,8081:81", "one port per --publish; repeat -p for each");
	refused("80,81", "one port per --publish");
	refused("8080:80/udp", "only TCP is forwarded");
	refused("8080:80/tcp", "only TCP is forwarded");
	/* "-p IMAGE", the port left out: named as a path, not a protocol. */
	refused("build/httpd/httpd.elf", "'build/httpd/httpd.elf' looks like "
		"a path, not a port (was the port left out?)");
	refused("/tmp/x:80", "looks like a path");
}

static void test_check_list(void **state)
{
	const struct runner_publish ok[] = { { 0, 80 }, { 0, 80 }, { 8080, 80 },
					     { 8081, 80 } };
	const struct runner_publish twice[] = { { 8080, 80 }, { 9, 1 },
						{ 8080, 81 } };
	const struct runner_publish zero[] = { { 8080, 0 } };
	struct runner_publish many[PUBLISH_MAX + 1];
	char why[256] = "";
	size_t i;

	(void)state;
	assert_int_equal(publish_check_list(NULL, 0, why, sizeof(why)), 0);
	/* Two picked ports may go to one guest port, and so may two named. */
	assert_int_equal(publish_check_list(ok, 4, why, sizeof(why)), 0);
	assert_int_equal(publish_check_list(twice, 3, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "host port 8080 is published twice "
			    "(8080:80 and 8080:81); one host port reaches "
			    "one guest port");
	assert_int_equal(publish_check_list(zero, 1, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "guest port 0"));
	for (i = 0; i <= PUBLISH_MAX; i++)
		many[i] = (struct runner_publish){ 0, 80 };
	assert_int_equal(publish_check_list(many, PUBLISH_MAX, why,
					    sizeof(why)), 0);
	assert_int_equal(publish_check_list(many, PUBLISH_MAX + 1, why,
					    sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "at most 32"));
}

static void test_rule(void **state)
{
	const struct runner_publish p = { 8080, 80 };
	char buf[64];

	(void)state;
	publish_rule(&p, buf, sizeof(buf));
	assert_string_equal(buf, "tcp:127.0.0.1:8080-:80");
}

/* A listening socket on 127.0.0.1, its port in *port. */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A reserved port is held: nobody else binds it, a listener that reuses
 * addresses (as slirp's does) can still listen there, and once it does
 * the port reads as in use. */
static void test_reserve_and_probe(void **state)
{
	uint16_t port, busy;
	int fd, other, lfd;

	(void)state;
	assert_int_equal(publish_reserve(&port, &fd), 0);
	assert_true(port > 0);
	assert_int_equal(publish_probe(port), 0);
	other = socket(AF_INET, SOCK_STREAM, 0);
	{
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(port) };

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		assert_int_equal(bind(other, (struct sockaddr *)&a, sizeof(a)),
				 -1);
		assert_int_equal(errno, EADDRINUSE);
	}
	close(other);
	close(fd);

	lfd = listener(&busy);
	assert_int_equal(publish_probe(busy), -EADDRINUSE);
	close(lfd);
}

static void test_qemu_argv_net(void **state)
{
	const struct runner_publish ports[] = { { 8080, 80 }, { 9000, 9 } };
	const struct runner_publish picked[] = { { 0, 80 } };
	struct qemu_cfg c = { .image = "img.elf", .accel = RUNNER_ACCEL_TCG,
			      .net = RUNNER_NET_USER, .publish = ports,
			      .npublish = 2 };
	char **argv;
	size_t i, globals = 0;
	bool netdev = false, device = false;

	(void)state;
	assert_int_equal(qemu_argv(&c, &argv), 0);
	for (i = 0; argv[i]; i++) {
		if (!strcmp(argv[i], "-global"))
			globals++;
		if (!strcmp(argv[i], "-netdev")) {
			assert_string_equal(argv[i + 1],
				"user,id=net0,restrict=on,"
				"hostfwd=tcp:127.0.0.1:8080-:80,"
				"hostfwd=tcp:127.0.0.1:9000-:9");
			netdev = true;
		}
		if (!strcmp(argv[i], "-device") &&
		    !strcmp(argv[i + 1], "virtio-net-device,netdev=net0"))
			device = true;
	}
	assert_true(netdev && device);
	assert_int_equal(globals, 1);
	runner_argv_free(argv);

	/* A NIC without forwards. */
	c.npublish = 0;
	assert_int_equal(qemu_argv(&c, &argv), 0);
	for (i = 0; argv[i] && strcmp(argv[i], "-netdev"); i++)
		;
	assert_non_null(argv[i]);
	assert_string_equal(argv[i + 1], "user,id=net0,restrict=on");
	runner_argv_free(argv);

	/* Published ports need the NIC, and concrete host ports. */
	c.net = RUNNER_NET_NONE;
	c.npublish = 2;
	assert_int_equal(qemu_argv(&c, &argv), -EINVAL);
	c.net = RUNNER_NET_USER;
	c.publish = picked;
	c.npublish = 1;
	assert_int_equal(qemu_argv(&c, &argv), -EINVAL);
	c.publish = NULL;
	assert_int_equal(qemu_argv(&c, &argv), -EINVAL);
	c.net = (enum runner_net)7;
	c.npublish = 0;
	assert_int_equal(qemu_argv(&c, &argv), -EINVAL);
}

static void test_classify_hostfwd_failure(void **state)
{
	static const char msg[] =
		"qemu-system-x86_64: -netdev user,id=net0,restrict=on,"
		"hostfwd=tcp:127.0.0.1:18121-:80: Could not set up host "
		"forwarding rule 'tcp:127.0.0.1:18121-:80'\n";
	static const char other[] = "qemu-system-x86_64: -m 1K: too small\n";
	static const char garbled[] =
		"Could not set up host forwarding rule 'tcp:127.0.0.1:x-:80'\n";
	struct runner_result r = { 0 };

	(void)state;
	runner_classify(1 << 8, false, 0, "", 0, msg, strlen(msg), &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_int_equal(r.publish_failed, 18121);
	runner_classify(1 << 8, false, 0, "", 0, other, strlen(other), &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_int_equal(r.publish_failed, 0);
	runner_classify(1 << 8, false, 0, "", 0, garbled, strlen(garbled), &r);
	assert_int_equal(r.publish_failed, 0);
}

/* --- the runner's policy, with the fake QEMU ---------------------------- */

struct announced {
	unsigned calls;
	struct runner_publish p[PUBLISH_MAX];
	size_t n;
};

static void on_published(void *ctx, const struct runner_publish *p, size_t n)
{
	struct announced *a = ctx;

	a->calls++;
	memcpy(a->p, p, n * sizeof(*p));
	a->n = n;
}

/*
 * The fake's script: the first FAILS boots fail as QEMU does on its
 * first hostfwd rule (the count kept in dir/boots), the later ones print
 * and exit with status 0.
 */
static void fake_script(const struct fake_env *e, unsigned fails, char *buf,
			size_t len)
{
	snprintf(buf, len,
		 "n=$(cat %s/boots 2>/dev/null || echo 0); n=$((n + 1)); "
		 "echo $n > %s/boots; "
		 "rule=$(printf '%%s\\n' \"$@\" | grep -o 'hostfwd=tcp:[^,]*' "
		 "| head -n 1 | cut -d= -f2); "
		 "if [ $n -le %u ]; then echo \"qemu-system-x86_64: -netdev "
		 "user: Could not set up host forwarding rule '$rule'\" >&2; "
		 "exit 1; fi; echo up; exit 3",
		 e->dir, e->dir, fails);
}

static unsigned boots(const struct fake_env *e)
{
	char path[128];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/boots", e->dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%u", &n) != 1)
		n = 0;
	fclose(f);
	unlink(path);
	return n;
}

static void run_fake(struct fake_env *e, unsigned fails,
		     struct runner_opts *o, struct runner_result *r)
{
	char script[1024];

	fake_script(e, fails, script, sizeof(script));
	o->image = e->image;
	o->qemu = e->qemu;
	o->accel = RUNNER_ACCEL_TCG;
	o->timeout_ns = 10000 * MS;
	o->net = RUNNER_NET_USER;
	setenv("FAKE_QEMU", script, 1);
	assert_int_equal(runner_run(o, r), 0);
}

/* Port 0 is picked, told once the guest runs, and kept in the result. */
static void test_picks_and_announces(void **state)
{
	struct fake_env *e = *state;
	const struct runner_publish asked[] = { { 0, 80 }, { 0, 80 } };
	struct announced seen = { 0 };
	struct runner_opts o = { .publish = asked, .npublish = 2,
				 .on_published = on_published,
				 .on_published_ctx = &seen };
	struct runner_result r;

	run_fake(e, 0, &o, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(boots(e), 1);
	assert_int_equal(r.npublished, 2);
	assert_true(r.published[0].host > 0);
	assert_true(r.published[1].host > 0);
	assert_int_not_equal(r.published[0].host, r.published[1].host);
	assert_int_equal(r.published[0].guest, 80);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.n, 2);
	assert_memory_equal(seen.p, r.published, 2 * sizeof(seen.p[0]));
	runner_result_free(&r);
}

/* A picked port QEMU could not listen on is picked again. */
static void test_picked_port_taken_is_picked_again(void **state)
{
	struct fake_env *e = *state;
	const struct runner_publish asked[] = { { 0, 80 } };
	struct announced seen = { 0 };
	struct runner_opts o = { .publish = asked, .npublish = 1,
				 .on_published = on_published,
				 .on_published_ctx = &seen };
	struct runner_result r;

	run_fake(e, 1, &o, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(boots(e), 2);
	assert_int_equal(r.publish_failed, 0);
	assert_int_equal(seen.calls, 1);
	runner_result_free(&r);

	/* Taken every time: RUNNER_PUBLISH_TRIES boots, then a reason. */
	seen.calls = 0;
	run_fake(e, 100, &o, &r);
	assert_int_equal(boots(e), RUNNER_PUBLISH_TRIES);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_int_equal(r.publish_failed, r.published[0].host);
	assert_non_null(strstr(r.reason, "could not listen on any of 3 free "
				"ports picked in turn for publish 0:80"));
	assert_int_equal(seen.calls, 0);
	runner_result_free(&r);
}

/* A port the user named is never replaced: the reason says what holds
 * it, and QEMU runs once. */
static void test_named_port_in_use(void **state)
{
	struct fake_env *e = *state;
	struct runner_publish asked[] = { { 0, 81 }, { 0, 80 } };
	struct runner_opts o = { .publish = asked, .npublish = 2 };
	struct runner_result r;
	char want[160];
	int fd = listener(&asked[0].host);

	run_fake(e, 100, &o, &r);
	close(fd);
	assert_int_equal(boots(e), 1);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_int_equal(runner_exit_status(&r), UNITUNE_EXIT_QEMU_FAILED);
	assert_int_equal(r.publish_failed, asked[0].host);
	snprintf(want, sizeof(want), "127.0.0.1:%u is already in use "
		 "(publish %u:81)", asked[0].host, asked[0].host);
	assert_non_null(strstr(r.reason, want));
	runner_result_free(&r);

	/* Free again by the time the runner looks: said so. */
	run_fake(e, 100, &o, &r);
	assert_int_equal(boots(e), 1);
	assert_non_null(strstr(r.reason, "though it is free now"));
	runner_result_free(&r);
}

static void test_invalid_publish_options(void **state)
{
	struct fake_env *e = *state;
	const struct runner_publish twice[] = { { 8080, 80 }, { 8080, 81 } };
	struct runner_opts o = { .image = e->image, .qemu = e->qemu,
				 .accel = RUNNER_ACCEL_TCG, .publish = twice,
				 .npublish = 1 };
	struct runner_result r;

	/* Publish without a NIC. */
	assert_int_equal(runner_run(&o, &r), -EINVAL);
	runner_result_free(&r);
	o.net = RUNNER_NET_USER;
	o.npublish = 2;
	assert_int_equal(runner_run(&o, &r), -EINVAL);
	runner_result_free(&r);
	o.publish = NULL;
	assert_int_equal(runner_run(&o, &r), -EINVAL);
	runner_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_check_list),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_reserve_and_probe),
		cmocka_unit_test(test_qemu_argv_net),
		cmocka_unit_test(test_classify_hostfwd_failure),
		cmocka_unit_test(test_picks_and_announces),
		cmocka_unit_test(test_picked_port_taken_is_picked_again),
		cmocka_unit_test(test_named_port_in_use),
		cmocka_unit_test(test_invalid_publish_options),
	};

	return cmocka_run_group_tests(tests, fake_env_setup, fake_env_teardown);
}
