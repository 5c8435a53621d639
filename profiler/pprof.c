/* SPDX-License-Identifier: BSD-3-Clause */
#include "pprof.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"
#include "trace.h"

/* The string table: entry 0 is "", each distinct string once. */
struct strtab {
	char **s;
	size_t n, cap;
};

static int64_t str_index(struct strtab *t, const char *s, int *oom)
{
	char **v;
	size_t i;

	if (!s || !*s)
		return 0;
	/* Linear: the table holds a few strings per function, and this
	 * runs once per report. */
	for (i = 1; i < t->n; i++)
		if (!strcmp(t->s[i], s))
			return (int64_t)i;
	if (t->n == t->cap) {
		v = realloc(t->s, (t->cap ? t->cap * 2 : 64) * sizeof(*v));
		if (!v) {
			*oom = 1;
			return 0;
		}
		t->s = v;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	/* The strings outlive the message: casting const away is safe,
	 * protobuf-c only reads them when packing. */
	t->s[t->n] = (char *)s;
	return (int64_t)t->n++;
}

static int strtab_init(struct strtab *t)
{
	t->s = malloc(64 * sizeof(*t->s));
	if (!t->s)
		return -ENOMEM;
	t->cap = 64;
	t->s[0] = (char *)"";
	t->n = 1;
	return 0;
}

struct pprof_msg {
	Perftools__Profiles__Profile p;
	Perftools__Profiles__ValueType types[2], period_type;
	Perftools__Profiles__ValueType *type_ptrs[2];
	Perftools__Profiles__Mapping mapping;
	Perftools__Profiles__Mapping *mapping_ptr;
	Perftools__Profiles__Function *funcs, **func_ptrs;
	Perftools__Profiles__Line *lines, **line_ptrs;
	Perftools__Profiles__Location *locs, **loc_ptrs;
	Perftools__Profiles__Sample *samples, **sample_ptrs;
	uint64_t *ids;
	int64_t *values;
	int64_t comment;
	struct strtab strings;
};

static void msg_free(struct pprof_msg *m)
{
	free(m->funcs);
	free(m->func_ptrs);
	free(m->lines);
	free(m->line_ptrs);
	free(m->locs);
	free(m->loc_ptrs);
	free(m->samples);
	free(m->sample_ptrs);
	free(m->ids);
	free(m->values);
	free(m->strings.s);
}

static void value_type(Perftools__Profiles__ValueType *v, struct strtab *t,
		       const char *type, const char *unit, int *oom)
{
	perftools__profiles__value_type__init(v);
	v->type = str_index(t, type, oom);
	v->unit = str_index(t, unit, oom);
}

/* One function, one location (with one line) per profile function; the
 * ids are the profile's indices plus one (pprof ids are nonzero). */
static int add_functions(struct pprof_msg *m, const struct profile *prof)
{
	size_t nf = profile_nfuncs(prof), i;
	int oom = 0;

	m->funcs = calloc(nf + 1, sizeof(*m->funcs));
	m->func_ptrs = calloc(nf + 1, sizeof(*m->func_ptrs));
	m->lines = calloc(nf + 1, sizeof(*m->lines));
	m->line_ptrs = calloc(nf + 1, sizeof(*m->line_ptrs));
	m->locs = calloc(nf + 1, sizeof(*m->locs));
	m->loc_ptrs = calloc(nf + 1, sizeof(*m->loc_ptrs));
	if (!m->funcs || !m->func_ptrs || !m->lines || !m->line_ptrs ||
	    !m->locs || !m->loc_ptrs)
		return -ENOMEM;
	for (i = 0; i < nf; i++) {
		const struct prof_func *f = profile_func(prof, i);

		perftools__profiles__function__init(&m->funcs[i]);
		m->funcs[i].id = i + 1;
		m->funcs[i].name = str_index(&m->strings, f->name, &oom);
		m->funcs[i].system_name = str_index(&m->strings, f->key_name,
						    &oom);
		m->funcs[i].filename = str_index(&m->strings,
			f->decl_file ? f->decl_file : f->hot_file, &oom);
		m->func_ptrs[i] = &m->funcs[i];
		perftools__profiles__line__init(&m->lines[i]);
		m->lines[i].function_id = i + 1;
		m->line_ptrs[i] = &m->lines[i];
		perftools__profiles__location__init(&m->locs[i]);
		m->locs[i].id = i + 1;
		m->locs[i].mapping_id = 1;
		m->locs[i].n_line = 1;
		m->locs[i].line = &m->line_ptrs[i];
		m->loc_ptrs[i] = &m->locs[i];
	}
	m->p.n_function = nf;
	m->p.function = m->func_ptrs;
	m->p.n_location = nf;
	m->p.location = m->loc_ptrs;
	return oom ? -ENOMEM : 0;
}

/* One sample per call-tree node with self samples: its stack, leaf
 * first, as location ids. */
static int add_samples(struct pprof_msg *m, const struct profile *prof,
		       size_t nvalues, int64_t ns_per_sample)
{
	size_t nn = profile_nnodes(prof), ns = 0, nids = 0, i, k = 0, at = 0;
	const struct prof_node *n;

	for (i = 1; i < nn; i++) {
		n = profile_node(prof, (uint32_t)i);
		if (n->self) {
			ns++;
			nids += n->depth;
		}
	}
	m->samples = calloc(ns + 1, sizeof(*m->samples));
	m->sample_ptrs = calloc(ns + 1, sizeof(*m->sample_ptrs));
	m->ids = calloc(nids + 1, sizeof(*m->ids));
	m->values = calloc(ns * nvalues + 1, sizeof(*m->values));
	if (!m->samples || !m->sample_ptrs || !m->ids || !m->values)
		return -ENOMEM;
	for (i = 1; i < nn; i++) {
		Perftools__Profiles__Sample *s = &m->samples[k];
		uint32_t c = (uint32_t)i;

		n = profile_node(prof, c);
		if (!n->self)
			continue;
		perftools__profiles__sample__init(s);
		s->location_id = &m->ids[at];
		for (; c != PROF_ROOT; c = profile_node(prof, c)->parent)
			m->ids[at + s->n_location_id++] =
				(uint64_t)profile_node(prof, c)->func + 1;
		at += s->n_location_id;
		s->n_value = nvalues;
		s->value = &m->values[k * nvalues];
		s->value[0] = (int64_t)n->self;
		if (nvalues > 1)
			s->value[1] = (int64_t)n->self * ns_per_sample;
		m->sample_ptrs[k++] = s;
	}
	m->p.n_sample = ns;
	m->p.sample = m->sample_ptrs;
	return 0;
}

static int build(struct pprof_msg *m, const struct pprof_input *in)
{
	int64_t ns_per_sample = in->sample_hz ? 1000000000 / in->sample_hz
					      : 0;
	size_t nvalues = ns_per_sample ? 2 : 1;
	int oom = 0, e;

	perftools__profiles__profile__init(&m->p);
	if (strtab_init(&m->strings))
		return -ENOMEM;
	value_type(&m->types[0], &m->strings, "samples", "count", &oom);
	m->type_ptrs[0] = &m->types[0];
	m->type_ptrs[1] = &m->types[1];
	if (nvalues > 1) {
		value_type(&m->types[1], &m->strings, "cpu", "nanoseconds",
			   &oom);
		value_type(&m->period_type, &m->strings, "cpu",
			   "nanoseconds", &oom);
		m->p.period = ns_per_sample;
	} else {
		value_type(&m->period_type, &m->strings, "samples", "count",
			   &oom);
		m->p.period = 1;
	}
	m->p.n_sample_type = nvalues;
	m->p.sample_type = m->type_ptrs;
	m->p.period_type = &m->period_type;
	m->p.default_sample_type = m->types[0].type;
	m->p.duration_nanos = (int64_t)in->duration_ns;
	perftools__profiles__mapping__init(&m->mapping);
	m->mapping.id = 1;
	m->mapping.filename = str_index(&m->strings, in->image, &oom);
	m->mapping.build_id = str_index(&m->strings, in->build_id, &oom);
	m->mapping.has_functions = 1;
	m->mapping.has_filenames = 1;
	m->mapping_ptr = &m->mapping;
	m->p.n_mapping = 1;
	m->p.mapping = &m->mapping_ptr;
	if (in->comment) {
		m->comment = str_index(&m->strings, in->comment, &oom);
		m->p.n_comment = 1;
		m->p.comment = &m->comment;
	}
	if (oom)
		return -ENOMEM;
	e = add_functions(m, in->prof);
	if (!e)
		e = add_samples(m, in->prof, nvalues, ns_per_sample);
	m->p.n_string_table = m->strings.n;
	m->p.string_table = m->strings.s;
	return e;
}

/* gzip (zlib's deflate with the gzip wrapper), as pprof expects on disk. */
static int gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *olen)
{
	z_stream z;
	uLong cap;
	uint8_t *buf;
	int r;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -EIO;
	cap = deflateBound(&z, (uLong)len) + 32;
	buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	r = deflate(&z, Z_FINISH);
	*olen = z.total_out;
	deflateEnd(&z);
	if (r != Z_STREAM_END) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	return 0;
}

