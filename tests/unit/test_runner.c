/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runner end to end against a scripted fake QEMU: every outcome, the
 * reasons, timeouts with SIGTERM and SIGKILL, console capture and echo,
 * and the exact QEMU command line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fake_qemu.h"
#include "runner.h"

#define MS 1000000LL

static int setup(void **state)
{
	struct fake_env *e = calloc(1, sizeof(*e));

	if (!e || fake_env_init(e))
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	fake_env_cleanup(*state);
	free(*state);
	return 0;
}

/* Run the fake with the given shell script. */
static void run(void **state, const char *script, struct runner_opts *o,
		struct runner_result *r)
{
	struct fake_env *e = *state;
	struct runner_opts def = { 0 };

	if (!o)
		o = &def;
	if (!o->image)
		o->image = e->image;
	if (!o->qemu)
		o->qemu = e->qemu;
	if (o->accel == RUNNER_ACCEL_AUTO)
		o->accel = RUNNER_ACCEL_TCG;
	if (!o->timeout_ns)
		o->timeout_ns = 10000 * MS;
	setenv("FAKE_QEMU", script, 1);
	assert_int_equal(runner_run(o, r), 0);
}

static void test_app_exit_status(void **state)
{
	struct runner_result r;

	run(state, "printf 'hello\\r\\n'; exit 7", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 2);
	assert_string_equal(r.reason, "");
	assert_true(r.qemu_ran);
	assert_int_equal(r.console_len, 7);
	assert_string_equal(r.console, "hello\r\n");
	assert_true(r.wall_ns > 0 && r.wall_ns < 5000 * MS);
	assert_int_equal(r.accel, RUNNER_ACCEL_TCG);
	runner_result_free(&r);

	run(state, "exit 3", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 0);
	assert_int_equal(r.console_len, 0);
	assert_non_null(r.console);
	runner_result_free(&r);

	run(state, "exit 251", NULL, &r);
	assert_int_equal(r.app_status, 124);
	runner_result_free(&r);
}

