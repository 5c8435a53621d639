/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A night, step by step (nightly.h): set up (the suite, the commits, the
 * work folder and its lock, the store, the environment's fingerprint),
 * measure every benchmark on every commit oldest first, analyse the
 * history, confirm, bisect, profile, report, push, and tidy up.
 */
#include "nightly_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accel.h"
#include "build.h"
#include "paths.h"
#include "spawn.h"
#include "why.h"

void night_say(const struct nightly *n, const char *fmt, ...)
{
	va_list ap;

	(void)n;
	fputs("nightly: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int load_suite(struct nightly *n)
{
	char unikernel[PATH_MAX + 16], why[UNITUNE_WHY_MAX];
	struct strbuf msg = STRBUF_INIT;
	int err;

	snprintf(unikernel, sizeof(unikernel), "%s/unikernel", n->root);
	err = kconfig_load(unikernel, BUILD_KCONFIG_ROOT, "", &n->kc, &msg);
	if (err) {
		night_say(n, "error: the Kconfig tree: %s",
			  msg.len ? msg.buf : strerror(-err));
		strbuf_release(&msg);
		return err;
	}
	strbuf_release(&msg);
	err = suite_load(n->o->suite_path, n->kc, &n->suite, why, sizeof(why));
	if (err)
		night_say(n, "error: %s", why);
	return err;
}

static int load_commits(struct nightly *n)
{
	char why[UNITUNE_WHY_MAX];
	git_sha *shas = NULL, one;
	size_t i, count = 1;
	int err;

	if (n->o->range) {
		err = git_range(n->repo, n->o->range, &shas, &count, why,
				sizeof(why));
	} else {
		err = git_resolve(n->repo, n->o->commit ? n->o->commit : "HEAD",
				  one, why, sizeof(why));
		shas = &one;
	}
	if (err) {
		night_say(n, "error: %s", why);
		return err;
	}
	n->commits = calloc(count, sizeof(*n->commits));
	if (!n->commits) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; !err && i < count; i++)
		err = git_commit_info(n->repo, shas[i], &n->commits[i], why,
				      sizeof(why));
	if (err)
		night_say(n, "error: %s", why);
	n->n_commits = count;
out:
	if (shas != &one)
		free(shas);
	return err;
}

/* work/{src,obj,images,logs} and the lock that keeps a second night out. */
static int set_up_work(struct nightly *n)
{
	char lock[PATH_MAX + 16];
	int err;

	if (n->o->work)
		err = paths_absolute(n->o->work, n->work, sizeof(n->work));
	else
		err = snprintf(n->work, sizeof(n->work), "%s/build/nightly",
			       n->root) >= (int)sizeof(n->work)
			      ? -ENAMETOOLONG
			      : 0;
	if (!err && build_dir_check(n->work)) {
		night_say(n, "error: unusable work folder '%s': make cannot "
			  "take a path with white space", n->work);
		return -EINVAL;
	}
	if (err) {
		night_say(n, "error: work folder: %s", strerror(-err));
		return err;
	}
	snprintf(n->src, sizeof(n->src), "%s/src", n->work);
	snprintf(n->unikernel, sizeof(n->unikernel), "%s/unikernel", n->src);
	snprintf(n->obj, sizeof(n->obj), "%s/obj", n->work);
	snprintf(n->images, sizeof(n->images), "%s/images", n->work);
	snprintf(n->logs, sizeof(n->logs), "%s/logs", n->work);
	err = paths_mkdir_p(n->images, 0755);
	if (!err)
		err = paths_mkdir_p(n->logs, 0755);
	if (err) {
		night_say(n, "error: cannot create %s: %s", n->work,
			  strerror(-err));
		return err;
	}
	snprintf(lock, sizeof(lock), "%s/.lock", n->work);
	n->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (n->lock_fd < 0 || flock(n->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		night_say(n, "error: %s: %s", n->work,
			  n->lock_fd < 0 ? strerror(errno)
					 : "another nightly is using this "
					   "work folder (--work picks another)");
		return -EBUSY;
	}
	/* A folder left by a killed night that is no worktree any more. */
	{
		char gitfile[PATH_MAX + 32];
		struct stat st;

		snprintf(gitfile, sizeof(gitfile), "%s/.git", n->src);
		if (stat(gitfile, &st) < 0)
			paths_remove_tree(n->src);
	}
	return 0;
}

static bool any_wall(const struct suite *s)
{
	size_t i;

	for (i = 0; i < s->n_benches; i++)
		if (s->benches[i].space->mode == SPACE_WALL)
			return true;
	return false;
}

/* What makes tonight's numbers comparable with the history's. */
static int fingerprint(struct nightly *n)
{
	enum runner_accel a = RUNNER_ACCEL_TCG;
	char why[512];
	int err;

	env_collect(n->repo, NULL, &n->env);
	if (any_wall(n->suite)) {
		err = accel_resolve(NULL, NULL, &a, why, sizeof(why));
		if (err)
			return err;
	}
	snprintf(n->accel, sizeof(n->accel), "%s",
		 a == RUNNER_ACCEL_KVM ? "kvm" : "tcg");
	n->henv.host = n->env.host;
	n->henv.cpu_model = n->env.cpu_model;
	n->henv.qemu_version = n->env.qemu_version;
	n->henv.accelerator = n->accel;
	history_fingerprint(&n->henv);
	err = store_history_env_put(n->st, &n->henv);
	/* The suite as it was tonight, so an old figure can be traced to
	 * the benchmark that made it. */
	if (!err)
		err = store_history_suite_put(n->st, n->suite->name,
					      n->suite->text, NULL);
	if (err)
		night_say(n, "error: %s: %s", n->o->db, store_errmsg(n->st));
	return err;
}

static int set_up(struct nightly *n)
{
	char lwip[PATH_MAX + 32], ccache[PATH_MAX], why[UNITUNE_WHY_MAX];
	int err;

	err = paths_root(n->root, sizeof(n->root));
	if (err) {
		night_say(n, "error: cannot find the Unitune tree: %s",
			  strerror(-err));
		return err;
	}
	err = load_suite(n);
	if (err)
		return err;
	err = git_toplevel(n->o->repo ? n->o->repo : n->root, n->repo,
			   sizeof(n->repo), why, sizeof(why));
	if (err) {
		night_say(n, "error: %s", why);
		return err;
	}
	err = load_commits(n);
	if (!err)
		err = set_up_work(n);
	if (err)
		return err;
	if (n->o->out_dir) {
		err = paths_mkdir_p(n->o->out_dir, 0755);
		if (err || access(n->o->out_dir, W_OK) < 0) {
			night_say(n, "error: cannot write the report folder %s: %s",
				  n->o->out_dir, strerror(err ? -err : errno));
			return err ? err : -EACCES;
		}
	}
	err = store_open(n->o->db, &n->st);
	if (err) {
		night_say(n, "error: the store: %s", store_errmsg(n->st));
		return err;
	}
	n->ccache = paths_which("ccache", ccache, sizeof(ccache)) == 0;
	/* lwIP's sources are unpacked outside git (scripts/deps.sh), so
	 * every commit's build takes the harness tree's. */
	snprintf(lwip, sizeof(lwip), "%s/third_party/lwip", n->root);
	if (access(lwip, R_OK) == 0)
		setenv("LWIP_SRC", lwip, 0);
	return fingerprint(n);
}

static int add_failure(struct nightly *n, const struct git_commit *c,
		       const struct suite_bench *b,
		       const struct measure_result *r)
{
	struct night_failure *v;

	v = realloc(n->failures, (n->n_failures + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	n->failures = v;
	v += n->n_failures++;
	v->c = *c;
	v->bench = b;
	v->status = r->status;
	snprintf(v->reason, sizeof(v->reason), "%s", r->reason);
	return 0;
}

static int measure_all(struct nightly *n)
{
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < n->n_commits; i++) {
		const struct git_commit *c = &n->commits[i];

		night_say(n, "[%zu/%zu] %.12s %s", i + 1, n->n_commits, c->sha,
			  c->subject);
		for (j = 0; !err && j < n->suite->n_benches; j++) {
			const struct suite_bench *b = &n->suite->benches[j];
			struct measure_result r;
			int64_t t0 = spawn_now_ns();

			err = night_measure(n, c, b, NULL, 0, HISTORY_NIGHTLY,
					    &r);
			if (!err && r.status != STORE_DONE) {
				night_say(n, "  %s: %s: %s", b->name,
					  store_status_name(r.status),
					  r.reason);
				err = add_failure(n, c, b, &r);
			} else if (!err) {
				night_say(n, "  %s: done (%.1f s)", b->name,
					  (double)(spawn_now_ns() - t0) / 1e9);
			}
			measure_result_free(&r);
		}
	}
	return err;
}

static void tear_down(struct nightly *n)
{
	size_t i, j;

	if (n->repo[0] && n->src[0])
		git_worktree_drop(n->repo, n->src);
	for (i = 0; i < n->n_changes; i++) {
		struct night_change *c = &n->changes[i];

		for (j = 0; j < 2 * c->n_steps; j++)
			free(c->step_strings[j]);
		free(c->step_strings);
		free(c->steps);
		free(c->profile_diff);
		free(c->profile_flame);
	}
	free(n->changes);
	for (i = 0; i < n->n_series; i++) {
		history_series_free(&n->series[i].h);
		free(n->series[i].reason);
	}
	free(n->series);
	free(n->failures);
	free(n->commits);
	if (n->st)
		store_close(n->st);
	suite_free(n->suite);
	kconfig_free(n->kc);
	if (n->lock_fd >= 0)
		close(n->lock_fd);
}

int nightly_run(const struct nightly_opts *o)
{
	struct nightly n = { .o = o, .lock_fd = -1 };
	int status = NIGHTLY_EXIT_ERROR, err;
	int64_t start = spawn_now_ns();

	err = set_up(&n);
	if (!err)
		err = measure_all(&n);
	if (!err)
		err = night_analyse(&n);
	if (!err)
		err = night_confirm(&n);
	if (!err)
		err = night_bisect(&n);
	if (!err)
		err = night_profile(&n);
	if (!err) {
		status = night_status(&n);
		err = night_report(&n, status);
	}
	if (!err)
		err = night_push(&n);
	if (err)
		status = NIGHTLY_EXIT_ERROR;
	else if (o->advisory)
		status = NIGHTLY_EXIT_OK;
	/* What the night cost (the bisection's price is read from here),
	 * once there was a night. */
	if (n.n_commits)
		night_say(&n, "%zu commit(s), %zu build(s), %zu measurement(s) in "
			  "%.1f s; exit status %d", n.n_commits, n.builds,
			  n.measurements,
			  (double)(spawn_now_ns() - start) / 1e9, status);
	tear_down(&n);
	return status;
}
