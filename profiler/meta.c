/* SPDX-License-Identifier: BSD-3-Clause */
#include "meta.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "paths.h"
#include "strbuf.h"

int meta_path(const char *trace, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.meta", trace);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int meta_write(const char *trace, const char *image, const char *build_id_hex,
	       const char *outcome, const char *clock)
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
		   "image=%s\nbuild_id=%s\noutcome=%s\nclock=%s\n",
		trace, abs, build_id_hex ? build_id_hex : "",
		outcome ? outcome : "", clock ? clock : "");
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

int meta_read(const char *trace, const char *key, char *val, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	const char *line, *end;
	size_t n, k = strlen(key);
	int err;

	if (meta_path(trace, path, sizeof(path)))
		return -ENAMETOOLONG;
	err = strbuf_read_file(&sb, path, STRBUF_TEXT_MAX, NULL, 0);
	if (err)
		goto out;
	err = -ENOENT;
	for (line = sb.buf ? sb.buf : ""; *line; line = end + (*end != 0)) {
		end = strchrnul(line, '\n');
		n = (size_t)(end - line);
		if (n <= k || strncmp(line, key, k) || line[k] != '=')
			continue;
		if (n - k - 1 >= len) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(val, line + k + 1, n - k - 1);
		val[n - k - 1] = '\0';
		err = n > k + 1 ? 0 : -ENOENT;
		break;
	}
out:
	strbuf_release(&sb);
	return err;
}

int meta_read_image(const char *trace, char *image, size_t len)
{
	return meta_read(trace, "image", image, len);
}

bool meta_deterministic(const char *trace)
{
	char clock[32];

	return !meta_read(trace, "clock", clock, sizeof(clock)) &&
	       !strcmp(clock, META_CLOCK_DETERMINISTIC);
}