static void test_wide_exit_status(void **state)
{
	struct runner_result r;

	run(state, "echo '[uk] exit status 130'; echo '[uk] exit status 200';"
		   "exit 253", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 200);
	runner_result_free(&r);

	/* After app output that lacks a newline. */
	run(state, "printf 'out[uk] exit status 255\\r\\n'; exit 253", NULL,
	    &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 255);
	runner_result_free(&r);

	/* The guest broke the protocol: no line, or a bad one. */
	run(state, "exit 253", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	assert_non_null(strstr(r.reason, "[uk] exit status"));
	runner_result_free(&r);
	run(state, "echo '[uk] exit status 256'; exit 253", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	runner_result_free(&r);
	run(state, "echo '[uk] exit status 12x'; exit 253", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	runner_result_free(&r);
}

static void test_crash(void **state)
{
	struct runner_result r;

	run(state, "echo '[uk] crash: old'; printf '[uk] crash: #PF at "
		   "0x0 (rip 0x1234)\\r\\nrax=0\\n'; exit 255", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	assert_string_equal(r.reason, "#PF at 0x0 (rip 0x1234)");
	/* No status line: a kernel panic. */
	assert_int_equal(r.crash_status, 200);
	assert_int_equal(runner_exit_status(&r), 200);
	runner_result_free(&r);

	run(state, "exit 255", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	assert_non_null(strstr(r.reason, "no reason"));
	runner_result_free(&r);

	/* The last status line gives the kind, after the report and the
	 * exit hooks' output. */
	run(state, "echo '[uk] crash: page fault'; echo '[uk] crash status 136';"
		   "echo '[uk] crash status 139'; echo 'drained'; exit 255",
	    NULL, &r);
	assert_int_equal(r.crash_status, 139);
	assert_int_equal(runner_exit_status(&r), 139);
	assert_int_equal(r.app_status, -1);
	runner_result_free(&r);

	/* A status the ABI does not define is a panic, never passed on. */
	run(state, "echo '[uk] crash: x'; echo '[uk] crash status 7'; exit 255",
	    NULL, &r);
	assert_int_equal(r.crash_status, 200);
	runner_result_free(&r);

	/* Control characters never reach the one-line reason. */
	run(state, "printf '[uk] crash: a\\tb\\033c\\n'; exit 255", NULL, &r);
	assert_string_equal(r.reason, "a b c");
	runner_result_free(&r);
}

static void test_reset(void **state)
{
	struct runner_result r;

	run(state, "exit 0", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	assert_string_equal(r.reason, "guest reset (triple fault)");
	assert_int_equal(runner_exit_status(&r), 202);
	runner_result_free(&r);

	run(state, "echo '[uk] crash: double fault'; exit 0", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_CRASHED);
	assert_string_equal(r.reason, "double fault");
	runner_result_free(&r);

	/* QEMU exits 0 too when someone else's signal makes it quit. */
	run(state, "echo 'qemu-system-x86_64: terminating on signal 15 from "
		   "pid 99 (bash)' >&2; exit 0", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_string_equal(r.reason,
			    "terminating on signal 15 from pid 99 (bash)");
	runner_result_free(&r);
}

static void test_qemu_errors(void **state)
{
	struct runner_result r;

	run(state, "echo 'qemu-system-x86_64: warning: host lacks x' >&2;"
		   "echo 'qemu-system-x86_64: -kernel k: bad header' >&2;"
		   "echo 'second error' >&2; exit 1", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_string_equal(r.reason, "-kernel k: bad header");
	assert_non_null(strstr(r.qemu_stderr, "second error"));
	runner_result_free(&r);

	run(state, "echo 'qemu: could not open kernel file' >&2; exit 1",
	    NULL, &r);
	assert_string_equal(r.reason, "could not open kernel file");
	runner_result_free(&r);

	run(state, "echo 'qemu-system-x86_64: error: failed to set MSR' >&2;"
		   "exit 1", NULL, &r);
	assert_string_equal(r.reason, "failed to set MSR");
	runner_result_free(&r);

	run(state, "exit 1", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_non_null(strstr(r.reason, "status 1"));
	runner_result_free(&r);

	run(state, "exit 4", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_string_equal(r.reason, "unexpected QEMU exit status 4");
	runner_result_free(&r);

	/* Killed by a signal the runner did not send. */
	run(state, "echo 'assertion failed' >&2; kill -ABRT $$", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_QEMU_FAILED);
	assert_true(WIFSIGNALED(r.wstatus));
	assert_non_null(strstr(r.reason, "assertion failed"));
	assert_non_null(strstr(r.reason, "signal 6"));
	runner_result_free(&r);
}

static void test_timeout_sigterm(void **state)
{
	struct runner_opts o = { .timeout_ns = 200 * MS };
	struct runner_result r;

	run(state, "echo started; exec sleep 30", &o, &r);
	assert_int_equal(r.outcome, RUNNER_TIMEOUT);
	assert_true(WIFSIGNALED(r.wstatus));
	assert_int_equal(WTERMSIG(r.wstatus), SIGTERM);
	assert_true(r.wall_ns >= 200 * MS && r.wall_ns < 900 * MS);
	assert_string_equal(r.console, "started\n");
	assert_non_null(strstr(r.reason, "0.2 s"));
	runner_result_free(&r);
}

static void test_timeout_sigkill(void **state)
{
	struct runner_opts o = { .timeout_ns = 200 * MS,
				 .kill_grace_ns = 200 * MS };
	struct runner_result r;

	run(state, "trap '' TERM; exec sleep 30", &o, &r);
	assert_int_equal(r.outcome, RUNNER_TIMEOUT);
	assert_true(WIFSIGNALED(r.wstatus));
	assert_int_equal(WTERMSIG(r.wstatus), SIGKILL);
	assert_true(r.wall_ns >= 400 * MS && r.wall_ns < 1500 * MS);
	runner_result_free(&r);
}

static void test_exit_not_delayed_by_grandchild(void **state)
{
	struct runner_result r;

	/* A leftover process holding the console pipe must not make the
	 * runner wait for it. */
	run(state, "sleep 5 & echo hi; exit 5", NULL, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 1);
	assert_true(r.wall_ns < 2000 * MS);
	assert_string_equal(r.console, "hi\n");
	runner_result_free(&r);
}

static void test_missing_qemu(void **state)
{
	struct runner_opts o = { .qemu = "/nonexistent/qemu-system-x86_64" };
	struct runner_result r;

	run(state, "exit 3", &o, &r);
	assert_int_equal(r.outcome, RUNNER_NO_QEMU);
	assert_false(r.qemu_ran);
	assert_non_null(strstr(r.reason, "apt-get install qemu-system-x86"));
	assert_non_null(strstr(r.reason, "scripts/deps.sh"));
	runner_result_free(&r);

	o.qemu = "unitune-no-such-qemu";
	run(state, "exit 3", &o, &r);
	assert_int_equal(r.outcome, RUNNER_NO_QEMU);
	runner_result_free(&r);
}

static void test_qemu_not_executable(void **state)
{
	struct fake_env *e = *state;
	struct runner_opts o = { .qemu = e->image };
	struct runner_result r;

	/* It exists, so it is installed, but it cannot run. */
	run(state, "exit 3", &o, &r);
	expect_refused_before_qemu(&r, RUNNER_QEMU_FAILED, "cannot execute");
}

static void test_bad_images(void **state)
{
	struct fake_env *e = *state;
	struct runner_opts o = { .image = "/nonexistent/x.elf" };
	struct runner_result r;
	char path[128];

	run(state, "exit 3", &o, &r);
	expect_refused_before_qemu(&r, RUNNER_IMAGE_BAD, "No such file");

	o.image = e->dir;
	run(state, "exit 3", &o, &r);
	assert_int_equal(r.outcome, RUNNER_IMAGE_BAD);
	runner_result_free(&r);

	snprintf(path, sizeof(path), "%s/notelf", e->dir);
	assert_int_equal(fake_write_file(path, "#!/bin/sh\n", 10, 0644), 0);
	o.image = path;
	run(state, "exit 3", &o, &r);
	expect_refused_before_qemu(&r, RUNNER_IMAGE_BAD, "not an ELF");

	snprintf(path, sizeof(path), "%s/short", e->dir);
	assert_int_equal(fake_write_file(path, "\x7f" "EL", 3, 0644), 0);
	o.image = path;
	run(state, "exit 3", &o, &r);
	assert_int_equal(r.outcome, RUNNER_IMAGE_BAD);
	runner_result_free(&r);

	/* Unreadable (as root, access checks pass: skip that case). */
	if (geteuid() != 0) {
		assert_int_equal(fake_write_file(path, "\x7f" "ELF", 4, 0), 0);
		run(state, "exit 3", &o, &r);
		assert_int_equal(r.outcome, RUNNER_IMAGE_BAD);
		runner_result_free(&r);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 8192);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, 8191, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_qemu_command_line(void **state)
{
	struct fake_env *e = *state;
	const char *args[] = { "-n", "two words", "" };
	const char *extra[] = { "-device", "virtio-rng-device" };
	const struct runner_port ports[] = { { "unitune.trace", "/tmp/t,x" },
					     { "a-b_c", "out" } };
	struct runner_opts o = { .mem_kib = 64 * 1024,
				 .deterministic = true,
				 .kernel_opts = "loglevel=2",
				 .app_argv = args,
				 .app_argc = 3,
				 .ports = ports,
				 .nports = 2,
				 .qemu_extra = extra,
				 .qemu_extra_n = 2 };
	struct runner_result r;
	char expect[2048];
	char *got;

	setenv("FAKE_QEMU_ARGV", e->argv_file, 1);
	run(state, "exit 3", &o, &r);
	unsetenv("FAKE_QEMU_ARGV");
	assert_int_equal(r.outcome, RUNNER_EXITED);
	runner_result_free(&r);
	got = slurp(e->argv_file);
	snprintf(expect, sizeof(expect),
		 "-M\nmicrovm,x-option-roms=off,auto-kernel-cmdline=off\n"
		 "-cpu\nmax\n-m\n65536K\n"
		 "-nodefaults\n-no-user-config\n-display\nnone\n-no-reboot\n"
		 "-chardev\nstdio,id=con,signal=off\n-serial\nchardev:con\n"
		 "-device\nisa-debug-exit,iobase=0xf4,iosize=0x04\n"
		 "-kernel\n/proc/self/fd/3\n"
		 "-append\nloglevel=2 -- -n \"two words\" \"\"\n"
		 "-accel\ntcg\n-icount\nshift=0,sleep=off\n"
		 "-global\nvirtio-mmio.force-legacy=false\n"
		 "-device\nvirtio-serial-device\n"
		 "-chardev\nfile,id=utport0,path=/tmp/t,,x\n"
		 "-device\nvirtserialport,chardev=utport0,name=unitune.trace\n"
		 "-chardev\nfile,id=utport1,path=out\n"
		 "-device\nvirtserialport,chardev=utport1,name=a-b_c\n"
		 "-device\nvirtio-rng-device\n");
	assert_string_equal(got, expect);
	free(got);
}

/* QEMU reads the image through a path that never varies: descriptor 3. */
static void test_qemu_gets_the_image_as_fd_3(void **state)
{
	struct fake_env *e = *state;
	struct runner_result r;
	char script[256];

	snprintf(script, sizeof(script),
		 "cmp -s /proc/self/fd/3 '%s' && exit 5; exit 7", e->image);
	run(state, script, NULL, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 1); /* (5 >> 1) - 1 */
	runner_result_free(&r);
}

static void test_qemu_argv_variants(void **state)
{
	struct runner_opts o = { .image = "img.elf" };
	char **argv;
	size_t i;
	bool host = false, mem = false;

	(void)state;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_KVM, &argv), 0);
	assert_string_equal(argv[0], RUNNER_QEMU_DEFAULT);
	for (i = 0; argv[i]; i++) {
		if (!strcmp(argv[i], "-cpu"))
			host = !strcmp(argv[i + 1], "host");
		if (!strcmp(argv[i], "-m"))
			mem = !strcmp(argv[i + 1], "32768K");
		assert_string_not_equal(argv[i], "-icount");
	}
	assert_true(host);
	assert_true(mem);
	assert_string_equal(argv[i - 1], "kvm");
	runner_argv_free(argv);

	/* Invalid combinations. */
	o.deterministic = true;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_KVM, &argv),
			 -EINVAL);
	assert_null(argv);
	o.deterministic = false;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_AUTO, &argv),
			 -EINVAL);
	o.kernel_opts = "a -- b";
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
	o.kernel_opts = NULL;
	o.real_idle = true;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
	o.real_idle = false;
	o.image = NULL;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
}

/* --idle real: the same instruction counting, idle time the host's. */
static void test_qemu_argv_real_idle(void **state)
{
	struct runner_opts o = { .image = "img.elf", .deterministic = true,
				 .real_idle = true };
	char **argv;
	size_t i;
	bool icount = false;

	(void)state;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv), 0);
	for (i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "-icount"))
			icount = !strcmp(argv[i + 1], "shift=0,sleep=on");
	assert_true(icount);
	runner_argv_free(argv);
}

static void test_qemu_argv_without_ports(void **state)
{
	struct runner_opts o = { .image = "img.elf" };
	char **argv;
	size_t i;

	(void)state;
	/* No port: no virtio device at all. */
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv), 0);
	for (i = 0; argv[i]; i++) {
		assert_null(strstr(argv[i], "virtio"));
		assert_string_not_equal(argv[i], "-global");
	}
	runner_argv_free(argv);
}

