/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Space files (tuner/space.c) validated against the real unikernel
 * Kconfig tree: one full valid space with its expanded value lists and
 * grid, and one fixture per error kind with the exact message
 * (file:line and symbol). Fixtures: fixtures/spaces/.
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

#include "kconfig.h"
#include "kconfig_fixture.h"
#include "space.h"
#include "why.h"
#include "tuner_space_fixture.h"

static void assert_values(const struct space_option *o, const char *sym,
			  enum space_opt_kind kind, const char *const *v,
			  size_t n)
{
	size_t i;

	assert_string_equal(o->symbol, sym);
	assert_int_equal(o->kind, kind);
	assert_int_equal(o->n_values, n);
	for (i = 0; i < n; i++)
		assert_string_equal(o->values[i], v[i]);
}

static void test_valid(void **state)
{
	static const char *const allocs[] = {
		"UKALLOC_REGION", "UKALLOC_BUDDY", "UKALLOC_TLSF",
	};
	static const char *const stacks[] = {
		"16", "32", "64", "128", "256", "512", "1024",
	};
	static const char *const yn[] = { "y", "n" };
	struct space *s = load_ok(state, SPACES "valid.yaml");
	uint64_t n = 0;
	size_t idx[3];

	assert_string_equal(s->name, "alloc-stack");
	assert_string_equal(s->app, "allocbench");
	assert_string_equal(s->base_config, SPACES
			    "../../../../unikernel/apps/allocbench/defconfig");
	assert_int_equal(s->n_options, 3);
	assert_values(&s->options[0], "UKALLOC_BACKEND", SPACE_OPT_CHOICE,
		      allocs, 3);
	assert_values(&s->options[1], "UKBOOT_STACK_KB", SPACE_OPT_INT,
		      stacks, 7);
	assert_values(&s->options[2], "UKBOOT_BANNER", SPACE_OPT_BOOL, yn, 2);
	assert_int_equal(s->options[0].line, 6);
	assert_int_equal(s->options[1].line, 9);
	assert_int_equal(s->options[2].line, 12);

	assert_string_equal(s->bench.app, "allocbench");
	assert_int_equal(s->bench.n_args, 1);
	assert_string_equal(s->bench.args[0], "2");
	assert_int_equal(s->bench.n_metrics, 2);
	assert_string_equal(s->bench.metrics[0], "alloc.small.cycles_per_op");
	assert_string_equal(s->bench.metrics[1], "alloc.mixed.peak_heap");
	assert_int_equal(s->bench.repetitions, 3);

	assert_int_equal(s->n_objectives, 2);
	assert_string_equal(s->objectives[0].metric,
			    "alloc.small.cycles_per_op");
	assert_int_equal(s->objectives[0].goal, SPACE_MINIMIZE);
	assert_string_equal(s->objectives[1].metric, "image_size");
	assert_int_equal(s->mode, SPACE_DETERMINISTIC);
	assert_int_equal(s->max_evaluations, 100);
	assert_int_equal(s->max_seconds, 3600);
	assert_int_equal(s->strategy, SPACE_RANDOM);
	assert_true(s->has_seed);
	assert_int_equal(s->seed, 42);

	assert_int_equal(space_grid_size(s, &n), 0);
	assert_int_equal(n, 3 * 7 * 2);
	/* The last option varies fastest. */
	assert_int_equal(space_grid_point(s, 0, idx), 0);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 0);
	assert_int_equal(idx[2], 0);
	assert_int_equal(space_grid_point(s, 1 * 14 + 3 * 2 + 1, idx), 0);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 3);
	assert_int_equal(idx[2], 1);
	assert_int_equal(space_grid_point(s, 41, idx), 0);
	assert_int_equal(idx[0], 2);
	assert_int_equal(idx[1], 6);
	assert_int_equal(idx[2], 1);
	assert_int_equal(space_grid_point(s, 42, idx), -ERANGE);
	space_free(s);
}

/* Defaults: name from the file, bench app from app, one repetition,
 * deterministic, no budget, stepped range, explicit bool subset. */
