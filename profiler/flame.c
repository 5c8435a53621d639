/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SVG flame graphs (report.h): the plain one of a profile and the
 * differential one of two. One layout serves both (flame_render()): a
 * <rect> per call-tree node, width by its share, root at the bottom,
 * siblings in name order; a paint callback chooses each frame's fill and
 * the tooltip text after its name.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MARGIN 10
#define TITLE_SPACE 34
#define FONT_SIZE 11
#define CHAR_WIDTH 6.6	/* average glyph width at FONT_SIZE, for labels */
#define TIP_MAX 192

/* What a frame looks like: its fill and the tooltip after its name. */
struct flame_paint {
	int r, g, b;
	char tip[TIP_MAX];
};

typedef void (*flame_paint_fn)(const void *ctx, uint32_t node,
			       const char *name, struct flame_paint *out);

static void xml_escaped(FILE *f, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++) {
		switch (s[i]) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			/* Control bytes are not allowed in XML 1.0. */
			fputc((unsigned char)s[i] < 0x20 ? '?' : s[i], f);
		}
	}
}

static double percent(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0.0;
}

/* x of every node: parents are created before their children, so one
 * pass in index order places every node after its parent. */
static void layout(const struct profile *p, double *x, double full)
{
	uint64_t all = profile_node(p, PROF_ROOT)->total;
	size_t nn = profile_nnodes(p), i;
	uint32_t c;

	x[PROF_ROOT] = MARGIN;
	for (i = 0; i < nn; i++) {
		double cx = x[i];

		for (c = profile_node(p, (uint32_t)i)->child; c != PROF_NONE;
		     c = profile_node(p, c)->sibling) {
			x[c] = cx;
			cx += all ? full * (double)profile_node(p, c)->total /
					    (double)all
				  : 0;
		}
	}
}

/* One frame: <g><title>NAME TIP</title><rect/><text>label</text></g>. */
static void frame(FILE *out, const char *name, const struct flame_paint *pt,
		  double x, double y, double w)
{
	size_t fit = w > 3 * CHAR_WIDTH ? (size_t)((w - 6) / CHAR_WIDTH) : 0;

	fprintf(out, "<g><title>");
	xml_escaped(out, name, SIZE_MAX);
	xml_escaped(out, pt->tip, SIZE_MAX);
	fprintf(out, "</title>");
	fprintf(out,
		"<rect x=\"%.3f\" y=\"%.1f\" width=\"%.3f\" "
		"height=\"%d\" fill=\"rgb(%d,%d,%d)\" rx=\"2\" "
		"ry=\"2\"/>",
		x, y, w, FLAME_FRAME_HEIGHT - 1, pt->r, pt->g, pt->b);
	if (fit >= 3) {
		fprintf(out, "<text x=\"%.3f\" y=\"%.1f\">", x + 3,
			y + FLAME_FRAME_HEIGHT - 4.5);
		if (strlen(name) <= fit) {
			xml_escaped(out, name, SIZE_MAX);
		} else {
			xml_escaped(out, name, fit - 2);
			fputs("..", out);
		}
		fprintf(out, "</text>");
	}
	fprintf(out, "</g>\n");
}

/* The graph of p, each frame painted by paint(ctx, ...). 0, -ENOMEM,
 * -EIO. */
static int flame_render(const struct profile *p, FILE *out, const char *title,
			flame_paint_fn paint, const void *ctx)
{
	size_t nn = profile_nnodes(p), i;
	uint64_t all = profile_node(p, PROF_ROOT)->total;
	double *x = calloc(nn, sizeof(*x)), full = FLAME_WIDTH - 2 * MARGIN;
	uint32_t maxdepth = 0;
	int height, err = 0;

	if (!x)
		return -ENOMEM;
	for (i = 0; i < nn; i++)
		if (profile_node(p, (uint32_t)i)->depth > maxdepth)
			maxdepth = profile_node(p, (uint32_t)i)->depth;
	layout(p, x, full);
	height = TITLE_SPACE + (int)(maxdepth + 1) * FLAME_FRAME_HEIGHT +
		 MARGIN;
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"Verdana, sans-serif\" font-size=\"%d\" "
		"style=\"background-color:#f6f6ee\">\n",
		FLAME_WIDTH, height, FLAME_WIDTH, height, FONT_SIZE);
	fprintf(out, "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" "
		     "font-size=\"15\">",
		FLAME_WIDTH / 2);
	xml_escaped(out, title, 400);
	fprintf(out, "</text>\n");
	for (i = 0; i < nn; i++) {
		const struct prof_node *n = profile_node(p, (uint32_t)i);
		const char *name = i == PROF_ROOT ? "all"
						  : profile_func_name(p, n->func);
		double w = all ? full * (double)n->total / (double)all
			       : (i == PROF_ROOT ? full : 0);
		struct flame_paint pt;

		paint(ctx, (uint32_t)i, name, &pt);
		frame(out, name, &pt, x[i],
		      TITLE_SPACE + (double)(maxdepth - n->depth) *
					    FLAME_FRAME_HEIGHT,
		      w);
	}
	if (fprintf(out, "</svg>\n") < 0 || ferror(out))
		err = -EIO;
	free(x);
	return err;
}

