/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading input files (host/strbuf.c, host/paths.c): regular files only,
 * never blocking on a FIFO, capped, with a message naming the path and
 * what was wrong, and the buffer untouched on failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "strbuf.h"

struct tmp {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/unitune-strbuf-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/f", t->dir);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tmp *t = *state;

	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void write_n(const char *path, size_t n)
{
	char *buf = malloc(n + 1);

	assert_non_null(buf);
	memset(buf, 'x', n);
	assert_int_equal(strbuf_write_file(path, buf, n, false), 0);
	free(buf);
}

/* The cap is inclusive; one byte more is refused, the buffer kept. */
static void test_cap(void **state)
{
	struct tmp *t = *state;
	struct strbuf sb = STRBUF_INIT;
	char why[256], want[256];

	write_n(t->path, 4096);
	assert_int_equal(strbuf_adds(&sb, "keep"), 0);
	assert_int_equal(strbuf_read_file(&sb, t->path, 4096, why,
					  sizeof(why)), 0);
	assert_int_equal(sb.len, 4 + 4096);
	sb.len = 4;
	sb.buf[4] = '\0';
	assert_int_equal(strbuf_read_file(&sb, t->path, 4095, why,
					  sizeof(why)), -EFBIG);
	snprintf(want, sizeof(want), "%s: larger than 4095 bytes, the limit "
		 "for this input", t->path);
	assert_string_equal(why, want);
	assert_string_equal(sb.buf, "keep");
	write_n(t->path, (size_t)3 << 20);
	assert_int_equal(strbuf_read_file(&sb, t->path, STRBUF_TEXT_MAX, why,
					  sizeof(why)), -EFBIG);
	assert_non_null(strstr(why, "larger than 1 MiB"));
	assert_int_equal(sb.len, 4);
	strbuf_release(&sb);
}

/* Without O_NONBLOCK this open would wait for a writer for ever. */
static void test_fifo_directory_device(void **state)
{
	struct tmp *t = *state;
	struct strbuf sb = STRBUF_INIT;
	char why[256], want[256];

	assert_int_equal(mkfifo(t->path, 0644), 0);
	assert_int_equal(strbuf_read_file(&sb, t->path, 100, why,
					  sizeof(why)), -EINVAL);
	snprintf(want, sizeof(want), "%s: a FIFO (pipe), not a regular file",
		 t->path);
	assert_string_equal(why, want);
	assert_int_equal(sb.len, 0);
	assert_int_equal(strbuf_read_file(&sb, t->dir, 100, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, ": a directory, not a regular file"));
	assert_int_equal(strbuf_read_file(&sb, "/dev/zero", 100, why,
					  sizeof(why)), -EINVAL);
	assert_string_equal(why, "/dev/zero: a character device, not a "
			    "regular file");
	assert_int_equal(paths_open_regular("/dev/null", NULL, NULL, 0),
			 -EINVAL);
	strbuf_release(&sb);
}

static void test_missing(void **state)
{
	struct tmp *t = *state;
	struct strbuf sb = STRBUF_INIT;
	char why[256], want[256];
	struct stat st;
	int fd;

	assert_int_equal(strbuf_read_file(&sb, t->path, 100, why,
					  sizeof(why)), -ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory",
		 t->path);
	assert_string_equal(why, want);
	/* why may be NULL. */
	assert_int_equal(strbuf_read_file(&sb, t->path, 100, NULL, 0),
			 -ENOENT);
	/* A regular file opens blocking, with its stat. */
	write_n(t->path, 10);
	fd = paths_open_regular(t->path, &st, why, sizeof(why));
	assert_true(fd >= 0);
	assert_int_equal(st.st_size, 10);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	assert_string_equal(paths_file_type(S_IFSOCK), "a socket");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_directory_device,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
	};

	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
