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
#include <limits.h>

#include "exp_report.h"
#include "why.h"
#include "tmpdir.h"
#include "tuner_synth.h"

static void contains(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' not found", what);
}

/* The order the search proposed the variants in: 3, 1, 5, 4, 2, 6. */
static void add_points(struct synth *s)
{
	static const size_t order[] = { 3, 1, 5, 4, 2, 6 };
	struct strbuf req = STRBUF_INIT;
	size_t i;

	for (i = 0; i < SYNTH_N; i++) {
		req.len = 0;
		assert_int_equal(space_point_format(
					 s->space,
					 synth_variants[order[i] - 1].idx,
					 &req),
				 0);
		assert_int_equal(store_point_add(s->st, s->exp, req.buf,
						 (int64_t)order[i]),
				 1);
	}
	strbuf_release(&req);
}

static void test_report_files_and_numbers(void **state)
{
	struct synth *s = *state;
	char why[UNITUNE_WHY_MAX] = "";
	char dir[PATH_MAX];
	char *html, *dat;
	int r;

	tmpdir_make(dir, sizeof(dir), "report", "out");
	add_points(s);
	r = exp_report_write(s->st, s->exp, s->space, s->kc, dir, 0, why,
			     sizeof(why));
	if (r)
		fail_msg("exp_report_write: %d %s", r, why);

	html = tmpdir_slurp(dir, "index.html");
	contains(html, "<h1>Experiment synth</h1>");
	contains(html, "<p>v4 (config hash <code>hash4</code>): boot_cycles "
		       "= <b>84</b> cycles");
	contains(html, "<code>CONFIG_UKBOOT_STACK_KB=128</code>");
	/* Option headers may break after each '_'; the metrics come
	 * first, so a table wider than the page still shows them. */
	contains(html, "<th>rank</th><th>variant</th><th>boot_cycles "
		       "(cycles)</th><th>image_size (bytes)</th>");
	contains(html, "<th class=\"opt\" title=\"CONFIG_UKALLOC_BACKEND\">"
		       "UKALLOC_<wbr>BACKEND</th>");
	contains(html, "<th class=\"opt\" title=\"CONFIG_UKBOOT_BANNER\">"
		       "UKBOOT_<wbr>BANNER</th>");
	contains(html, "<div class=\"wide\"><table>");
	contains(html, "84 <span class=\"sd\">&plusmn;4 (n=3)</span>");
	contains(html, "<img src=\"objective.svg\"");
	contains(html, "<img src=\"effects.svg\"");
	contains(html, "<img src=\"pareto.svg\"");
	/* The stack has no dependency: its change is a surprise, listed. */
	contains(html, "Changed by kconfig</h2>\n<p>1 change although");
	contains(html, "<td>v4</td><td>CONFIG_UKBOOT_STACK_KB</td>"
		       "<td>64</td><td>128</td>");
	assert_null(strstr(html, "not applicable in"));
	contains(html, "<img src=\"convergence.svg\"");
	contains(html, "<li>grid: synth (this experiment)</li>");
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

	/* Bars coloured by the stack (the largest effect): 16 blue
	 * (0x0072b2), 64 orange (0xe69f00), v4's 128 none of them (grey
	 * 0x999999); failures red (0xc03030). Labelled by the options. */
	dat = tmpdir_slurp(dir, "objective.dat");
	contains(dat, "\n1 4 84 done 10066329 \"v4 TLSF/128/n\"\n"
		      "2 2 90 done 15113984 \"v2 REGION/64/y\"\n"
		      "3 1 105 done 29362 \"v1 REGION/16/y\"\n"
		      "4 3 120 done 29362 \"v3 TLSF/16/y\"\n\n\n"
		      "5 5 0 crashed 12595248 \"v5 REGION/16/n\"\n"
		      "6 6 0 build_failed 12595248 \"v6 TLSF/16/n\"\n");
	free(dat);
	dat = tmpdir_slurp(dir, "objective.gp");
	contains(dat, "keyentry with boxes lc rgb '#0072b2' title "
		      "'CONFIG_UKBOOT_STACK_KB=16'");
	contains(dat, "keyentry with boxes lc rgb '#999999' title "
		      "'CONFIG_UKBOOT_STACK_KB: other, or not applicable'");
	free(dat);
	dat = tmpdir_slurp(dir, "effects.dat");
	contains(dat, "# CONFIG_UKBOOT_STACK_KB effect 22.5\n"
		      "# value mean n label\n16 112.5 2 16\n64 90 1 64\n\n\n"
		      "# CONFIG_UKBOOT_BANNER effect 21\n# value mean n label\n"
		      "y 105 3 y\nn 84 1 n\n\n\n"
		      "# CONFIG_UKALLOC_BACKEND effect 4.5\n"
		      "# value mean n label\n"
		      "UKALLOC_REGION 97.5 2 REGION\nUKALLOC_TLSF 102 2 TLSF\n");
	free(dat);
	/* An int's values in order are joined; a bool's or a choice's are
	 * separate dots. */
	dat = tmpdir_slurp(dir, "effects.gp");
	contains(dat, "index 0 using 0:2:xtic(4) with linespoints");
	contains(dat, "index 1 using 0:2:xtic(4) with points pt 7");
	contains(dat, "index 2 using 0:2:xtic(4) with points pt 7");
	free(dat);
	dat = tmpdir_slurp(dir, "pareto.dat");
	contains(dat, "\n4 84 1300 1\n2 90 1200 1\n1 105 1250 1\n"
		      "3 120 900 1\n\n\n4 84 1300 1\n2 90 1200 1\n"
		      "3 120 900 1\n");
	free(dat);
	dat = tmpdir_slurp(dir, "pareto.gp");
	contains(dat, "set key below");
	free(dat);
	/* Evaluated v3, v1, v5 (crashed), v4, v2, v6 (failed). */
	dat = tmpdir_slurp(dir, "convergence.dat");
	contains(dat, "# grid: synth (this experiment)\n# evaluation best\n"
		      "1 120\n2 105\n3 105\n4 84\n5 84\n6 84\n");
	free(dat);


	assert_true(tmpdir_size(dir, "objective.gp") > 0);
	assert_true(tmpdir_size(dir, "effects.gp") > 0);
	assert_true(tmpdir_size(dir, "pareto.gp") > 0);
	dat = tmpdir_slurp(dir, "objective.svg");
	contains(dat, "<svg");
	free(dat);
	assert_true(tmpdir_size(dir, "effects.svg") > 0);
	assert_true(tmpdir_size(dir, "pareto.svg") > 0);
	tmpdir_remove(dir);
}

