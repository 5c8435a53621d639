/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A benchmark's image at a commit: the worktree moved to the commit, the
 * app's defconfig plus the benchmark's fragment resolved by the commit's
 * own Kconfig tree, built out of tree with ccache, kept per commit and
 * benchmark so a confirmation or a bisection step never builds twice.
 */
#include "nightly_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "paths.h"
#include "spawn.h"
#include "strbuf.h"
#include "why.h"

/* Put every assignment of text (a .config fragment) into set. */
static int overlay(struct config_set *set, const char *text,
		   const char *source, char *why, size_t why_len)
{
	struct config_set frag = { 0 };
	struct strbuf bad = STRBUF_INIT;
	size_t i;
	int r;

	r = config_parse_text_all(text, strlen(text), source, &frag, &bad);
	if (r > 0) {
		snprintf(why, why_len, "%.*s", (int)strcspn(bad.buf, "\n"),
			 bad.buf);
		r = -EINVAL;
	}
	for (i = 0; !r && i < frag.n; i++)
		r = config_set_put_copy(set, &frag.v[i]);
	config_set_release(&frag);
	strbuf_release(&bad);
	return r < 0 ? r : 0;
}

/* The app's defconfig, then config_file, then config: as at this commit. */
static int merged_config(struct nightly *n, const struct suite_bench *b,
			 struct config_set *merged, char *why, size_t why_len)
{
	const struct space *s = b->space;
	int r;

	r = build_app_config(n->unikernel, s->app, merged, NULL, why, why_len);
	if (!r && s->base_config) {
		struct strbuf text = STRBUF_INIT;

		r = strbuf_read_file(&text, s->base_config, STRBUF_TEXT_MAX,
				     why, why_len);
		if (!r)
			r = overlay(merged, text.buf ? text.buf : "",
				    s->base_config, why, why_len);
		strbuf_release(&text);
	}
	if (!r && b->config && b->config[0])
		r = overlay(merged, b->config, n->suite->path, why, why_len);
	return r;
}

/* make's output (and kconfig's) to the build log: build.h writes it to
 * our stderr, which is the terminal here. */
static int stderr_to(const char *path, int *saved)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	fflush(stderr);
	*saved = dup(2);
	if (*saved < 0 || dup2(fd, 2) < 0) {
		int e = -errno;

		if (*saved >= 0)
			close(*saved);
		close(fd);
		return e;
	}
	close(fd);
	return 0;
}

static void stderr_back(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

/* Make image a name of shared (a hard link, else a copy). */
static int share(const char *shared, const char *image, char *why,
		 size_t why_len)
{
	int r = 0;

	unlink(image);
	if (link(shared, image) < 0)
		r = paths_copy_file(shared, image);
	if (r)
		snprintf(why, why_len, "cannot copy %s to %s: %s", shared,
			 image, strerror(-r));
	return r;
}

/*
 * Resolve b's configuration in the worktree, and build it unless this
 * commit already has an image of the same resolved configuration (the
 * benchmarks of one app often share it): shared is then
 * DIR/cfg-HASH.elf beside image. 0 with *built, or 0 with why when the
 * commit does not build; -errno for the host's failures.
 */
static int build_here(struct nightly *n, const struct suite_bench *b,
		      const char *image, const char *log, bool *built,
		      char *why, size_t why_len)
{
	struct config_set merged = { 0 }, resolved = { 0 };
	char made[PATH_MAX], shared[PATH_MAX + 96], hash[65];
	const char *slash = strrchr(image, '/');
	struct stat st;
	int r, saved = -1;

	if (stat(n->unikernel, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "this commit has no unikernel/ folder");
		return 0;
	}
	r = paths_remove_tree(n->obj);
	if (r) {
		snprintf(why, why_len, "cannot clean %s: %s", n->obj,
			 strerror(-r));
		return r;
	}
	r = stderr_to(log, &saved);
	if (r) {
		snprintf(why, why_len, "cannot write %s: %s", log,
			 strerror(-r));
		return r;
	}
	if (n->ccache)
		setenv("CC", "ccache gcc", 1);
	r = merged_config(n, b, &merged, why, why_len);
	if (!r)
		r = build_resolve(n->unikernel, n->obj, &merged,
				  n->o->build_timeout_ns, &resolved, NULL,
				  why, why_len);
	if (!r)
		r = config_set_hash(&resolved, hash);
	if (!r)
		snprintf(shared, sizeof(shared), "%.*s/cfg-%.16s.elf",
			 (int)(slash - image), image, hash);
	if (!r && access(shared, R_OK) < 0) {
		r = build_make(n->unikernel, n->obj, NULL,
			       n->o->jobs ? n->o->jobs : build_cpu_count(),
			       n->o->build_timeout_ns, why, why_len);
		if (!r)
			r = build_image_path(n->obj, &resolved, made,
					     sizeof(made), why, why_len);
		n->builds++;
		if (!r) {
			r = paths_copy_file(made, shared);
			if (r)
				snprintf(why, why_len, "cannot copy %s to %s: %s",
					 made, shared, strerror(-r));
			else
				chmod(shared, 0755);
			if (r)
				r = -EIO;	/* ours, not the commit's */
		}
	}
	stderr_back(saved);
	if (!r) {
		r = share(shared, image, why, why_len);
		*built = !r;
	} else if (r != -ENOMEM && r != -EIO) {
		/* The commit does not build: a result, not our failure. */
		r = 0;
	}
	config_set_release(&merged);
	config_set_release(&resolved);
	return r;
}

int night_image(struct nightly *n, const struct git_commit *c,
		const struct suite_bench *b, char *image, size_t len,
		bool *built, char *why, size_t why_len)
{
	char dir[PATH_MAX + 64], log[PATH_MAX + 160];
	int r;

	*built = false;
	snprintf(dir, sizeof(dir), "%s/%s", n->images, c->sha);
	if ((size_t)snprintf(image, len, "%s/%s.elf", dir, b->name) >= len) {
		snprintf(why, why_len, "path too long under %s", dir);
		return -ENAMETOOLONG;
	}
	if (access(image, R_OK) == 0) {
		*built = true;
		return 0;
	}
	r = paths_mkdir_p(dir, 0755);
	if (r) {
		snprintf(why, why_len, "cannot create %s: %s", dir,
			 strerror(-r));
		return r;
	}
	if (strcmp(n->src_at, c->sha)) {
		n->src_at[0] = 0;
		r = git_worktree_at(n->repo, n->src, c->sha, why, why_len);
		if (r)
			return r;
		memcpy(n->src_at, c->sha, sizeof(n->src_at));
	}
	snprintf(log, sizeof(log), "%s/%.12s-%s-build.log", n->logs, c->sha,
		 b->name);
	unlink(log);
	r = build_here(n, b, image, log, built, why, why_len);
	if (!r && !*built) {
		char reason[UNITUNE_WHY_MAX];

		snprintf(reason, sizeof(reason), "%s (log: %s)", why, log);
		snprintf(why, why_len, "%s", reason);
	}
	return r;
}
