/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What got slower, for a confirmed deterministic regression: profiles of
 * the culprit (or the first bad commit when not bisected) and of its
 * parent, recorded deterministically with the profiler's record verb, and
 * its diff verb's table and differential flame graph, kept in the report
 * folder under profiles/. The profiler's verbs run in a child process,
 * their output going to files there, so their printing never mixes with
 * the night's.
 */
#include "nightly_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "profiler_cmds.h"
#include "spawn.h"

/* Samples per second of the profiles: a deterministic guest second is a
 * billion instructions, so this takes a sample every 50,000. */
#define PROFILE_HZ "20000"
#define PROFILE_TIMEOUT "300"
#define PROFILE_MAX_ARGS 64

struct verb_call {
	int (*verb)(int argc, char **argv);
	char **argv;
	int argc;
	const char *output;	/* the child's stdout and stderr */
};

static int call_verb(void *arg)
{
	struct verb_call *v = arg;
	int fd = open(v->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		      0644);

	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return 2;
	return v->verb(v->argc, v->argv);
}

/* Run verb(argv) with its output in output; 0 when it exited 0. */
static int run_verb(int (*verb)(int, char **), char **argv,
		    const char *output)
{
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_INHERIT,
				       .err = SPAWN_INHERIT };
	struct verb_call v = { .verb = verb, .argv = argv, .output = output };
	struct spawn_exit ex;
	struct spawn sp;
	int err;

	while (argv[v.argc])
		v.argc++;
	fflush(NULL);
	err = spawn_fn(&sp, call_verb, &v, &cfg);
	if (!err)
		err = spawn_wait(&sp, NULL, &ex);
	if (!err && (!WIFEXITED(ex.wstatus) || WEXITSTATUS(ex.wstatus)))
		err = -ECHILD;
	return err;
}

/* record -d the benchmark's image of commit g into trace. */
static int record(struct nightly *n, const struct night_change *c,
		  const struct git_commit *g, const char *trace,
		  const char *log)
{
	const struct space_bench *sb = &c->bench->space->bench;
	char image[PATH_MAX + 128], why[1024];
	char *argv[PROFILE_MAX_ARGS];
	bool built;
	size_t i, k = 0;
	int err;

	err = night_image(n, g, c->bench, image, sizeof(image), &built, why,
			  sizeof(why));
	if (err || !built) {
		night_say(n, "profile: no image of %.12s: %s", g->sha, why);
		return err ? err : -ENOENT;
	}
	argv[k++] = "record";
	argv[k++] = "--deterministic";
	argv[k++] = "--freq=" PROFILE_HZ;
	argv[k++] = "--timeout=" PROFILE_TIMEOUT;
	argv[k++] = "-o";
	argv[k++] = (char *)trace;
	argv[k++] = image;
	if (sb->n_args)
		argv[k++] = "--";
	for (i = 0; i < sb->n_args && k < PROFILE_MAX_ARGS - 1; i++)
		argv[k++] = sb->args[i];
	argv[k] = NULL;
	return run_verb(cmd_record, argv, log);
}

/* "BENCH-SHA12" with anything but [A-Za-z0-9._-] made '_'. */
static void folder_name(const struct night_change *c,
			const struct git_commit *bad, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s-%.12s", c->bench->name, bad->sha);
	for (p = buf; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", *p))
			*p = '_';
}

static int profile_one(struct nightly *n, struct night_change *c)
{
	const struct git_commit *bad = c->has_culprit ? &c->culprit : &c->at;
	struct git_commit parent;
	char name[200], dir[PATH_MAX], a[PATH_MAX + 32], b[PATH_MAX + 32];
	char log[PATH_MAX + 32], table[PATH_MAX + 32], flame[PATH_MAX + 32];
	char flame_opt[PATH_MAX + 48], why[512];
	char *argv[8];
	int err;

	if (!bad->parent[0] ||
	    git_commit_info(n->repo, bad->parent, &parent, why, sizeof(why))) {
		night_say(n, "profile: %.12s has no parent to compare with",
			  bad->sha);
		return 0;
	}
	folder_name(c, bad, name, sizeof(name));
	snprintf(dir, sizeof(dir), "%s/profiles/%s", n->o->out_dir, name);
	err = paths_mkdir_p(dir, 0755);
	if (err) {
		night_say(n, "error: cannot create %s: %s", dir, strerror(-err));
		return err;
	}
	snprintf(a, sizeof(a), "%s/parent.uttr", dir);
	snprintf(b, sizeof(b), "%s/culprit.uttr", dir);
	snprintf(log, sizeof(log), "%s/record.log", dir);
	night_say(n, "profiling %s at %.12s and its parent %.12s",
		  c->bench->name, bad->sha, parent.sha);
	if (record(n, c, &parent, a, log) || record(n, c, bad, b, log)) {
		night_say(n, "profile: recording failed (log: %s)", log);
		return 0;
	}
	snprintf(table, sizeof(table), "%s/diff.txt", dir);
	snprintf(flame, sizeof(flame), "%s/diff.svg", dir);
	snprintf(flame_opt, sizeof(flame_opt), "--flame=%s", flame);
	argv[0] = "diff";
	argv[1] = flame_opt;
	argv[2] = a;
	argv[3] = b;
	argv[4] = NULL;
	if (run_verb(cmd_diff, argv, table)) {
		/* Without the flame graph, the table alone. */
		argv[1] = a;
		argv[2] = b;
		argv[3] = NULL;
		if (run_verb(cmd_diff, argv, table)) {
			night_say(n, "profile: unitune diff failed (%s)", table);
			return 0;
		}
	}
	if (asprintf(&c->profile_diff, "profiles/%s/diff.txt", name) < 0)
		return -ENOMEM;
	if (access(flame, R_OK) == 0 &&
	    asprintf(&c->profile_flame, "profiles/%s/diff.svg", name) < 0)
		return -ENOMEM;
	return 0;
}

static const struct git_commit *bad_end(const struct night_change *c)
{
	return c->has_culprit ? &c->culprit : &c->at;
}

/* Several metrics of one benchmark regressed by one commit share one
 * pair of profiles. */
static int share_earlier(struct nightly *n, size_t i, bool *shared)
{
	struct night_change *c = &n->changes[i];
	size_t j;

	*shared = false;
	for (j = 0; j < i; j++) {
		const struct night_change *e = &n->changes[j];

		if (e->bench != c->bench || !e->profile_diff ||
		    strcmp(bad_end(e)->sha, bad_end(c)->sha))
			continue;
		c->profile_diff = strdup(e->profile_diff);
		c->profile_flame = e->profile_flame ? strdup(e->profile_flame)
						    : NULL;
		*shared = true;
		return !c->profile_diff ||
				       (e->profile_flame && !c->profile_flame)
			       ? -ENOMEM
			       : 0;
	}
	return 0;
}

int night_profile(struct nightly *n)
{
	size_t i;
	int err = 0;

	if (!n->o->out_dir)
		return 0;
	for (i = 0; !err && i < n->n_changes; i++) {
		struct night_change *c = &n->changes[i];
		bool shared;

		if (c->kind != DETECT_DETERMINISTIC ||
		    c->d.direction != DETECT_REGRESSION ||
		    c->confirmation != REPORT_EXACT)
			continue;
		err = share_earlier(n, i, &shared);
		if (!err && !shared)
			err = profile_one(n, c);
	}
	return err;
}