static void test_minimal(void **state)
{
	static const char *const depth[] = { "1", "8", "128" };
	static const char *const stack[] = { "4", "12", "20" };
	static const char *const n_only[] = { "n" };
	struct space *s = load_ok(state, SPACES "minimal.yaml");
	uint64_t n = 0;

	assert_string_equal(s->name, "minimal");
	assert_null(s->base_config);
	assert_string_equal(s->bench.app, "hello");
	assert_int_equal(s->bench.n_args, 0);
	assert_int_equal(s->bench.n_metrics, 0);
	assert_int_equal(s->bench.repetitions, 1);
	assert_int_equal(s->mode, SPACE_DETERMINISTIC);
	assert_int_equal(s->max_evaluations, 0);
	assert_int_equal(s->max_seconds, 0);
	assert_int_equal(s->strategy, SPACE_GREEDY);
	assert_false(s->has_seed);
	assert_values(&s->options[0], "UKDEBUG_BACKTRACE_DEPTH",
		      SPACE_OPT_INT, depth, 3);
	assert_values(&s->options[1], "UKSCHED_STACK_KB", SPACE_OPT_INT,
		      stack, 3);
	assert_values(&s->options[2], "UKBOOT_BANNER", SPACE_OPT_BOOL,
		      n_only, 1);
	assert_int_equal(s->objectives[0].goal, SPACE_MINIMIZE);
	assert_int_equal(space_grid_size(s, &n), 0);
	assert_int_equal(n, 9);
	space_free(s);
}

static const struct {
	const char *file;
	const char *msg;	/* after "PATH:" */
} errors[] = {
	{ "err_unknown_symbol.yaml", "6: CONFIG_UKBOOT_NO_SUCH: unknown "
	  "symbol (not in the Kconfig tree)" },
	{ "err_value_type.yaml", "7: CONFIG_UKBOOT_STACK_KB: 'big' is not "
	  "an int value; expected a decimal number like 42 or -1" },
	{ "err_type_mismatch.yaml", "3: CONFIG_UKBOOT_STACK_KB: is int, "
	  "not bool" },
	{ "err_out_of_range.yaml", "5: CONFIG_UKBOOT_STACK_KB: 8 is outside "
	  "the range 16..65536" },
	{ "err_range_out_of_range.yaml", "7: CONFIG_UKBOOT_STACK_KB: 131072 "
	  "is outside the range 16..65536" },
	{ "err_choice_member.yaml", "7: CONFIG_UKBOOT_STACK_KB: is int, not "
	  "a bool choice member" },
	{ "err_choice_outside.yaml", "5: CONFIG_UKBOOT_BANNER: is a bool "
	  "outside any choice" },
	{ "err_choice_other.yaml", "7: CONFIG_UKSCHED_COOP: is not a member "
	  "of the choice CONFIG_UKALLOC_BACKEND" },
	{ "err_choice_name.yaml", "3: CONFIG_UKBOOT_BANNER: is not the name "
	  "of a choice" },
	{ "err_empty_values.yaml", "7: CONFIG_UKDEBUG_BACKTRACE_DEPTH: values is "
	  "empty" },
	{ "err_step.yaml", "6: CONFIG_UKDEBUG_BACKTRACE_DEPTH: step must be at least "
	  "1, not 0" },
	{ "err_from_above_to.yaml", "5: CONFIG_UKDEBUG_BACKTRACE_DEPTH: range from "
	  "64 is above to 4" },
	{ "err_unknown_key.yaml", "5: CONFIG_UKDEBUG_BACKTRACE_DEPTH: unknown key "
	  "'vaules' in an option (expected one of: symbol, type, values, "
	  "range)" },
	{ "err_unknown_key_top.yaml", "7: unknown key 'stratgey' in the "
	  "space file (expected one of: name, app, base_config, options, "
	  "benchmark, objectives, mode, budget, strategy)" },
	{ "err_missing_key.yaml", "2: the space file lacks the required key "
	  "'objectives'" },
	{ "err_missing_option_key.yaml", "3: CONFIG_UKBOOT_BANNER: an option "
	  "lacks the required key 'type'" },
	{ "err_metric.yaml", "8: malformed metric 'alloc.small' (expected "
	  "bench.pattern.field, e.g. alloc.small.cycles_per_op, or one of "
	  "image_size, boot_cycles, min_mem)" },
	{ "err_duplicate_symbol.yaml", "8: CONFIG_UKDEBUG_BACKTRACE_DEPTH: is varied "
	  "by two options (the other at line 3)" },
	{ "err_bench_app.yaml", "6: the benchmark app 'allocbench' is not the "
	  "space's app 'hello' (a variant is an image of that app, and it is "
	  "what runs)" },
	{ "err_syntax.yaml", "7: YAML syntax error: did not find expected "
	  "',' or '}' (while parsing a flow mapping at line 6)" },
	{ "err_choice_as_bool.yaml", "5: CONFIG_UKALLOC_BACKEND: is the name "
	  "of a choice, which a bool cannot set; vary it with type: choice "
	  "and its members as values" },
	{ "err_name_dotdot.yaml", "2: experiment name '..' is not usable: a "
	  "name is 1 to 100 letters, digits, '.', '_' and '-', not starting "
	  "with '.' or '-', and not 'slots' (it names build/tune/NAME)" },
	{ "err_name_slots.yaml", "6: experiment name 'slots' is not usable: a "
	  "name is 1 to 100 letters, digits, '.', '_' and '-', not starting "
	  "with '.' or '-', and not 'slots' (it names build/tune/NAME)" },
	{ "err_name_slash.yaml", "2: experiment name 'a/b' is not usable: a "
	  "name is 1 to 100 letters, digits, '.', '_' and '-', not starting "
	  "with '.' or '-', and not 'slots' (it names build/tune/NAME)" },
	{ "slots.yaml", " the file name gives the experiment name 'slots', "
	  "which is not usable (letters, digits, '.', '_' and '-', not "
	  "starting with '.' or '-', not 'slots'); set one with name: NAME" },
	{ "err_grid_overflow.yaml", "4: the grid of these options has more "
	  "than 2^64 points, too many for strategy grid; use random, greedy "
	  "or tpe, or fewer values" },
	{ "err_too_many_args.yaml", "6: args: too many application "
	  "arguments: 64; the guest takes at most 63 (UNITUNE_ARGC_MAX is "
	  "64, argv[0] included); the first one over is argv[64] '63'" },
	{ "err_deep.yaml", "7: lists and mappings nest deeper than 64 "
	  "levels" },
	{ "err_base_dir.yaml", "2: base_config " SPACES ".: a directory, not "
	  "a regular file" },
};

