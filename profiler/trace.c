/* SPDX-License-Identifier: BSD-3-Clause */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "json.h"
#include "meta.h"
#include "strbuf.h"
#include "why.h"

int trace_sample_frames(struct symbolizer *sym, const struct stream_rec *rec,
			bool no_inline, struct prof_frame *frames, size_t *n)
{
	uint32_t i = rec->u.sample.depth;
	const struct sym_loc *loc;
	unsigned k, nk;

	*n = 0;
	if (rec->flags & UT_SAMPLE_TRUNCATED)
		frames[(*n)++] = (struct prof_frame){ TRACE_TRUNCATED, NULL, 0,
						      NULL };
	while (i-- > 0) {
		uint64_t pc = rec->u.sample.pcs[i];

		loc = symbolizer_lookup(sym, i && pc ? pc - 1 : pc);
		if (!loc)
			return -ENOMEM;
		nk = no_inline ? 1 : loc->nframes;
		for (k = 0; k < nk; k++) {
			const struct sym_frame *f = &loc->frames[k];

			frames[(*n)++] = (struct prof_frame){
				f->func, f->file, f->line, f->decl_file
			};
		}
	}
	return 0;
}

/* diag gets one more line (nothing when diag is NULL). */
__attribute__((format(printf, 2, 3)))
static int diag_line(struct strbuf *diag, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (!diag)
		return 0;
	va_start(ap, fmt);
	r = strbuf_vaddf(diag, fmt, ap);
	va_end(ap);
	return r ? r : strbuf_addc(diag, '\n');
}

/* The decoder's first n kept errors as "PATH: offset N: ..." lines, then
 * how many more were only counted once every kept one is listed. */
static int list_errors(const struct trace *t, const char *path, size_t n,
		       struct strbuf *diag)
{
	const struct stream_stats *st = stream_stats(t->stream);
	size_t i, kept = stream_nerrors_kept(t->stream);
	char line[256];
	int r = 0;

	for (i = 0; !r && i < n; i++) {
		stream_error_format(stream_error_at(t->stream, i), line,
				    sizeof(line));
		r = diag_line(diag, "%s: %s", path, line);
	}
	if (!r && n == kept && st->errors > kept)
		r = diag_line(diag, "%s: ... and %llu more errors", path,
			      (unsigned long long)(st->errors - kept));
	return r;
}

/* The stream could not be opened: its header or table is unusable (the
 * last kept error says why, the earlier ones go to diag) or the file
 * cannot be read. */
static int open_failed(struct trace *t, const struct trace_opts *o, int e,
		       const char *read_why, struct strbuf *diag, char *why,
		       size_t why_len)
{
	char line[256];
	size_t kept;

	if (e == -ENOMEM) {
		snprintf(why, why_len, "out of memory");
		return e;
	}
	if (e != -EBADMSG) {
		snprintf(why, why_len, "cannot read %s%s", read_why,
			 e == -EFBIG ? " (--max-trace-size SIZE raises it)"
				     : "");
		return e;
	}
	/* A fatal header error is the last one kept: the decoder stops. */
	kept = stream_nerrors_kept(t->stream);
	if (list_errors(t, o->path, kept ? kept - 1 : 0, diag)) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	if (kept)
		stream_error_format(stream_error_at(t->stream, kept - 1), line,
				    sizeof(line));
	snprintf(why, why_len, "%s: %s", o->path,
		 kept ? line : "unusable stream header");
	return e;
}

/* The image: --image, else the sidecar's image= line. */
static int image_path(struct trace *t, const struct trace_opts *o,
		      char *why, size_t why_len)
{
	int e;

	if (o->image) {
		if (strlen(o->image) >= sizeof(t->image)) {
			snprintf(why, why_len, "image path too long");
			return -ENAMETOOLONG;
		}
		strcpy(t->image, o->image);
		return 0;
	}
	e = meta_read_image(o->path, t->image, sizeof(t->image));
	if (e == -EINVAL || e == -EFBIG) {
		snprintf(why, why_len, "%s.meta is not a regular file of at "
			 "most %zu bytes; pass --image IMAGE", o->path,
			 STRBUF_TEXT_MAX);
		return -EINVAL;
	}
	if (e) {
		snprintf(why, why_len, "%s: which image? pass --image IMAGE "
			 "(no image= line in %s.meta, which `unitune record` "
			 "writes)", o->path, o->path);
		return -EINVAL;
	}
	return 0;
}

static int open_symbols(struct trace *t, const struct trace_opts *o,
			struct strbuf *diag, char *why, size_t why_len)
{
	const struct stream_info *in = stream_info(t->stream);
	char mismatch[UNITUNE_WHY_MAX];
	int e;

