/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep's set-up: the space, the tools, the store and its
 * experiment (created or resumed, its inputs checked), the locks.
 */
#include "sweep_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/file.h>

#include "build.h"
#include "env.h"
#include "exp_open.h"
#include "inputs.h"
#include "paths.h"
#include "runner.h"
#include "strbuf.h"
#include "why.h"

static int load_space(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX];
	int err;

	err = strbuf_read_file(&text, o->space_path, STRBUF_TEXT_MAX, why,
			       sizeof(why));
	if (err) {
		sw_say(s, "error: cannot read the space file %s", why);
		return SWEEP_EXIT_USAGE;
	}
	s->space_text = strbuf_detach(&text, NULL);
	/* The symbol table with the defaults, to validate the space. */
	err = kconfig_load(s->unikernel, BUILD_KCONFIG_ROOT, "", &s->kc, &msg);
	if (err) {
		sw_say(s, "error: %s", msg.len ? msg.buf : strerror(-err));
		strbuf_release(&msg);
		return SWEEP_EXIT_ERROR;
	}
	/* Parse the very text the experiment will store. */
	strbuf_release(&msg);
	err = space_load_text(s->space_text, strlen(s->space_text),
			      o->space_path, s->kc, &s->space, why,
			      sizeof(why));
	if (err) {
		sw_say(s, "error: %s", why);
		return SWEEP_EXIT_USAGE;
	}
	err = build_app_config(s->unikernel, s->space->app, &s->base, NULL, why,
			       sizeof(why));
	if (err) {
		sw_say(s, "error: %s:%u: %s", o->space_path, s->space->app_line,
		       why);
		return SWEEP_EXIT_USAGE;
	}
	err = space_read_base(s->space, s->kc, &s->base, NULL, why,
			      sizeof(why));
	if (err) {
		sw_say(s, "error: %s", why);
		return SWEEP_EXIT_USAGE;
	}
	err = inputs_hash(s->unikernel, s->space, s->kc, &s->inputs, why,
			  sizeof(why));
	if (err) {
		sw_say(s, "error: %s", why);
		return SWEEP_EXIT_ERROR;
	}
	return 0;
}

/* Create the experiment with the hashes of its inputs, both or neither. */
static int create_experiment(struct sweep *s)
{
	int err = store_begin(s->st);

	if (err)
		return err;
	err = store_experiment_create(s->st, s->space->name, s->o->space_path,
				      s->space_text, &s->exp);
	if (!err)
		err = store_inputs_set(s->st, s->exp, &s->inputs);
	if (err) {
		store_rollback(s->st);
		return err;
	}
	return store_commit(s->st);
}

/*
 * On resume: the base_config, defconfig and Kconfig tree must be those
 * the experiment began with (inputs.h says why). An experiment from
 * before they were recorded gets them recorded now.
 */
static int check_inputs(struct sweep *s)
{
	struct store_inputs old;
	char what[128];
	int err;

	err = store_inputs_get(s->st, s->exp, &old);
	if (err == -ENOENT) {
		sw_say(s, "note: recording the hashes of the base_config, the "
		       "app's defconfig and the Kconfig tree now; changes to "
		       "them before this run cannot be detected");
		err = store_inputs_set(s->st, s->exp, &s->inputs);
		return err ? (sw_db_fail(s, err, "recording the inputs"),
			      SWEEP_EXIT_ERROR) : 0;
	}
	if (err)
		return sw_db_fail(s, err, "reading the inputs"), SWEEP_EXIT_ERROR;
	inputs_describe_changes(&old, &s->inputs, what, sizeof(what));
	if (!what[0])
		return 0;
	sw_say(s, "error: since experiment '%s' began, %s changed: its recorded "
	       "points were resolved from the old ones, and resuming would mix "
	       "variants of both. Restore them, or sweep into a new experiment "
	       "(give the space another name: or use another --db)",
	       s->space->name, what);
	return SWEEP_EXIT_USAGE;
}

