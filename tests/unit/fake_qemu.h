/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in for qemu-system-x86_64 in tests: a shell script that records
 * its argv in $FAKE_QEMU_ARGV (if set) and then runs the shell code in
 * $FAKE_QEMU, so each test scripts what "QEMU" prints and how it ends.
 */
#ifndef UNITUNE_TEST_FAKE_QEMU_H
#define UNITUNE_TEST_FAKE_QEMU_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "accel.h"

static const char fake_qemu_script[] =
	"#!/bin/sh\n"
	"if [ -n \"$FAKE_QEMU_ARGV\" ]; then\n"
	"\tfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$FAKE_QEMU_ARGV\"\n"
	"fi\n"
	"eval \"$FAKE_QEMU\"\n";

/* Create dir/name with content and mode; returns 0 or -1. */
static inline int fake_write_file(const char *path, const void *data,
				  size_t len, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	if (fclose(f))
		return -1;
	return chmod(path, mode);
}

/* A temporary directory holding "qemu" (the fake) and "image.elf" (the
 * calibration guest: a real, tiny ELF with one PT_LOAD, enough for the
 * runner's checks). */
struct fake_env {
	char dir[64];
	char qemu[96];
	char image[96];
	char argv_file[96];
};

static inline int fake_env_init(struct fake_env *e)
{
	snprintf(e->dir, sizeof(e->dir), "/tmp/unitune-test-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	snprintf(e->qemu, sizeof(e->qemu), "%s/qemu", e->dir);
	snprintf(e->image, sizeof(e->image), "%s/image.elf", e->dir);
	snprintf(e->argv_file, sizeof(e->argv_file), "%s/argv", e->dir);
	unsigned char img[512];
	int n = accel_guest_image(1, 0, img, sizeof(img));
	if (n < 0 ||
	    fake_write_file(e->qemu, fake_qemu_script,
			    strlen(fake_qemu_script), 0755) ||
	    fake_write_file(e->image, img, (size_t)n, 0644))
		return -1;
	return 0;
}

static inline void fake_env_cleanup(struct fake_env *e)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	if (system(cmd) != 0) {
		/* leave it; /tmp is cleaned eventually */
	}
}

/* cmocka group setup and teardown: a fake_env in *state. */
static inline int fake_env_setup(void **state)
{
	struct fake_env *e = calloc(1, sizeof(*e));

	if (!e || fake_env_init(e)) {
		free(e);
		return -1;
	}
	*state = e;
	return 0;
}

static inline int fake_env_teardown(void **state)
{
	fake_env_cleanup(*state);
	free(*state);
	return 0;
}

/* r is a boot refused before QEMU ran, with outcome and a reason that
 * contains part; r is released. Needs <cmocka.h> first. */
static inline void expect_refused_before_qemu(struct runner_result *r,
					      enum runner_outcome outcome,
					      const char *part)
{
	assert_int_equal(r->outcome, outcome);
	if (!strstr(r->reason, part))
		fail_msg("reason '%s' lacks '%s'", r->reason, part);
	assert_false(r->qemu_ran);
	runner_result_free(r);
}

#endif
