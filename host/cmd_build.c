/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune build: validate the requested configuration against the Kconfig
 * tree, resolve it with olddefconfig, tell the user what kconfig changed
 * (it does so silently), build, and print the image path.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apps.h"
#include "cmd.h"
#include "config.h"
#include "kconfig.h"
#include "outcome.h"
#include "paths.h"
#include "spawn.h"
#include "strbuf.h"

#define PROG "unitune build"
#define KCONFIG_ROOT "Config.uk"
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
	/* -h is what everyone types; argp only knows -? and --help. */
	{ NULL, 'h', NULL, OPTION_HIDDEN, NULL, 0 },
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
	"  unitune build -a selftest -c tuned.config -s CONFIG_UKBOOT_STACK_KB=128\n"
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
	char *end;

	switch (key) {
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
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
		errno = 0;
		a->jobs = strtol(arg, &end, 10);
		if (errno || *end || end == arg || a->jobs < 1 ||
		    a->jobs > MAX_JOBS)
			argp_error(state, "--jobs '%s' is not a number from 1 "
				   "to %d", arg, MAX_JOBS);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!a->app)
			argp_error(state, "missing --app NAME");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static long cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

static int write_file(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (sb->len && fwrite(sb->buf, 1, sb->len, f) != sb->len)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	return err;
}

/*
 * Check one assignment against the tree. Prints the problem and returns
 * false when it is wrong.
 */
