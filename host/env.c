/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a sweep or a bench records about the machine. See env.h.
 */
#include "env.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "runner.h"
#include "spawn.h"

#define UNKNOWN "unknown"
#define ENV_TOOL_TIMEOUT_NS 10000000000LL

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

	spawn_first_line(rev, ENV_TOOL_TIMEOUT_NS, f->git_commit,
			 sizeof(f->git_commit) - 8);
	if (!f->git_commit[0]) {
		snprintf(f->git_commit, sizeof(f->git_commit), UNKNOWN);
	} else {
		spawn_first_line(dirty, ENV_TOOL_TIMEOUT_NS, line,
				 sizeof(line));
		if (line[0])
			strcat(f->git_commit, "-dirty");
	}
	snprintf(f->host, sizeof(f->host), "%s",
		 uname(&u) == 0 ? u.nodename : UNKNOWN);
	spawn_first_line(ver, ENV_TOOL_TIMEOUT_NS, f->qemu_version,
			 sizeof(f->qemu_version));
	if (!f->qemu_version[0])
		snprintf(f->qemu_version, sizeof(f->qemu_version), UNKNOWN);
	cpu_model(f->cpu_model, sizeof(f->cpu_model));
}