/* 1 when loading file fails with exactly want (else prints why). */
static int wrong_error(void **state, const char *file, const char *want)
{
	char why[UNITUNE_WHY_MAX] = "(none)";
	struct space *s = (struct space *)1;
	char path[512];
	int r, bad;

	snprintf(path, sizeof(path), SPACES "%s", file);
	r = space_load(path, *state, &s, why, sizeof(why));
	bad = r != -EINVAL || s || strcmp(why, want);
	if (bad)
		print_error("%s: r=%d\n  got:  %s\n  want: %s\n", file, r,
			    why, want);
	space_free(s);
	return bad;
}

static void test_errors(void **state)
{
	char want[1024];
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		snprintf(want, sizeof(want), SPACES "%s:%s", errors[i].file,
			 errors[i].msg);
		bad += wrong_error(state, errors[i].file, want);
	}
	assert_int_equal(bad, 0);
}

/* base_config is validated like `unitune build --config`: the message
 * names the base file and its line. */
static const struct {
	const char *file;
	const char *msg; /* the whole message */
} base_errors[] = {
	{ "err_base_unknown.yaml", SPACES "base_unknown.config:3: "
	  "CONFIG_UKBOOT_NO_SUCH: unknown symbol (not in the Kconfig tree)" },
	{ "err_base_range.yaml", SPACES "base_range.config:2: "
	  "CONFIG_UKBOOT_STACK_KB (int): 8 is outside the range 16..65536" },
	/* Every line, even one a later line overrides (as build does). */
	{ "err_base_dup.yaml", SPACES "base_dup.config:1: "
	  "CONFIG_UKBOOT_STACK_KB (int): 8 is outside the range 16..65536" },
	{ "err_base_malformed.yaml", SPACES "base_malformed.config:2: "
	  "malformed line 'UKBOOT_BANNER=y' (expected CONFIG_NAME=VALUE or "
	  "'# CONFIG_NAME is not set')" },
};

static void test_base_config_errors(void **state)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(base_errors) / sizeof(base_errors[0]); i++)
		bad += wrong_error(state, base_errors[i].file,
				   base_errors[i].msg);
	assert_int_equal(bad, 0);
}

/* The stored text of a space loads without its base_config (it may be
 * gone); space_read_base() then reads, validates and merges it. */
