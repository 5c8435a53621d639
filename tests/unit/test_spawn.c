/* SPDX-License-Identifier: BSD-3-Clause */
/* Child processes: exec failures, pipes, callbacks that stop the wait,
 * and wait-status descriptions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "strbuf.h"

static int collect(void *ctx, const char *buf, size_t n)
{
	return strbuf_add(ctx, buf, n);
}

static void test_exec_failure_is_an_errno(void **state)
{
	const char *argv[] = { "unitune-no-such-program", NULL };
	const char *abs[] = { "/nonexistent/prog", NULL };
	const char *dir_argv[] = { "true", NULL };
	const struct spawn_cfg cfg = { .out = SPAWN_DEVNULL };
	const struct spawn_cfg bad_dir = { .dir = "/nonexistent/dir" };
	struct spawn sp;

	(void)state;
	assert_int_equal(spawn_cmd(&sp, argv, &cfg), -ENOENT);
	assert_int_equal(spawn_cmd(&sp, abs, &cfg), -ENOENT);
	assert_int_equal(spawn_cmd(&sp, dir_argv, &bad_dir), -ENOENT);
	/* Nothing is left to reap. */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static int child_prints(void *arg)
{
	(void)arg;
	if (write(1, "out", 3) != 3 || write(2, "err", 3) != 3)
		return 9;
	return 3;
}

static void test_fn_child_and_pipes(void **state)
{
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_PIPE,
				       .err = SPAWN_PIPE };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct spawn_wait_cfg wc = { .on_out = collect, .ctx = &out };
	struct spawn_exit ex;
	struct spawn sp;

	(void)state;
	assert_int_equal(spawn_fn(&sp, child_prints, NULL, &cfg), 0);
	assert_int_equal(spawn_wait(&sp, &wc, &ex), 0);
	assert_true(WIFEXITED(ex.wstatus));
	assert_int_equal(WEXITSTATUS(ex.wstatus), 3);
	assert_false(ex.timed_out);
	assert_string_equal(out.buf, "out");
	assert_int_equal(sp.pid, -1);
	assert_int_equal(sp.out_fd, -1);
	strbuf_release(&out);
	strbuf_release(&err);
}

static int refuse(void *ctx, const char *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EIO;
}

static void test_callback_error_stops_and_reaps(void **state)
{
	const char *argv[] = { "sh", "-c", "echo x; exec sleep 30", NULL };
	const struct spawn_cfg cfg = { .out = SPAWN_PIPE };
	struct spawn_wait_cfg wc = { .on_out = refuse };
	struct spawn_exit ex;
	struct spawn sp;

	(void)state;
	assert_int_equal(spawn_cmd(&sp, argv, &cfg), 0);
	assert_int_equal(spawn_wait(&sp, &wc, &ex), -EIO);
	assert_true(WIFSIGNALED(ex.wstatus));
	assert_int_equal(WTERMSIG(ex.wstatus), SIGKILL);
	assert_true(ex.elapsed_ns < 5000000000LL);
}

/* Ignores SIGTERM from its first instruction on (a shell's trap would
 * come too late: the stop is already pending when the wait begins). */
static int ignore_term_and_sleep(void *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_IGN);
	if (write(1, "r", 1) != 1)
		return 1;
	sleep(30);
	return 0;
}

/* The child said it is ready: ask for the stop (ctx: the pipe's write
 * end). */
static int stop_when_ready(void *ctx, const char *buf, size_t n)
{
	(void)buf;
	(void)n;
	return write(*(int *)ctx, "x", 1) == 1 ? 0 : -EIO;
}

/* A readable stop descriptor ends the child with SIGTERM, as a deadline
 * would, and says so; a child that ignores SIGTERM gets SIGKILL after the
 * grace. Without a write, the stop descriptor changes nothing. */
static void test_stop_fd_ends_the_child(void **state)
{
	const char *argv[] = { "sleep", "30", NULL };
	const char *quick[] = { "true", NULL };
	const struct spawn_cfg cfg = { .out = SPAWN_DEVNULL };
	const struct spawn_cfg piped = { .out = SPAWN_PIPE };
	struct spawn_wait_cfg wc = { .grace_ns = 200000000LL };
	char byte;
	struct spawn_exit ex;
	struct spawn sp;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	wc.stop_fd = p[0];
	assert_int_equal(spawn_cmd(&sp, quick, &cfg), 0);
	assert_int_equal(spawn_wait(&sp, &wc, &ex), 0);
	assert_false(ex.stopped);
	assert_true(WIFEXITED(ex.wstatus));

	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(spawn_cmd(&sp, argv, &cfg), 0);
	assert_int_equal(spawn_wait(&sp, &wc, &ex), 0);
	assert_true(ex.stopped);
	assert_false(ex.timed_out);
	assert_true(WIFSIGNALED(ex.wstatus));
	assert_int_equal(WTERMSIG(ex.wstatus), SIGTERM);

	assert_int_equal(read(p[0], &byte, 1), 1);
	wc.on_out = stop_when_ready;
	wc.ctx = &p[1];
	assert_int_equal(spawn_fn(&sp, ignore_term_and_sleep, NULL, &piped), 0);
	assert_int_equal(spawn_wait(&sp, &wc, &ex), 0);
	assert_true(ex.stopped);
	assert_true(WIFSIGNALED(ex.wstatus));
	assert_int_equal(WTERMSIG(ex.wstatus), SIGKILL);
	assert_true(ex.elapsed_ns < 5000000000LL);
	close(p[0]);
	close(p[1]);
}

