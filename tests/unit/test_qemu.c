/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot mechanics (host/qemu.h) on their own, with the fake QEMU: they
 * boot what they are given with the accelerator they are given, and leave
 * image checks and --accel auto to the runner.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_qemu.h"
#include "linux_boot.h"
#include "qemu.h"

#define MS 1000000LL

/* Boot c with the fake scripted by script; qemu_boot must return 0. */
static void boot(struct fake_env *e, const char *script, struct qemu_cfg *c,
		 struct runner_result *r)
{
	if (!c->qemu)
		c->qemu = e->qemu;
	if (!c->timeout_ns)
		c->timeout_ns = 10000 * MS;
	setenv("FAKE_QEMU", script, 1);
	assert_int_equal(qemu_result_init(r), 0);
	assert_int_equal(qemu_boot(c, r), 0);
}

/* A file the runner's image check refuses still goes to QEMU: checking
 * images is policy, not mechanics. */
static void test_boots_without_image_check(void **state)
{
	struct fake_env *e = *state;
	char text[128];
	struct qemu_cfg c = { .image = text, .accel = RUNNER_ACCEL_KVM };
	struct runner_result r;

	snprintf(text, sizeof(text), "%s/not-an-image", e->dir);
	assert_int_equal(fake_write_file(text, "hello\n", 6, 0644), 0);
	boot(e, "printf 'up\\n'; exit 7", &c, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 2);
	assert_int_equal(r.accel, RUNNER_ACCEL_KVM);
	assert_true(r.qemu_ran);
	assert_string_equal(r.console, "up\n");
	runner_result_free(&r);
}

/* The end is classified as the runner's would be. */
static void test_classifies_the_end(void **state)
{
	struct fake_env *e = *state;
	struct qemu_cfg c = { .image = e->image, .accel = RUNNER_ACCEL_TCG,
			      .timeout_ns = 300 * MS,
			      .kill_grace_ns = 100 * MS };
	struct runner_result r;

	boot(e, "exec sleep 10", &c, &r);
	assert_int_equal(r.outcome, RUNNER_TIMEOUT);
	assert_non_null(strstr(r.reason, "did not exit within"));
	runner_result_free(&r);

	c.timeout_ns = 0;
	boot(e, "echo 'qemu-system-x86_64: -m 1K: too small' >&2; exit 1", &c,
	     &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_string_equal(r.reason, "-m 1K: too small");
	runner_result_free(&r);
}

static void test_missing_image_and_qemu(void **state)
{
	struct fake_env *e = *state;
	char missing[128];
	struct qemu_cfg c = { .image = missing, .accel = RUNNER_ACCEL_TCG };
	struct runner_result r;

	snprintf(missing, sizeof(missing), "%s/no-such.elf", e->dir);
	boot(e, "exit 1", &c, &r);
	expect_refused_before_qemu(&r, RUNNER_IMAGE_BAD, "cannot open");

	c.image = e->image;
	c.qemu = "unitune-no-such-qemu";
	boot(e, "exit 1", &c, &r);
	assert_int_equal(r.outcome, RUNNER_NO_QEMU);
	assert_non_null(strstr(r.reason, "unitune-no-such-qemu not found"));
	runner_result_free(&r);
}

/* The accelerator must be concrete: resolving auto is the runner's job. */
static void test_needs_a_concrete_accelerator(void **state)
{
	struct fake_env *e = *state;
	struct qemu_cfg c = { .image = e->image, .accel = RUNNER_ACCEL_AUTO };
	struct runner_result r;
	char **argv = (char **)&c;

	assert_int_equal(qemu_argv(&c, &argv), -EINVAL);
	assert_null(argv);
	assert_int_equal(qemu_result_init(&r), 0);
	assert_int_equal(qemu_boot(&c, &r), -EINVAL);
	assert_false(r.qemu_ran);
	runner_result_free(&r);
}

static void test_argv_kvm(void **state)
{
	struct fake_env *e = *state;
	struct qemu_cfg c = { .image = e->image, .accel = RUNNER_ACCEL_KVM,
			      .mem_kib = 16 * 1024 };
	char **argv;
	size_t i;

	assert_int_equal(qemu_argv(&c, &argv), 0);
	assert_string_equal(argv[0], RUNNER_QEMU_DEFAULT);
	for (i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "-kernel"))
			assert_string_equal(argv[i + 1], RUNNER_KERNEL_PATH);
	assert_string_equal(argv[i - 2], "-accel");
	assert_string_equal(argv[i - 1], "kvm");
	runner_argv_free(argv);
}