static void test_bad_ports_are_refused(void **state)
{
	const struct runner_port same[] = { { "a", "x" }, { "a", "y" } };
	const struct runner_port bad[] = { { "a b", "x" } };
	const struct runner_port nodir[] = { { "a", "/nonexistent/dir/f" } };
	struct runner_opts o = { .image = "img.elf", .ports = same,
				 .nports = 2 };
	char **argv;

	(void)state;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
	assert_null(argv);
	o.ports = bad;
	o.nports = 1;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
	o.ports = nodir;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
	o.ports = NULL;
	assert_int_equal(runner_qemu_argv(&o, RUNNER_ACCEL_TCG, &argv),
			 -EINVAL);
}

static void test_port_parse_and_check(void **state)
{
	struct fake_env *e = *state;
	struct runner_port p;
	char why[256], arg[256], longname[80];

	/* NAME=FILE splits at the first '='. */
	snprintf(arg, sizeof(arg), "unitune.test=%s/out=1", e->dir);
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)), 0);
	assert_string_equal(p.name, "unitune.test");
	assert_non_null(strstr(p.path, "/out=1"));
	/* A bare file name lives in the current directory. */
	strcpy(arg, "x=file");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)), 0);
	strcpy(arg, "x=/f");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)), 0);

	strcpy(arg, "noequals");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "not NAME=FILE"));
	strcpy(arg, "=file");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "empty"));
	strcpy(arg, "a,b=file");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "','"));
	strcpy(arg, "a=");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "no file"));
	strcpy(arg, "a=/nonexistent/dir/f");
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "'/nonexistent/dir' of"));
	snprintf(arg, sizeof(arg), "a=%s", e->dir);
	assert_int_equal(runner_port_parse(arg, &p, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "is a directory"));

	memset(longname, 'n', sizeof(longname));
	longname[RUNNER_PORT_NAME_MAX] = '\0';
	p = (struct runner_port){ longname, "f" };
	assert_int_equal(runner_port_check(&p, why, sizeof(why)), 0);
	longname[RUNNER_PORT_NAME_MAX] = 'n';
	longname[RUNNER_PORT_NAME_MAX + 1] = '\0';
	assert_int_equal(runner_port_check(&p, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "longer than"));
}

