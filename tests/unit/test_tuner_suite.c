/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nightly suite files (tuner/suite.c, suite_metric.c): a valid suite with
 * every key, the defaults, every class of error with its message and
 * line, the metric units, and the shipped benchmarks/suites/nightly.yaml
 * against the real Kconfig tree. Each test writes its files into a
 * folder of its own under /tmp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kconfig.h"
#include "kconfig_fixture.h"
#include "strbuf.h"
#include "suite.h"
#include "why.h"

/* fixtures/ is tests/unit/fixtures: the tree root is three levels up. */
#define ROOT UT_FIXTURES "/../../.."
#define NIGHTLY ROOT "/benchmarks/suites/nightly.yaml"

struct fix {
	struct kconfig *kc;
	char dir[64];
	char path[128];		/* DIR/suite.yaml */
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/unitune-suite-XXXXXX");
	if (!mkdtemp(f->dir) ||
	    kconfig_fixture_setup((void **)&f->kc, ROOT "/unikernel")) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/suite.yaml", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char p[192];
	static const char *const files[] = {
		"suite.yaml", "frag.config", "bad.config", "other.yml",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	kconfig_free(f->kc);
	free(f);
	return 0;
}

static void put(const struct fix *f, const char *name, const char *text)
{
	char p[192];

	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	assert_int_equal(strbuf_write_file(p, text, strlen(text), false), 0);
}

static struct suite *load_ok(const struct fix *f, const char *path)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct suite *s = NULL;
	int r = suite_load(path, f->kc, &s, why, sizeof(why));

	if (r)
		fail_msg("suite_load(%s): %d %s", path, r, why);
	assert_non_null(s);
	return s;
}

static const struct suite_metric *metric(const struct suite_bench *b,
					 const char *name)
{
	size_t i;

	for (i = 0; i < b->n_metrics; i++)
		if (!strcmp(b->metrics[i].name, name))
			return &b->metrics[i];
	fail_msg("no metric %s in %s", name, b->name);
	return NULL;
}

/* Every key. */
static const char valid[] =
	"name: every-key\n"
	"benchmarks:\n"
	"  - name: alloc\n"
	"    app: allocbench\n"
	"    config_file: frag.config\n"
	"    config: {CONFIG_UKBOOT_STACK_KB: 64, CONFIG_UKBOOT_BANNER: n,\n"
	"             CONFIG_UK_APPNAME: 'a \"b\" c'}\n"
	"    args: [\"2\"]\n"
	"    metrics: [alloc.small.cycles_per_op, alloc.mixed.peak_heap,\n"
	"              image_size, min_mem]\n"
	"    repetitions: 5\n"
	"    mode: wall\n"
	"    warmup: 2\n"
	"    threshold: 0.5%\n"
	"    min_effect: {alloc.small.cycles_per_op: 0.05}\n"
	"    better: {alloc.mixed.peak_heap: higher}\n"
	"  - name: web.wrk_1\n"
	"    app: httpd\n"
	"    kind: http\n"
	"    http: {duration: 2s, warmup: 1s, connections: 4}\n"
	"    metrics: [http.wrk.requests_per_s, http.wrk.latency_p99_us,\n"
	"              http.guest.instructions_per_request]\n"
	"    repetitions: 3\n"
	"    mode: wall\n";