static void test_read_base(void **state)
{
	static const char stored[] =
		"app: hello\nbase_config: base_range.config\noptions:\n"
		"  - {symbol: CONFIG_UKBOOT_BANNER, type: bool}\n"
		"objectives:\n  - {metric: boot_cycles, goal: minimize}\n";
	struct strbuf text = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct config_set set = { 0 };
	struct space *s = load_ok(state, SPACES "valid.yaml");

	assert_int_equal(s->base_config_line, 4);
	assert_int_equal(space_read_base(s, *state, &set, &text, why,
					 sizeof(why)), 0);
	assert_non_null(config_set_get(&set, "UK_APPNAME"));
	assert_string_equal(text.buf, "CONFIG_UK_APPNAME=\"allocbench\"\n");
	space_free(s);
	config_set_release(&set);

	/* Stored text whose base_config is now wrong. */
	s = NULL;
	assert_int_equal(space_load_text(stored, strlen(stored),
					 SPACES "stored.yaml", *state, &s,
					 why, sizeof(why)), 0);
	assert_non_null(s);
	assert_int_equal(s->app_line, 1);
	assert_int_equal(space_read_base(s, *state, NULL, NULL, why,
					 sizeof(why)), -EINVAL);
	assert_string_equal(why, SPACES "base_range.config:2: "
			    "CONFIG_UKBOOT_STACK_KB (int): 8 is outside the "
			    "range 16..65536");
	space_free(s);
	strbuf_release(&text);
}

/* Load text as multi.yaml, which must fail: its error code, why filled. */
static int refused(void **state, const char *text, char *why, size_t len)
{
	struct space *s = NULL;
	int r = space_load_text(text, strlen(text), "multi.yaml", *state, &s,
				why, len);

	assert_null(s);
	return r;
}

/*
 * Several bad options: the first is the message (the loader stops there),
 * whole and on one line; once it is fixed the next one is. A buffer too
 * small for the message gets its start, still terminated.
 */