	e = image_path(t, o, why, why_len);
	if (!e)
		e = symbolizer_open(&t->sym, t->image, why, why_len);
	if (e)
		return e;
	e = symbolizer_check_build_id(t->sym, in->build_id, in->build_id_len,
				      mismatch, sizeof(mismatch));
	if (e && o->force) {
		if (diag_line(diag, "warning: %s (--force: symbolizing anyway)",
			      mismatch)) {
			snprintf(why, why_len, "out of memory");
			return -ENOMEM;
		}
		e = 0;
	} else if (e) {
		snprintf(why, why_len, "%s; pass the image that was recorded%s",
			 mismatch, o->image ? "" : " with --image IMAGE");
	}
	return e;
}

/* The records into the consumers t has. 0 or -ENOMEM. */
static int feed(struct trace *t, const struct trace_opts *o)
{
	struct prof_frame *frames = NULL;
	struct stream_rec rec;
	size_t nf;
	int e = 0;

	if (t->prof && !(frames = calloc(TRACE_FRAMES_MAX, sizeof(*frames))))
		return -ENOMEM;
	while (!e && stream_next(t->stream, &rec) > 0) {
		if (t->prof && rec.type == UT_REC_SAMPLE &&
		    (trace_sample_frames(t->sym, &rec, o->no_inline, frames,
					 &nf) ||
		     profile_add(t->prof, frames, nf, 1)))
			e = -ENOMEM;
		if (!e && t->tps && tpstats_add(t->tps, &rec))
			e = -ENOMEM;
		if (!e && t->tl && timeline_add(t->tl, &rec))
			e = -ENOMEM;
	}
	free(frames);
	if (!e && ((t->prof && profile_finish(t->prof)) ||
		   (t->tps && tpstats_finish(t->tps))))
		e = -ENOMEM;
	return e;
}

/* The consumers o asks for. 0 or -ENOMEM. */
static int new_consumers(struct trace *t, const struct trace_opts *o)
{
	const struct stream_info *in = stream_info(t->stream);

	if (o->profile) {
		if (!(t->prof = profile_new()))
			return -ENOMEM;
		/* A deterministic trace has no noise to estimate. */
		if (o->keep_order && !t->deterministic)
			profile_keep_order(t->prof);
	}
	if (o->tracepoints && !(t->tps = tpstats_new(in)))
		return -ENOMEM;
	if (o->timeline && !(t->tl = timeline_new(in)))
		return -ENOMEM;
	return 0;
}

int trace_load(struct trace *t, const struct trace_opts *o,
	       struct strbuf *diag, char *why, size_t why_len)
{
	char read_why[UNITUNE_WHY_MAX] = "";
	uint64_t errors;
	int e;

	memset(t, 0, sizeof(*t));
	t->deterministic = meta_deterministic(o->path);
	e = stream_open_file_max(&t->stream, o->path,
				 o->max_size ? o->max_size : STREAM_FILE_MAX,
				 read_why, sizeof(read_why));
	if (e)
		return open_failed(t, o, e, read_why, diag, why, why_len);
	if (o->profile) {
		e = open_symbols(t, o, diag, why, why_len);
		if (e)
			return e;
	}
	e = new_consumers(t, o);
	if (!e)
		e = feed(t, o);
	if (!e)
		e = list_errors(t, o->path, stream_nerrors_kept(t->stream),
				diag);
	if (e) {
		snprintf(why, why_len, "out of memory");
		return e;
	}
	errors = stream_stats(t->stream)->errors;
	if (o->strict && errors) {
		snprintf(why, why_len, "%s: refused: %llu stream errors "
			 "(--strict)", o->path, (unsigned long long)errors);
		return -EBADMSG;
	}
	return 0;
}

int trace_print_lost(const struct trace *t, FILE *out)
{
	const struct stream_stats *st = stream_stats(t->stream);

	if (!st->lost && !(st->have_end && st->end_lost))
		return 0;
	if (st->have_end)
		fprintf(out, "lost: %llu records in all (end record); %llu "
			"reported in %llu gap markers\n",
			(unsigned long long)st->end_lost,
			(unsigned long long)st->lost,
			(unsigned long long)st->lost_markers);
	else
		fprintf(out, "lost: %llu records in %llu gap markers (no end "
			"record: the total may be higher)\n",
			(unsigned long long)st->lost,
			(unsigned long long)st->lost_markers);
	return 1;
}

