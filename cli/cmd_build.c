/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune build: validate the requested configuration against the Kconfig
 * tree, resolve it with olddefconfig, tell the user what kconfig changed
 * (it does so silently), build, and print the image path.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cli_cmds.h"
#include "config.h"
#include "kconfig.h"
#include "outcome.h"
#include "paths.h"
#include "run_args.h"
#include "strbuf.h"
#include "why.h"

#define PROG "unitune build"
#define EXIT_FAIL 1
#define MAX_JOBS 4096

static const struct argp_option options[] = {
	{ "app", 'a', "NAME", 0,
	  "Application to build: unikernel/apps/NAME (required).", 0 },
	{ "output", 'o', "DIR", 0,
	  "Build directory (default: build/NAME in the Unitune tree). "
	  "Variants built into different directories coexist.", 0 },
	{ "config", 'c', "FILE", 0,
	  "Apply the assignments in FILE (.config syntax: CONFIG_X=VALUE "
	  "and '# CONFIG_X is not set' lines) over the app's defconfig.",
	  0 },
	{ "set", 's', "CONFIG_X=VALUE", 0,
	  "Set one symbol, after --config (repeatable; the last one for a "
	  "symbol wins). Values: bool y/n, int decimal, hex 0x..., string "
	  "in double quotes.", 0 },
	{ "jobs", 'j', "N", 0,
	  "Parallel make jobs (default: the number of CPUs).", 0 },
	RUN_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Configure and build a unikernel image of an app."
	"\v"
	"The configuration is the app's defconfig, then --config FILE, then "
	"each --set, later ones winning. Every assignment from --config and "
	"--set is checked against the Kconfig tree first (known symbol, value "
	"of the right type, inside its range); any mistake stops the build "
	"with exit status 2. kconfig then resolves dependencies "
	"(olddefconfig); a requested value it changed is reported on stderr "
	"as a warning, with the symbol's dependencies.\n"
	"\n"
	"Build output goes to stderr. The last line on stdout is the "
	"absolute path of the image.\n"
	"\n"
	"Exit status: 0 built; 1 kconfig or make failed (or the tree is "
	"broken); 2 usage error, unknown app, or an invalid requested "
	"value.\n"
	"\n"
	"Examples:\n"
	"  unitune build --app hello\n"
	"  unitune build --app hello -o build/hello-banner --set CONFIG_UKBOOT_BANNER=y\n"
	"  unitune build -a allocbench -s CONFIG_UKBOOT_STACK_KB=128\n"
	"  img=$(unitune build --app hello) && unitune run \"$img\"";

struct build_args {
	const char *app;
	const char *output;
	const char *config;
	const char **sets;
	size_t nsets;
	long jobs;
	bool oom;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct build_args *a = state->input;
	const char **v;

	switch (key) {
	case 'a':
		a->app = arg;
		break;
	case 'o':
		a->output = arg;
		break;
	case 'c':
		a->config = arg;
		break;
	case 's':
		v = realloc(a->sets, (a->nsets + 1) * sizeof(*v));
		if (!v) {
			a->oom = true;
			return ENOMEM;
		}
		a->sets = v;
		a->sets[a->nsets++] = arg;
		break;
	case 'j':
		a->jobs = (long)run_args_parse_jobs(state, arg, MAX_JOBS);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!a->app)
			argp_error(state, "missing --app NAME");
		break;
	default:
		return run_args_parse_help(key, state);
	}
	return 0;
}

/* Print what is wrong with an assignment; false when something is. */
static bool check_assign(const struct kconfig *kc, const struct config_assign *c)
{
	char msg[UNITUNE_WHY_MAX];

	if (!config_check_assign(kc, c, msg, sizeof(msg)))
		return true;
	fprintf(stderr, PROG ": error: %s\n", msg);
	return false;
}

/* Keep every assignment in all (each is validated) and the final value per
 * symbol in req. Takes c's strings. */
static int keep(struct config_assign *c, struct config_set *all,
		struct config_set *req)
{
	int err = config_set_put_copy(req, c);

	if (!err)
		err = config_set_push(all, c);
	config_assign_release(c);
	return err;
}