static void test_first_problem_is_the_message(void **state)
{
	static const char head[] = "app: allocbench\noptions:\n  - symbol: ";
	static const char rest[] =
		"\n    type: bool\n"
		"  - symbol: CONFIG_UKBOOT_STACK_KB\n"
		"    type: int\n"
		"    values: [64, 8]\n"
		"objectives:\n  - {metric: boot_cycles, goal: minimize}\n";
	char text[512], why[UNITUNE_WHY_MAX], small[20];

	snprintf(text, sizeof(text), "%sCONFIG_UKBOOT_NO_SUCH%s", head, rest);
	assert_int_equal(refused(state, text, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "multi.yaml:3: CONFIG_UKBOOT_NO_SUCH: unknown "
			    "symbol (not in the Kconfig tree)");
	assert_int_equal(refused(state, text, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "multi.yaml:3: CONFI");

	snprintf(text, sizeof(text), "%sCONFIG_UKBOOT_BANNER%s", head, rest);
	assert_int_equal(refused(state, text, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "multi.yaml:7: CONFIG_UKBOOT_STACK_KB: 8 is "
			    "outside the range 16..65536");
}

/* The grid limit is the grid strategy's only: random samples it. */
static void test_huge_random(void **state)
{
	struct space *s = load_ok(state, SPACES "huge_random.yaml");
	uint64_t n;

	assert_int_equal(space_grid_size(s, &n), -EOVERFLOW);
	space_free(s);
}

/* 100,000 nested '[' stop at the depth cap, not after minutes in
 * libyaml. */
static void test_deep_nesting(void **state)
{
	struct strbuf text = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;
	int i;

	assert_int_equal(strbuf_adds(&text, "app: hello\nargs: "), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(strbuf_addc(&text, '['), 0);
	assert_int_equal(space_load_text(text.buf, text.len, "deep.yaml",
					 *state, &s, why, sizeof(why)),
			 -EINVAL);
	assert_null(s);
	assert_string_equal(why, "deep.yaml:2: lists and mappings nest "
			    "deeper than 64 levels");
	strbuf_release(&text);
}

static void test_name_valid(void **state)
{
	char longest[SPACE_NAME_MAX + 2];

	(void)state;
	assert_true(space_name_valid("alloc-stack_2.v1"));
	assert_true(space_name_valid("slots2"));
	assert_false(space_name_valid(""));
	assert_false(space_name_valid("."));
	assert_false(space_name_valid(".."));
	assert_false(space_name_valid(".hidden"));
	assert_false(space_name_valid("-rf"));
	assert_false(space_name_valid("a/b"));
	assert_false(space_name_valid("a b"));
	assert_false(space_name_valid("slots"));
	memset(longest, 'a', sizeof(longest));
	longest[SPACE_NAME_MAX] = '\0';
	assert_true(space_name_valid(longest));
	longest[SPACE_NAME_MAX] = 'a';
	longest[SPACE_NAME_MAX + 1] = '\0';
	assert_false(space_name_valid(longest));
}

/* A space file that is not a regular file is refused, not read. */
static void test_not_regular(void **state)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;

	assert_int_equal(space_load("/dev/zero", *state, &s, why, sizeof(why)),
			 -EINVAL);
	assert_null(s);
	assert_string_equal(why, "/dev/zero: a character device, not a "
			    "regular file");
}

static void test_missing_file(void **state)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;

	assert_int_equal(space_load(SPACES "nope.yaml", *state, &s, why,
				    sizeof(why)), -ENOENT);
	assert_null(s);
	assert_string_equal(why, SPACES "nope.yaml: No such file or "
			    "directory");
}

static void test_metric_names(void **state)
{
	(void)state;
	assert_true(space_metric_valid("alloc.small.cycles_per_op"));
	assert_true(space_metric_valid("libc.qsort.cycles"));
	assert_true(space_metric_valid("min_mem"));
	assert_false(space_metric_valid("alloc.small"));
	assert_false(space_metric_valid("alloc..cycles"));
	assert_false(space_metric_valid("a.b.c.d"));
	assert_false(space_metric_valid("a.b.c."));
	assert_false(space_metric_valid("a.b c.d"));
	assert_false(space_metric_valid(""));
	assert_false(space_metric_valid(NULL));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(space_goal_name(SPACE_MAXIMIZE), "maximize");
	assert_string_equal(space_mode_name(SPACE_WALL), "wall");
	assert_string_equal(space_strategy_name(SPACE_TPE), "tpe");
	assert_string_equal(space_opt_kind_name(SPACE_OPT_CHOICE), "choice");
	assert_null(space_strategy_name((enum space_strategy)9));
}

/* Every point of valid.yaml's grid as .config lines and back. */
static void test_point_round_trip(void **state)
{
	struct space *s = load_ok(state, SPACES "valid.yaml");
	struct strbuf sb = STRBUF_INIT;
	size_t idx[3], back[3];
	uint64_t i, n = 0;

	assert_int_equal(space_grid_size(s, &n), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(space_grid_point(s, i, idx), 0);
		sb.len = 0;
		assert_int_equal(space_point_format(s, idx, &sb), 0);
		memset(back, 0xff, sizeof(back));
		assert_int_equal(space_point_parse(s, sb.buf, back), 0);
		assert_memory_equal(idx, back, sizeof(idx));
	}

	idx[0] = 2;
	idx[1] = 3;
	idx[2] = 1;
	sb.len = 0;
	assert_int_equal(space_point_format(s, idx, &sb), 0);
	assert_string_equal(sb.buf, "CONFIG_UKALLOC_TLSF=y\n"
			    "CONFIG_UKBOOT_STACK_KB=128\n"
			    "# CONFIG_UKBOOT_BANNER is not set\n");

	/* A resolved config: other lines, other members set to n. */
	assert_int_equal(space_point_parse(s,
		"# comment\nCONFIG_UKALLOC_REGION=n\nCONFIG_UKBOOT_BANNER=y\n"
		"CONFIG_UKALLOC_BUDDY=y\nCONFIG_OTHER=3\n"
		"CONFIG_UKBOOT_STACK_KB=1024\n", back), 0);
	assert_int_equal(back[0], 1);
	assert_int_equal(back[1], 6);
	assert_int_equal(back[2], 0);

	/* A value outside the option's list, or an option missing. */
	assert_int_equal(space_point_parse(s, "CONFIG_UKALLOC_TLSF=y\n"
		"CONFIG_UKBOOT_STACK_KB=48\nCONFIG_UKBOOT_BANNER=y\n", back),
		-ENOENT);
	assert_int_equal(space_point_parse(s, "CONFIG_UKALLOC_TLSF=y\n"
		"CONFIG_UKBOOT_BANNER=y\n", back), -ENOENT);

	idx[1] = 7;
	sb.len = 0;
	assert_int_equal(space_point_format(s, idx, &sb), -ERANGE);
	strbuf_release(&sb);
	space_free(s);
}

/*
 * A space with repetitions REPS (a YAML value), mode MODE and first
 * objective OBJ, loaded from text as race.yaml. Line numbers: the
 * objective's metric is on line 9, repetitions on line 7.
 */
static int load_race(void **state, const char *reps, const char *mode,
		     const char *obj, struct space **s, char *why,
		     size_t why_len)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "app: hello\n"
		 "options:\n"
		 "  - symbol: CONFIG_UKBOOT_BANNER\n"
		 "    type: bool\n"
		 "benchmark:\n"
		 "  metrics: [alloc.small.cycles_per_op]\n"
		 "  repetitions: %s\n"
		 "objectives:\n"
		 "  - {metric: %s, goal: minimize}\n"
		 "mode: %s\n",
		 reps, obj, mode);
	return space_load_text(text, strlen(text), "race.yaml", *state, s,
			       why, why_len);
}

