/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune diff --flame and --folded on synthetic profiles of known
 * shares: the differential flame graph is laid out as B's plain one,
 * each frame coloured by its change in share (red grew, blue shrank,
 * grey unchanged, full red for a frame only B has) with a tooltip of
 * both sides; the two-column folded stacks merge both profiles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "report.h"

/* A stack "main;g;h" (outermost first) added count times. */
struct stack {
	const char *path;
	unsigned count;
};

static struct profile *build(const struct stack *s, size_t n)
{
	struct profile *p = profile_new();
	struct prof_frame f[8];
	char buf[64], *save, *tok;
	size_t i, depth;
	unsigned k;

	assert_non_null(p);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", s[i].path);
		depth = 0;
		for (tok = strtok_r(buf, ";", &save); tok;
		     tok = strtok_r(NULL, ";", &save))
			f[depth++] = (struct prof_frame){ tok, NULL, 0, NULL };
		for (k = 0; k < s[i].count; k++)
			assert_int_equal(profile_add(p, f, depth, 1), 0);
	}
	assert_int_equal(profile_finish(p), 0);
	return p;
}

/*
 * A (10 samples): e 20%, f 40% (half of it in z), g 40%.
 * B (20 samples): e 15%, f 10%, g 75% (h 20% of it, new).
 * Changes: e -5, f -30, g +35, h +20 (only in B), z only in A.
 */
static const struct stack sa[] = {
	{ "main;e", 2 }, { "main;f", 2 }, { "main;f;z", 2 }, { "main;g", 4 },
};
static const struct stack sb[] = {
	{ "main;e", 3 }, { "main;f", 2 }, { "main;g", 11 }, { "main;g;h", 4 },
};

static char *render(int (*write)(const struct profile *,
				 const struct profile *, FILE *,
				 const char *),
		    const struct profile *a, const struct profile *b)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(write(a, b, f, "a.uttr -> b.uttr"), 0);
	fclose(f);
	return out;
}

static int folded(const struct profile *a, const struct profile *b, FILE *f,
		  const char *title)
{
	(void)title;
	return folded_diff_write(a, b, f);
}

/* The fill of the frame whose tooltip is exactly `title`. */
static void fill_of(const char *svg, const char *title, int rgb[3])
{
	char want[256];
	const char *g, *fill;

	snprintf(want, sizeof(want), "<g><title>%s</title>", title);
	g = strstr(svg, want);
	if (!g)
		fail_msg("no frame with title '%s' in:\n%s", title, svg);
	fill = strstr(g, "fill=\"rgb(");
	assert_non_null(fill);
	assert_true(fill < strstr(g, "</g>"));
	assert_int_equal(sscanf(fill, "fill=\"rgb(%d,%d,%d)", &rgb[0],
				&rgb[1], &rgb[2]), 3);
}

/* The geometry of every <rect>, in order: what the layout decided. */
static char *geometry(const char *svg)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	const char *p = svg, *end;

	assert_non_null(f);
	while ((p = strstr(p, "<rect "))) {
		end = strstr(p, " fill=");
		assert_non_null(end);
		fprintf(f, "%.*s\n", (int)(end - p), p);
		p = end;
	}
	fclose(f);
	return out;
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_frames_are_coloured_by_change(void **state)
{
	struct profile *a = build(sa, 4), *b = build(sb, 4);
	char *svg = render(flame_diff_write, a, b);
	int rgb[3];

	(void)state;
	assert_int_equal(strncmp(svg, "<svg ", 5), 0);
	assert_non_null(strstr(svg, "a.uttr -&gt; b.uttr: red grew, blue "
				    "shrank from A to B (full colour = 35.00 "
				    "points)"));
	/* g grew most: full red. */
	fill_of(svg, "g (B: 15 samples, 75.00%; A: 4 samples, 40.00%; "
		     "+35.00 points)", rgb);
	assert_true(rgb[0] == 220 && rgb[1] == 20 && rgb[2] == 20);
	/* f shrank by 30 of 35 points: strong blue. */
	fill_of(svg, "f (B: 2 samples, 10.00%; A: 4 samples, 40.00%; "
		     "-30.00 points)", rgb);
	assert_true(rgb[2] > rgb[0] + 150 && rgb[2] > rgb[1] + 100);
	/* e shrank by 5 of 35 points: a seventh of the way to blue. */
	fill_of(svg, "e (B: 3 samples, 15.00%; A: 2 samples, 20.00%; "
		     "-5.00 points)", rgb);
	assert_true(rgb[0] == 201 && rgb[1] == 207 && rgb[2] == 229);
	/* h only in B: present, full red. */
	fill_of(svg, "h (B: 4 samples, 20.00%; A: not present; "
		     "+20.00 points)", rgb);
	assert_true(rgb[0] == 220 && rgb[1] == 20 && rgb[2] == 20);
	/* main and the root keep their share: grey. */
	fill_of(svg, "main (B: 20 samples, 100.00%; A: 10 samples, "
		     "100.00%; +0.00 points)", rgb);
	assert_true(rgb[0] == 230 && rgb[1] == 230 && rgb[2] == 230);
	fill_of(svg, "all (B: 20 samples, 100.00%; A: 10 samples, "
		     "100.00%; +0.00 points)", rgb);
	/* z, a stack only A has, is not drawn. */
	assert_null(strstr(svg, "<title>z "));
	free(svg);
	profile_free(a);
	profile_free(b);
}