/* A warm colour from the name, so a function keeps its colour across
 * graphs (FNV-1a; three bytes of it pick red, green and blue ranges). */
static void plain_paint(const void *ctx, uint32_t node, const char *name,
			struct flame_paint *pt)
{
	const struct profile *p = ctx;
	uint64_t n = profile_node(p, node)->total;
	uint32_t h = 2166136261u;

	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	pt->r = 200 + (int)(h % 56);
	pt->g = 80 + (int)((h >> 8) % 150);
	pt->b = 30 + (int)((h >> 16) % 50);
	snprintf(pt->tip, sizeof(pt->tip), " (%llu samples, %.2f%%)",
		 (unsigned long long)n,
		 percent(n, profile_node(p, PROF_ROOT)->total));
}

int flame_write(const struct profile *p, FILE *out, const char *title)
{
	return flame_render(p, out, title, plain_paint, p);
}

/* The differential graph: B's frames, A's counts by the same path. */
struct diff_paint {
	const struct profile *a, *b;
	const uint32_t *in_a;	/* B node -> A node; PROF_NONE: not in A */
	double scale;		/* points of change drawn at full colour */
};

/* A's child of node `parent` named `name`, or PROF_NONE. */
static uint32_t child_named(const struct profile *a, uint32_t parent,
			    const char *name)
{
	uint32_t c;

	for (c = profile_node(a, parent)->child; c != PROF_NONE;
	     c = profile_node(a, c)->sibling)
		if (!strcmp(profile_func_name(a, profile_node(a, c)->func),
			    name))
			return c;
	return PROF_NONE;
}

/* in_a[] for every node of b: the node of a with the same stack of
 * function names. Parents come before their children (index order). */
static void match_nodes(const struct profile *a, const struct profile *b,
			uint32_t *in_a)
{
	size_t nn = profile_nnodes(b), i;
	uint32_t c;

	in_a[PROF_ROOT] = PROF_ROOT;
	for (i = 0; i < nn; i++)
		for (c = profile_node(b, (uint32_t)i)->child; c != PROF_NONE;
		     c = profile_node(b, c)->sibling)
			in_a[c] = in_a[i] == PROF_NONE
					  ? PROF_NONE
					  : child_named(a, in_a[i],
							profile_func_name(b,
							profile_node(b, c)->func));
}

static double share_a(const struct diff_paint *d, uint32_t node)
{
	uint32_t m = d->in_a[node];

	return m == PROF_NONE ? 0.0
			      : percent(profile_node(d->a, m)->total,
					profile_samples(d->a));
}

static double share_b(const struct diff_paint *d, uint32_t node)
{
	return percent(profile_node(d->b, node)->total, profile_samples(d->b));
}

/* Grey at no change, towards red (grew) or blue (shrank) by t in 0..1. */
static void diff_colour(double t, bool grew, struct flame_paint *pt)
{
	static const int grey = 230, red[3] = { 220, 20, 20 },
			 blue[3] = { 30, 70, 220 };
	const int *to = grew ? red : blue;

	t = fmin(fmax(t, 0), 1);
	pt->r = grey + (int)lround(t * (to[0] - grey));
	pt->g = grey + (int)lround(t * (to[1] - grey));
	pt->b = grey + (int)lround(t * (to[2] - grey));
}

static void diff_paint(const void *ctx, uint32_t node, const char *name,
		       struct flame_paint *pt)
{
	const struct diff_paint *d = ctx;
	double sb = share_b(d, node), sa = share_a(d, node), delta = sb - sa;
	uint64_t nb = profile_node(d->b, node)->total;

	(void)name;
	if (d->in_a[node] == PROF_NONE) {
		diff_colour(1, true, pt);
		snprintf(pt->tip, sizeof(pt->tip),
			 " (B: %llu samples, %.2f%%; A: not present; "
			 "%+.2f points)",
			 (unsigned long long)nb, sb, delta);
		return;
	}
	diff_colour(fabs(delta) / d->scale, delta > 0, pt);
	snprintf(pt->tip, sizeof(pt->tip),
		 " (B: %llu samples, %.2f%%; A: %llu samples, %.2f%%; "
		 "%+.2f points)",
		 (unsigned long long)nb, sb,
		 (unsigned long long)profile_node(d->a, d->in_a[node])->total,
		 sa, delta);
}

int flame_diff_write(const struct profile *a, const struct profile *b,
		     FILE *out, const char *title)
{
	size_t nn = profile_nnodes(b), i;
	uint32_t *in_a = calloc(nn, sizeof(*in_a));
	struct diff_paint d = { a, b, in_a, FLAME_DIFF_MIN_SCALE };
	char head[600];
	int err;

	if (!in_a)
		return -ENOMEM;
	match_nodes(a, b, in_a);
	for (i = 0; i < nn; i++)
		if (in_a[i] != PROF_NONE)
			d.scale = fmax(d.scale, fabs(share_b(&d, (uint32_t)i) -
						     share_a(&d, (uint32_t)i)));
	snprintf(head, sizeof(head),
		 "%s: red grew, blue shrank from A to B (full colour = "
		 "%.2f points)",
		 title, d.scale);
	err = flame_render(b, out, head, diff_paint, &d);
	free(in_a);
	return err;
}