/*
 * Read the user's requests: --config lines, then each --set. Malformed
 * input is reported and counted in *bad. 0 or -ENOMEM.
 */
static int read_requests(const struct build_args *a, struct config_set *all,
			 struct config_set *req, int *bad)
{
	struct strbuf text = STRBUF_INIT;
	struct config_assign c;
	char msg[UNITUNE_WHY_MAX];
	size_t i, pos = 0;
	unsigned lineno = 0;
	int r, err = 0;

	if (a->config) {
		r = strbuf_read_file(&text, a->config, STRBUF_TEXT_MAX, msg,
				     sizeof(msg));
		if (r) {
			fprintf(stderr, PROG ": error: cannot read --config "
				"%s\n", msg);
			(*bad)++;
		}
	}
	while (pos < text.len) {
		const char *line = text.buf + pos;
		const char *nl = memchr(line, '\n', text.len - pos);
		size_t n = nl ? (size_t)(nl - line) : text.len - pos;

		pos += n + (nl != NULL);
		lineno++;
		r = config_parse_line(line, n, &c, msg, sizeof(msg));
		if (r < 0 && r != -ENOMEM) {
			fprintf(stderr, PROG ": error: %s:%u: %s\n", a->config,
				lineno, msg);
			(*bad)++;
			continue;
		}
		if (r <= 0) {
			err = r;
			if (err)
				goto out;
			continue;
		}
		c.source = a->config;
		c.line = lineno;
		err = keep(&c, all, req);
		if (err)
			goto out;
	}
	for (i = 0; i < a->nsets; i++) {
		const char *s = a->sets[i];

		r = config_parse_line(s, strlen(s), &c, msg, sizeof(msg));
		if (r == -ENOMEM) {
			err = r;
			goto out;
		}
		/* A comment line means something in a file, not in --set. */
		if (r == 0 || (r > 0 && s[0] == '#')) {
			if (r > 0)
				config_assign_release(&c);
			fprintf(stderr, PROG ": error: --set '%s': expected "
				CONFIG_PREFIX "NAME=VALUE\n", s);
			(*bad)++;
			continue;
		}
		if (r < 0) {
			fprintf(stderr, PROG ": error: --set '%s': expected "
				CONFIG_PREFIX "NAME=VALUE (NAME is letters, "
				"digits and '_')\n", s);
			(*bad)++;
			continue;
		}
		c.source = "--set";
		c.line = 0;
		err = keep(&c, all, req);
		if (err)
			goto out;
	}
out:
	strbuf_release(&text);
	return err;
}

/* What one `unitune build` works on, from the arguments to the image. */
struct build_job {
	struct build_args a;
	char root[PATH_MAX];
	char unikernel[PATH_MAX + 16];
	char dir[PATH_MAX];
	struct config_set merged, all, req, resolved;
	struct kconfig *kc;
};

static int out_of_memory(void)
{
	fprintf(stderr, PROG ": error: out of memory\n");
	return EXIT_FAIL;
}

/* Steps 1 and 2: the app's defconfig, then the requests, each checked
 * against the tree. 0, or the exit status after saying why. */
static int load_config(struct build_job *j)
{
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX];
	int status = EXIT_FAIL, bad = 0, err;
	size_t k;

	err = build_app_config(j->unikernel, j->a.app, &j->merged, &msg, why,
			       sizeof(why));
	if (err == -ENOMEM)
		goto oom;
	if (err) {
		fprintf(stderr, PROG ": error: %s\n", why);
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	if (msg.len)
		fprintf(stderr, PROG ": warning: lines ignored in the app's "
			"defconfig:\n%s", msg.buf);
	strbuf_release(&msg);

	if (read_requests(&j->a, &j->all, &j->req, &bad))
		goto oom;
	for (k = 0; k < j->req.n; k++)
		if (config_set_put_copy(&j->merged, &j->req.v[k]))
			goto oom;
	if (config_set_write(&j->merged, &text))
		goto oom;
	err = kconfig_load(j->unikernel, BUILD_KCONFIG_ROOT,
			   text.buf ? text.buf : "", &j->kc, &msg);
	if (err) {
		fprintf(stderr, PROG ": error: %s\n",
			msg.len ? msg.buf : strerror(-err));
		goto out;
	}
	for (k = 0; k < j->all.n; k++)
		bad += !check_assign(j->kc, &j->all.v[k]);
	status = bad ? UNITUNE_EXIT_USAGE : 0;
	goto out;
oom:
	status = out_of_memory();
out:
	strbuf_release(&text);
	strbuf_release(&msg);
	return status;
}