static void test_race(void **state)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;

	assert_int_equal(load_race(state, "{min: 2, max: 10}", "wall",
				   "alloc.small.cycles_per_op", &s, why,
				   sizeof(why)),
			 0);
	assert_int_equal(s->bench.repetitions, 2);
	assert_int_equal(s->bench.max_repetitions, 10);
	assert_true(space_races(s));
	space_free(s);
	/* boot_cycles is timed per run in wall mode: it can race. */
	assert_int_equal(load_race(state, "{max: 4, min: 3}", "wall",
				   "boot_cycles", &s, why, sizeof(why)),
			 0);
	assert_int_equal(s->bench.repetitions, 3);
	assert_int_equal(s->bench.max_repetitions, 4);
	space_free(s);
	/* The old integer form: a fixed count, no race, in either mode. */
	assert_int_equal(load_race(state, "5", "deterministic",
				   "alloc.small.cycles_per_op", &s, why,
				   sizeof(why)),
			 0);
	assert_int_equal(s->bench.repetitions, 5);
	assert_int_equal(s->bench.max_repetitions, 5);
	assert_false(space_races(s));
	space_free(s);
}

static const struct {
	const char *reps, *mode, *obj;
	const char *msg; /* after "race.yaml:" */
} race_errors[] = {
	{ "{min: 1, max: 4}", "wall", "boot_cycles", "7: repetitions min "
	  "must be at least 2: one sample has no interval, so a race could "
	  "not tell the contenders" },
	{ "{min: 4, max: 4}", "wall", "boot_cycles", "7: repetitions max "
	  "(4) must be more than min (4); for a fixed count write "
	  "repetitions: 4" },
	{ "{min: 2}", "wall", "boot_cycles", "7: repetitions ({min: N, max: "
	  "M} races the contenders) lacks the required key 'max'" },
	{ "{min: 2, maximum: 8}", "wall", "boot_cycles", "7: unknown key "
	  "'maximum' in repetitions ({min: N, max: M} races the contenders) "
	  "(expected one of: min, max)" },
	{ "{min: 2, max: 2000000}", "wall", "boot_cycles", "7: repetitions "
	  "max 2000000 is more than 1000000" },
	{ "{min: 2, max: 0}", "wall", "boot_cycles", "7: repetitions max "
	  "must be at least 1, not 0" },
	{ "{min: 2, max: 8}", "deterministic", "boot_cycles", "7: racing "
	  "repetitions ({min: 2, max: 8}) need mode: wall (in deterministic "
	  "mode every repetition gives the same numbers)" },
	{ "{min: 2, max: 8}", "wall", "image_size", "9: racing repetitions "
	  "compare the first objective's samples, but image_size is not "
	  "measured by the clock (it has no run-to-run noise): put a wall "
	  "metric first (boot_cycles or a result-line metric), or give "
	  "repetitions a fixed count" },
	{ "{min: 2, max: 8}", "wall", "min_mem", "9: racing repetitions "
	  "compare the first objective's samples, but min_mem is not "
	  "measured by the clock (it has no run-to-run noise): put a wall "
	  "metric first (boot_cycles or a result-line metric), or give "
	  "repetitions a fixed count" },
};

static void test_race_errors(void **state)
{
	char why[UNITUNE_WHY_MAX];
	struct space *s;
	size_t i;
	int bad = 0, r;

	for (i = 0; i < sizeof(race_errors) / sizeof(race_errors[0]); i++) {
		s = NULL;
		snprintf(why, sizeof(why), "(none)");
		r = load_race(state, race_errors[i].reps, race_errors[i].mode,
			      race_errors[i].obj, &s, why, sizeof(why));
		bad += refused_as(r, s, why, "race.yaml", race_errors[i].msg, i);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_first_problem_is_the_message),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_base_config_errors),
		cmocka_unit_test(test_read_base),
		cmocka_unit_test(test_huge_random),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_metric_names),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_point_round_trip),
		cmocka_unit_test(test_race),
		cmocka_unit_test(test_race_errors),
	};

	return cmocka_run_group_tests(tests, setup, kconfig_fixture_teardown);
}
