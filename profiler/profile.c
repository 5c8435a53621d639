/* SPDX-License-Identifier: BSD-3-Clause */
#include "profile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"

/* A map from a two-word key to an index: open addressing, at most half
 * full. One type serves the function, node and line tables. */
struct map_slot {
	uint64_t a, b;
	uint32_t v;
	bool used;
};

struct map {
	struct map_slot *slots;
	size_t cap, n;
};

struct line {
	uint32_t func;
	const char *file;
	int line;
	uint64_t count;
	uint64_t mark;
};

/* One add, in arrival order (profile_keep_order()). */
struct order_rec {
	uint32_t node;
	uint64_t weight;
};

struct profile {
	struct intern *strings;
	struct order_rec *order;
	size_t norder, caporder;
	bool keep_order;
	struct prof_func *funcs;
	size_t nfuncs, capfuncs;
	struct prof_node *nodes;
	size_t nnodes, capnodes;
	struct line *lines;
	size_t nlines, caplines;
	struct map func_map, node_map, line_map;
	uint64_t samples;
	uint64_t serial;	/* per add: marks count each once */
};

static uint64_t mix(uint64_t a, uint64_t b)
{
	uint64_t x = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return x;
}

static int map_grow(struct map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i, j;
	struct map_slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (!m->slots[i].used)
			continue;
		j = mix(m->slots[i].a, m->slots[i].b) & (cap - 1);
		while (s[j].used)
			j = (j + 1) & (cap - 1);
		s[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = s;
	m->cap = cap;
	return 0;
}

/* The slot for (a, b): found (used) or where to insert it. NULL: -ENOMEM. */
static struct map_slot *map_slot(struct map *m, uint64_t a, uint64_t b)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && map_grow(m))
		return NULL;
	i = mix(a, b) & (m->cap - 1);
	while (m->slots[i].used &&
	       (m->slots[i].a != a || m->slots[i].b != b))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void map_set(struct map *m, struct map_slot *s, uint64_t a,
		    uint64_t b, uint32_t v)
{
	s->a = a;
	s->b = b;
	s->v = v;
	s->used = true;
	m->n++;
}

/* Room for one more element at arr[n]: the (possibly moved) array, or
 * NULL on -ENOMEM with arr untouched. */
static void *reserve(void *arr, size_t n, size_t *cap, size_t size)
{
	void *na;
	size_t nc;

	if (n < *cap)
		return arr;
	nc = *cap ? *cap * 2 : 64;
	na = realloc(arr, nc * size);
	if (na)
		*cap = nc;
	return na;
}

static struct prof_node *new_node(struct profile *p)
{
	struct prof_node *v = reserve(p->nodes, p->nnodes, &p->capnodes,
				      sizeof(*v));

	if (!v)
		return NULL;
	p->nodes = v;
	memset(&v[p->nnodes], 0, sizeof(*v));
	return &v[p->nnodes++];
}

static struct prof_func *new_func(struct profile *p)
{
	struct prof_func *v = reserve(p->funcs, p->nfuncs, &p->capfuncs,
				      sizeof(*v));

	if (!v)
		return NULL;
	p->funcs = v;
	memset(&v[p->nfuncs], 0, sizeof(*v));
	return &v[p->nfuncs++];
}

static struct line *new_line(struct profile *p)
{
	struct line *v = reserve(p->lines, p->nlines, &p->caplines,
				 sizeof(*v));

	if (!v)
		return NULL;
	p->lines = v;
	memset(&v[p->nlines], 0, sizeof(*v));
	return &v[p->nlines++];
}

struct profile *profile_new(void)
{
	struct profile *p = calloc(1, sizeof(*p));
	struct prof_node *root;

	if (!p)
		return NULL;
	p->strings = intern_new();
	root = p->strings ? new_node(p) : NULL;
	if (!root) {
		profile_free(p);
		return NULL;
	}
	root->func = PROF_NONE;
	root->parent = PROF_NONE;
	root->child = PROF_NONE;
	root->sibling = PROF_NONE;
	return p;
}

static const char *copy(struct profile *p, const char *s, int *oom)
{
	const char *c;

	if (!s)
		return NULL;
	c = intern_str(p->strings, s);
	if (!c)
		*oom = 1;
	return c;
}

static int func_of(struct profile *p, const struct prof_frame *f,
		   uint32_t *out)
{
	struct map_slot *s;
	struct prof_func *fn;
	const char *name, *decl;
	int oom = 0;

	name = copy(p, f->func, &oom);
	decl = copy(p, f->decl_file, &oom);
	if (oom)
		return -ENOMEM;
	/* Interned: pointer identity is string identity. */
	s = map_slot(&p->func_map, (uintptr_t)name, (uintptr_t)decl);
	if (!s)
		return -ENOMEM;
	if (s->used) {
		*out = s->v;
		return 0;
	}
	fn = new_func(p);
	if (!fn)
		return -ENOMEM;
	fn->key_name = name;
	fn->name = name;
	fn->decl_file = decl;
	*out = (uint32_t)(p->nfuncs - 1);
	map_set(&p->func_map, s, (uintptr_t)name, (uintptr_t)decl, *out);
	return 0;
}

