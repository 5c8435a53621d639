/* SPDX-License-Identifier: BSD-3-Clause */
#include "accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

#define CACHE_HEADER "# unitune accelerator calibration; delete to recalibrate\n"

enum runner_accel accel_decide(bool kvm_usable, bool finished,
			       int64_t elapsed_ns, bool exit_ok)
{
	if (kvm_usable && finished && exit_ok && elapsed_ns >= 0 &&
	    elapsed_ns <= ACCEL_CALIB_LIMIT_NS)
		return RUNNER_ACCEL_KVM;
	return RUNNER_ACCEL_TCG;
}

bool accel_kvm_usable(const char *dev)
{
	bool ok = false;
	int fd, vm;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		goto out;
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		goto out;
	/* Permission to open is not permission to run: try a VM. */
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		goto out;
	close(vm);
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	return ok;
}

static int read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		err = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return err;
}

int accel_key_current(const char *qemu, struct accel_key *k)
{
	struct stat st;
	int err;

	memset(k, 0, sizeof(*k));
	err = read_small("/proc/sys/kernel/random/boot_id", k->boot_id,
			 sizeof(k->boot_id));
	if (err)
		return err;
	k->boot_id[strcspn(k->boot_id, "\n")] = '\0';
	if (!k->boot_id[0])
		return -EINVAL;
	if (stat(qemu, &st) < 0)
		return -errno;
	if (strlen(qemu) >= sizeof(k->qemu))
		return -ENAMETOOLONG;
	strcpy(k->qemu, qemu);
	k->mtime_sec = (long long)st.st_mtim.tv_sec;
	k->mtime_nsec = st.st_mtim.tv_nsec;
	return 0;
}

int accel_cache_format(const struct accel_key *k, enum runner_accel a,
		       const char *why, struct strbuf *sb)
{
	char note[256];
	size_t i;

	/* One line per field: keep the note free of newlines. */
	snprintf(note, sizeof(note), "%s", why ? why : "");
	for (i = 0; note[i]; i++)
		if (note[i] == '\n' || note[i] == '\r')
			note[i] = ' ';
	return strbuf_addf(sb,
			   CACHE_HEADER
			   "boot_id=%s\nqemu=%s\nqemu_mtime=%lld.%09ld\n"
			   "accel=%s\nwhy=%s\n",
			   k->boot_id, k->qemu, k->mtime_sec, k->mtime_nsec,
			   runner_accel_name(a), note);
}

int accel_cache_parse(const char *text, const struct accel_key *k,
		      enum runner_accel *a, char *why, size_t why_len)
{
	char mtime[64];
	const char *p = text;
	unsigned have = 0;
	bool match = true;
	enum runner_accel acc = RUNNER_ACCEL_AUTO;

	snprintf(mtime, sizeof(mtime), "%lld.%09ld", k->mtime_sec,
		 k->mtime_nsec);
	if (why && why_len)
		why[0] = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : 0;
		const char *v = eq ? eq + 1 : NULL;
		size_t vlen = eq ? len - klen - 1 : 0;

#define IS(key) (klen == strlen(key) && !memcmp(p, key, klen))
#define VAL_IS(s) (vlen == strlen(s) && !memcmp(v, s, vlen))
		if (!len || *p == '#') {
			/* comment or blank */
		} else if (!eq) {
			return -EINVAL;
		} else if (IS("boot_id")) {
			have |= 1;
			match &= VAL_IS(k->boot_id);
		} else if (IS("qemu")) {
			have |= 2;
			match &= VAL_IS(k->qemu);
		} else if (IS("qemu_mtime")) {
			have |= 4;
			match &= VAL_IS(mtime);
		} else if (IS("accel")) {
			have |= 8;
			if (VAL_IS("kvm"))
				acc = RUNNER_ACCEL_KVM;
			else if (VAL_IS("tcg"))
				acc = RUNNER_ACCEL_TCG;
			else
				return -EINVAL;
		} else if (IS("why")) {
			if (why && why_len)
				snprintf(why, why_len, "%.*s", (int)vlen, v);
		}
		/* Unknown keys are ignored: newer versions may add some. */
#undef IS
#undef VAL_IS
		p += len + (nl != NULL);
	}
	if (have != 0xf)
		return -EINVAL;
	if (!match)
		return -ENOENT;
	*a = acc;
	return 0;
}

int accel_cache_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	/* The XDG spec says relative values are to be ignored. */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/unitune/accel", xdg);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.cache/unitune/accel", home);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int cache_store(const char *path, const struct strbuf *text)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 16];
	char *slash;
	int fd = -1, err = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		err = paths_mkdir_p(dir, 0755);
		if (err)
			goto out;
	}
	/* Write then rename, so a concurrent reader never sees half a file. */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	errno = 0;
	if (write(fd, text->buf, text->len) != (ssize_t)text->len ||
	    fchmod(fd, 0644) < 0) {
		err = errno ? -errno : -EIO;
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		err = -errno;
		unlink(tmp);
	}
