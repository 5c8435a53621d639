/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The night's report (nightly/report.h) of one hand-made night: a
 * confirmed (exact) regression with its culprit, bisection and profile
 * diff, a confirmed wall-clock improvement, an unconfirmed and a refuted
 * suspect, a metric with too little history, a metric that failed
 * tonight and a commit that did not build, with subjects and reasons
 * holding what breaks each format (< & " | newline, control characters,
 * invalid UTF-8). Checks the exact Markdown, the JUnit counts, mapping
 * and well-formedness (xmllint when installed), the page's pieces and
 * the files report_write makes, with gnuplot and without.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* By path: profiler/report.h comes first on the include path. */
#include "../../nightly/report.h"
#include "paths.h"
#include "strbuf.h"
#include "tmpdir.h"
#include "why.h"

#define C0 "0000000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define C1 "1111111111bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define C2 "2222222222cccccccccccccccccccccccccccccc"
#define C3 "3333333333dddddddddddddddddddddddddddddd"
#define HOSTILE "fix <b>&\"x\"|pipe\nsecond\x01\x1b line \xff end"

static const double v0[] = { 1000, 1000 };
static const double v1[] = { 1000, 1000 };
static const double v3[] = { 1100, 1100 };
static const double w0[] = { 50, 52, 51, 49 };
static const double w1[] = { 50, 51, 50, 52 };
static const double w2[] = { 60, 61, 59, 60 };
static const double w3[] = { 60, 62, 61, 60 };

static const struct report_point det_points[] = {
	{ C0, "base", 100, v0, 2, false, NULL },
	{ C1, "noop", 200, v1, 2, false, NULL },
	{ C2, "broken", 300, NULL, 0, true, "build failed" },
	{ C3, HOSTILE, 400, v3, 2, false, NULL },
};

static const struct report_point wall_points[] = {
	{ C0, "base", 100, w0, 4, false, NULL },
	{ C1, "noop", 200, w1, 4, false, NULL },
	{ C2, "faster", 300, w2, 4, false, NULL },
	{ C3, HOSTILE, 400, w3, 4, false, NULL },
};

static const struct report_point one_point[] = {
	{ C3, HOSTILE, 400, v3, 2, false, NULL },
};

static const struct report_series series[] = {
	{ "httpd", "instructions_per_request", "instructions",
	  DETECT_DETERMINISTIC, DETECT_LOWER_IS_BETTER, det_points, 4,
	  DETECT_CHANGED, false, NULL },
	{ "alloc", "ops", "ops/s", DETECT_WALL, DETECT_HIGHER_IS_BETTER,
	  wall_points, 4, DETECT_CHANGED, false, NULL },
	{ "syscall", "round_trip", "n's\nper call", DETECT_WALL,
	  DETECT_LOWER_IS_BETTER,
	  wall_points, 4, DETECT_CHANGED, false, NULL },
	{ "hello", "boot_cycles", "cycles", DETECT_DETERMINISTIC,
	  DETECT_LOWER_IS_BETTER, one_point, 1, DETECT_TOO_LITTLE_HISTORY,
	  false, NULL },
	{ "libc", "memcpy", "ns", DETECT_WALL, DETECT_LOWER_IS_BETTER,
	  wall_points, 2, DETECT_NO_CHANGE, true,
	  "crashed: <panic> & \"oops\"" },
};

static const struct report_step steps[] = {
	{ C1, "noop", 1000, false, false },
	{ C2, "broken", 0, false, true },
	{ C3, HOSTILE, 1100, true, false },
};

