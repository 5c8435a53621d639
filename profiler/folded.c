/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Folded stacks (report.h): of one profile, "stack count", and of two,
 * "stack count_a count_b". Both come from one sorted list of a
 * profile's stacks with self samples (stacks()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strbuf.h"

/* A stack with self samples: "outer;...;inner" and its count. */
struct stack {
	char *text;
	uint64_t count;
};

static int cmp_stack(const void *a, const void *b)
{
	return strcmp(((const struct stack *)a)->text,
		      ((const struct stack *)b)->text);
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

static void stacks_free(struct stack *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* Every stack of p with self samples, sorted by text (byte order). The
 * array is the caller's (stacks_free()). 0 or -ENOMEM. */
static int stacks(const struct profile *p, struct stack **out, size_t *count)
{
	size_t nn = profile_nnodes(p), n = 0, i;
	struct stack *v = calloc(nn ? nn : 1, sizeof(*v));
	int err = 0;

	*out = NULL;
	*count = 0;
	if (!v)
		return -ENOMEM;
	for (i = 1; i < nn; i++) {
		const struct prof_node *node = profile_node(p, (uint32_t)i);
		struct strbuf sb = STRBUF_INIT;

		if (!node->self)
			continue;
		err = stack_of(p, (uint32_t)i, &sb);
		if (err) {
			strbuf_release(&sb);
			goto out;
		}
		v[n].count = node->self;
		v[n].text = strbuf_detach(&sb, NULL);
		if (!v[n++].text) {
			err = -ENOMEM;
			goto out;
		}
	}
	qsort(v, n, sizeof(*v), cmp_stack);
out:
	if (err) {
		stacks_free(v, n);
		return err;
	}
	*out = v;
	*count = n;
	return 0;
}

int folded_write(const struct profile *p, FILE *out)
{
	struct stack *v;
	size_t n, i;
	int err = stacks(p, &v, &n);

	for (i = 0; !err && i < n; i++)
		if (fprintf(out, "%s %llu\n", v[i].text,
			    (unsigned long long)v[i].count) < 0)
			err = -EIO;
	stacks_free(v, n);
	return err;
}

int folded_diff_write(const struct profile *a, const struct profile *b,
		      FILE *out)
{
	struct stack *va = NULL, *vb = NULL;
	size_t na = 0, nb = 0, i = 0, k = 0;
	int err = stacks(a, &va, &na);

	if (!err)
		err = stacks(b, &vb, &nb);
	/* Both sorted: a merge, a stack of both sides on one line. */
	while (!err && (i < na || k < nb)) {
		int c = i == na ? 1 : k == nb ? -1
					      : strcmp(va[i].text, vb[k].text);
		const char *text = c <= 0 ? va[i].text : vb[k].text;
		uint64_t ca = c <= 0 ? va[i++].count : 0;
		uint64_t cb = c >= 0 ? vb[k++].count : 0;

		if (fprintf(out, "%s %llu %llu\n", text,
			    (unsigned long long)ca,
			    (unsigned long long)cb) < 0)
			err = -EIO;
	}
	stacks_free(va, na);
	stacks_free(vb, nb);
	return err;
}