static void test_invalid_options(void **state)
{
	struct fake_env *e = *state;
	struct runner_opts o = { .image = e->image, .qemu = e->qemu,
				 .deterministic = true,
				 .accel = RUNNER_ACCEL_KVM };
	struct runner_result r;

	assert_int_equal(runner_run(&o, &r), -EINVAL);
	assert_non_null(r.console); /* the result is usable anyway */
	runner_result_free(&r);
	o.deterministic = false;
	o.image = NULL;
	assert_int_equal(runner_run(&o, &r), -EINVAL);
	runner_result_free(&r);

	/* A bad port is refused before QEMU or a calibration runs. */
	const struct runner_port bad[] = { { "a b", "x" } };
	o.image = e->image;
	o.accel = RUNNER_ACCEL_AUTO;
	o.ports = bad;
	o.nports = 1;
	assert_int_equal(runner_run(&o, &r), -EINVAL);
	assert_false(r.qemu_ran);
	runner_result_free(&r);
}

static void test_deterministic_forces_tcg(void **state)
{
	struct fake_env *e = *state;
	struct runner_opts o = { .image = e->image, .qemu = e->qemu,
				 .deterministic = true,
				 .accel = RUNNER_ACCEL_AUTO };
	struct runner_result r;

	/* No calibration happens: AUTO with deterministic is TCG. */
	setenv("FAKE_QEMU", "exit 3", 1);
	assert_int_equal(runner_run(&o, &r), 0);
	assert_int_equal(r.accel, RUNNER_ACCEL_TCG);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	runner_result_free(&r);
}

