/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --accel auto: the decision function, the calibration guest's bytes,
 * the cache, and calibration end to end (with a fake QEMU that is fast or
 * slow, and with the real QEMU under TCG when it is installed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unitune/abi.h>

#include "accel.h"
#include "exitcode.h"
#include "fake_qemu.h"
#include "paths.h"
#include "runner.h"
#include "spawn.h"

#define MS 1000000LL

static void test_decide(void **state)
{
	const int64_t lim = ACCEL_CALIB_LIMIT_NS;

	(void)state;
	/* Real hardware: tens of milliseconds. */
	assert_int_equal(accel_decide(true, true, 40 * MS, true),
			 RUNNER_ACCEL_KVM);
	assert_int_equal(accel_decide(true, true, 0, true), RUNNER_ACCEL_KVM);
	assert_int_equal(accel_decide(true, true, lim, true), RUNNER_ACCEL_KVM);
	/* Anything short of a clean, timely exit under usable KVM is TCG. */
	assert_int_equal(accel_decide(true, true, lim + 1, true),
			 RUNNER_ACCEL_TCG);
	assert_int_equal(accel_decide(true, false, 40 * MS, true),
			 RUNNER_ACCEL_TCG);
	assert_int_equal(accel_decide(true, false, lim, false),
			 RUNNER_ACCEL_TCG);
	assert_int_equal(accel_decide(true, true, 40 * MS, false),
			 RUNNER_ACCEL_TCG);
	assert_int_equal(accel_decide(false, true, 40 * MS, true),
			 RUNNER_ACCEL_TCG);
	assert_int_equal(accel_decide(true, true, -1, true), RUNNER_ACCEL_TCG);
	/* The nested hypervisor measured here: 10 s for 3M iterations. */
	assert_int_equal(accel_decide(true, true, 10000 * MS, true),
			 RUNNER_ACCEL_TCG);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void test_guest_image_layout(void **state)
{
	unsigned char img[ACCEL_GUEST_MAX];
	const unsigned char *mb = NULL, *code;
	uint32_t entry;
	size_t off;
	int n;

	(void)state;
	n = accel_guest_image(ACCEL_CALIB_ITERS, ACCEL_CALIB_STATUS, img,
			      sizeof(img));
	assert_true(n > 0 && n <= ACCEL_GUEST_MAX);
	/* A 32-bit little-endian x86 ELF, so the runner's check passes. */
	assert_memory_equal(img, "\x7f" "ELF", 4);
	assert_int_equal(img[4], 1);
	assert_int_equal(img[5], 1);
	/* Multiboot v1 header: 4-aligned, in the first 8 KiB. */
	for (off = 0; off + 12 <= (size_t)n; off += 4) {
		if (get32(img + off) == 0x1BADB002u) {
			mb = img + off;
			break;
		}
	}
	assert_non_null(mb);
	assert_true(get32(mb + 4) & 0x00010000u); /* a.out kludge */
	assert_int_equal((uint32_t)(get32(mb) + get32(mb + 4) + get32(mb + 8)),
			 0);
	/* header_addr - load_addr is the header's file offset. */
	assert_int_equal(get32(mb + 12) - get32(mb + 16), off);
	assert_int_equal(get32(mb + 16), 0x100000);
	assert_int_equal(get32(mb + 20) - get32(mb + 16), (uint32_t)n);
	entry = get32(mb + 28);
	assert_int_equal(get32(img + 24), entry); /* ELF e_entry agrees */
	code = img + (entry - 0x100000);
	/* mov $iters,%ecx; dec; jnz; mov $v,%al; out %al,$0xf4; hlt; jmp */
	assert_int_equal(code[0], 0xb9);
	assert_int_equal(get32(code + 1), ACCEL_CALIB_ITERS);
	assert_memory_equal(code + 5, "\x49\x75\xfd\xb0", 4);
	assert_int_equal(code[9], exitcode_port_value(ACCEL_CALIB_STATUS));
	assert_int_equal(code[10], 0xe6);
	assert_int_equal(code[11], UNITUNE_EXIT_PORT);
	assert_int_equal(code + 15, img + n);
}

static void test_guest_image_bad_args(void **state)
{
	unsigned char img[ACCEL_GUEST_MAX];
	int n;

	(void)state;
	assert_int_equal(accel_guest_image(1, -1, img, sizeof(img)), -EINVAL);
	assert_int_equal(accel_guest_image(1, 125, img, sizeof(img)), -EINVAL);
	assert_int_equal(accel_guest_image(1, 0, img, 16), -ENOSPC);
	/* Zero iterations: no loop at all (dec would wrap to 2^32). */
	n = accel_guest_image(0, 0, img, sizeof(img));
	assert_true(n > 0);
	assert_int_equal(img[n - 7], 0xb0);
	assert_int_equal(img[n - 6], 1);
	assert_int_equal(accel_guest_image(1000, 0, img, sizeof(img)), n + 8);
}

static struct accel_key key(void)
{
	struct accel_key k = { .mtime_sec = 1700000000, .mtime_nsec = 5 };

	strcpy(k.boot_id, "b03f1859-c5d4-40a4-82da-f790ad83bc30");
	strcpy(k.qemu, "/usr/bin/qemu-system-x86_64");
	return k;
}

static void test_cache_round_trip(void **state)
{
	struct accel_key k = key(), other;
	struct strbuf sb = STRBUF_INIT;
	enum runner_accel a = RUNNER_ACCEL_AUTO;
	char why[128];

	(void)state;
	assert_int_equal(accel_cache_format(&k, RUNNER_ACCEL_KVM,
					    "fast\nreally", &sb), 0);
	assert_non_null(strstr(sb.buf, "accel=kvm\n"));
	assert_int_equal(accel_cache_parse(sb.buf, &k, &a, why, sizeof(why)),
			 0);
	assert_int_equal(a, RUNNER_ACCEL_KVM);
	assert_string_equal(why, "fast really");
	/* Any part of the key differing invalidates it. */
	other = k;
	other.boot_id[0] = 'c';
	assert_int_equal(accel_cache_parse(sb.buf, &other, &a, NULL, 0),
			 -ENOENT);
	other = k;
	other.mtime_nsec = 6;
	assert_int_equal(accel_cache_parse(sb.buf, &other, &a, NULL, 0),
			 -ENOENT);
	other = k;
	strcpy(other.qemu, "/usr/local/bin/qemu-system-x86_64");
	assert_int_equal(accel_cache_parse(sb.buf, &other, &a, NULL, 0),
			 -ENOENT);
	strbuf_release(&sb);
}

static void test_cache_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"boot_id=b03f1859-c5d4-40a4-82da-f790ad83bc30\n"
		"qemu=/usr/bin/qemu-system-x86_64\n"
		"qemu_mtime=1700000000.000000005\n",
		"boot_id=b03f1859-c5d4-40a4-82da-f790ad83bc30\n"
		"qemu=/usr/bin/qemu-system-x86_64\n"
		"qemu_mtime=1700000000.000000005\naccel=fast\n",
		"boot_id=b03f1859-c5d4-40a4-82da-f790ad83bc30\n"
		"qemu=/usr/bin/qemu-system-x86_64\nnot a line\n"
		"qemu_mtime=1700000000.000000005\naccel=kvm\n",
	};
	struct accel_key k = key();
	enum runner_accel a = RUNNER_ACCEL_AUTO;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (accel_cache_parse(bad[i], &k, &a, NULL, 0) != -EINVAL)
			fail_msg("accepted cache %zu", i);
	}
	assert_int_equal(a, RUNNER_ACCEL_AUTO);
	/* Unknown keys, comments, no trailing newline: fine. */
	assert_int_equal(accel_cache_parse(
				 "# c\nfuture=1\n"
				 "boot_id=b03f1859-c5d4-40a4-82da-f790ad83bc30\n"
				 "qemu=/usr/bin/qemu-system-x86_64\n"
				 "qemu_mtime=1700000000.000000005\naccel=tcg",
				 &k, &a, NULL, 0),
			 0);
	assert_int_equal(a, RUNNER_ACCEL_TCG);
}

