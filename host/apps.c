/* SPDX-License-Identifier: BSD-3-Clause */
#include "apps.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool apps_name_valid(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/');
}

static int has_defconfig(const struct dirent *d, const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (!apps_name_valid(d->d_name))
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s/defconfig", dir, d->d_name) >=
	    (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int apps_list(const char *apps_dir, struct strbuf *list)
{
	struct dirent **ents = NULL;
	int n, i, count = 0, err = 0;

	n = scandir(apps_dir, &ents, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (!err && has_defconfig(ents[i], apps_dir)) {
			err = strbuf_addf(list, "%s%s", count ? ", " : "",
					  ents[i]->d_name);
			count++;
		}
		free(ents[i]);
	}
	free(ents);
	return err ? err : count;
}
