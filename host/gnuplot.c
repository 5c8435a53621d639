/* SPDX-License-Identifier: BSD-3-Clause */
#include "gnuplot.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "spawn.h"

void gnuplot_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

int gnuplot_run(const char *script, const char *dir, char *why,
		size_t why_len)
{
	const char *argv[] = { "gnuplot", script, NULL };
	struct spawn_cfg cfg = { .in = SPAWN_DEVNULL, .out = SPAWN_STDERR,
				 .err = SPAWN_INHERIT, .dir = dir };
	char how[64];
	int wstatus, e;

	e = spawn_run(argv, &cfg, &wstatus);
	if (e == -ENOENT) {
		snprintf(why, why_len,
			 "gnuplot is not installed (Debian package "
			 "gnuplot-nox)");
		return e;
	}
	if (e) {
		snprintf(why, why_len, "cannot run gnuplot: %s", strerror(-e));
		return e;
	}
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus)) {
		spawn_describe(wstatus, how, sizeof(how));
		snprintf(why, why_len, "gnuplot %s", how);
		return -EIO;
	}
	return 0;
}