static void test_console_tail_and_echo(void **state)
{
	struct runner_opts o = { .console_max = 16384 };
	struct runner_result r;
	FILE *echo = tmpfile();
	char *copy;
	long n;

	assert_non_null(echo);
	o.echo = echo;
	/* 100000 bytes of 'x' lines, then the exit line. */
	run(state, "i=0; while [ $i -lt 1000 ]; do "
		   "printf '%099d\\n' 0; i=$((i+1)); done;"
		   "echo '[uk] exit status 201'; exit 253", &o, &r);
	assert_int_equal(r.outcome, RUNNER_EXITED);
	assert_int_equal(r.app_status, 201);
	assert_true(r.console_len <= 16384);
	assert_int_equal(r.console_len + r.console_dropped,
			 100000 + strlen("[uk] exit status 201\n"));
	assert_int_equal(strlen(r.console), r.console_len);
	/* The echo got everything. */
	n = ftell(echo);
	assert_int_equal(n, 100000 + 21);
	copy = calloc(1, (size_t)n + 1);
	rewind(echo);
	assert_int_equal(fread(copy, 1, (size_t)n, echo), (size_t)n);
	assert_memory_equal(copy + n - r.console_len, r.console,
			    r.console_len);
	free(copy);
	fclose(echo);
	runner_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_exit_status),
		cmocka_unit_test(test_wide_exit_status),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_qemu_errors),
		cmocka_unit_test(test_timeout_sigterm),
		cmocka_unit_test(test_timeout_sigkill),
		cmocka_unit_test(test_exit_not_delayed_by_grandchild),
		cmocka_unit_test(test_missing_qemu),
		cmocka_unit_test(test_qemu_not_executable),
		cmocka_unit_test(test_bad_images),
		cmocka_unit_test(test_qemu_command_line),
		cmocka_unit_test(test_qemu_gets_the_image_as_fd_3),
		cmocka_unit_test(test_qemu_argv_variants),
		cmocka_unit_test(test_qemu_argv_real_idle),
		cmocka_unit_test(test_qemu_argv_without_ports),
		cmocka_unit_test(test_bad_ports_are_refused),
		cmocka_unit_test(test_port_parse_and_check),
		cmocka_unit_test(test_invalid_options),
		cmocka_unit_test(test_deterministic_forces_tcg),
		cmocka_unit_test(test_console_tail_and_echo),
	};

	return cmocka_run_group_tests_name("runner", tests, setup, teardown);
}
