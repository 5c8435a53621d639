/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One variant's build and measurement, in a child process. See worker.h.
 */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "count.h"
#include "paths.h"
#include "spawn.h"
#include "strbuf.h"
#include "why.h"

/* Slots tried before giving up: far more than any --jobs. */
#define WORKER_MAX_SLOTS 256

/* Lock a free slot; its descriptor stays open (and inherited) while held. */
static int take_slot(const char *root, char *slot, size_t len, int *lock_fd)
{
	char path[PATH_MAX + 16];
	int i, fd, err;

	for (i = 0; i < WORKER_MAX_SLOTS; i++) {
		snprintf(slot, len, "%s/slot-%d", root, i);
		err = paths_mkdir_p(slot, 0755);
		if (err)
			return err;
		snprintf(path, sizeof(path), "%s/.lock", slot);
		fd = open(path, O_RDWR | O_CREAT, 0644);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			*lock_fd = fd;
			return 0;
		}
		close(fd);
	}
	return -EBUSY;
}

static void fail(struct worker_result *r, enum store_status st,
		 const char *why)
{
	size_t n = strnlen(why, sizeof(r->reason) - 1);

	r->status = st;
	memcpy(r->reason, why, n);
	r->reason[n] = '\0';
}

static void build(const struct worker_task *t, struct worker_result *r)
{
	struct config_set resolved = { 0 };
	char slot[PATH_MAX], path[PATH_MAX + 16], image[PATH_MAX + 64];
	char why[UNITUNE_WHY_MAX];
	const char *base;
	struct stat st;
	int64_t start = spawn_now_ns();
	int lock_fd = -1, err;

	err = take_slot(t->slot_root, slot, sizeof(slot), &lock_fd);
	if (err) {
		snprintf(why, sizeof(why), "no free build slot in %s: %s",
			 t->slot_root, strerror(-err));
		fail(r, STORE_BUILD_FAILED, why);
		return;
	}
	snprintf(path, sizeof(path), "%s/.config", slot);
	err = strbuf_write_file(path, t->resolved, strlen(t->resolved),
				false);
	if (err) {
		snprintf(why, sizeof(why), "cannot write %s: %s", path,
			 strerror(-err));
		fail(r, STORE_BUILD_FAILED, why);
		goto out;
	}
	fprintf(stderr, "worker: building in %s\n", slot);
	if (t->ccache)
		setenv("CC", "ccache gcc", 1);
	err = build_make(t->unikernel, slot, NULL, t->make_jobs,
			 t->build_timeout_ns, why, sizeof(why));
	if (!err && config_parse_text(t->resolved, strlen(t->resolved),
				      ".config", &resolved, NULL) < 0)
		err = -ENOMEM;
	if (!err)
		err = build_image_path(slot, &resolved, image, sizeof(image),
				       why, sizeof(why));
	if (err) {
		fail(r, STORE_BUILD_FAILED, why);
		goto out;
	}
	base = strrchr(image, '/') + 1;
	snprintf(r->image, sizeof(r->image), "%s/%s", t->dir, base);
	err = paths_copy_file(image, r->image);
	if (!err && stat(r->image, &st) < 0)
		err = -errno;
	if (!err)
		chmod(r->image, 0755);
	if (err) {
		snprintf(why, sizeof(why), "cannot copy %.1000s to %.1000s: %s", image,
			 r->image, strerror(-err));
		fail(r, STORE_BUILD_FAILED, why);
		goto out;
	}
	r->file_bytes = st.st_size;
	r->build_seconds = (double)(spawn_now_ns() - start) / 1e9;
	r->status = STORE_BUILT;
out:
	config_set_release(&resolved);
	if (lock_fd >= 0)
		close(lock_fd);
}

static int write_result(const char *dir, const struct worker_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 16];
	size_t i;
	int err;

	err = strbuf_addf(&sb, "status %s\nreason %s\nimage %s\n"
			  "file_bytes %" PRId64 "\nbuild_seconds %.6f\n"
			  "accel %s\n", store_status_name(r->status),
			  r->reason, r->image, r->file_bytes, r->build_seconds,
			  r->m.accel[0] ? r->m.accel : "tcg");
	for (i = 0; !err && i < r->m.n; i++) {
		const struct measure_value *v = &r->m.v[i];

		err = strbuf_addf(&sb, "metric %s %.17g %s %d %s\n", v->metric,
				  v->value, v->unit[0] ? v->unit : "-",
				  v->repetition, store_kind_name(v->kind));
	}
	snprintf(path, sizeof(path), "%s/" WORKER_RESULT, dir);
	if (!err)
		err = strbuf_write_file(path, sb.buf, sb.len, true);
	strbuf_release(&sb);
	return err;
}

/* Point stdout and stderr at DIR/name, appending. */
static int log_to(const char *dir, const char *name)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fflush(NULL);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		close(fd);
		return -errno;
	}
	close(fd);
	return 0;
}

