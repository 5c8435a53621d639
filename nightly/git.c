/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * git commands for nightly (git.h).
 */
#include "git.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "paths.h"
#include "spawn.h"

/* A git that waits on a lock or the network longer is stuck. */
#define GIT_TIMEOUT_NS (600LL * 1000000000LL)
#define GIT_MAX_ARGS 32

/* The last non-empty line of text, for why. */
static void last_line(const struct strbuf *text, char *why, size_t why_len)
{
	const char *s = text->buf ? text->buf : "";
	size_t end = text->len;
	size_t start;

	while (end && (s[end - 1] == '\n' || s[end - 1] == '\r'))
		end--;
	start = end;
	while (start && s[start - 1] != '\n')
		start--;
	snprintf(why, why_len, "%.*s", (int)(end - start), s + start);
}

/* Both of git's outputs through spawn_wait's one context. */
struct git_io {
	struct strbuf *out;	/* NULL: dropped */
	struct strbuf err;
};

static int take_out(void *ctx, const char *buf, size_t n)
{
	struct git_io *io = ctx;

	return io->out ? strbuf_sink(io->out, buf, n) : 0;
}

static int take_err(void *ctx, const char *buf, size_t n)
{
	struct git_io *io = ctx;

	return strbuf_sink(&io->err, buf, n);
}

int git_run(const char *repo, const char *const *args, struct strbuf *out,
	    char *why, size_t why_len)
{
	const char *argv[GIT_MAX_ARGS + 4] = { "git", "-C", repo };
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_PIPE,
				       .err = SPAWN_PIPE };
	struct git_io io = { .out = out, .err = STRBUF_INIT };
	const struct spawn_wait_cfg wc = { .timeout_ns = GIT_TIMEOUT_NS,
					   .on_out = take_out,
					   .on_err = take_err,
					   .ctx = &io };
	struct spawn_exit ex;
	struct spawn sp;
	size_t i;
	int r;

	for (i = 0; args[i]; i++) {
		if (i == GIT_MAX_ARGS) {
			snprintf(why, why_len, "git: too many arguments");
			return -E2BIG;
		}
		argv[3 + i] = args[i];
	}
	argv[3 + i] = NULL;
	r = spawn_cmd(&sp, argv, &cfg);
	if (r) {
		snprintf(why, why_len, "cannot run git: %s",
			 r == -ENOENT ? "not installed" : strerror(-r));
		return r;
	}
	r = spawn_wait(&sp, &wc, &ex);
	if (r) {
		snprintf(why, why_len, "git %s: %s", args[0], strerror(-r));
		goto out;
	}
	if (ex.timed_out) {
		snprintf(why, why_len, "git %s: no answer in %lld s", args[0],
			 (long long)(GIT_TIMEOUT_NS / 1000000000LL));
		r = -ETIMEDOUT;
	} else if (!WIFEXITED(ex.wstatus) || WEXITSTATUS(ex.wstatus)) {
		char line[512];

		last_line(&io.err, line, sizeof(line));
		snprintf(why, why_len, "git %s: %s", args[0],
			 line[0] ? line : "failed");
		r = -ECHILD;
	}
out:
	strbuf_release(&io.err);
	return r;
}

/* The first line of out as a SHA-1, or -EINVAL. */
static int take_sha(const struct strbuf *out, git_sha sha)
{
	size_t i;

	if (!out->buf || out->len < GIT_SHA_LEN)
		return -EINVAL;
	for (i = 0; i < GIT_SHA_LEN; i++)
		if (!strchr("0123456789abcdef", out->buf[i]) || !out->buf[i])
			return -EINVAL;
	memcpy(sha, out->buf, GIT_SHA_LEN);
	sha[GIT_SHA_LEN] = 0;
	return 0;
}

int git_resolve(const char *repo, const char *rev, git_sha out, char *why,
		size_t why_len)
{
	struct strbuf o = STRBUF_INIT;
	char spec[512];
	int r;

	if (!rev[0] || rev[0] == '-') {
		snprintf(why, why_len, "'%s' is not a revision", rev);
		return -EINVAL;
	}
	snprintf(spec, sizeof(spec), "%s^{commit}", rev);
	{
		const char *args[] = { "rev-parse", "--verify", "--quiet",
				       spec, NULL };

		r = git_run(repo, args, &o, why, why_len);
	}
	if (r == -ECHILD)
		snprintf(why, why_len, "'%s' names no commit in %s", rev,
			 repo);
	if (!r && take_sha(&o, out)) {
		snprintf(why, why_len, "git rev-parse %s: unexpected output",
			 rev);
		r = -EINVAL;
	}
	strbuf_release(&o);
	return r;
}

