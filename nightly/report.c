/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report_write (report.h): the night's folder, every file of it written
 * even when gnuplot is missing or fails (the page says so). The parts are
 * report_plots.c, report_html.c, report_md.c and report_junit.c.
 */
#include "report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "why.h"

typedef int (*report_part_fn)(const struct report *r, const void *arg,
			      FILE *f);

static int part_markdown(const struct report *r, const void *arg, FILE *f)
{
	(void)arg;
	return report_write_markdown(r, f);
}

static int part_junit(const struct report *r, const void *arg, FILE *f)
{
	(void)arg;
	return report_write_junit(r, f);
}

struct page_arg {
	const char *const *plots;
	const char *note;
};

static int part_html(const struct report *r, const void *arg, FILE *f)
{
	const struct page_arg *a = arg;

	return report_write_html_note(r, a->plots, a->note, f);
}

/* dir/name written by fn; 0 or -errno with why. */
static int write_part(const struct report *r, const char *dir,
		      const char *name, report_part_fn fn, const void *arg,
		      char *why, size_t why_len)
{
	FILE *f = report_file_open(dir, name);
	int e, c;

	if (!f) {
		e = -errno;
		goto fail;
	}
	e = fn(r, arg, f);
	c = report_file_close(f);
	if (!e)
		e = c;
	if (!e)
		return 0;
fail:
	snprintf(why, why_len, "cannot write %s/%s: %s", dir, name,
		 strerror(-e));
	return e;
}

int report_write(const struct report *r, const char *dir, char *why,
		 size_t why_len)
{
	char plot_why[UNITUNE_WHY_MAX] = "";
	struct page_arg page = { 0 };
	char **names = calloc(r->n_series + 1, sizeof(*names));
	size_t i;
	int e, plots_e = 0;

	if (!names) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	e = paths_mkdir_p(dir, 0777);
	if (e) {
		snprintf(why, why_len, "cannot create %s: %s", dir,
			 strerror(-e));
		goto out;
	}
	plots_e = report_write_plots(r, dir, names, plot_why,
				     sizeof(plot_why));
	page.plots = (const char *const *)names;
	page.note = plots_e ? plot_why : NULL;
	e = write_part(r, dir, "index.html", part_html, &page, why, why_len);
	if (!e)
		e = write_part(r, dir, "summary.md", part_markdown, NULL, why,
			       why_len);
	if (!e)
		e = write_part(r, dir, "junit.xml", part_junit, NULL, why,
			       why_len);
	/* No gnuplot is no error: the page says so. A failed plot is, once
	 * everything else is written. */
	if (!e && plots_e && plots_e != -ENOENT) {
		e = plots_e;
		snprintf(why, why_len, "%s", plot_why);
	}
out:
	for (i = 0; i < r->n_series; i++)
		free(names[i]);
	free(names);
	return e;
}