static const struct report_change changes[] = {
	{ .benchmark = "httpd", .metric = "instructions_per_request",
	  .unit = "instructions", .commit = C3, .subject = HOSTILE,
	  .before_commit = C1, .before = 1000, .after = 1100, .rel = 0.1,
	  .method = DETECT_EXACT, .direction = DETECT_REGRESSION,
	  .confirmation = REPORT_EXACT, .culprit = C3,
	  .culprit_subject = HOSTILE, .steps = steps, .n_steps = 3,
	  .profile_diff = "profiles/diff.txt",
	  .profile_flame = "profiles/flame.svg" },
	{ .benchmark = "alloc", .metric = "ops", .unit = "ops/s",
	  .commit = C2, .subject = "faster", .before_commit = C1,
	  .before = 50.5, .after = 60, .rel = 60 / 50.5 - 1, .p = 0.00042,
	  .method = DETECT_EDIVISIVE, .direction = DETECT_IMPROVEMENT,
	  .confirmation = REPORT_CONFIRMED, .confirm_samples = 20 },
	{ .benchmark = "syscall", .metric = "round_trip", .unit = "ns",
	  .commit = C2, .subject = "faster", .before_commit = C1,
	  .before = 50.5, .after = 60, .rel = 60 / 50.5 - 1, .p = 0.0009,
	  .method = DETECT_TWO_SAMPLE, .direction = DETECT_REGRESSION,
	  .confirmation = REPORT_UNCONFIRMED, .confirm_samples = 30 },
	{ .benchmark = "syscall", .metric = "round_trip", .unit = "ns",
	  .commit = C3, .subject = HOSTILE, .before_commit = C2,
	  .before = 60, .after = 61, .rel = 61.0 / 60 - 1, .p = 0.0008,
	  .method = DETECT_TWO_SAMPLE, .direction = DETECT_REGRESSION,
	  .confirmation = REPORT_REFUTED, .confirm_samples = 12 },
};

static const struct report_failure failures[] = {
	{ C2, "broken", "httpd", "build_failed", "error: x < y && \"z\"" },
};

static const char *const commits[] = { C2, C3 };

static const struct report night = {
	.suite = "nightly",
	.fingerprint = "fp0123",
	.host = "buildhost",
	.cpu_model = "Some CPU <model>",
	.qemu_version = "QEMU emulator version 8.2.2",
	.accel = "kvm",
	.commits = commits,
	.n_commits = 2,
	.series = series,
	.n_series = 5,
	.changes = changes,
	.n_changes = 4,
	.failures = failures,
	.n_failures = 1,
	.exit_status = 1,
	.advisory = false,
	.generated = "2026-12-06T02:00:00Z",
};

/* What fn writes for r, as a string (free()). */
static char *written(const struct report *r,
		     int (*fn)(const struct report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(r, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void contains(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' not found in:\n%s", what, text);
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (; (text = strstr(text, what)); text++)
		n++;
	return n;
}

/* No byte XML 1.0 forbids: controls but newline. */
static void no_controls(const char *text)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("control byte 0x%02x at %zu", *p,
				 (size_t)(p - (const unsigned char *)text));
}

static void test_markdown(void **state)
{
	char *md = written(&night, report_write_markdown);

	(void)state;
	assert_string_equal(
		md,
		"## unitune nightly nightly: 1 confirmed regression\n\n"
		"Exit status 1. 1 improvement.\n\n"
		"| metric | change | commit | before → after | ±% | p | "
		"confirmed | culprit |\n"
		"|---|---|---|---|--:|---|---|---|\n"
		"| httpd / instructions\\_per\\_request | regression | "
		"3333333333 fix \\<b\\>\\&\"x\"\\|pipe second line \xef\xbf\xbd end | "
		"1000 → 1100 instructions | +10.00% | exact | exact | "
		"3333333333 fix \\<b\\>\\&\"x\"\\|pipe second line \xef\xbf\xbd end |\n"
		"| alloc / ops | improvement | 2222222222 faster | "
		"50.5 → 60 ops/s | +18.81% | p=0.00042 | "
		"confirmed (20 per side) | - |\n\n"
		"- 1 unconfirmed suspect (listed apart, not counted)\n"
		"- 1 refuted suspect (re-measured: no change)\n"
		"- 1 metric with too little history (no verdict)\n"
		"- 1 metric not measured tonight\n"
		"- 1 failure (commits that did not build or run)\n");
	free(md);
}

static void test_markdown_quiet_night(void **state)
{
	struct report r = night;
	char *md;

	(void)state;
	r.n_changes = 0;
	r.n_failures = 0;
	r.n_series = 2;
	r.exit_status = 0;
	r.advisory = true;
	md = written(&r, report_write_markdown);
	assert_string_equal(
		md,
		"## unitune nightly nightly: no confirmed regression\n\n"
		"Exit status 0 (advisory: exits 0 whatever it finds).\n\n"
		"No change in the measured history.\n\n"
		"- 0 unconfirmed suspects (listed apart, not counted)\n"
		"- 0 metrics with too little history (no verdict)\n"
		"- 0 metrics not measured tonight\n"
		"- 0 failures (commits that did not build or run)\n");
	free(md);
}

/* A long history: the regressions first, at most 30 rows, the rest
 * counted. */
static void test_markdown_many_changes(void **state)
{
	enum { N = 40 };
	struct report_change many[N];
	struct report r = night;
	char *md;
	const char *first_regression, *first_improvement;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		many[i] = changes[1];	/* improvements */
		many[i].subject = "more";
	}
	many[N - 1] = changes[0];	/* the newest: a regression */
	r.changes = many;
	r.n_changes = N;
	md = written(&r, report_write_markdown);
	assert_int_equal(count(md, "| improvement |"), 29);
	assert_int_equal(count(md, "| regression |"), 1);
	first_regression = strstr(md, "| regression |");
	first_improvement = strstr(md, "| improvement |");
	assert_true(first_regression < first_improvement);
	contains(md, "|\n\n10 more changes: see the report's index.html.\n\n"
		     "- 0 unconfirmed suspects");
	free(md);
}

/* xmllint's verdict on text: 0 well-formed, 1 not, -1 no xmllint. */
static int xmllint(const char *text)
{
	char path[] = "/tmp/unitune-junit-XXXXXX", cmd[PATH_MAX + 64];
	char which[PATH_MAX];
	int fd, st;

	if (paths_which("xmllint", which, sizeof(which)))
		return -1;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)),
			 (ssize_t)strlen(text));
	close(fd);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s 2>/dev/null", path);
	st = system(cmd);
	unlink(path);
	return st != 0;
}