static int node_of(struct profile *p, uint32_t parent, uint32_t func,
		   uint32_t *out)
{
	struct map_slot *s;
	struct prof_node *n;
	uint32_t idx;

	s = map_slot(&p->node_map, parent, func);
	if (!s)
		return -ENOMEM;
	if (s->used) {
		*out = s->v;
		return 0;
	}
	n = new_node(p);
	if (!n)
		return -ENOMEM;
	idx = (uint32_t)(p->nnodes - 1);
	n->func = func;
	n->parent = parent;
	n->child = PROF_NONE;
	n->sibling = p->nodes[parent].child;
	n->depth = p->nodes[parent].depth + 1;
	p->nodes[parent].child = idx;
	map_set(&p->node_map, s, parent, func, idx);
	*out = idx;
	return 0;
}

static int count_line(struct profile *p, uint32_t func, const char *file,
		      int line, uint64_t weight)
{
	struct map_slot *s;
	struct line *l;

	s = map_slot(&p->line_map, (uint64_t)func << 32 | (uint32_t)line,
		     (uintptr_t)file);
	if (!s)
		return -ENOMEM;
	if (s->used) {
		l = &p->lines[s->v];
	} else {
		l = new_line(p);
		if (!l)
			return -ENOMEM;
		l->func = func;
		l->file = file;
		l->line = line;
		map_set(&p->line_map, s, (uint64_t)func << 32 | (uint32_t)line,
			(uintptr_t)file, (uint32_t)(p->nlines - 1));
	}
	if (l->mark != p->serial) {
		l->mark = p->serial;
		l->count += weight;
	}
	return 0;
}

int profile_add(struct profile *p, const struct prof_frame *frames, size_t n,
		uint64_t weight)
{
	uint32_t node = PROF_ROOT, func;
	struct prof_func *fn;
	const char *file;
	size_t i;
	int oom = 0, err;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!frames[i].func)
			return -EINVAL;
	p->serial++;
	p->nodes[PROF_ROOT].total += weight;
	for (i = 0; i < n; i++) {
		err = func_of(p, &frames[i], &func);
		if (err)
			return err;
		err = node_of(p, node, func, &node);
		if (err)
			return err;
		p->nodes[node].total += weight;
		fn = &p->funcs[func];
		if (fn->mark != p->serial) {
			fn->mark = p->serial;
			fn->total += weight;
		}
		if (frames[i].file && frames[i].line > 0) {
			file = copy(p, frames[i].file, &oom);
			if (oom)
				return -ENOMEM;
			err = count_line(p, func, file, frames[i].line, weight);
			if (err)
				return err;
		}
	}
	if (p->keep_order) {
		struct order_rec *o = reserve(p->order, p->norder,
					      &p->caporder, sizeof(*o));

		if (!o)
			return -ENOMEM;
		p->order = o;
		o[p->norder++] = (struct order_rec){ node, weight };
	}
	p->nodes[node].self += weight;
	p->funcs[func].self += weight;
	p->samples += weight;
	return 0;
}

void profile_keep_order(struct profile *p)
{
	p->keep_order = true;
}

int profile_halves(const struct profile *p, struct prof_halves *h)
{
	size_t nf = p->nfuncs ? p->nfuncs : 1, i, k;
	uint64_t cum = 0, *mark;
	uint32_t c;

	memset(h, 0, sizeof(*h));
	if (!p->keep_order)
		return -EINVAL;
	mark = calloc(nf, sizeof(*mark));
	for (k = 0; k < 2; k++) {
		h->self[k] = calloc(nf, sizeof(uint64_t));
		h->total[k] = calloc(nf, sizeof(uint64_t));
		if (!h->self[k] || !h->total[k])
			goto oom;
	}
	if (!mark)
		goto oom;
	for (i = 0; i < p->norder; i++) {
		const struct order_rec *o = &p->order[i];

		/* 2 * cum < samples: before the midpoint, without rounding. */
		k = 2 * cum < p->samples ? 0 : 1;
		cum += o->weight;
		h->samples[k] += o->weight;
		h->self[k][p->nodes[o->node].func] += o->weight;
		/* Total: each function once per sample, however often it
		 * recurs on the path (mark = the add's index + 1). */
		for (c = o->node; c != PROF_ROOT; c = p->nodes[c].parent) {
			uint32_t f = p->nodes[c].func;

			if (mark[f] != i + 1) {
				mark[f] = i + 1;
				h->total[k][f] += o->weight;
			}
		}
	}
	free(mark);
	return 0;
oom:
	free(mark);
	return -ENOMEM;
}