int pprof_encode(const struct pprof_input *in, uint8_t **buf, size_t *len)
{
	struct pprof_msg m;
	uint8_t *packed = NULL;
	size_t n;
	int e;

	*buf = NULL;
	*len = 0;
	memset(&m, 0, sizeof(m));
	e = build(&m, in);
	if (!e) {
		n = perftools__profiles__profile__get_packed_size(&m.p);
		packed = malloc(n + 1);
		e = packed ? 0 : -ENOMEM;
	}
	if (!e) {
		perftools__profiles__profile__pack(&m.p, packed);
		e = gzip(packed, n, buf, len);
	}
	free(packed);
	msg_free(&m);
	return e;
}

int pprof_write(const struct trace *t, FILE *out)
{
	const struct stream_info *info = stream_info(t->stream);
	const struct stream_stats *st = stream_stats(t->stream);
	uint64_t span = st->records ? st->last_tsc - st->first_tsc : 0;
	char id[2 * UT_BUILD_ID_MAX + 1];
	struct pprof_input in = { .prof = t->prof,
				  .image = t->image,
				  .build_id = id,
				  .sample_hz = info->sample_hz,
				  .comment = "unitune report" };
	uint8_t *buf;
	size_t len;
	int e;

	stream_build_id_hex(info->build_id, info->build_id_len, id,
			    sizeof(id));
	if (info->tsc_hz) {
		double ns = (double)span * 1e9 / (double)info->tsc_hz;

		/* A hostile header's frequency can make it exceed 64 bits:
		 * unknown (0) then, as converting it would be undefined. */
		in.duration_ns = ns < 18446744073709551615.0 ? (uint64_t)ns : 0;
	}
	e = pprof_encode(&in, &buf, &len);
	if (e)
		return e;
	if (fwrite(buf, 1, len, out) != len)
		e = -EIO;
	free(buf);
	return e;
}
