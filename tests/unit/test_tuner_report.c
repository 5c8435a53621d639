/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The experiment report (tuner/exp_report.c) of the synthetic experiment
 * of tuner_synth.h, written into a temporary directory: the files, the
 * numbers in the plot data, what index.html names, and a clear failure
 * when gnuplot is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>

#include "exp_report.h"
#include "tuner_synth.h"

static char *slurp(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 64];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = strbuf_read_file(&sb, path, SIZE_MAX, NULL, 0);
	if (r)
		fail_msg("cannot read %s: %s", path, strerror(-r));
	return strbuf_detach(&sb, NULL);
}

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && st.st_size > 0;
}

static void contains(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' not found", what);
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void make_dir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/unitune-report-XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* A subdirectory the report must create itself. */
	strncat(dir, "/out", len - strlen(dir) - 1);
}

static void remove_dir(char *dir)
{
	*strrchr(dir, '/') = '\0';
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void test_report_files_and_numbers(void **state)
{
	struct synth *s = *state;
	struct strbuf err = STRBUF_INIT;
	char dir[PATH_MAX];
	char *html, *dat;
	int r;

	make_dir(dir, sizeof(dir));
	r = exp_report_write(s->st, s->exp, s->space, dir, 0, &err);
	if (r)
		fail_msg("exp_report_write: %d %s", r, err.buf);

	html = slurp(dir, "index.html");
	contains(html, "<h1>Experiment synth</h1>");
	contains(html, "<p>v4 (config hash <code>hash4</code>): boot_cycles "
		       "= <b>84</b> cycles");
	contains(html, "<code>CONFIG_UKBOOT_STACK_KB=128</code>");
	contains(html, "<th>CONFIG_UKALLOC_BACKEND</th>");
	contains(html, "<th>CONFIG_UKBOOT_BANNER</th>");
	contains(html, "84 <span class=\"sd\">&plusmn;4 (n=3)</span>");
	contains(html, "<img src=\"objective.svg\"");
	contains(html, "<img src=\"effects.svg\"");
	contains(html, "<img src=\"pareto.svg\"");
	contains(html, "<td>v4</td><td>CONFIG_UKBOOT_STACK_KB</td>"
		       "<td>64</td><td>128</td>");
	contains(html, "<td class=\"fail\">crashed</td>");
	contains(html, "<code>panic: oops</code>");
	contains(html, "<code>error: x</code>");
	contains(html, "QEMU emulator version 8.2.2");
	contains(html, "0123abc");
	contains(html, "4 done, 1 build_failed, 1 crashed");
	/* The effects table: stack first, 22.5 = 22.6% of 99.75 (v4
	 * resolved to a stack of 128, none of the values: left out). */
	contains(html, "<tr><td>CONFIG_UKBOOT_STACK_KB</td><td class=\"num\">"
		       "22.5</td><td class=\"num\">22.6%</td><td>16: 112.5 "
		       "(2)<br>64: 90 (1)<br>");
	assert_null(strstr(html, "not rendered"));
	free(html);

	dat = slurp(dir, "objective.dat");
	contains(dat, "\n1 4 84 done\n2 2 90 done\n3 1 105 done\n"
		      "4 3 120 done\n\n\n5 5 0 crashed\n6 6 0 build_failed\n");
	free(dat);
	dat = slurp(dir, "effects.dat");
	contains(dat, "# CONFIG_UKBOOT_STACK_KB effect 22.5\n# value mean n\n"
		      "16 112.5 2\n64 90 1\n\n\n"
		      "# CONFIG_UKBOOT_BANNER effect 21\n# value mean n\n"
		      "y 105 3\nn 84 1\n\n\n"
		      "# CONFIG_UKALLOC_BACKEND effect 4.5\n# value mean n\n"
		      "UKALLOC_REGION 97.5 2\nUKALLOC_TLSF 102 2\n");
	free(dat);
	dat = slurp(dir, "pareto.dat");
	contains(dat, "\n4 84 1300\n2 90 1200\n1 105 1250\n3 120 900\n\n\n"
		      "4 84 1300\n2 90 1200\n3 120 900\n");
	free(dat);

	assert_true(exists(dir, "objective.gp"));
	assert_true(exists(dir, "effects.gp"));
	assert_true(exists(dir, "pareto.gp"));
	dat = slurp(dir, "objective.svg");
	contains(dat, "<svg");
	free(dat);
	assert_true(exists(dir, "effects.svg"));
	assert_true(exists(dir, "pareto.svg"));
	strbuf_release(&err);
	remove_dir(dir);
}

static void test_report_without_gnuplot(void **state)
{
	struct synth *s = *state;
	struct strbuf err = STRBUF_INIT;
	char dir[PATH_MAX], *path = getenv("PATH");
	char *saved = path ? strdup(path) : NULL;
	char *html;
	int r;

	make_dir(dir, sizeof(dir));
	setenv("PATH", "/nonexistent", 1);
	r = exp_report_write(s->st, s->exp, s->space, dir, 2, &err);
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	assert_int_equal(r, EXP_REPORT_NO_PLOTS);
	contains(err.buf, "plots not rendered: gnuplot is not installed");
	html = slurp(dir, "index.html");
	contains(html, "<b>Plots not rendered:</b> gnuplot is not installed");
	contains(html, "<h2>Top 2 configurations</h2>");
	contains(html, "2 more successful variants");
	free(html);
	assert_true(exists(dir, "objective.dat"));
	assert_true(exists(dir, "effects.gp"));
	assert_false(exists(dir, "objective.svg"));
	strbuf_release(&err);
	remove_dir(dir);
}

static void test_report_unknown_experiment(void **state)
{
	struct synth *s = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(exp_report_write(s->st, 999, s->space,
					  "/tmp/unitune-report-never", 0,
					  &err),
			 -ENOENT);
	contains(err.buf, "no experiment 999");
	assert_false(exists("/tmp/unitune-report-never", "index.html"));
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_files_and_numbers),
	    cmocka_unit_test(test_report_without_gnuplot),
	    cmocka_unit_test(test_report_unknown_experiment),
	};

	return cmocka_run_group_tests(tests, synth_setup, synth_teardown);
}