static void test_layout_is_the_plain_graph_of_b(void **state)
{
	struct profile *a = build(sa, 4), *b = build(sb, 4);
	char *diff = render(flame_diff_write, a, b), *plain = NULL;
	char *gd, *gp;
	size_t len;
	FILE *f = open_memstream(&plain, &len);

	(void)state;
	assert_int_equal(flame_write(b, f, "b"), 0);
	fclose(f);
	gd = geometry(diff);
	gp = geometry(plain);
	/* all, main, e, f, g, h */
	assert_int_equal(lines(gp), 6);
	assert_string_equal(gd, gp);
	free(gd);
	free(gp);
	free(diff);
	free(plain);
	profile_free(a);
	profile_free(b);
}

/* Changes far below a point are not drawn as if they were large. */
static void test_small_changes_stay_pale(void **state)
{
	static const struct stack ta[] = { { "main;f", 1000 },
					   { "main;g", 1000 } };
	static const struct stack tb[] = { { "main;f", 1001 },
					   { "main;g", 999 } };
	struct profile *a = build(ta, 2), *b = build(tb, 2);
	char *svg = render(flame_diff_write, a, b);
	int rgb[3];

	(void)state;
	assert_non_null(strstr(svg, "(full colour = 1.00 points)"));
	fill_of(svg, "f (B: 1001 samples, 50.05%; A: 1000 samples, 50.00%; "
		     "+0.05 points)", rgb);
	assert_true(rgb[0] >= 225 && rgb[1] >= 215 && rgb[2] >= 215 &&
		    rgb[0] > rgb[2]);
	fill_of(svg, "g (B: 999 samples, 49.95%; A: 1000 samples, 50.00%; "
		     "-0.05 points)", rgb);
	assert_true(rgb[2] >= 225 && rgb[0] >= 215 && rgb[2] > rgb[0]);
	free(svg);
	profile_free(a);
	profile_free(b);
}

static void test_folded_has_both_counts(void **state)
{
	struct profile *a = build(sa, 4), *b = build(sb, 4);
	char *out = render(folded, a, b);

	(void)state;
	assert_string_equal(out, "main;e 2 3\n"
				 "main;f 2 2\n"
				 "main;f;z 2 0\n"
				 "main;g 4 11\n"
				 "main;g;h 0 4\n");
	free(out);
	/* One profile's folded stacks are unchanged by the shared code. */
	out = NULL;
	{
		size_t len;
		FILE *f = open_memstream(&out, &len);

		assert_int_equal(folded_write(a, f), 0);
		fclose(f);
	}
	assert_string_equal(out, "main;e 2\nmain;f 2\nmain;f;z 2\n"
				 "main;g 4\n");
	free(out);
	profile_free(a);
	profile_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_are_coloured_by_change),
		cmocka_unit_test(test_layout_is_the_plain_graph_of_b),
		cmocka_unit_test(test_small_changes_stay_pale),
		cmocka_unit_test(test_folded_has_both_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