static void test_junit(void **state)
{
	char *x = written(&night, report_write_junit);

	(void)state;
	no_controls(x);
	/* Well-formed, by a checker that does say no. */
	if (xmllint(x) >= 0) {
		assert_int_equal(xmllint(x), 0);
		assert_int_equal(xmllint("<a>\x01</a>"), 1);
	}
	contains(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<testsuite name=\"nightly\" tests=\"5\" failures=\"1\" "
		    "errors=\"1\" skipped=\"1\" "
		    "timestamp=\"2026-12-06T02:00:00Z\" "
		    "hostname=\"buildhost\">\n");
	assert_int_equal(count(x, "<testcase "), 5);
	assert_int_equal(count(x, "<failure "), 1);
	assert_int_equal(count(x, "<error "), 1);
	assert_int_equal(count(x, "<skipped "), 1);
	contains(x, "  <testcase classname=\"httpd\" "
		    "name=\"instructions_per_request\">\n"
		    "    <failure type=\"regression\" message=\"regression "
		    "+10.00%: 1000 -&gt; 1100 instructions at 3333333333 "
		    "(exact)\">");
	/* The subject: escaped, its newline a reference, the controls and
	 * the invalid byte U+FFFD. */
	contains(x, "  commit " C3 " fix &lt;b&gt;&amp;&quot;x&quot;|pipe"
		    "&#10;second\xef\xbf\xbd\xef\xbf\xbd line \xef\xbf\xbd end");
	contains(x, "  culprit " C3 " fix &lt;b&gt;");
	contains(x, "<testcase classname=\"alloc\" name=\"ops\">\n"
		    "    <system-out>improvement +18.81%: 50.5 -&gt; 60 ops/s "
		    "at 2222222222 (p=0.00042, confirmed)");
	contains(x, "<testcase classname=\"syscall\" name=\"round_trip\">\n"
		    "    <system-out>regression +18.81%: 50.5 -&gt; 60 ns at "
		    "2222222222 (p=0.0009, unconfirmed)");
	contains(x, "regression +1.67%: 60 -&gt; 61 ns at 3333333333 "
		    "(p=0.0008, refuted)");
	contains(x, "<testcase classname=\"hello\" name=\"boot_cycles\">\n"
		    "    <skipped message=\"too little history: no "
		    "verdict\"/>\n  </testcase>\n");
	contains(x, "<testcase classname=\"libc\" name=\"memcpy\">\n"
		    "    <error type=\"failed\" message=\"crashed: &lt;panic"
		    "&gt; &amp; &quot;oops&quot;\"/>\n  </testcase>\n");
	contains(x, "  <system-out>build_failed: httpd at " C2 " broken: "
		    "error: x &lt; y &amp;&amp; &quot;z&quot;&#10;"
		    "</system-out>\n</testsuite>\n");
	contains(x, "<property name=\"cpu\" value=\"Some CPU &lt;model&gt;\"/>");
	free(x);
}