/* --initrd: -initrd and the Linux command line (linux_boot.h), the app
 * arguments after "--" for its init. */
static void test_argv_linux(void **state)
{
	struct fake_env *e = *state;
	const char *args[] = { "a b" };
	struct qemu_cfg c = { .image = e->image, .accel = RUNNER_ACCEL_TCG,
			      .initrd = "/x/initrd.gz", .linux_tsc_khz = 2600000,
			      .kernel_opts = "loglevel=4", .app_argv = args,
			      .app_argc = 1 };
	char **argv;
	size_t i;
	bool initrd = false, append = false;

	assert_int_equal(qemu_argv(&c, &argv), 0);
	for (i = 0; argv[i]; i++) {
		if (!strcmp(argv[i], "-initrd")) {
			assert_string_equal(argv[i + 1], "/x/initrd.gz");
			initrd = true;
		}
		if (!strcmp(argv[i], "-append")) {
			assert_string_equal(argv[i + 1],
					    "console=ttyS0 panic=-1 quiet "
					    "tsc_early_khz=2600000 tsc=reliable "
					    "loglevel=4 -- \"a b\"");
			append = true;
		}
	}
	assert_true(initrd && append);
	runner_argv_free(argv);

	/* No TSC known, no options, no arguments: the fixed words alone. */
	c.linux_tsc_khz = 0;
	c.kernel_opts = NULL;
	c.app_argc = 0;
	assert_int_equal(qemu_argv(&c, &argv), 0);
	for (i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "-append"))
			assert_string_equal(argv[i + 1],
					    "console=ttyS0 panic=-1 quiet");
	runner_argv_free(argv);
}

/* A bzImage is told apart from anything else, and the initrd must be
 * there. */
static void test_linux_boot_check(void **state)
{
	struct fake_env *e = *state;
	char kernel[128], initrd[128], why[256], hdr[0x210] = { 0 };

	snprintf(kernel, sizeof(kernel), "%s/bzImage", e->dir);
	snprintf(initrd, sizeof(initrd), "%s/initrd", e->dir);
	memcpy(hdr + 0x202, "HdrS", 4);
	assert_int_equal(fake_write_file(kernel, hdr, sizeof(hdr), 0644), 0);
	assert_int_equal(fake_write_file(initrd, "x", 1, 0644), 0);
	assert_int_equal(linux_boot_check(kernel, initrd, why, sizeof(why)), 0);
	assert_int_equal(linux_boot_check(kernel, e->dir, why, sizeof(why)),
			 -EISDIR);
	assert_non_null(strstr(why, "is not a regular file"));
	assert_int_equal(linux_boot_check(initrd, initrd, why, sizeof(why)),
			 -ENOEXEC);
	assert_non_null(strstr(why, "not an x86 bzImage"));
	assert_int_equal(linux_boot_check(kernel, "/nonexistent", why,
					  sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "initrd /nonexistent"));
}

static void test_ports_check(void **state)
{
	struct fake_env *e = *state;
	char file[128];
	struct runner_port twice[2];

	snprintf(file, sizeof(file), "%s/port", e->dir);
	twice[0] = (struct runner_port){ "a", file };
	twice[1] = (struct runner_port){ "a", file };
	assert_int_equal(qemu_ports_check(NULL, 0), 0);
	assert_int_equal(qemu_ports_check(twice, 1), 0);
	assert_int_equal(qemu_ports_check(twice, 2), -EINVAL);
	assert_int_equal(qemu_ports_check(NULL, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boots_without_image_check),
		cmocka_unit_test(test_classifies_the_end),
		cmocka_unit_test(test_missing_image_and_qemu),
		cmocka_unit_test(test_needs_a_concrete_accelerator),
		cmocka_unit_test(test_argv_kvm),
		cmocka_unit_test(test_ports_check),
		cmocka_unit_test(test_argv_linux),
		cmocka_unit_test(test_linux_boot_check),
	};

	return cmocka_run_group_tests_name("qemu", tests, fake_env_setup,
					   fake_env_teardown);
}
