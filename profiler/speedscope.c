/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>

#include "json.h"
#include "report.h"

/* The function indices from the root to node, outermost first. */
static void write_stack(const struct profile *p, uint32_t node,
			uint32_t *path, struct json *w)
{
	const struct prof_node *n = profile_node(p, node);
	uint32_t depth = n->depth, i;

	for (i = depth; i > 0; i--) {
		path[i - 1] = n->func;
		n = profile_node(p, n->parent);
	}
	/* One line per stack: the element starts on its own line, its
	 * items follow compactly. */
	json_begin_array(w);
	w->compact = true;
	for (i = 0; i < depth; i++)
		json_u64(w, path[i]);
	json_end_array(w);
	w->compact = false;
}

static void write_frames(const struct profile *p, struct json *w)
{
	size_t i;

	json_begin_array(w);
	for (i = 0; i < profile_nfuncs(p); i++) {
		const struct prof_func *f = profile_func(p, i);

		json_begin_object(w);
		w->compact = true;
		json_key(w, "name");
		json_string(w, f->name);
		if (f->hot_file) {
			json_key(w, "file");
			json_string(w, f->hot_file);
			json_key(w, "line");
			json_i64(w, f->hot_line);
		} else if (f->decl_file) {
			json_key(w, "file");
			json_string(w, f->decl_file);
		}
		json_end_object(w);
		w->compact = false;
	}
	json_end_array(w);
}

int speedscope_write(const struct profile *p, FILE *out, const char *name)
{
	size_t nn = profile_nnodes(p), i, maxdepth = 0;
	uint32_t *path;
	struct json w;
	int err;

	for (i = 0; i < nn; i++)
		if (profile_node(p, (uint32_t)i)->depth > maxdepth)
			maxdepth = profile_node(p, (uint32_t)i)->depth;
	path = malloc((maxdepth + 1) * sizeof(*path));
	if (!path)
		return -ENOMEM;
	json_init(&w, out);
	json_begin_object(&w);
	json_key(&w, "$schema");
	json_string(&w, SPEEDSCOPE_SCHEMA);
	json_key(&w, "exporter");
	json_string(&w, "unitune report");
	json_key(&w, "name");
	json_string(&w, name);
	json_key(&w, "activeProfileIndex");
	json_u64(&w, 0);
	json_key(&w, "shared");
	json_begin_object(&w);
	json_key(&w, "frames");
	write_frames(p, &w);
	json_end_object(&w);
	json_key(&w, "profiles");
	json_begin_array(&w);
	json_begin_object(&w);
	json_key(&w, "type");
	json_string(&w, "sampled");
	json_key(&w, "name");
	json_string(&w, name);
	json_key(&w, "unit");
	json_string(&w, "none");
	json_key(&w, "startValue");
	json_u64(&w, 0);
	json_key(&w, "endValue");
	json_u64(&w, profile_samples(p));
	/* One entry per distinct stack, weighted by its samples, in the
	 * same node order for samples and weights. */
	json_key(&w, "samples");
	json_begin_array(&w);
	for (i = 1; i < nn; i++) {
		if (!profile_node(p, (uint32_t)i)->self)
			continue;
		write_stack(p, (uint32_t)i, path, &w);
	}
	json_end_array(&w);
	json_key(&w, "weights");
	json_begin_array(&w);
	for (i = 1; i < nn; i++)
		if (profile_node(p, (uint32_t)i)->self)
			json_u64(&w, profile_node(p, (uint32_t)i)->self);
	json_end_array(&w);
	json_end_object(&w);
	json_end_array(&w);
	json_end_object(&w);
	err = json_finish(&w);
	free(path);
	return err;
}