static int open_experiment(struct sweep *s)
{
	struct store_experiment e = { 0 };
	struct store_env old;
	struct env_facts env;
	int err;

	err = store_open(s->o->db_path, &s->st);
	if (err) {
		/* The message names the file. */
		sw_say(s, "error: cannot open the results store: %s",
		       store_errmsg(s->st));
		return SWEEP_EXIT_ERROR;
	}
	err = store_experiment_find(s->st, s->space->name, &s->exp);
	if (err == -ENOENT) {
		err = create_experiment(s);
		if (err)
			return sw_db_fail(s, err, "creating the experiment"),
			       SWEEP_EXIT_ERROR;
		sw_say(s, "experiment %s in %s", s->space->name, s->o->db_path);
	} else if (err) {
		return sw_db_fail(s, err, "looking up the experiment"),
		       SWEEP_EXIT_ERROR;
	} else {
		err = store_experiment_get(s->st, s->exp, &e);
		if (err)
			return sw_db_fail(s, err, "reading the experiment"),
			       SWEEP_EXIT_ERROR;
		if (strcmp(e.space_text, s->space_text)) {
			sw_say(s, "error: %s already holds an experiment named "
			       "'%s' with a different space file; give the space "
			       "another name: or use another --db",
			       s->o->db_path, s->space->name);
			store_experiment_release(&e);
			return SWEEP_EXIT_USAGE;
		}
		err = check_inputs(s);
		if (err) {
			store_experiment_release(&e);
			return err;
		}
		sw_say(s, "resuming experiment %s in %s (%s): %lld finished, "
		       "%lld to do", s->space->name, s->o->db_path, e.status,
		       (long long)(e.counts[STORE_DONE] + exp_failed_count(&e)),
		       (long long)(e.counts[STORE_PENDING] +
				e.counts[STORE_BUILT]));
		store_experiment_release(&e);
		err = store_experiment_set_status(s->st, s->exp, "running");
		if (err)
			return sw_db_fail(s, err, "marking it running"),
			       SWEEP_EXIT_ERROR;
	}
	env_collect(s->root, NULL, &env);
	if (!store_env_get(s->st, s->exp, &old)) {
		if (strcmp(old.git_commit, env.git_commit) ||
		    strcmp(old.qemu_version, env.qemu_version))
			sw_say(s, "warning: the experiment began at commit %s "
			       "with %s; this run is at %s with %s. Its results "
			       "will mix both (the store keeps the latest); "
			       "sweep into a new experiment to compare them",
			       old.git_commit, old.qemu_version, env.git_commit,
			       env.qemu_version);
		store_env_release(&old);
	}
	err = store_env_set(s->st, s->exp, env.git_commit, env.host,
			    env.qemu_version, env.cpu_model);
	if (err)
		return sw_db_fail(s, err, "recording the environment"),
		       SWEEP_EXIT_ERROR;
	err = store_variants_by_status(s->st, s->exp, STORE_STATUS_ANY,
				       sw_load_one, s);
	if (!err)
		err = store_points(s->st, s->exp, sw_load_point, s);
	if (err)
		return sw_db_fail(s, err, "reading variants"), SWEEP_EXIT_ERROR;
	return 0;
}

/*
 * Hold path with flock() for the rest of the process (the descriptor is
 * never closed): a second sweep on the same experiment or work directory
 * is refused instead of both corrupting each other's files and rows.
 */
static int lock_exclusive(struct sweep *s, const char *path,
			  const char *what)
{
	char pid[32] = "";
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0) {
		sw_say(s, "error: cannot create the lock %s: %s", path,
		       strerror(errno));
		return SWEEP_EXIT_ERROR;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		sw_say(s, "error: %s is being swept by another unitune tune%s%s "
		       "(lock %s)", what, pid[0] ? ", pid " : "", pid, path);
		close(fd);
		return SWEEP_EXIT_USAGE;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || write(fd, pid, strlen(pid)) < 0) {
		/* the pid is only for the message above */
	}
	s->lock_fds[s->n_locks++] = fd;
	return 0;
}