static void test_wait_without_child(void **state)
{
	struct spawn sp = { .pid = -1, .out_fd = -1, .err_fd = -1,
			    .pid_fd = -1 };
	struct spawn_exit ex;

	(void)state;
	assert_int_equal(spawn_wait(&sp, NULL, &ex), -ECHILD);
}

static void test_run_status(void **state)
{
	const char *argv[] = { "sh", "-c", "echo to-stderr; exit 4", NULL };
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_DEVNULL };
	int st = -1;

	(void)state;
	assert_int_equal(spawn_run(argv, &cfg, &st), 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 4);
}

/* The passed descriptor arrives as SPAWN_PASS_FD wherever it was opened,
 * even when it already had that number (close-on-exec then cleared). */
static void pass_fd_reads(int fd, const char *expect)
{
	const char *argv[] = { "sh", "-c", "cat /proc/self/fd/3", NULL };
	struct spawn_cfg cfg = { .in = SPAWN_DEVNULL, .out = SPAWN_PIPE,
				 .pass_fd = fd };
	struct strbuf out = STRBUF_INIT;
	struct spawn_wait_cfg wc = { .on_out = collect, .ctx = &out };
	struct spawn_exit ex;
	struct spawn sp;

	assert_int_equal(spawn_cmd(&sp, argv, &cfg), 0);
	assert_int_equal(spawn_wait(&sp, &wc, &ex), 0);
	assert_true(WIFEXITED(ex.wstatus));
	assert_int_equal(WEXITSTATUS(ex.wstatus), 0);
	assert_non_null(out.buf);
	assert_string_equal(out.buf, expect);
	strbuf_release(&out);
}

static void test_pass_fd_becomes_fd_3(void **state)
{
	char path[] = "/tmp/unitune-spawn-XXXXXX";
	const char *argv[] = { "true", NULL };
	struct spawn_cfg bad = { .pass_fd = 2 };
	struct spawn sp;
	int fd = mkstemp(path), high, saved, flags3;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "image", 5), 5);
	high = fcntl(fd, F_DUPFD_CLOEXEC, 40);
	assert_true(high >= 40);
	close(fd);
	fd = high;
	pass_fd_reads(high, "image");
	/* Put the file at fd 3 itself (close-on-exec), keeping whatever
	 * was there, then pass exactly 3. */
	saved = fcntl(3, F_GETFD);
	flags3 = saved;
	if (saved >= 0)
		saved = fcntl(3, F_DUPFD_CLOEXEC, 60);
	assert_int_equal(dup3(fd, 3, O_CLOEXEC), 3);
	pass_fd_reads(3, "image");
	if (flags3 >= 0) {
		assert_true(saved >= 60);
		assert_int_equal(dup3(saved, 3, flags3 & FD_CLOEXEC ?
					       O_CLOEXEC : 0), 3);
		close(saved);
	} else {
		close(3);
	}
	assert_int_equal(spawn_cmd(&sp, argv, &bad), -EINVAL);
	bad.pass_fd = -1;
	assert_int_equal(spawn_cmd(&sp, argv, &bad), -EINVAL);
	close(fd);
	unlink(path);
}

static void test_describe(void **state)
{
	char buf[64];

	(void)state;
	spawn_describe(2 << 8, buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 2");
	spawn_describe(SIGKILL, buf, sizeof(buf));
	assert_string_equal(buf, "killed by signal 9 (Killed)");
	spawn_describe(SIGKILL, buf, 8);
	assert_int_equal(strlen(buf), 7);
}

/* The first line only; nothing from a failure, a silence or a hang. */
static void test_first_line(void **state)
{
	const char *two[] = { "sh", "-c", "printf 'one two\\nthree\\n'", NULL };
	const char *fails[] = { "sh", "-c", "echo out; exit 3", NULL };
	const char *silent[] = { "true", NULL };
	const char *hangs[] = { "sleep", "10", NULL };
	const char *missing[] = { "/nonexistent/prog", NULL };
	char line[8];

	(void)state;
	spawn_first_line(two, 5000000000LL, line, sizeof(line));
	assert_string_equal(line, "one two");
	spawn_first_line(fails, 5000000000LL, line, sizeof(line));
	assert_string_equal(line, "");
	spawn_first_line(silent, 5000000000LL, line, sizeof(line));
	assert_string_equal(line, "");
	spawn_first_line(hangs, 100000000LL, line, sizeof(line));
	assert_string_equal(line, "");
	spawn_first_line(missing, 5000000000LL, line, sizeof(line));
	assert_string_equal(line, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_failure_is_an_errno),
		cmocka_unit_test(test_fn_child_and_pipes),
		cmocka_unit_test(test_callback_error_stops_and_reaps),
		cmocka_unit_test(test_stop_fd_ends_the_child),
		cmocka_unit_test(test_wait_without_child),
		cmocka_unit_test(test_run_status),
		cmocka_unit_test(test_pass_fd_becomes_fd_3),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_first_line),
	};

	return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
