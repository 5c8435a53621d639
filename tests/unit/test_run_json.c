/* SPDX-License-Identifier: BSD-3-Clause */
/* `unitune run --json`'s document (host/run_json.c) from synthetic runs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run_json.h"

static char *document(const struct runner_opts *o,
		      const struct runner_result *r, int status)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	struct json w;

	assert_non_null(f);
	json_init(&w, f);
	w.compact = true;
	run_json_write(&w, o, r, status);
	assert_int_equal(json_finish(&w), 0);
	fclose(f);
	return out;
}

static void test_exited_with_results(void **state)
{
	static char console[] =
		"[uk] boot: cycles=100 tsc_first=5 tsc_main=105 tsc_hz=1000000000\n"
		"noise\n"
		"result: bench=alloc pattern=small ops=4 cycles=10 "
		"cycles_per_op=2.50 peak_heap=64 note=fine\r\n"
		"result: bench=alloc pattern=big failed=out_of_memory ops=3\n"
		"result: broken line\n";
	struct runner_opts o = { .image = "img.elf", .deterministic = true };
	struct runner_result r = { .outcome = RUNNER_EXITED, .app_status = 1,
				   .accel = RUNNER_ACCEL_TCG, .qemu_ran = true,
				   .wall_ns = 1500000000, .console = console,
				   .console_len = sizeof(console) - 1 };
	char *out;

	(void)state;
	out = document(&o, &r, 1);
	assert_string_equal(out,
		"{\"image\":\"img.elf\",\"outcome\":\"exited\",\"exit_status\":1,"
		"\"app_status\":1,\"reason\":null,\"clock\":\"deterministic\","
		"\"accel\":\"tcg\",\"wall_s\":1.5,"
		"\"net\":\"none\",\"publish\":[],\"publish_failed\":null,"
		"\"boot\":{\"cycles\":100,\"tsc_first\":5,\"tsc_main\":105,"
		"\"tsc_hz\":1000000000},"
		"\"results\":["
		"{\"bench\":\"alloc\",\"pattern\":\"small\",\"failed\":null,"
		"\"metrics\":["
		"{\"metric\":\"alloc.small.ops\",\"value\":4,\"unit\":\"\"},"
		"{\"metric\":\"alloc.small.cycles\",\"value\":10,\"unit\":\"cycles\"},"
		"{\"metric\":\"alloc.small.cycles_per_op\",\"value\":2.5,"
		"\"unit\":\"cycles/op\"},"
		"{\"metric\":\"alloc.small.peak_heap\",\"value\":64,\"unit\":\"B\"}],"
		"\"text\":{\"note\":\"fine\"}},"
		"{\"bench\":\"alloc\",\"pattern\":\"big\",\"failed\":\"out_of_memory\","
		"\"metrics\":[{\"metric\":\"alloc.big.ops\",\"value\":3,\"unit\":\"\"}],"
		"\"text\":{}}],"
		"\"console_bytes\":243,\"console_dropped\":0}");
	free(out);
}

static void test_crash_without_boot_line(void **state)
{
	static char console[] = "[uk] PANIC early\n";
	struct runner_opts o = { .image = "img.elf" };
	struct runner_result r = { .outcome = RUNNER_CRASHED,
				   .accel = RUNNER_ACCEL_KVM, .qemu_ran = true,
				   .wall_ns = 2000000, .console = console,
				   .console_len = sizeof(console) - 1 };
	char *out;

	(void)state;
	strcpy(r.reason, "panic: \"early\"");
	out = document(&o, &r, 134);
	assert_string_equal(out,
		"{\"image\":\"img.elf\",\"outcome\":\"crashed\",\"exit_status\":134,"
		"\"app_status\":null,\"reason\":\"panic: \\\"early\\\"\","
		"\"clock\":\"wall\",\"accel\":\"kvm\",\"wall_s\":0.002,"
		"\"net\":\"none\",\"publish\":[],\"publish_failed\":null,"
		"\"boot\":null,\"results\":[],"
		"\"console_bytes\":17,\"console_dropped\":0}");
	free(out);
}

static void test_qemu_never_ran(void **state)
{
	struct runner_opts o = { .image = "nope.elf" };
	struct runner_result r = { .outcome = RUNNER_IMAGE_BAD };
	char *out;

	(void)state;
	strcpy(r.reason, "cannot open nope.elf");
	out = document(&o, &r, 126);
	assert_non_null(strstr(out, "\"outcome\":\"bad image\",\"exit_status\":126,"));
	assert_non_null(strstr(out, "\"accel\":null,\"wall_s\":null,"
				    "\"net\":\"none\",\"publish\":[],"
				    "\"publish_failed\":null,\"boot\":null,"));
	free(out);
}

/* --deterministic --idle real counts instructions, but its elapsed
 * cycles follow the host: a clock of its own name. */
static void test_real_idle_clock(void **state)
{
	struct runner_opts o = { .image = "img.elf", .deterministic = true,
				 .real_idle = true };
	struct runner_result r = { .outcome = RUNNER_EXITED };
	char *out;

	(void)state;
	out = document(&o, &r, 0);
	assert_non_null(strstr(out, "\"clock\":\"instructions\","));
	free(out);
}

/* The ports QEMU was given; before it started, those asked for, a port
 * still to be picked as null. */
static void test_published_ports(void **state)
{
	static const struct runner_publish asked[] = { { 0, 80 },
						       { 8080, 81 } };
	struct runner_opts o = { .image = "img.elf", .net = RUNNER_NET_USER,
				 .publish = asked, .npublish = 2 };
	struct runner_result r = { .outcome = RUNNER_QEMU_FAILED,
				   .qemu_ran = true, .console = "",
				   .npublished = 2,
				   .published = { { 40001, 80 }, { 8080, 81 } },
				   .publish_failed = 8080 };
	char *out;

	(void)state;
	out = document(&o, &r, 125);
	assert_non_null(strstr(out,
		"\"net\":\"user\",\"publish\":["
		"{\"host_address\":\"127.0.0.1\",\"host_port\":40001,"
		"\"guest_port\":80},"
		"{\"host_address\":\"127.0.0.1\",\"host_port\":8080,"
		"\"guest_port\":81}],\"publish_failed\":8080,"));
	free(out);

	memset(&r, 0, sizeof(r));
	r.outcome = RUNNER_NO_QEMU;
	out = document(&o, &r, 127);
	assert_non_null(strstr(out,
		"\"publish\":["
		"{\"host_address\":\"127.0.0.1\",\"host_port\":null,"
		"\"guest_port\":80},"
		"{\"host_address\":\"127.0.0.1\",\"host_port\":8080,"
		"\"guest_port\":81}],\"publish_failed\":null,"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exited_with_results),
		cmocka_unit_test(test_crash_without_boot_line),
		cmocka_unit_test(test_qemu_never_ran),
		cmocka_unit_test(test_real_idle_clock),
		cmocka_unit_test(test_published_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