/* The programs a sweep runs, checked before anything is recorded. */
static int need_tools(struct sweep *s)
{
	static const struct { const char *prog, *package; } tools[] = {
		{ "make", "make" },
		{ "kconfig-conf", "kconfig-frontends" },
		{ RUNNER_QEMU_DEFAULT, "qemu-system-x86" },
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (paths_which(tools[i].prog, path, sizeof(path))) {
			sw_say(s, "error: %s is not installed (Debian package "
			       "%s; scripts/deps.sh installs it)", tools[i].prog,
			       tools[i].package);
			return SWEEP_EXIT_ERROR;
		}
	return 0;
}

int sw_set_up(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	uint64_t grid;
	char ccache[PATH_MAX], lock[PATH_MAX + 280];
	const char *slash;
	int err;

	err = paths_root(s->root, sizeof(s->root));
	if (err) {
		sw_say(s, "error: cannot find the Unitune tree: %s",
		       strerror(-err));
		return SWEEP_EXIT_ERROR;
	}
	snprintf(s->unikernel, sizeof(s->unikernel), "%s/unikernel", s->root);
	err = need_tools(s);
	if (!err)
		err = load_space(s);
	if (err)
		return err;
	if (o->work_dir)
		err = paths_absolute(o->work_dir, s->work, sizeof(s->work));
	else
		err = snprintf(s->work, sizeof(s->work), "%s/build/tune/%s",
			       s->root, s->space->name) >= (int)sizeof(s->work)
			      ? -ENAMETOOLONG : 0;
	if (!err && build_dir_check(s->work))
		err = -EINVAL;
	if (!err)
		err = paths_mkdir_p(s->work, 0755);
	if (err) {
		sw_say(s, "error: work directory %s: %s", s->work,
		       err == -EINVAL ? "contains whitespace, which make cannot "
				     "handle" : strerror(-err));
		return SWEEP_EXIT_USAGE;
	}
	/*
	 * One set of slots for every sweep on this tree: ccache keys on
	 * the compiler's command line, which names the slot, so sharing
	 * slots is what lets one experiment reuse another's objects.
	 */
	snprintf(s->slots, sizeof(s->slots), "%s/build/tune/slots", s->root);
	snprintf(s->resolve_dir, sizeof(s->resolve_dir), "%s/resolve",
		 s->work);
	/* The store is created on first use, its folder too. */
	slash = strrchr(o->db_path, '/');
	if (slash && slash != o->db_path &&
	    (size_t)(slash - o->db_path) < sizeof(lock)) {
		snprintf(lock, sizeof(lock), "%.*s", (int)(slash - o->db_path),
			 o->db_path);
		err = paths_mkdir_p(lock, 0755);
		if (err) {
			sw_say(s, "error: cannot create %s for the results store: "
			       "%s", lock, strerror(-err));
			return SWEEP_EXIT_ERROR;
		}
	}
	/* Before the store: a strategy that cannot start must leave no
	 * experiment behind marked running. */
	err = strategy_new_for_space(s->space, s->space->strategy,
				     s->space->has_seed ? s->space->seed
							: DEFAULT_SEED,
				     &s->strat);
	if (err) {
		sw_say(s, "error: strategy %s: %s",
		       space_strategy_name(s->space->strategy), strerror(-err));
		return SWEEP_EXIT_ERROR;
	}

	snprintf(lock, sizeof(lock), "%s/.lock", s->work);
	err = lock_exclusive(s, lock, s->work);
	if (err)
		return err;
	/* The experiment is (store, name): lock it beside the store. */
	snprintf(lock, sizeof(lock), "%s.%s.lock", o->db_path, s->space->name);
	err = lock_exclusive(s, lock, s->space->name);
	if (err)
		return err;
	err = open_experiment(s);
	if (err)
		return err;

	s->wall = s->space->mode == SPACE_WALL;
	s->n_jobs = o->jobs + 1;
	s->jobs = calloc(s->n_jobs, sizeof(*s->jobs));
	if (!s->jobs)
		return sw_oom(s), SWEEP_EXIT_ERROR;
	s->make_jobs = build_cpu_count() / (long)o->jobs;
	if (s->make_jobs < 1)
		s->make_jobs = 1;
	s->ccache = o->ccache && !paths_which("ccache", ccache, sizeof(ccache));
	if (o->ccache && !s->ccache)
		sw_say(s, "ccache is not installed: every variant builds from "
		       "scratch");

	/* The bar's total: points the strategy can give, within budget. */
	if (s->space->strategy == SPACE_GRID ||
	    s->space->strategy == SPACE_RANDOM) {
		if (space_grid_size(s->space, &grid))
			grid = 0;
		if (s->space->max_evaluations && grid &&
		    s->space->max_evaluations < grid &&
		    s->space->max_evaluations >= s->n_vars)
			grid = 0; /* the budget counts variants, not points */
		s->prog.total = grid;
	}
	return 0;
}

/* One line per option kconfig dropped because a dependency was off. */