/* Wall-clock samples (tuner_synth.h's synth_noisy): medians with their
 * intervals, the tie above the tables, the variant near the front. */
static void test_report_of_a_tie(void **state)
{
	struct synth *s = *state;
	int64_t exp = synth_noisy_experiment(s, "noisy", synth_noisy,
					     SYNTH_NOISY_N);
	char why[UNITUNE_WHY_MAX] = "", dir[PATH_MAX], want[256];
	char *html, *gp, *dat;
	int r;

	tmpdir_make(dir, sizeof(dir), "report", "out");
	r = exp_report_write(s->st, exp, s->space, s->kc, dir, 0, why,
			     sizeof(why));
	if (r && r != EXP_REPORT_NO_PLOTS)
		fail_msg("exp_report_write: %d %s", r, why);
	html = tmpdir_slurp(dir, "index.html");
	/* Variant ids follow the synth experiment's six. */
	contains(html, "boot_cycles = <b>101 [100, 102]</b> cycles");
	contains(html, "<div class=\"warn\"><b>tie: the 95% intervals of v7 "
		       "and v8 on boot_cycles overlap: the measurements do "
		       "not say which is best</b>");
	contains(html, "<li>  v8     102 [101, 103] cycles, 3 repetitions"
		       "</li>");
	contains(html, "<tr class=\"tied\"><td class=\"num\">2</td>"
		       "<td>v8 <span class=\"sd\">tie</span></td>");
	contains(html, "<td class=\"num\">101 <span class=\"sd\" "
		       "title=\"bootstrap 95% interval of the median\">"
		       "[100, 102] (n=3)</span></td>");
	contains(html, "<p>Near the front: 1 variant off it by its medians");
	gp = tmpdir_slurp(dir, "pareto.gp");
	contains(gp, "'pareto.dat' index 2 using 2:3 with points pt 6");
	/* Block 2 of the data: v8 at its medians. */
	dat = tmpdir_slurp(dir, "pareto.dat");
	snprintf(want, sizeof(want), "\n\n\n8 102 1000 1\n");
	contains(dat, want);
	free(dat);
	free(gp);
	free(html);
	tmpdir_remove(dir);
}

static void test_report_without_gnuplot(void **state)
{
	struct synth *s = *state;
	char why[UNITUNE_WHY_MAX] = "";
	char dir[PATH_MAX], *path = getenv("PATH");
	char *saved = path ? strdup(path) : NULL;
	char *html;
	int r;

	tmpdir_make(dir, sizeof(dir), "report", "out");
	setenv("PATH", "/nonexistent", 1);
	r = exp_report_write(s->st, s->exp, s->space, s->kc, dir, 2, why,
			     sizeof(why));
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	assert_int_equal(r, EXP_REPORT_NO_PLOTS);
	contains(why, "plots not rendered: gnuplot is not installed");
	html = tmpdir_slurp(dir, "index.html");
	contains(html, "<b>Plots not rendered:</b> gnuplot is not installed");
	contains(html, "<h2>Top 2 configurations</h2>");
	contains(html, "2 more successful variants");
	free(html);
	assert_true(tmpdir_size(dir, "objective.dat") > 0);
	assert_true(tmpdir_size(dir, "effects.gp") > 0);
	assert_false(tmpdir_size(dir, "objective.svg") > 0);
	tmpdir_remove(dir);
}

static void test_report_unknown_experiment(void **state)
{
	struct synth *s = *state;
	char why[UNITUNE_WHY_MAX] = "";

	assert_int_equal(exp_report_write(s->st, 999, s->space, s->kc,
					  "/tmp/unitune-report-never", 0,
					  why, sizeof(why)),
			 -ENOENT);
	contains(why, "no experiment 999");
	assert_false(tmpdir_size("/tmp/unitune-report-never", "index.html") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_files_and_numbers),
	    cmocka_unit_test(test_report_of_a_tie),
	    cmocka_unit_test(test_report_without_gnuplot),
	    cmocka_unit_test(test_report_unknown_experiment),
	};

	return cmocka_run_group_tests(tests, synth_setup, synth_teardown);
}
