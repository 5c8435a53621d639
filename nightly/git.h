/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The git commands nightly runs, in one place: resolving revisions and
 * ranges, a commit's time and subject, and the clean worktree each
 * commit is built from. Every command runs as `git -C REPO ...` through
 * host/spawn.h with its output captured; a failing command's last line of
 * standard error is the why.
 */
#ifndef UNITUNE_NIGHTLY_GIT_H
#define UNITUNE_NIGHTLY_GIT_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define GIT_SHA_LEN 40

typedef char git_sha[GIT_SHA_LEN + 1];

/*
 * Run git -C repo args... (NULL-terminated), standard output into out
 * (may be NULL: discarded). 0; -ECHILD when git failed (why: its last
 * line of standard error); -ENOENT when git is not installed; -errno.
 */
int git_run(const char *repo, const char *const *args, struct strbuf *out,
	    char *why, size_t why_len);

/* The full SHA-1 of rev (a commit; rev^{commit} is resolved). */
int git_resolve(const char *repo, const char *rev, git_sha out, char *why,
		size_t why_len);

/*
 * Every commit of range ("A..B", as git rev-list reads it), oldest first
 * (topological order, reversed), into *out (free()). An empty range is
 * -ENOENT with why saying so.
 */
int git_range(const char *repo, const char *range, git_sha **out,
	      size_t *n, char *why, size_t why_len);

struct git_commit {
	git_sha sha;
	git_sha parent;		/* first parent; "" for a root commit */
	int64_t time;		/* committer time, Unix seconds */
	char subject[256];	/* first line, cut */
};

int git_commit_info(const char *repo, const char *rev, struct git_commit *c,
		    char *why, size_t why_len);

/*
 * Make dir a clean worktree of repo at sha: added (detached) when it is
 * not one yet, else checked out there by force and cleaned of every
 * untracked and ignored file. The path never changes between commits,
 * so ccache sees the same command lines and reuses what did not change.
 */
int git_worktree_at(const char *repo, const char *dir, const char *sha,
		    char *why, size_t why_len);

/* Remove the worktree dir of repo (and prune); errors are ignored. */
void git_worktree_drop(const char *repo, const char *dir);

/* The repository's top-level folder of path (a folder inside it). */
int git_toplevel(const char *path, char *out, size_t len, char *why,
		 size_t why_len);

#endif
