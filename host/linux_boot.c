/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A Linux kernel with an initramfs on the runner's path (linux_boot.h).
 */
#include "linux_boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "cmdline.h"
#include "strbuf.h"

/* Where the x86 boot protocol puts its header's magic. */
#define BZIMAGE_MAGIC_OFF 0x202

static int check_file(const char *what, const char *path, struct stat *st,
		      char *why, size_t why_len)
{
	int err;

	if (!path || !*path) {
		snprintf(why, why_len, "no %s given", what);
		return -EINVAL;
	}
	if (stat(path, st)) {
		err = -errno;
		snprintf(why, why_len, "%s %s: %s", what, path,
			 strerror(errno));
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, why_len, "%s %s is not a regular file", what,
			 path);
		return -EISDIR;
	}
	return 0;
}

int linux_boot_check(const char *kernel, const char *initrd, char *why,
		     size_t why_len)
{
	char magic[4];
	struct stat st;
	int fd, err;

	err = check_file("kernel", kernel, &st, why, why_len);
	if (err)
		return err;
	fd = open(kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "kernel %s: %s", kernel,
			 strerror(errno));
		return err;
	}
	if (pread(fd, magic, sizeof(magic), BZIMAGE_MAGIC_OFF) !=
		    (ssize_t)sizeof(magic) ||
	    memcmp(magic, "HdrS", sizeof(magic))) {
		close(fd);
		snprintf(why, why_len, "kernel %s is not an x86 bzImage (no "
			 "HdrS boot header); --initrd boots a Linux kernel",
			 kernel);
		return -ENOEXEC;
	}
	close(fd);
	err = check_file("initrd", initrd, &st, why, why_len);
	if (!err && access(initrd, R_OK)) {
		err = -errno;
		snprintf(why, why_len, "initrd %s: %s", initrd,
			 strerror(errno));
	}
	return err;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

uint64_t linux_boot_tsc_khz(void)
{
	struct timespec pause = { 0, 20000000 };
	int64_t t0, t1;
	uint64_t c0, c1, khz;

	t0 = mono_ns();
	c0 = __rdtsc();
	nanosleep(&pause, NULL);
	t1 = mono_ns();
	c1 = __rdtsc();
	if (t1 <= t0 || c1 <= c0)
		return 0;
	khz = (uint64_t)((double)(c1 - c0) * 1e6 / (double)(t1 - t0));
	/* To the MHz: the measurement's own jitter is below that. */
	return (khz + 500) / 1000 * 1000;
}

int linux_boot_cmdline(const char *opts, const char *const *argv,
		       size_t argc, uint64_t tsc_khz, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int err;

	*out = NULL;
	for (i = 0; i < argc; i++)
		if (!argv[i])
			return -EINVAL;
	err = strbuf_adds(&sb, "console=ttyS0 panic=-1 quiet");
	if (!err && tsc_khz)
		err = strbuf_addf(&sb, " tsc_early_khz=%llu tsc=reliable",
				  (unsigned long long)tsc_khz);
	if (!err && opts && *opts)
		err = strbuf_addf(&sb, " %s", opts);
	if (!err && argc)
		err = strbuf_adds(&sb, " --");
	for (i = 0; !err && i < argc; i++) {
		err = strbuf_addc(&sb, ' ');
		if (!err)
			err = cmdline_add_arg(&sb, argv[i]);
	}
	if (!err)
		err = strbuf_addc(&sb, '\0');
	if (err) {
		strbuf_release(&sb);
		return err;
	}
	*out = strbuf_detach(&sb, NULL);
	return 0;
}