out:
	if (fd >= 0)
		close(fd);
	return err;
}

/*
 * Write the calibration guest's n bytes to a new temporary file, its name
 * in path. false when that fails, and why then says so and that TCG will
 * be used.
 */
static bool write_calib_guest(const unsigned char *img, int n, char *path,
			      size_t path_len, char *why, size_t why_len)
{
	const char *tmpdir = getenv("TMPDIR");
	int fd;

	snprintf(path, path_len, "%s/unitune-calib-XXXXXX",
		 tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		snprintf(why, why_len, "cannot write the calibration guest "
			 "(%s): using TCG", strerror(errno));
		return false;
	}
	if (write(fd, img, (size_t)n) != n) {
		close(fd);
		unlink(path);
		snprintf(why, why_len, "cannot write the calibration guest: "
			 "using TCG");
		return false;
	}
	close(fd);
	return true;
}

/* The decision for the calibration boot r, and why. */
static enum runner_accel judge(const struct runner_result *r, char *why,
			       size_t why_len)
{
	bool finished = r->outcome != RUNNER_TIMEOUT;
	bool exit_ok = r->outcome == RUNNER_EXITED &&
		       r->app_status == ACCEL_CALIB_STATUS;
	enum runner_accel a = accel_decide(true, finished, r->wall_ns, exit_ok);

	if (a == RUNNER_ACCEL_KVM)
		snprintf(why, why_len, "KVM ran the calibration loop in "
			 "%.3f s: using KVM", (double)r->wall_ns / 1e9);
	else if (!finished)
		snprintf(why, why_len, "KVM did not finish the calibration "
			 "loop within %.1f s (slow nested hypervisor?): "
			 "using TCG", (double)ACCEL_CALIB_LIMIT_NS / 1e9);
	else if (r->outcome == RUNNER_EXITED)
		snprintf(why, why_len, "KVM calibration guest exited with "
			 "status %d, expected %d: using TCG", r->app_status,
			 ACCEL_CALIB_STATUS);
	else
		snprintf(why, why_len, "KVM calibration failed (%s: %.150s): "
			 "using TCG", outcome_name(r->outcome), r->reason);
	return a;
}

/* Boot the calibration guest under KVM and decide. */
static int calibrate(const char *qemu, enum runner_accel *out, char *why,
		     size_t why_len)
{
	unsigned char img[ACCEL_GUEST_MAX];
	char path[PATH_MAX];
	struct qemu_cfg c = {
		.image = path,
		.qemu = qemu,
		.mem_kib = 16 * 1024,
		.accel = RUNNER_ACCEL_KVM,
		.timeout_ns = ACCEL_CALIB_LIMIT_NS,
		/* A slow KVM is common; do not add a second to every first
		 * run. */
		.kill_grace_ns = 200000000LL,
	};
	struct runner_result r;
	int n, err;

	*out = RUNNER_ACCEL_TCG;
	n = accel_guest_image(ACCEL_CALIB_ITERS, ACCEL_CALIB_STATUS, img,
			      sizeof(img));
	if (n < 0)
		return n;
	if (!write_calib_guest(img, n, path, sizeof(path), why, why_len))
		return 0;
	err = qemu_result_init(&r);
	if (!err)
		err = qemu_boot(&c, &r);
	unlink(path);
	if (!err)
		*out = judge(&r, why, why_len);
	runner_result_free(&r);
	return err;
}

int accel_resolve(const char *qemu, const char *cache_path,
		  enum runner_accel *out, char *why, size_t why_len)
{
	char qemu_abs[PATH_MAX], def_path[PATH_MAX], text[8192], note[256];
	struct accel_key key;
	struct strbuf sb = STRBUF_INIT;
	bool keyed;
	int err = 0;

	*out = RUNNER_ACCEL_TCG;
	if (!accel_kvm_usable(ACCEL_KVM_DEV)) {
		snprintf(why, why_len, ACCEL_KVM_DEV " is missing or not "
			 "usable: using TCG");
		goto out;
	}
	if (!qemu)
		qemu = RUNNER_QEMU_DEFAULT;
	keyed = !paths_which(qemu, qemu_abs, sizeof(qemu_abs)) &&
		!accel_key_current(qemu_abs, &key);
	if (!cache_path && !accel_cache_default_path(def_path, sizeof(def_path)))
		cache_path = def_path;
	if (!cache_path || !cache_path[0])
		keyed = false;
	if (keyed && !read_small(cache_path, text, sizeof(text)) &&
	    !accel_cache_parse(text, &key, out, note, sizeof(note))) {
		snprintf(why, why_len, "cached in %s: %s", cache_path, note);
		goto out;
	}
	err = calibrate(qemu, out, why, why_len);
	if (err)
		goto out;
	if (keyed && !accel_cache_format(&key, *out, why, &sb))
		cache_store(cache_path, &sb); /* best effort: only costs time */
out:
	strbuf_release(&sb);
	return err;
}