void trace_print_summary(const struct trace *t, FILE *out)
{
	const struct stream_info *in = stream_info(t->stream);
	const struct stream_stats *st = stream_stats(t->stream);
	uint64_t span = st->records ? st->last_tsc - st->first_tsc : 0;
	char id[2 * UT_BUILD_ID_MAX + 1];
	struct coverage cov;

	stream_build_id_hex(in->build_id, in->build_id_len, id, sizeof(id));
	fprintf(out, "build-id %s%s%s\n", *id ? id : "(none)",
		*t->image ? ", image " : "", t->image);
	fprintf(out, "samples: %llu", (unsigned long long)st->samples);
	if (st->have_end && st->end_samples != st->samples)
		fprintf(out, " of %llu taken",
			(unsigned long long)st->end_samples);
	if (in->sample_hz)
		fprintf(out, " at %u Hz", in->sample_hz);
	else
		fprintf(out, " (sampler off)");
	if (in->tsc_hz)
		fprintf(out, " over %.6f s (TSC %.3f MHz)",
			(double)span / (double)in->tsc_hz,
			(double)in->tsc_hz / 1e6);
	else
		fprintf(out, " over %llu TSC cycles (TSC frequency unknown)",
			(unsigned long long)span);
	fprintf(out, "; events: %llu; records: %llu\n",
		(unsigned long long)st->events,
		(unsigned long long)st->records);
	coverage_get(in, st, &cov);
	coverage_print_sampling(&cov, "", out);
	trace_print_lost(t, out);
	if (st->errors)
		fprintf(out, "stream: %llu errors, %llu bytes skipped "
			"(listed on stderr)\n",
			(unsigned long long)st->errors,
			(unsigned long long)st->bytes_skipped);
	if (st->have_end && (st->end_flags & UT_END_CRASH))
		fprintf(out, "run: the guest crashed\n");
	else if (st->have_end)
		fprintf(out, "run: exit status %d\n", st->end_exit_status);
	else
		coverage_print_end(&cov, "", out);
}

static void lost_json(const struct stream_stats *st, struct json *w)
{
	json_key(w, "lost");
	json_begin_object(w);
	/* The end record's total when it arrived, else the gap markers' sum
	 * (a lower bound: the end says complete). */
	json_key(w, "records");
	json_u64(w, st->have_end ? st->end_lost : st->lost);
	json_key(w, "complete");
	json_bool(w, st->have_end);
	json_key(w, "in_gap_markers");
	json_u64(w, st->lost);
	json_key(w, "gap_markers");
	json_u64(w, st->lost_markers);
	json_end_object(w);
}

static void sampling_json(const struct coverage *c, struct json *w)
{
	json_key(w, "sampling");
	json_begin_object(w);
	json_key(w, "requested_hz");
	json_u64(w, c->requested_hz);
	json_key(w, "effective_hz");
	if (c->effective_hz > 0)
		json_double(w, c->effective_hz);
	else
		json_null(w);
	json_key(w, "windows_missed");
	if (c->missed_known)
		json_u64(w, c->missed);
	else
		json_null(w);
	json_key(w, "low_rate");
	json_bool(w, c->low_rate);
	json_end_object(w);
}

void trace_summary_json(const struct trace *t, const char *path,
			struct json *w)
{
	const struct stream_info *in = stream_info(t->stream);
	const struct stream_stats *st = stream_stats(t->stream);
	uint64_t span = st->records ? st->last_tsc - st->first_tsc : 0;
	char id[2 * UT_BUILD_ID_MAX + 1];
	struct coverage cov;

	coverage_get(in, st, &cov);
	stream_build_id_hex(in->build_id, in->build_id_len, id, sizeof(id));
	json_key(w, "trace");
	json_string(w, path);
	json_key(w, "build_id");
	json_string(w, *id ? id : NULL);
	json_key(w, "image");
	json_string(w, *t->image ? t->image : NULL);
	json_key(w, "samples");
	json_u64(w, st->samples);
	json_key(w, "samples_taken");
	if (st->have_end)
		json_u64(w, st->end_samples);
	else
		json_null(w);
	json_key(w, "sample_hz");
	json_u64(w, in->sample_hz);
	json_key(w, "tsc_hz");
	json_u64(w, in->tsc_hz);
	json_key(w, "duration_cycles");
	json_u64(w, span);
	json_key(w, "duration_s");
	if (in->tsc_hz)
		json_double(w, (double)span / (double)in->tsc_hz);
	else
		json_null(w);
	json_key(w, "events");
	json_u64(w, st->events);
	json_key(w, "records");
	json_u64(w, st->records);
	sampling_json(&cov, w);
	lost_json(st, w);
	json_key(w, "stream_errors");
	json_u64(w, st->errors);
	json_key(w, "bytes_skipped");
	json_u64(w, st->bytes_skipped);
	json_key(w, "run");
	json_begin_object(w);
	json_key(w, "end");
	json_string(w, !st->have_end ? NULL
		    : (st->end_flags & UT_END_CRASH) ? "crashed" : "exited");
	json_key(w, "exit_status");
	if (st->have_end && !(st->end_flags & UT_END_CRASH))
		json_i64(w, st->end_exit_status);
	else
		json_null(w);
	json_key(w, "drain_ms");
	json_u64(w, cov.drain_ms);
	json_key(w, "last_record_s");
	if (cov.last_s >= 0)
		json_double(w, cov.last_s);
	else
		json_null(w);
	json_end_object(w);
}

void trace_close(struct trace *t)
{
	timeline_free(t->tl);
	tpstats_free(t->tps);
	profile_free(t->prof);
	symbolizer_close(t->sym);
	stream_close(t->stream);
	memset(t, 0, sizeof(*t));
}
