/* SPDX-License-Identifier: BSD-3-Clause */
#include "doctor.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "accel.h"
#include "paths.h"
#include "runner.h"
#include "spawn.h"

/* Where Debian's musl-dev puts the libc the images link (unikernel/
 * Makefile's MUSL_LIBDIR default). */
#define DOCTOR_MUSL_LIBC "/usr/lib/x86_64-linux-musl/libc.a"
#define DOCTOR_VERSION_TIMEOUT_NS 5000000000LL

struct tool {
	const char *piece;
	const char *prog;	/* looked up in PATH */
	const char *version_arg;	/* NULL: only the path is shown */
	bool required;
	const char *disables;
	const char *package;
};

static const struct tool tools[] = {
	{ "make", "make", "--version", true,
	  "build, tune (every image build)", "make" },
	{ "C compiler", "gcc", "--version", true,
	  "build, tune (every image build)", "gcc" },
	{ "kconfig-frontends", "kconfig-conf", NULL, true,
	  "build, tune (configuring images: defconfig, olddefconfig)",
	  "kconfig-frontends" },
	{ "gnuplot", "gnuplot", "--version", false,
	  "report --timeline, the plots of the experiment report",
	  "gnuplot-nox" },
	{ "ccache", "ccache", "--version", false,
	  "build reuse across tune's variants (each builds from scratch)",
	  "ccache" },
	{ "clang", "clang", "--version", false,
	  "make fuzz and the fuzz targets of make test", "clang" },
	{ "wrk", "wrk", NULL, false,	/* --version exits 1 */
	  "bench http (wrk loads the guest's HTTP server)", "wrk" },
};

/* "VERSION LINE (path)", or the path alone when that fails. */
static void version_line(const char *path, const char *arg, char *out,
			 size_t len)
{
	const char *argv[] = { path, arg, NULL };
	char line[256];

	line[0] = '\0';
	if (arg)
		spawn_first_line(argv, DOCTOR_VERSION_TIMEOUT_NS, line,
				 sizeof(line));
	if (line[0])
		snprintf(out, len, "%s (%s)", line, path);
	else
		snprintf(out, len, "%s", path);
}

static void check_tool(const struct tool *t, struct doctor_check *c)
{
	char path[PATH_MAX];

	c->piece = t->piece;
	c->choice = NULL;
	c->required = t->required;
	c->disables = t->disables;
	c->package = t->package;
	c->found = !paths_which(t->prog, path, sizeof(path));
	if (c->found)
		version_line(path, t->version_arg, c->detail,
			     sizeof(c->detail));
	else
		snprintf(c->detail, sizeof(c->detail), "%s not in PATH",
			 t->prog);
}

static void check_qemu(const char *qemu, struct doctor_check *c)
{
	char path[PATH_MAX];

	c->piece = "QEMU";
	c->choice = NULL;
	c->required = true;
	c->disables = "run, record, tune, the guest tests (every boot)";
	c->package = "qemu-system-x86";
	c->found = !paths_which(qemu, path, sizeof(path));
	if (c->found)
		version_line(path, "--version", c->detail, sizeof(c->detail));
	else
		snprintf(c->detail, sizeof(c->detail), "%s not found", qemu);
}

static void check_musl(struct doctor_check *c)
{
	struct stat st;

	c->piece = "musl";
	c->choice = NULL;
	c->required = true;
	c->disables = "build, tune (every image links musl's libc.a)";
	c->package = "musl-dev";
	c->found = !stat(DOCTOR_MUSL_LIBC, &st) && S_ISREG(st.st_mode);
	snprintf(c->detail, sizeof(c->detail), "%s%s", DOCTOR_MUSL_LIBC,
		 c->found ? "" : " missing");
}

/* Not a missing piece either way: KVM when it is fast, else TCG. */
static void check_accel(const char *qemu, bool have_qemu,
			const char *cache, struct doctor_check *c)
{
	enum runner_accel a = RUNNER_ACCEL_TCG;
	char why[512];

	c->piece = "accelerator";
	c->required = false;
	c->disables = "images run under TCG: slower in wall time; "
		      "deterministic figures are the same";
	c->package = "qemu-system-x86";
	if (!have_qemu) {
		c->found = false;
		c->choice = "none";
		snprintf(c->detail, sizeof(c->detail),
			 "not calibrated: no QEMU");
		return;
	}
	if (accel_resolve(qemu, cache, &a, why, sizeof(why)))
		snprintf(why, sizeof(why), "out of memory");
	c->found = a == RUNNER_ACCEL_KVM;
	c->choice = c->found ? "KVM" : "TCG";
	snprintf(c->detail, sizeof(c->detail), "%s", why);
}

size_t doctor_run(struct doctor_check *out, size_t max, const char *qemu,
		  const char *accel_cache)
{
	size_t n = 0, i;

	if (!qemu)
		qemu = RUNNER_QEMU_DEFAULT;
	if (max < 3 + sizeof(tools) / sizeof(tools[0]))
		return 0;
	check_qemu(qemu, &out[n++]);
	check_accel(qemu, out[0].found, accel_cache, &out[n++]);
	check_musl(&out[n++]);
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		check_tool(&tools[i], &out[n++]);
	return n;
}