void profile_halves_free(struct prof_halves *h)
{
	size_t k;

	for (k = 0; k < 2; k++) {
		free(h->self[k]);
		free(h->total[k]);
	}
	memset(h, 0, sizeof(*h));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int cmp_name(const void *a, const void *b)
{
	const struct prof_func *x = *(const struct prof_func *const *)a;
	const struct prof_func *y = *(const struct prof_func *const *)b;

	return strcmp(x->key_name, y->key_name);
}

/* Two functions sharing a name get their defining file appended. */
static int display_names(struct profile *p)
{
	struct prof_func **v;
	char tmp[512];
	size_t i, j;
	int err = 0;

	if (!p->nfuncs)
		return 0;
	v = malloc(p->nfuncs * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < p->nfuncs; i++)
		v[i] = &p->funcs[i];
	qsort(v, p->nfuncs, sizeof(*v), cmp_name);
	for (i = 0; i < p->nfuncs; i = j) {
		for (j = i + 1; j < p->nfuncs &&
				!strcmp(v[j]->key_name, v[i]->key_name);
		     j++)
			;
		if (j - i == 1)
			continue;
		for (; i < j; i++) {
			snprintf(tmp, sizeof(tmp), "%s [%s]",
				 v[i]->key_name,
				 v[i]->decl_file ? base_name(v[i]->decl_file)
						 : "?");
			v[i]->name = intern_str(p->strings, tmp);
			if (!v[i]->name) {
				err = -ENOMEM;
				goto out;
			}
		}
	}
out:
	free(v);
	return err;
}

static void hot_lines(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nlines; i++) {
		const struct line *l = &p->lines[i];
		struct prof_func *f = &p->funcs[l->func];

		/* Ties: the lower line, then the file name, so output does
		 * not depend on hash order. */
		if (l->count > f->hot_count ||
		    (l->count == f->hot_count && f->hot_file &&
		     (l->line < f->hot_line ||
		      (l->line == f->hot_line &&
		       strcmp(l->file, f->hot_file) < 0)))) {
			f->hot_count = l->count;
			f->hot_file = l->file;
			f->hot_line = l->line;
		}
	}
}

static int cmp_node_name(const void *a, const void *b, void *ctx)
{
	const struct profile *p = ctx;
	const struct prof_node *x = &p->nodes[*(const uint32_t *)a];
	const struct prof_node *y = &p->nodes[*(const uint32_t *)b];

	return strcmp(p->funcs[x->func].name, p->funcs[y->func].name);
}

/* Relink every child list in name order (flame graphs lay siblings out
 * alphabetically, so equal stacks line up across graphs). */
static int sort_children(struct profile *p)
{
	uint32_t *kids = NULL, c;
	size_t n, cap = 0, i, k;
	uint32_t *nk;

	for (i = 0; i < p->nnodes; i++) {
		n = 0;
		for (c = p->nodes[i].child; c != PROF_NONE;
		     c = p->nodes[c].sibling) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				nk = realloc(kids, cap * sizeof(*kids));
				if (!nk) {
					free(kids);
					return -ENOMEM;
				}
				kids = nk;
			}
			kids[n++] = c;
		}
		if (n < 2)
			continue;
		qsort_r(kids, n, sizeof(*kids), cmp_node_name, p);
		p->nodes[i].child = kids[0];
		for (k = 0; k + 1 < n; k++)
			p->nodes[kids[k]].sibling = kids[k + 1];
		p->nodes[kids[n - 1]].sibling = PROF_NONE;
	}
	free(kids);
	return 0;
}

int profile_finish(struct profile *p)
{
	int err = display_names(p);

	if (err)
		return err;
	hot_lines(p);
	return sort_children(p);
}

uint64_t profile_samples(const struct profile *p)
{
	return p->samples;
}

size_t profile_nfuncs(const struct profile *p)
{
	return p->nfuncs;
}

const struct prof_func *profile_func(const struct profile *p, size_t i)
{
	return i < p->nfuncs ? &p->funcs[i] : NULL;
}

size_t profile_nnodes(const struct profile *p)
{
	return p->nnodes;
}

const struct prof_node *profile_node(const struct profile *p, uint32_t i)
{
	return i < p->nnodes ? &p->nodes[i] : NULL;
}

const char *profile_func_name(const struct profile *p, uint32_t func)
{
	return func < p->nfuncs ? p->funcs[func].name : "";
}

static int cmp_self(const void *a, const void *b)
{
	const struct prof_func *x = *(const struct prof_func *const *)a;
	const struct prof_func *y = *(const struct prof_func *const *)b;

	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

const struct prof_func **profile_by_self(const struct profile *p, size_t *n)
{
	const struct prof_func **v;
	size_t i;

	*n = 0;
	if (!p->nfuncs)
		return NULL;
	v = malloc(p->nfuncs * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < p->nfuncs; i++)
		v[i] = &p->funcs[i];
	qsort(v, p->nfuncs, sizeof(*v), cmp_self);
	*n = p->nfuncs;
	return v;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	intern_free(p->strings);
	free(p->order);
	free(p->funcs);
	free(p->nodes);
	free(p->lines);
	free(p->func_map.slots);
	free(p->node_map.slots);
	free(p->line_map.slots);
	free(p);
}