static void test_valid(void **state)
{
	struct fix *f = *state;
	const struct suite_bench *a, *w;
	struct suite *s;
	char want[192];

	put(f, "suite.yaml", valid);
	put(f, "frag.config", "CONFIG_UKBOOT_STACK_KB=32\n");
	s = load_ok(f, f->path);
	assert_string_equal(s->name, "every-key");
	assert_string_equal(s->path, f->path);
	assert_string_equal(s->text, valid);
	assert_int_equal(s->n_benches, 2);

	a = suite_find(s, "alloc");
	assert_ptr_equal(a, &s->benches[0]);
	assert_int_equal(a->line, 3);
	assert_string_equal(a->space->app, "allocbench");
	assert_string_equal(a->space->bench.app, "allocbench");
	assert_int_equal(a->space->app_line, 4);
	snprintf(want, sizeof(want), "%s/frag.config", f->dir);
	assert_string_equal(a->space->base_config, want);
	assert_int_equal(a->space->base_config_line, 5);
	assert_string_equal(a->config, "CONFIG_UKBOOT_STACK_KB=64\n"
			    "# CONFIG_UKBOOT_BANNER is not set\n"
			    "CONFIG_UK_APPNAME=\"a \\\"b\\\" c\"\n");
	assert_int_equal(a->space->bench.n_args, 1);
	assert_string_equal(a->space->bench.args[0], "2");
	assert_int_equal(a->space->bench.repetitions, 5);
	assert_int_equal(a->space->mode, SPACE_WALL);
	assert_int_equal(a->space->n_options, 0);
	assert_int_equal(a->space->n_objectives, 0);
	assert_int_equal(a->warmup, 2);
	assert_int_equal(a->n_metrics, 4);
	/* threshold: 0.5% for all, min_effect for one, better for one. */
	assert_true(metric(a, "alloc.small.cycles_per_op")->threshold == 0.005);
	assert_true(metric(a, "min_mem")->threshold == 0.005);
	assert_true(metric(a, "alloc.small.cycles_per_op")->min_effect == 0.05);
	assert_true(metric(a, "alloc.mixed.peak_heap")->min_effect == 0.02);
	assert_int_equal(metric(a, "alloc.mixed.peak_heap")->better,
			 SUITE_HIGHER_IS_BETTER);
	assert_int_equal(metric(a, "alloc.small.cycles_per_op")->better,
			 SUITE_LOWER_IS_BETTER);
	/* Wall mode: the clock's metrics are wall, the ELF's and the
	 * bisection's exact. */
	assert_int_equal(metric(a, "alloc.small.cycles_per_op")->kind,
			 STORE_WALL);
	assert_int_equal(metric(a, "image_size")->kind, STORE_DETERMINISTIC);
	assert_int_equal(metric(a, "min_mem")->kind, STORE_DETERMINISTIC);

	w = suite_find(s, "web.wrk_1");
	assert_non_null(w);
	assert_int_equal(w->space->bench.kind, SPACE_BENCH_HTTP);
	assert_int_equal(w->space->bench.http.connections, 4);
	assert_true(w->space->bench.http.duration_ns == 2000000000LL);
	assert_true(w->space->bench.http.warmup_ns == 1000000000LL);
	assert_null(w->space->base_config);
	assert_string_equal(w->config, "");
	assert_int_equal(metric(w, "http.wrk.requests_per_s")->better,
			 SUITE_HIGHER_IS_BETTER);
	assert_int_equal(metric(w, "http.wrk.latency_p99_us")->better,
			 SUITE_LOWER_IS_BETTER);
	assert_int_equal(metric(w, "http.wrk.requests_per_s")->kind,
			 STORE_WALL);
	assert_int_equal(metric(w, "http.guest.instructions_per_request")->kind,
			 STORE_DETERMINISTIC);
	assert_null(suite_find(s, "nope"));
	suite_free(s);
}

/* The least a suite says, and what it gets by default. */
static void test_defaults(void **state)
{
	struct fix *f = *state;
	const struct suite_bench *b;
	const struct suite_metric *m;
	struct suite *s;
	char p[192];

	put(f, "other.yml", "benchmarks:\n"
	    "  - {name: h, app: hello, metrics: [boot_cycles, image_size]}\n"
	    "  - name: per\n"
	    "    app: httpd\n"
	    "    kind: http\n"
	    "    metrics: [http.guest.instructions_per_request]\n");
	snprintf(p, sizeof(p), "%s/other.yml", f->dir);
	s = load_ok(f, p);
	assert_string_equal(s->name, "other");
	b = &s->benches[0];
	assert_int_equal(b->space->mode, SPACE_DETERMINISTIC);
	assert_int_equal(b->space->bench.repetitions, 1);
	assert_int_equal(b->space->bench.kind, SPACE_BENCH_CONSOLE);
	assert_int_equal(b->space->bench.n_args, 0);
	assert_int_equal(b->warmup, 0);
	assert_string_equal(b->config, "");
	m = metric(b, "boot_cycles");
	assert_true(m->threshold == 0.001);
	assert_true(m->min_effect == 0.02);
	assert_int_equal(m->better, SUITE_LOWER_IS_BETTER);
	assert_int_equal(m->kind, STORE_DETERMINISTIC);
	assert_string_equal(m->unit, "cycles");
	assert_string_equal(metric(b, "image_size")->unit, "B");
	/* Kind http in mode deterministic: its deterministic boot only,
	 * with the http defaults of `unitune bench http`. */
	b = &s->benches[1];
	assert_int_equal(b->space->bench.kind, SPACE_BENCH_HTTP);
	assert_int_equal(b->space->bench.http.det_requests, 1000);
	assert_string_equal(b->space->bench.http.path, "/");
	m = metric(b, "http.guest.instructions_per_request");
	assert_int_equal(m->kind, STORE_DETERMINISTIC);
	assert_string_equal(m->unit, "instructions");
	assert_int_equal(m->better, SUITE_LOWER_IS_BETTER);
	suite_free(s);
}