static bool check_assign(const struct kconfig *kc, const struct config_assign *c)
{
	const struct kconfig_sym *sym = kconfig_find(kc, c->name);
	char where[PATH_MAX + 32], msg[512];

	if (c->line)
		snprintf(where, sizeof(where), "%s:%u", c->source, c->line);
	else
		snprintf(where, sizeof(where), "--set");
	if (!sym) {
		fprintf(stderr, PROG ": error: %s: unknown symbol "
			CONFIG_PREFIX "%s\n", where, c->name);
		return false;
	}
	if (config_check_value(sym, c->value, msg, sizeof(msg))) {
		fprintf(stderr, PROG ": error: %s: " CONFIG_PREFIX "%s (%s): "
			"%s\n", where, c->name, kconfig_type_name(sym->type),
			msg);
		return false;
	}
	return true;
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
	char msg[256];
	size_t i, pos = 0;
	unsigned lineno = 0;
	int r, err = 0;

	if (a->config) {
		r = strbuf_read_file(&text, a->config);
		if (r) {
			fprintf(stderr, PROG ": error: cannot read --config "
				"%s: %s\n", a->config, strerror(-r));
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

/* "\"hello\"" -> "hello"; NULL if not a well-formed string value. */
static char *unquote(const char *v)
{
	size_t len = strlen(v), i, o = 0;
	char *s;

	if (len < 2 || v[0] != '"' || v[len - 1] != '"')
		return NULL;
	s = malloc(len);
	if (!s)
		return NULL;
	for (i = 1; i < len - 1; i++) {
		if (v[i] == '\\' && i + 1 < len - 1)
			i++;
		s[o++] = v[i];
	}
	s[o] = '\0';
	return s;
}

/* Tell the user every requested value kconfig did not keep. */
static void report_changes(const struct kconfig *kc,
			   const struct config_set *req,
			   const struct config_set *resolved)
{
	size_t i;

	for (i = 0; i < req->n; i++) {
		const struct config_assign *want = &req->v[i];
		const struct config_assign *got;
		const struct kconfig_sym *sym = kconfig_find(kc, want->name);

		if (!sym)
			continue;
		got = config_set_get(resolved, want->name);
		if (config_values_equal(sym->type, want->value,
					got ? got->value : NULL))
			continue;
		fprintf(stderr, PROG ": warning: " CONFIG_PREFIX "%s: asked for "
			"%s, resolved to %s", want->name, want->value,
			got ? got->value : "nothing (not set: its dependencies "
					   "are unmet)");
		if (!sym->has_prompt)
			fprintf(stderr, "; it has no prompt, so kconfig "
				"computes its value");
		if (sym->depends[0])
			fprintf(stderr, "; depends on: %s", sym->depends);
		if (sym->selected_by[0])
			fprintf(stderr, "; selected by: %s", sym->selected_by);
		if (sym->choice_value)
			fprintf(stderr, "; it is a choice member (another "
				"member may have been chosen)");
		fputc('\n', stderr);
	}
}

static int run_make(const char *unikernel, const char *dir, const char *target,
		    long jobs)
{
	char odir[PATH_MAX + 3], j[32], desc[128];
	const char *argv[7];
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				       .out = SPAWN_STDERR,
				       .err = SPAWN_INHERIT };
	int st, err, n = 0;

	snprintf(odir, sizeof(odir), "O=%s", dir);
	argv[n++] = "make";
	argv[n++] = "--no-print-directory";
	argv[n++] = "-C";
	argv[n++] = unikernel;
	argv[n++] = odir;
	if (target) {
		argv[n++] = target;
	} else {
		snprintf(j, sizeof(j), "-j%ld", jobs);
		argv[n++] = j;
	}
	argv[n] = NULL;
	err = spawn_run(argv, &cfg, &st);
	if (err == -ENOENT) {
		fprintf(stderr, PROG ": error: make is not installed\n");
		return -1;
	}
	if (err) {
		fprintf(stderr, PROG ": error: cannot run make: %s\n",
			strerror(-err));
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		spawn_describe(st, desc, sizeof(desc));
		fprintf(stderr, PROG ": error: %s failed: make %s\n",
			target ? target : "build", desc);
		return -1;
	}
	return 0;
}

int cmd_build(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc,
					  NULL, NULL, NULL };
	struct build_args a = { 0 };
	struct config_set merged = { 0 }, all = { 0 }, req = { 0 };
	struct config_set resolved = { 0 };
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	struct kconfig *kc = NULL;
	const struct config_assign *appname;
	char root[PATH_MAX], unikernel[PATH_MAX + 16], path[PATH_MAX + 64];
	char dir[PATH_MAX], real[PATH_MAX], *name = NULL;
	char *prog = PROG;
	int status = EXIT_FAIL, bad = 0, err, i;
	size_t k;

	argv[0] = prog;
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (a.oom)
		goto oom;
	if (!a.jobs)
		a.jobs = cpu_count();

	err = paths_root(root, sizeof(root));
	if (err) {
		fprintf(stderr, PROG ": error: cannot find the Unitune tree: "
			"%s\n", strerror(-err));
		goto out;
	}
	snprintf(unikernel, sizeof(unikernel), "%s/unikernel", root);

	/* 1. The app. */
	snprintf(path, sizeof(path), "%s/apps/%s/defconfig", unikernel, a.app);
	if (!apps_name_valid(a.app) || strbuf_read_file(&text, path)) {
		snprintf(path, sizeof(path), "%s/apps", unikernel);
		i = apps_list(path, &msg);
		if (i > 0)
			fprintf(stderr, PROG ": error: unknown app '%s'; "
				"available apps: %s\n", a.app, msg.buf);
		else
			fprintf(stderr, PROG ": error: unknown app '%s'; no "
				"apps found in %s\n", a.app, path);
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	snprintf(path, sizeof(path), "apps/%s/defconfig", a.app);
	err = config_parse_text(text.buf, text.len, path, &merged, &msg);
	if (err < 0)
		goto oom;
	if (err > 0)
		fprintf(stderr, PROG ": warning: lines ignored in the app's "
			"defconfig:\n%s", msg.buf);
	strbuf_release(&text);
	strbuf_release(&msg);

	/* 2. The requests, checked against the tree. */
	err = read_requests(&a, &all, &req, &bad);
	if (err)
		goto oom;
	for (k = 0; k < req.n; k++) {
		err = config_set_put_copy(&merged, &req.v[k]);
		if (err)
			goto oom;
	}
	err = config_set_write(&merged, &text);
	if (err)
		goto oom;
	err = kconfig_load(unikernel, KCONFIG_ROOT, text.buf ? text.buf : "",
			   &kc, &msg);
	if (err) {
		fprintf(stderr, PROG ": error: %s\n",
			msg.len ? msg.buf : strerror(-err));
		goto out;
	}
	for (k = 0; k < all.n; k++)
		bad += !check_assign(kc, &all.v[k]);
	if (bad) {
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}

	/* 3. Write the .config, resolve it, report what kconfig changed. */
	if (a.output)
		err = paths_absolute(a.output, dir, sizeof(dir));
	else
		err = snprintf(dir, sizeof(dir), "%s/build/%s", root, a.app) >=
		      (int)sizeof(dir) ? -ENAMETOOLONG : 0;
	/* make splits O=... on whitespace; refuse rather than build
	 * somewhere else. */
	if (!err && strpbrk(dir, " \t\n")) {
		fprintf(stderr, PROG ": error: build directory '%s' contains "
			"whitespace, which make cannot handle\n", dir);
		status = UNITUNE_EXIT_USAGE;
		goto out;
	}
	if (!err)
		err = paths_mkdir_p(dir, 0755);
	if (!err && realpath(dir, real))
		snprintf(dir, sizeof(dir), "%s", real);
	snprintf(path, sizeof(path), "%s/.config", dir);
	if (!err)
		err = write_file(path, &text);
	if (err) {
		fprintf(stderr, PROG ": error: cannot write %s: %s\n", path,
			strerror(-err));
		goto out;
	}
	fprintf(stderr, PROG ": %s in %s\n", a.app, dir);
	if (run_make(unikernel, dir, "olddefconfig", 0))
		goto out;
	strbuf_release(&text);
	strbuf_release(&msg);
	err = strbuf_read_file(&text, path);
	if (err) {
		fprintf(stderr, PROG ": error: cannot read %s: %s\n", path,
			strerror(-err));
		goto out;
	}
	if (config_parse_text(text.buf, text.len, path, &resolved, NULL) < 0)
		goto oom;
	report_changes(kc, &req, &resolved);

	/* 4. Build. */
	if (run_make(unikernel, dir, NULL, a.jobs))
		goto out;

	/* 5. The image. */
	appname = config_set_get(&resolved, "UK_APPNAME");
	name = appname ? unquote(appname->value) : NULL;
	if (!name || !apps_name_valid(name)) {
		fprintf(stderr, PROG ": error: %s has no valid "
			CONFIG_PREFIX "UK_APPNAME, so the image name is "
			"unknown\n", path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s.elf", dir, name);
	if (access(path, R_OK) < 0) {
		fprintf(stderr, PROG ": error: the build succeeded but %s is "
			"missing: %s\n", path, strerror(errno));
		goto out;
	}
	printf("%s\n", path);
	status = 0;
	goto out;
oom:
	fprintf(stderr, PROG ": error: out of memory\n");
out:
	free(name);
	free(a.sets);
	kconfig_free(kc);
	config_set_release(&merged);
	config_set_release(&all);
	config_set_release(&req);
	config_set_release(&resolved);
	strbuf_release(&text);
	strbuf_release(&msg);
	return status;
}