static void test_cache_default_path(void **state)
{
	char buf[PATH_MAX];
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *xdg = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME"))
					     : NULL;

	(void)state;
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(accel_cache_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/cache/unitune/accel");
	/* The XDG spec: ignore a relative value. */
	setenv("XDG_CACHE_HOME", "rel", 1);
	assert_int_equal(accel_cache_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.cache/unitune/accel");
	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(accel_cache_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.cache/unitune/accel");
	assert_int_equal(accel_cache_default_path(buf, 10), -ENAMETOOLONG);
	unsetenv("HOME");
	assert_int_equal(accel_cache_default_path(buf, sizeof(buf)), -ENOENT);
	if (home)
		setenv("HOME", home, 1);
	if (xdg)
		setenv("XDG_CACHE_HOME", xdg, 1);
	free(home);
	free(xdg);
}

static void test_kvm_usable_rejects_non_kvm(void **state)
{
	(void)state;
	assert_false(accel_kvm_usable("/nonexistent/kvm"));
	assert_false(accel_kvm_usable("/dev/null"));
}

/* Calibration with a fake QEMU: fast and correct -> KVM, then cached;
 * slow -> TCG at the limit; wrong status -> TCG. */
static void test_resolve_with_fake_qemu(void **state)
{
	struct fake_env e;
	char cache[128], why[256], fast[64];
	enum runner_accel a;
	int64_t t0;

	(void)state;
	if (!accel_kvm_usable(ACCEL_KVM_DEV)) {
		/* Without KVM the answer is TCG with no calibration. */
		assert_int_equal(accel_resolve("unitune-none", "", &a, why,
					       sizeof(why)), 0);
		assert_int_equal(a, RUNNER_ACCEL_TCG);
		assert_non_null(strstr(why, "not usable"));
		skip();
	}
	assert_int_equal(fake_env_init(&e), 0);
	snprintf(cache, sizeof(cache), "%s/cache/unitune/accel", e.dir);
	snprintf(fast, sizeof(fast), "exit %d",
		 exitcode_qemu_code(exitcode_port_value(ACCEL_CALIB_STATUS)));

	setenv("FAKE_QEMU", fast, 1);
	assert_int_equal(accel_resolve(e.qemu, cache, &a, why, sizeof(why)),
			 0);
	assert_int_equal(a, RUNNER_ACCEL_KVM);
	assert_non_null(strstr(why, "using KVM"));
	/* Now the cache answers, whatever the fake would do. */
	setenv("FAKE_QEMU", "exit 1", 1);
	assert_int_equal(accel_resolve(e.qemu, cache, &a, why, sizeof(why)),
			 0);
	assert_int_equal(a, RUNNER_ACCEL_KVM);
	assert_non_null(strstr(why, "cached"));
	/* Without the cache the failure shows. */
	assert_int_equal(accel_resolve(e.qemu, "", &a, why, sizeof(why)), 0);
	assert_int_equal(a, RUNNER_ACCEL_TCG);
	assert_non_null(strstr(why, "failed"));

	setenv("FAKE_QEMU", "exit 5", 1); /* status 1, not 42 */
	assert_int_equal(accel_resolve(e.qemu, "", &a, why, sizeof(why)), 0);
	assert_int_equal(a, RUNNER_ACCEL_TCG);
	assert_non_null(strstr(why, "expected 42"));

	setenv("FAKE_QEMU", "exec sleep 10", 1);
	t0 = spawn_now_ns();
	assert_int_equal(accel_resolve(e.qemu, "", &a, why, sizeof(why)), 0);
	assert_int_equal(a, RUNNER_ACCEL_TCG);
	assert_non_null(strstr(why, "did not finish"));
	assert_true(spawn_now_ns() - t0 < ACCEL_CALIB_LIMIT_NS + 1000 * MS);
	fake_env_cleanup(&e);
}

/* The generated guest really boots and exits through isa-debug-exit. */
static void test_guest_boots_under_tcg(void **state)
{
	unsigned char img[ACCEL_GUEST_MAX];
	char qemu[PATH_MAX], path[] = "/tmp/unitune-guest-XXXXXX";
	struct runner_opts o = { .accel = RUNNER_ACCEL_TCG,
				 .timeout_ns = 20000 * MS,
				 .mem_kib = 16 * 1024 };
	struct runner_result r;
	int n, fd, status;

	(void)state;
	if (paths_which(RUNNER_QEMU_DEFAULT, qemu, sizeof(qemu)))
		skip();
	for (status = 0; status <= ACCEL_CALIB_STATUS; status += 42) {
		n = accel_guest_image(100000, status, img, sizeof(img));
		assert_true(n > 0);
		fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, img, (size_t)n), n);
		close(fd);
		o.image = path;
		o.deterministic = status != 0;
		assert_int_equal(runner_run(&o, &r), 0);
		unlink(path);
		strcpy(path, "/tmp/unitune-guest-XXXXXX");
		if (r.outcome != RUNNER_EXITED)
			fail_msg("outcome %s: %s", outcome_name(r.outcome),
				 r.reason);
		assert_int_equal(r.app_status, status);
		runner_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_guest_image_layout),
		cmocka_unit_test(test_guest_image_bad_args),
		cmocka_unit_test(test_cache_round_trip),
		cmocka_unit_test(test_cache_malformed),
		cmocka_unit_test(test_cache_default_path),
		cmocka_unit_test(test_kvm_usable_rejects_non_kvm),
		cmocka_unit_test(test_resolve_with_fake_qemu),
		cmocka_unit_test(test_guest_boots_under_tcg),
	};

	return cmocka_run_group_tests_name("accel", tests, NULL, NULL);
}
