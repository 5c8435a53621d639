/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the sweep records about the machine. See env.h.
 */
#include "env.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "runner.h"
#include "spawn.h"
#include "strbuf.h"

#define UNKNOWN "unknown"

/* The first line argv prints on stdout, or "" if it fails. */
static void first_line(const char *const argv[], char *out, size_t len)
{
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL, .out = SPAWN_PIPE,
				       .err = SPAWN_DEVNULL };
	struct strbuf sb = STRBUF_INIT;
	struct spawn_wait_cfg wc = { .timeout_ns = 10000000000LL,
				     .on_out = strbuf_sink, .ctx = &sb };
	struct spawn sp;
	struct spawn_exit ex;

	out[0] = '\0';
	if (spawn_cmd(&sp, argv, &cfg) || spawn_wait(&sp, &wc, &ex) ||
	    ex.timed_out || !WIFEXITED(ex.wstatus) || WEXITSTATUS(ex.wstatus) ||
	    !sb.len) {
		strbuf_release(&sb);
		return;
	}
	snprintf(out, len, "%.*s", (int)strcspn(sb.buf, "\n"), sb.buf);
	strbuf_release(&sb);
}

static void cpu_model(char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], *v;

	snprintf(out, len, UNKNOWN);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) || !(v = strchr(line, ':')))
			continue;
		v += 1 + (v[1] == ' ');
		snprintf(out, len, "%.*s", (int)strcspn(v, "\n"), v);
		break;
	}
	fclose(f);
}

void env_collect(const char *root, const char *qemu, struct env_facts *f)
{
	const char *rev[] = { "git", "-C", root, "rev-parse", "HEAD", NULL };
	const char *dirty[] = { "git", "-C", root, "status", "--porcelain",
				"--untracked-files=no", NULL };
	const char *ver[] = { qemu ? qemu : RUNNER_QEMU_DEFAULT, "--version",
			      NULL };
	struct utsname u;
	char line[256];

	first_line(rev, f->git_commit, sizeof(f->git_commit) - 8);
	if (!f->git_commit[0]) {
		snprintf(f->git_commit, sizeof(f->git_commit), UNKNOWN);
	} else {
		first_line(dirty, line, sizeof(line));
		if (line[0])
			strcat(f->git_commit, "-dirty");
	}
	snprintf(f->host, sizeof(f->host), "%s",
		 uname(&u) == 0 ? u.nodename : UNKNOWN);
	first_line(ver, f->qemu_version, sizeof(f->qemu_version));
	if (!f->qemu_version[0])
		snprintf(f->qemu_version, sizeof(f->qemu_version), UNKNOWN);
	cpu_model(f->cpu_model, sizeof(f->cpu_model));
}