static void test_units(void **state)
{
	static const struct {
		const char *metric, *unit;
	} cases[] = {
		{ "boot_cycles", "cycles" },
		{ "image_size", "B" },
		{ "min_mem", "KiB" },
		{ "alloc.small.cycles_per_op", "cycles/op" },
		{ "alloc.small.cycles", "cycles" },
		{ "alloc.small.peak_heap", "B" },
		{ "alloc.small.ops", "" },
		{ "x.y.whatever", "" },
		{ "http.wrk.requests_per_s", "req/s" },
		{ "http.wrk.bytes_per_s", "B/s" },
		{ "http.wrk.latency_p50_us", "us" },
		{ "http.wrk.non_2xx", "count" },
		{ "http.guest.instructions_per_request", "instructions" },
		{ "not a metric", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(suite_metric_unit(cases[i].metric), cases[i].unit))
			fail_msg("%s: unit '%s', want '%s'", cases[i].metric,
				 suite_metric_unit(cases[i].metric),
				 cases[i].unit);
	assert_string_equal(suite_metric_unit(NULL), "");
}

/* Lines 1-4; a case's own lines follow from line 5. */
#define HEAD "benchmarks:\n  - name: a\n    app: hello\n" \
	     "    metrics: [boot_cycles]\n"
#define HTTP_HEAD "benchmarks:\n  - name: a\n    app: httpd\n" \
		  "    kind: http\n"

static const struct {
	const char *text;
	const char *msg;	/* after "PATH:" ("PATH: " without a line) */
} errors[] = {
	{ "nme: x\n" HEAD, "1: unknown key 'nme' in the suite file (expected "
	  "one of: name, benchmarks)" },
	{ "name: x\n", "1: the suite file lacks the required key "
	  "'benchmarks'" },
	{ "name: ../x\n" HEAD, "1: suite name '../x' is not usable: a name is "
	  "1 to 100 letters, digits, '.', '_' and '-', not starting with '.' "
	  "or '-'" },
	{ HEAD "    repetition: 3\n", "5: unknown key 'repetition' in a "
	  "benchmark (expected one of: name, app, config, config_file, kind, "
	  "http, args, metrics, repetitions, mode, warmup, threshold, "
	  "min_effect, better)" },
	{ "benchmarks:\n  - name: a\n    app: hello\n", "2: a benchmark lacks "
	  "the required key 'metrics'" },
	{ HEAD "  - {name: b, app: hello, metrics: [boot_cycles]}\n"
	  "  - {name: a, app: hello, metrics: [boot_cycles]}\n",
	  "6: duplicate benchmark name 'a' (first at line 2)" },
	{ "benchmarks:\n  - {name: a/b, app: hello, metrics: [boot_cycles]}\n",
	  "2: benchmark name 'a/b' is not usable: a name is 1 to 64 letters, "
	  "digits, '.', '_' and '-', not starting with '.' or '-'" },
	{ "benchmarks:\n  - {name: a, app: ../hello, metrics: [boot_cycles]}\n",
	  "2: app '../hello' is not an app's name (a folder of "
	  "unikernel/apps)" },
	{ "benchmarks: []\n", "1: benchmarks is empty" },
	{ "benchmarks: {a: 1}\n", "1: benchmarks must be a list, not a "
	  "mapping" },
	/* Metrics: the rules of a space's. */
	{ "benchmarks:\n  - name: a\n    app: hello\n    metrics: [cycles]\n",
	  "4: malformed metric 'cycles' (expected bench.pattern.field, e.g. "
	  "alloc.small.cycles_per_op, or one of image_size, boot_cycles, "
	  "min_mem)" },
	{ "benchmarks:\n  - name: a\n    app: hello\n"
	  "    metrics: [boot_cycles,\n      image_size, boot_cycles]\n",
	  "5: metric boot_cycles is listed twice" },
	{ HTTP_HEAD "    metrics: [boot_cycles]\n", "5: benchmark metric "
	  "boot_cycles is not measured by a benchmark of kind http (the "
	  "server does not exit; of the built-ins only image_size is)" },
	{ HTTP_HEAD "    metrics: [http.wrk.requests_per_s]\n", "5: metric "
	  "http.wrk.requests_per_s is measured by wrk on the wall clock: it "
	  "needs mode: wall (in mode deterministic a benchmark of kind http "
	  "measures http.guest.instructions_per_request and image_size)" },
	/* config: every symbol and value checked. */
	{ HEAD "    config: {CONFIG_NO_SUCH: y}\n", "5: CONFIG_NO_SUCH: "
	  "unknown symbol (not in the Kconfig tree)" },
	{ HEAD "    config:\n      CONFIG_UKBOOT_BANNER: y\n"
	  "      CONFIG_UKBOOT_STACK_KB: 8\n", "7: CONFIG_UKBOOT_STACK_KB "
	  "(int): 8 is outside the range 16..65536" },
	{ HEAD "    config: {CONFIG_UKBOOT_BANNER: yes}\n",
	  "5: CONFIG_UKBOOT_BANNER (bool): 'yes' is not a bool value; "
	  "expected y or n" },
	{ HEAD "    config: {UKBOOT_BANNER: y}\n", "5: 'UKBOOT_BANNER' is "
	  "not a symbol; write it as CONFIG_NAME" },
	{ HEAD "    config:\n      CONFIG_UKBOOT_BANNER: y\n"
	  "      CONFIG_UKBOOT_BANNER: n\n", "7: CONFIG_UKBOOT_BANNER is set "
	  "twice in config (first at line 6)" },
	{ HEAD "    config: [CONFIG_UKBOOT_BANNER]\n", "5: config must be a "
	  "mapping (CONFIG_X: value), not a list" },
	/* Detector settings. */
	{ HEAD "    threshold: 0\n", "5: threshold must be more than 0, not "
	  "'0' (a relative change: 0.001 or 0.1% is one part in a "
	  "thousand)" },
	{ HEAD "    threshold: -0.1%\n", "5: threshold must be more than 0, "
	  "not '-0.1%' (a relative change: 0.001 or 0.1% is one part in a "
	  "thousand)" },
	{ HEAD "    min_effect: {boot_cycles: lots}\n", "5: min_effect 'lots' "
	  "is not a number (a fraction such as 0.001, or a percentage such "
	  "as 0.1%)" },
	{ HEAD "    threshold: {image_size: 0.01}\n", "5: threshold: "
	  "'image_size' is not one of the benchmark's metrics" },
	{ HEAD "    better: {boot_cycles: up}\n", "5: better 'up' for "
	  "boot_cycles is neither lower nor higher" },
	{ HEAD "    better: {boot_cycles: lower,\n"
	  "             boot_cycles: higher}\n", "6: better: duplicate metric "
	  "'boot_cycles' (first at line 5)" },
	/* Warm-up: wall mode's, console kind's. */
	{ HEAD "    warmup: 1\n", "5: warmup needs mode: wall (a deterministic "
	  "run gives the same numbers every time: there is nothing to warm "
	  "up)" },
	{ HTTP_HEAD "    metrics: [http.wrk.requests_per_s]\n    mode: wall\n"
	  "    warmup: 1\n", "7: a benchmark of kind http warms up within its "
	  "boot: set http: {warmup: DURATION} (default: one duration) instead "
	  "of warmup" },
	{ HEAD "    mode: wall\n    warmup: -1\n", "6: warmup must be 0 to 1000 "
	  "runs, not -1" },
	{ HEAD "    mode: fast\n", "5: unknown mode 'fast' (expected "
	  "deterministic or wall)" },
	{ HEAD "    repetitions: {min: 2, max: 4}\n", "5: repetitions {min, "
	  "max} races a tuner's variants; a suite benchmark takes a count "
	  "(repetitions: N)" },
	{ HEAD "    repetitions: 0\n", "5: repetitions must be at least 1, "
	  "not 0" },
	/* config_file: validated like base_config. */
	{ HEAD "    config_file: bad.config\n", NULL },
	{ HEAD "    config_file: ''\n", "5: config_file is empty" },
	{ "benchmarks:\n  - a\n", "2: a benchmark must be a mapping, not a "
	  "scalar" },
	{ "", " empty suite file" },
	{ "benchmarks: [\n", NULL },
};

static void test_errors(void **state)
{
	struct fix *f = *state;
	char why[UNITUNE_WHY_MAX], want[UNITUNE_WHY_MAX];
	struct suite *s;
	size_t i;
	int r, bad = 0;

	put(f, "bad.config", "CONFIG_UKBOOT_BANNER=y\nCONFIG_NOPE=1\n");
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		put(f, "suite.yaml", errors[i].text);
		s = NULL;
		why[0] = '\0';
		r = suite_load(f->path, f->kc, &s, why, sizeof(why));
		if (!errors[i].msg && i == sizeof(errors) / sizeof(errors[0]) - 1)
			snprintf(want, sizeof(want), "%s:2: YAML syntax error: "
				 "did not find expected node content (while "
				 "parsing a flow node at line 2)", f->path);
		else if (!errors[i].msg)
			snprintf(want, sizeof(want), "%s/bad.config:2: "
				 "CONFIG_NOPE: unknown symbol (not in the "
				 "Kconfig tree)", f->dir);
		else
			snprintf(want, sizeof(want), "%s:%s", f->path,
				 errors[i].msg);
		if (r != -EINVAL || s || strcmp(why, want)) {
			print_error("case %zu: r=%d\n  got:  %s\n  want: %s\n",
				    i, r, why, want);
			bad++;
		}
		suite_free(s);
	}
	assert_int_equal(bad, 0);
}