int git_range(const char *repo, const char *range, git_sha **out,
	      size_t *n, char *why, size_t why_len)
{
	const char *args[] = { "rev-list", "--reverse", "--topo-order",
			       range, "--", NULL };
	struct strbuf o = STRBUF_INIT;
	git_sha *v = NULL;
	size_t count = 0, i;
	const char *p;
	int r;

	*out = NULL;
	*n = 0;
	if (!strstr(range, "..") || strstr(range, "...") ||
	    range[0] == '-') {
		snprintf(why, why_len, "'%s' is not a range A..B", range);
		return -EINVAL;
	}
	r = git_run(repo, args, &o, why, why_len);
	if (r)
		goto out;
	for (p = o.buf ? o.buf : ""; *p; p++)
		count += *p == '\n';
	if (!count) {
		snprintf(why, why_len, "range %s holds no commit", range);
		r = -ENOENT;
		goto out;
	}
	v = calloc(count, sizeof(*v));
	if (!v) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0, p = o.buf; i < count; i++) {
		struct strbuf line = { .buf = (char *)p, .len = strcspn(p, "\n") };

		if (take_sha(&line, v[i])) {
			snprintf(why, why_len, "git rev-list: unexpected output");
			r = -EINVAL;
			goto out;
		}
		p += line.len + 1;
	}
	*out = v;
	*n = count;
	v = NULL;
out:
	free(v);
	strbuf_release(&o);
	return r;
}

int git_commit_info(const char *repo, const char *rev, struct git_commit *c,
		    char *why, size_t why_len)
{
	struct strbuf o = STRBUF_INIT;
	const char *args[] = { "show", "-s", "--format=%H%n%P%n%ct%n%s",
			       NULL, "--", NULL };
	git_sha sha;
	char *line[4] = { 0 };
	char *p;
	int r, i;

	r = git_resolve(repo, rev, sha, why, why_len);
	if (r)
		return r;
	args[3] = sha;
	r = git_run(repo, args, &o, why, why_len);
	if (r)
		goto out;
	p = o.buf ? o.buf : "";
	for (i = 0; i < 4 && p; i++) {
		line[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = 0;
	}
	memset(c, 0, sizeof(*c));
	if (i < 4 || strlen(line[0]) != GIT_SHA_LEN) {
		snprintf(why, why_len, "git show %s: unexpected output", rev);
		r = -EINVAL;
		goto out;
	}
	memcpy(c->sha, line[0], GIT_SHA_LEN + 1);
	if (strlen(line[1]) >= GIT_SHA_LEN)
		snprintf(c->parent, sizeof(c->parent), "%.40s", line[1]);
	c->time = strtoll(line[2], NULL, 10);
	snprintf(c->subject, sizeof(c->subject), "%s", line[3]);
out:
	strbuf_release(&o);
	return r;
}

int git_worktree_at(const char *repo, const char *dir, const char *sha,
		    char *why, size_t why_len)
{
	struct stat st;
	char gitfile[4096];
	int r;

	snprintf(gitfile, sizeof(gitfile), "%s/.git", dir);
	if (stat(gitfile, &st) == 0) {
		const char *co[] = { "checkout", "--quiet", "--force",
				     "--detach", sha, NULL };
		const char *clean[] = { "clean", "-q", "-f", "-f", "-d", "-x",
					NULL };

		r = git_run(dir, co, NULL, why, why_len);
		if (!r)
			r = git_run(dir, clean, NULL, why, why_len);
		if (!r)
			return 0;
		/* A worktree left broken (a killed night), or one of another
		 * repository: start again. */
		git_worktree_drop(repo, dir);
	}
	paths_remove_tree(dir);
	{
		const char *prune[] = { "worktree", "prune", NULL };
		const char *add[] = { "worktree", "add", "--quiet", "--force",
				      "--detach", dir, sha, NULL };
		char ignored[256];

		git_run(repo, prune, NULL, ignored, sizeof(ignored));
		r = git_run(repo, add, NULL, why, why_len);
	}
	return r;
}

void git_worktree_drop(const char *repo, const char *dir)
{
	const char *rm[] = { "worktree", "remove", "--force", dir, NULL };
	const char *prune[] = { "worktree", "prune", NULL };
	char ignored[256];

	git_run(repo, rm, NULL, ignored, sizeof(ignored));
	git_run(repo, prune, NULL, ignored, sizeof(ignored));
}

int git_toplevel(const char *path, char *out, size_t len, char *why,
		 size_t why_len)
{
	const char *args[] = { "rev-parse", "--show-toplevel", NULL };
	struct strbuf o = STRBUF_INIT;
	int r;

	r = git_run(path, args, &o, why, why_len);
	if (r == -ECHILD)
		snprintf(why, why_len, "%s is not in a git repository", path);
	if (!r)
		snprintf(out, len, "%.*s",
			 (int)strcspn(o.buf ? o.buf : "", "\n"),
			 o.buf ? o.buf : "");
	strbuf_release(&o);
	return r;
}
