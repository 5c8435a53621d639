/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

static double pct(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0.0;
}

/* A source path relative to the current directory when it is under it:
 * DWARF paths are absolute and long, and the tree is usually the cwd. */
static const char *short_path(const char *path, const char *cwd)
{
	size_t n = strlen(cwd);

	if (n > 1 && !strncmp(path, cwd, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

void report_top(const struct profile *p, FILE *out, size_t limit)
{
	uint64_t total = profile_samples(p);
	const struct prof_func **v;
	char cwd[PATH_MAX];
	size_t n, i;

	if (!total) {
		fprintf(out, "no samples: nothing to rank (was the sampler "
			"on? unitune record --freq HZ)\n");
		return;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	v = profile_by_self(p, &n);
	if (!v) {
		fprintf(out, "out of memory\n");
		return;
	}
	if (limit && limit < n)
		n = limit;
	fprintf(out, "%7s %8s %7s %8s  %-36s %s\n", "self%", "self",
		"total%", "total", "function", "hottest line (share)");
	for (i = 0; i < n; i++) {
		const struct prof_func *f = v[i];

		fprintf(out, "%6.2f%% %8llu %6.2f%% %8llu  %-36s", pct(f->self, total),
			(unsigned long long)f->self, pct(f->total, total),
			(unsigned long long)f->total, f->name);
		if (f->hot_file)
			fprintf(out, " %s:%d (%.1f%%)",
				short_path(f->hot_file, cwd),
				f->hot_line, pct(f->hot_count, total));
		fprintf(out, "\n");
	}
	if (n < profile_nfuncs(p))
		fprintf(out, "... %zu more functions (--limit 0 shows all)\n",
			profile_nfuncs(p) - n);
	free(v);
}

int report_top_json(const struct profile *p, struct json *w, size_t limit)
{
	uint64_t total = profile_samples(p);
	const struct prof_func **v;
	size_t n, i;

	v = profile_by_self(p, &n);
	if (!v && profile_nfuncs(p))
		return -ENOMEM;
	json_key(w, "functions_total");
	json_u64(w, n);
	json_key(w, "functions");
	json_begin_array(w);
	if (limit && limit < n)
		n = limit;
	for (i = 0; i < n; i++) {
		const struct prof_func *f = v[i];

		json_begin_object(w);
		json_key(w, "function");
		json_string(w, f->name);
		json_key(w, "self");
		json_u64(w, f->self);
		json_key(w, "self_share");
		json_double(w, pct(f->self, total));
		json_key(w, "total");
		json_u64(w, f->total);
		json_key(w, "total_share");
		json_double(w, pct(f->total, total));
		json_key(w, "file");
		json_string(w, f->hot_file);
		json_key(w, "line");
		if (f->hot_file)
			json_i64(w, f->hot_line);
		else
			json_null(w);
		json_key(w, "line_share");
		if (f->hot_file)
			json_double(w, pct(f->hot_count, total));
		else
			json_null(w);
		json_end_object(w);
	}
	json_end_array(w);
	free(v);
	return 0;
}
