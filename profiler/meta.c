/* SPDX-License-Identifier: BSD-3-Clause */
#include "meta.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "paths.h"

int meta_path(const char *trace, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.meta", trace);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int meta_write(const char *trace, const char *image, const char *build_id_hex,
	       const char *outcome)
{
	char path[PATH_MAX], abs[PATH_MAX];
	FILE *f;
	int err;

	err = meta_path(trace, path, sizeof(path));
	if (!err)
		err = paths_absolute(image, abs, sizeof(abs));
	if (err)
		return err;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "# unitune record: what the trace %s was recorded from\n"
		   "image=%s\nbuild_id=%s\noutcome=%s\n",
		trace, abs, build_id_hex ? build_id_hex : "",
		outcome ? outcome : "");
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

int meta_read_image(const char *trace, char *image, size_t len)
{
	char path[PATH_MAX], line[PATH_MAX + 64];
	FILE *f;
	int err = -ENOENT;
	size_t n;

	if (meta_path(trace, path, sizeof(path)))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (strncmp(line, "image=", 6))
			continue;
		if (n - 6 >= len) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(image, line + 6, n - 6 + 1);
		err = n > 6 ? 0 : -ENOENT;
		break;
	}
	fclose(f);
	return err;
}