static int html(const struct report *r, FILE *f)
{
	static const char *const plots[] = { "plots/0.svg", NULL, NULL, NULL,
					     NULL };

	return report_write_html(r, plots, f);
}

static void test_html(void **state)
{
	char *h = written(&night, html);
	const char *apart, *table;

	(void)state;
	no_controls(h);
	contains(h, "<title>unitune nightly: nightly</title>");
	contains(h, "<div class=\"verdict bad\"><b>1 confirmed regression"
		    "</b>; exit status 1.</div>");
	contains(h, "<li>1 unconfirmed suspect (listed apart, not counted)"
		    "</li>");
	contains(h, "<li>1 metric with too little history: no verdict</li>");
	/* The regression's row, cell by cell. */
	contains(h, "<tr class=\"regression\"><td><a href=\"#series-0\">"
		    "httpd / instructions_per_request</a></td><td>regression"
		    "</td><td>"
		    "<code title=\"" C3 "\">3333333333</code> fix &lt;b&gt;"
		    "&amp;&quot;x&quot;|pipe&#10;second\xef\xbf\xbd"
		    "\xef\xbf\xbd line \xef\xbf\xbd end</td>"
		    "<td class=\"num\">1000 &rarr; 1100 instructions</td>"
		    "<td class=\"num rel\">+10.00%</td><td>exact</td>"
		    "<td>exact</td><td>exact</td><td><code title=\"" C3
		    "\">3333333333</code> fix &lt;b&gt;");
	contains(h, "<td><a href=\"profiles/diff.txt\">profile diff</a><br>"
		    "<a href=\"profiles/flame.svg\">flame graph</a></td>");
	contains(h, "<details><summary>3 steps</summary><ol><li><code title=\""
		    C1 "\">1111111111</code> noop: 1000 instructions (good)"
		    "</li><li><code title=\"" C2 "\">2222222222</code> broken: "
		    "skipped (could not be built or measured)</li>");
	contains(h, "1100 instructions (bad)</li></ol></details>");
	contains(h, "<td class=\"num rel\">+18.81%</td><td>p=0.00042</td>"
		    "<td>e-divisive</td><td>confirmed (20 per side)</td>");
	/* Suspects apart, after the table of changes. */
	table = strstr(h, "<h2>Changes</h2>");
	apart = strstr(h, "<h2>Suspects listed apart</h2>");
	assert_non_null(table);
	assert_non_null(apart);
	assert_true(apart > table);
	/* Not in the table of changes, only apart. */
	assert_ptr_equal(strstr(h, "unconfirmed (30 per side)"),
			 strstr(apart, "unconfirmed (30 per side)"));
	contains(apart, "<td>two-sample</td><td>unconfirmed (30 per side)"
			"</td></tr>");
	contains(apart, "<td>refuted (12 per side)</td></tr>");
	contains(h, "<h2>Too little history</h2>");
	contains(h, "<li>hello / boot_cycles (deterministic): 1 measured "
		    "commit</li>");
	contains(h, "<p>Not measured tonight, no verdict: libc / memcpy: "
		    "crashed: &lt;panic&gt; &amp; &quot;oops&quot;</p>");
	contains(h, "<td>httpd</td><td>build_failed</td><td>error: x &lt; y "
		    "&amp;&amp; &quot;z&quot;</td>");
	contains(h, "<tr><th>fingerprint</th><td>fp0123</td></tr>");
	contains(h, "<tr><th>CPU</th><td>Some CPU &lt;model&gt;</td></tr>");
	contains(h, "<tr><th>accelerator</th><td>kvm</td></tr>");
	contains(h, "2 commits: <code>2222222222</code> <code>3333333333"
		    "</code>");
	contains(h, "<h3 id=\"series-0\">httpd / instructions_per_request"
		    "</h3>");
	contains(h, "<img src=\"plots/0.svg\" alt=\"history of httpd / "
		    "instructions_per_request\">");
	contains(h, "No plot rendered: its data and script are plots/1.dat "
		    "and plots/1.gp.");
	assert_null(strstr(h, "<b>&"));
	assert_null(strstr(h, "Plots not rendered"));
	free(h);
}