/* A config_file that is not there names the key and the suite's line. */
static void test_config_file_missing(void **state)
{
	struct fix *f = *state;
	char why[UNITUNE_WHY_MAX] = "", want[UNITUNE_WHY_MAX];
	struct suite *s = NULL;

	put(f, "suite.yaml", HEAD "    config_file: none.config\n");
	assert_int_equal(suite_load(f->path, f->kc, &s, why, sizeof(why)),
			 -EINVAL);
	assert_null(s);
	snprintf(want, sizeof(want), "%s:5: config_file %s/none.config: ",
		 f->path, f->dir);
	if (strncmp(why, want, strlen(want)))
		fail_msg("got '%s', want '%s...'", why, want);
	/* A missing suite: the read's own error. */
	assert_int_equal(suite_load("/tmp/unitune-no-such-suite.yaml", f->kc,
				    &s, why, sizeof(why)), -ENOENT);
	assert_null(s);
}

/* More than SUITE_MAX_BENCHMARKS. */
static void test_too_many(void **state)
{
	struct fix *f = *state;
	struct strbuf text = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "", want[UNITUNE_WHY_MAX];
	struct suite *s = NULL;
	int i;

	assert_int_equal(strbuf_adds(&text, "benchmarks:\n"), 0);
	for (i = 0; i <= SUITE_MAX_BENCHMARKS; i++)
		assert_int_equal(strbuf_addf(&text, "  - {name: b%d, app: "
					     "hello, metrics: [boot_cycles]}\n",
					     i), 0);
	put(f, "suite.yaml", text.buf);
	strbuf_release(&text);
	assert_int_equal(suite_load(f->path, f->kc, &s, why, sizeof(why)),
			 -EINVAL);
	snprintf(want, sizeof(want), "%s:2: a suite holds at most 256 "
		 "benchmarks, not 257", f->path);
	assert_string_equal(why, want);
	assert_null(s);
}