int worker_main(void *arg)
{
	const struct worker_task *t = arg;
	struct worker_result r = { .status = STORE_BUILT, .build_seconds = -1 };
	struct measure_opts mo;
	size_t i;
	int err;

	/*
	 * Out of the terminal's process group: a Ctrl-C reaches the sweep
	 * alone, which stops the workers itself and records nothing of
	 * theirs, instead of make or QEMU dying mid-run and that being
	 * taken for the variant's failure.
	 */
	setpgid(0, 0);
	for (i = 0; i < t->n_sweep_locks; i++)
		close(t->sweep_locks[i]);

	if (t->phases & WORKER_BUILD) {
		if (log_to(t->dir, WORKER_BUILD_LOG))
			return 1;
		build(t, &r);
	} else {
		snprintf(r.image, sizeof(r.image), "%s", t->image);
	}
	if (r.status == STORE_BUILT && (t->phases & WORKER_MEASURE)) {
		if (log_to(t->dir, WORKER_MEASURE_LOG))
			return 1;
		mo = t->measure;
		mo.image = r.image;
		mo.log = stderr;
		err = measure_image(&mo, &r.m);
		if (err) {
			/* Not the variant's fault: no result, so the sweep
			 * leaves it pending. */
			fprintf(stderr, "worker: cannot measure: %s\n",
				strerror(-err));
			measure_result_free(&r.m);
			return 2;
		} else {
			r.status = r.m.status;
			snprintf(r.reason, sizeof(r.reason), "%s", r.m.reason);
		}
	}
	if (r.reason[0])
		fprintf(stderr, "worker: %s: %s\n", store_status_name(r.status),
			r.reason);
	err = write_result(t->dir, &r);
	measure_result_free(&r.m);
	return err ? 1 : 0;
}

static int parse_metric(char *rest, struct worker_result *r)
{
	char *name = strtok(rest, " "), *val = strtok(NULL, " ");
	char *unit = strtok(NULL, " "), *rep = strtok(NULL, " ");
	char *kind = strtok(NULL, " ");
	const char *u;
	enum store_kind k;
	double value;
	uint64_t repetition;

	if (!name || !val || !unit || !rep || !kind ||
	    store_kind_parse(kind, &k))
		return -EINVAL;
	if (count_parse_real(val, strlen(val), &value))
		return -EINVAL;
	if (count_parse_range(rep, INT32_MAX, &repetition))
		return -EINVAL;
	u = measure_unit(!strcmp(unit, "-") ? "" : unit);
	if (!u)
		return -EINVAL;
	return measure_add(&r->m, name, strlen(name), value, u,
			   (int)repetition, k);
}

static int parse_file_bytes(const char *s, int64_t *out)
{
	uint64_t v;

	if (count_parse_range(s, INT64_MAX, &v))
		return -EINVAL;
	*out = (int64_t)v;
	return 0;
}

int worker_result_read(const char *dir, struct worker_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 16], *line, *save = NULL, *rest;
	bool have_status = false;
	int err;

	memset(r, 0, sizeof(*r));
	r->build_seconds = -1;
	snprintf(path, sizeof(path), "%s/" WORKER_RESULT, dir);
	err = strbuf_read_file(&sb, path, STRBUF_TEXT_MAX, NULL, 0);
	for (line = err ? NULL : strtok_r(sb.buf, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save)) {
		rest = strchr(line, ' ');
		rest = rest ? rest + 1 : line + strlen(line);
		if (!strncmp(line, "status ", 7))
			err = store_status_parse(rest, &r->status),
			have_status = !err;
		else if (!strncmp(line, "reason ", 7))
			snprintf(r->reason, sizeof(r->reason), "%s", rest);
		else if (!strncmp(line, "image ", 6))
			snprintf(r->image, sizeof(r->image), "%s", rest);
		else if (!strncmp(line, "file_bytes ", 11))
			err = parse_file_bytes(rest, &r->file_bytes);
		else if (!strncmp(line, "build_seconds ", 14))
			err = count_parse_real(rest, strlen(rest),
					       &r->build_seconds);
		else if (!strncmp(line, "accel ", 6))
			snprintf(r->m.accel, sizeof(r->m.accel), "%s", rest);
		else if (!strncmp(line, "metric ", 7))
			err = parse_metric(rest, r);
		else if (strncmp(line, "reason", 6) && strncmp(line, "image", 5))
			err = -EINVAL;
	}
	if (!err && !have_status)
		err = sb.buf || !err ? -EINVAL : err;
	strbuf_release(&sb);
	return err;
}

void worker_result_free(struct worker_result *r)
{
	measure_result_free(&r->m);
}

char *worker_log_tail(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 32];
	const char *start;
	char *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (strbuf_read_file(&sb, path, SIZE_MAX, NULL, 0) || !sb.len) {
		strbuf_release(&sb);
		return strdup("");
	}
	start = sb.buf;
	if (sb.len > WORKER_LOG_TAIL) {
		const char *nl;

		start = sb.buf + sb.len - WORKER_LOG_TAIL;
		nl = memchr(start, '\n', WORKER_LOG_TAIL);
		if (nl && nl + 1 < sb.buf + sb.len)
			start = nl + 1;
	}
	out = strdup(start);
	strbuf_release(&sb);
	return out;
}