/* The files, each as its writer makes it alone. */
static void same_as_parts(const char *dir)
{
	char *md = tmpdir_slurp(dir, "summary.md"), *x = tmpdir_slurp(dir, "junit.xml");
	char *want_md = written(&night, report_write_markdown);
	char *want_x = written(&night, report_write_junit);

	assert_string_equal(md, want_md);
	assert_string_equal(x, want_x);
	free(md);
	free(x);
	free(want_md);
	free(want_x);
}

static void test_write(void **state)
{
	char dir[PATH_MAX], why[UNITUNE_WHY_MAX] = "", gp[PATH_MAX];
	char *h, *script, *dat;
	int r;

	(void)state;
	if (paths_which("gnuplot", gp, sizeof(gp)))
		skip();
	tmpdir_make(dir, sizeof(dir), "nightly", "night");
	r = report_write(&night, dir, why, sizeof(why));
	if (r)
		fail_msg("report_write: %d %s", r, why);
	same_as_parts(dir);
	/* Every series with a measurement has its plot. */
	assert_true(tmpdir_size(dir, "plots/0.svg") > 0);
	assert_true(tmpdir_size(dir, "plots/1.svg") > 0);
	assert_true(tmpdir_size(dir, "plots/3.svg") > 0);
	assert_true(tmpdir_size(dir, "plots/4.svg") > 0);
	h = tmpdir_slurp(dir, "index.html");
	contains(h, "<img src=\"plots/0.svg\"");
	contains(h, "<img src=\"plots/4.svg\"");
	assert_null(strstr(h, "Plots not rendered"));
	/* The data: every repetition, then the medians; the failed commit
	 * has neither, only its dotted line; the change its line. */
	dat = tmpdir_slurp(dir, "plots/1.dat");
	contains(dat, "\n0 50\n0 52\n0 51\n0 49\n1 50\n");
	contains(dat, "3 62\n3 61\n3 60\n\n\n0 50.5\n1 50.5\n2 60\n3 60.5\n");
	free(dat);
	dat = tmpdir_slurp(dir, "plots/0.dat");
	contains(dat, "\n1 1000\n3 1100\n3 1100\n\n\n0 1000\n1 1000\n"
		      "3 1100\n");
	free(dat);
	script = tmpdir_slurp(dir, "plots/0.gp");
	contains(script, "set title 'httpd / instructions_per_request "
			 "(deterministic, lower is better)'\n");
	contains(script, "set arrow from 2, graph 0 to 2, graph 1 nohead "
			 "lc rgb '#c03030' dt 3\n");
	contains(script, "set arrow from 2.5, graph 0 to 2.5, graph 1 nohead "
			 "lw 2 lc rgb '#c03030' dt 1\n"
			 "set label '+10.00%' at 2.5, graph 0.95");
	contains(script, "set xtics rotate by -45 ('0000000000' 0, "
			 "'1111111111' 1, '2222222222' 2, '3333333333' 3)\n");
	free(script);
	script = tmpdir_slurp(dir, "plots/2.gp");
	/* A unit's newline would end gnuplot's command: a space. */
	contains(script, "set ylabel 'n''s per call'\n");
	assert_true(tmpdir_size(dir, "plots/2.svg") > 0);
	/* Suspects apart: dashed grey, a question mark. */
	contains(script, "lw 2 lc rgb '#999999' dt 2\nset label '+18.81%?' "
			 "at 1.5, graph 0.95");
	free(script);
	free(h);
	tmpdir_remove(dir);
}