/* The shipped suite loads against the real tree and covers what issue
 * 13 asks for. */
static void test_shipped(void **state)
{
	static const struct {
		const char *name, *app;
		enum space_mode mode;
		enum space_bench_kind kind;
		const char *metrics[8];
	} want[] = {
		{ "hello", "hello", SPACE_DETERMINISTIC, SPACE_BENCH_CONSOLE,
		  { "boot_cycles", "image_size", "min_mem" } },
		{ "httpd", "httpd", SPACE_DETERMINISTIC, SPACE_BENCH_CONSOLE,
		  { "boot_cycles", "image_size", "min_mem" } },
		{ "allocbench", "allocbench", SPACE_DETERMINISTIC,
		  SPACE_BENCH_CONSOLE,
		  { "alloc.small.cycles_per_op", "alloc.mixed.cycles_per_op",
		    "alloc.larson.cycles_per_op",
		    "alloc.realloc.cycles_per_op", "alloc.mixed.peak_heap",
		    "alloc.larson.peak_heap" } },
		{ "libcbench", "libcbench", SPACE_DETERMINISTIC,
		  SPACE_BENCH_CONSOLE,
		  { "libc.qsort.cycles_per_op", "libc.snprintf.cycles_per_op",
		    "libc.strtod.cycles_per_op",
		    "libc.string.cycles_per_op" } },
		{ "syscall", "syscallbench", SPACE_DETERMINISTIC,
		  SPACE_BENCH_CONSOLE,
		  { "syscall.syscall_raw.cycles_per_op",
		    "syscall.syscall_libc.cycles_per_op",
		    "syscall.function_call.cycles_per_op" } },
		{ "httpd-per-request", "httpd", SPACE_DETERMINISTIC,
		  SPACE_BENCH_HTTP,
		  { "http.guest.instructions_per_request" } },
		{ "httpd-wrk", "httpd", SPACE_WALL, SPACE_BENCH_HTTP,
		  { "http.wrk.requests_per_s", "http.wrk.latency_p50_us" } },
	};
	struct fix *f = *state;
	struct suite *s = load_ok(f, NIGHTLY);
	const struct suite_bench *b;
	size_t i, j;

	assert_string_equal(s->name, "nightly");
	assert_int_equal(s->n_benches, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < s->n_benches; i++) {
		b = &s->benches[i];
		assert_string_equal(b->name, want[i].name);
		assert_string_equal(b->space->app, want[i].app);
		assert_int_equal(b->space->mode, want[i].mode);
		assert_int_equal(b->space->bench.kind, want[i].kind);
		for (j = 0; want[i].metrics[j]; j++) {
			assert_true(j < b->n_metrics);
			assert_string_equal(b->metrics[j].name,
					    want[i].metrics[j]);
			/* Not bit-exact: see the suite's comment. */
			assert_true(b->metrics[j].threshold ==
				    (strcmp(b->name, "httpd-per-request")
					     ? 0.001 : 0.02));
		}
		assert_int_equal(b->n_metrics, j);
	}
	/* httpd runs its self-test (and exits); the wall one repeats. */
	b = suite_find(s, "httpd");
	assert_int_equal(b->space->bench.n_args, 1);
	assert_string_equal(b->space->bench.args[0], "--self-test");
	assert_int_equal(suite_find(s, "httpd-per-request")
				 ->space->bench.http.det_requests, 10000);
	b = suite_find(s, "httpd-wrk");
	assert_int_equal(b->space->bench.repetitions, 3);
	assert_true(b->space->bench.http.duration_ns == 2000000000LL);
	assert_true(b->space->bench.http.warmup_ns > 0);
	assert_int_equal(b->metrics[0].better, SUITE_HIGHER_IS_BETTER);
	assert_int_equal(b->metrics[0].kind, STORE_WALL);
	suite_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test(test_units),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_file_missing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