/* The build directory: -o, or build/APP in the tree; created, absolute.
 * 0, or the exit status after saying why. */
static int make_build_dir(struct build_job *j)
{
	char real[PATH_MAX];
	int err;

	if (j->a.output)
		err = paths_absolute(j->a.output, j->dir, sizeof(j->dir));
	else
		err = snprintf(j->dir, sizeof(j->dir), "%s/build/%s", j->root,
			       j->a.app) >= (int)sizeof(j->dir) ?
			      -ENAMETOOLONG : 0;
	/* make splits O=... on whitespace; refuse rather than build
	 * somewhere else. */
	if (!err && build_dir_check(j->dir)) {
		fprintf(stderr, PROG ": error: build directory '%s' contains "
			"whitespace, which make cannot handle\n", j->dir);
		return UNITUNE_EXIT_USAGE;
	}
	if (!err)
		err = paths_mkdir_p(j->dir, 0755);
	if (err) {
		fprintf(stderr, PROG ": error: cannot create %s: %s\n", j->dir,
			strerror(-err));
		return EXIT_FAIL;
	}
	if (realpath(j->dir, real))
		snprintf(j->dir, sizeof(j->dir), "%s", real);
	return 0;
}

/* Step 3: olddefconfig, and a warning for each requested value kconfig
 * changed (it does so silently). 0, or the exit status. */
static int resolve_config(struct build_job *j)
{
	struct strbuf msg = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX];
	const char *line, *nl;

	fprintf(stderr, PROG ": %s in %s\n", j->a.app, j->dir);
	if (build_resolve(j->unikernel, j->dir, &j->merged, 0, &j->resolved,
			  NULL, why, sizeof(why))) {
		fprintf(stderr, PROG ": error: %s\n", why);
		return EXIT_FAIL;
	}
	if (build_changes(j->kc, &j->req, &j->resolved, &msg, NULL) < 0) {
		strbuf_release(&msg);
		return out_of_memory();
	}
	for (line = msg.buf; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		fprintf(stderr, PROG ": warning: %.*s\n", (int)(nl - line),
			line);
	}
	strbuf_release(&msg);
	return 0;
}

/* Steps 4 and 5: make, then print the image's path. 0 or EXIT_FAIL. */
static int make_image(struct build_job *j)
{
	char path[PATH_MAX + 64], why[UNITUNE_WHY_MAX];

	if (build_make(j->unikernel, j->dir, NULL, j->a.jobs, 0, why,
		       sizeof(why)) ||
	    build_image_path(j->dir, &j->resolved, path, sizeof(path), why,
			     sizeof(why))) {
		fprintf(stderr, PROG ": error: %s\n", why);
		return EXIT_FAIL;
	}
	printf("%s\n", path);
	return 0;
}

static void build_job_release(struct build_job *j)
{
	free(j->a.sets);
	kconfig_free(j->kc);
	config_set_release(&j->merged);
	config_set_release(&j->all);
	config_set_release(&j->req);
	config_set_release(&j->resolved);
}

int cmd_build(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc,
					  NULL, NULL, NULL };
	struct build_job j = { 0 };
	int status, err;

	run_args_parse_verb(&argp, argc, argv, PROG, &j.a);
	if (j.a.oom) {
		status = out_of_memory();
		goto out;
	}
	if (!j.a.jobs)
		j.a.jobs = build_cpu_count();
	err = paths_root(j.root, sizeof(j.root));
	if (err) {
		fprintf(stderr, PROG ": error: cannot find the Unitune tree: "
			"%s\n", strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	snprintf(j.unikernel, sizeof(j.unikernel), "%s/unikernel", j.root);
	status = load_config(&j);
	if (!status)
		status = make_build_dir(&j);
	if (!status)
		status = resolve_config(&j);
	if (!status)
		status = make_image(&j);
out:
	build_job_release(&j);
	return status;
}