/* No gnuplot on PATH: no error, the page says so, the rest is there. */
static void test_write_without_gnuplot(void **state)
{
	char dir[PATH_MAX], why[UNITUNE_WHY_MAX] = "";
	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char *h;
	int r;

	(void)state;
	tmpdir_make(dir, sizeof(dir), "nightly", "night");
	setenv("PATH", "/nonexistent", 1);
	r = report_write(&night, dir, why, sizeof(why));
	if (path)
		setenv("PATH", path, 1);
	free(path);
	if (r)
		fail_msg("report_write: %d %s", r, why);
	same_as_parts(dir);
	h = tmpdir_slurp(dir, "index.html");
	contains(h, "<p class=\"warn\"><b>Plots not rendered:</b> ");
	contains(h, "gnuplot");
	assert_null(strstr(h, "<img "));
	assert_int_equal(tmpdir_size(dir, "plots/0.svg"), -1);
	assert_true(tmpdir_size(dir, "plots/0.gp") > 0);
	free(h);
	tmpdir_remove(dir);
}

/* A long flat history, a series never measured, nothing else: the tics
 * thinned, the flat range set, no plot for the empty one, the counts
 * zero. */
static void test_write_edges(void **state)
{
	enum { N = 100 };
	static char shas[N][41];
	static double one[N];
	struct report_point pts[N];
	struct report_series ser[2] = {
		{ "hello", "image_size", "bytes", DETECT_DETERMINISTIC,
		  DETECT_LOWER_IS_BETTER, pts, N, DETECT_NO_CHANGE, false,
		  NULL },
		{ "httpd", "rps", "req/s", DETECT_WALL, DETECT_HIGHER_IS_BETTER,
		  NULL, 0, DETECT_TOO_LITTLE_HISTORY, false, NULL },
	};
	struct report r = { .suite = "s", .series = ser, .n_series = 2 };
	char dir[PATH_MAX], why[UNITUNE_WHY_MAX] = "", gp[PATH_MAX];
	char *h, *script, *x;
	size_t i;

	(void)state;
	if (paths_which("gnuplot", gp, sizeof(gp)))
		skip();
	for (i = 0; i < N; i++) {
		snprintf(shas[i], sizeof(shas[i]), "c%03zu%036d", i, 0);
		one[i] = 1000;
		pts[i] = (struct report_point){ shas[i], "s", (int64_t)i,
						&one[i], 1, false, NULL };
	}
	tmpdir_make(dir, sizeof(dir), "nightly", "night");
	if (report_write(&r, dir, why, sizeof(why)))
		fail_msg("report_write: %s", why);
	script = tmpdir_slurp(dir, "plots/0.gp");
	contains(script, "set yrange [990:1010]\n");
	/* Every third commit named: 0, 3, ... 99. */
	assert_int_equal(count(script, "000000' "), 34);
	contains(script, "('c000000000' 0, 'c003000000' 3, ");
	contains(script, "'c099000000' 99)\n");
	assert_int_equal(tmpdir_size(dir, "plots/1.gp"), -1);
	h = tmpdir_slurp(dir, "index.html");
	contains(h, "<div class=\"verdict good\"><b>No confirmed regression"
		    "</b>; exit status 0.</div>");
	contains(h, "<p>No change in the measured history.</p>");
	assert_null(strstr(h, "Suspects listed apart"));
	contains(h, "<li>httpd / rps (wall): 0 measured commits</li>");
	contains(h, "<h2>Failures</h2>\n<p>None.</p>");
	contains(h, "<p class=\"sd\">No measurement to plot.</p>");
	x = tmpdir_slurp(dir, "junit.xml");
	contains(x, "tests=\"2\" failures=\"0\" errors=\"0\" "
		    "skipped=\"1\">");
	contains(x, "<testcase classname=\"hello\" name=\"image_size\">\n"
		    "  </testcase>\n");
	free(x);
	free(h);
	free(script);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_markdown_quiet_night),
		cmocka_unit_test(test_markdown_many_changes),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_without_gnuplot),
		cmocka_unit_test(test_write_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
