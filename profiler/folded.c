/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strbuf.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "outer;...;inner" of a node, by walking up to the root. */
static int stack_of(const struct profile *p, uint32_t node, struct strbuf *sb)
{
	const struct prof_node *n = profile_node(p, node);
	uint32_t depth = n->depth, i;
	uint32_t *path = malloc(depth * sizeof(*path));
	int err = 0;

	if (!path)
		return -ENOMEM;
	for (i = depth; i > 0; i--) {
		path[i - 1] = n->func;
		n = profile_node(p, n->parent);
	}
	for (i = 0; i < depth && !err; i++)
		err = strbuf_addf(sb, "%s%s", i ? ";" : "",
				  profile_func_name(p, path[i]));
	free(path);
	return err;
}

int folded_write(const struct profile *p, FILE *out)
{
	size_t nn = profile_nnodes(p), n = 0, i;
	char **lines = calloc(nn ? nn : 1, sizeof(*lines));
	int err = 0;

	if (!lines)
		return -ENOMEM;
	for (i = 1; i < nn; i++) {
		const struct prof_node *node = profile_node(p, (uint32_t)i);
		struct strbuf sb = STRBUF_INIT;

		if (!node->self)
			continue;
		err = stack_of(p, (uint32_t)i, &sb);
		if (!err)
			err = strbuf_addf(&sb, " %llu",
					  (unsigned long long)node->self);
		if (err) {
			strbuf_release(&sb);
			goto out;
		}
		lines[n++] = strbuf_detach(&sb, NULL);
		if (!lines[n - 1]) {
			err = -ENOMEM;
			goto out;
		}
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (i = 0; i < n; i++)
		if (fprintf(out, "%s\n", lines[i]) < 0)
			err = -EIO;
out:
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return err;
}
