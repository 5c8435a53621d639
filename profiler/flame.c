/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MARGIN 10
#define TITLE_SPACE 34
#define FONT_SIZE 11
#define CHAR_WIDTH 6.6	/* average glyph width at FONT_SIZE, for labels */

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

/* A warm colour from the name, so a function keeps its colour across
 * graphs (FNV-1a; three bytes of it pick red, green and blue ranges). */
static void colour(const char *name, int *r, int *g, int *b)
{
	uint32_t h = 2166136261u;

	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	*r = 200 + (int)(h % 56);
	*g = 80 + (int)((h >> 8) % 150);
	*b = 30 + (int)((h >> 16) % 50);
}

int flame_write(const struct profile *p, FILE *out, const char *title)
{
	size_t nn = profile_nnodes(p), i;
	const struct prof_node *root = profile_node(p, PROF_ROOT);
	double *x = calloc(nn, sizeof(*x)), full = FLAME_WIDTH - 2 * MARGIN;
	uint32_t maxdepth = 0, c;
	int height, err = 0;

	if (!x)
		return -ENOMEM;
	for (i = 0; i < nn; i++)
		if (profile_node(p, (uint32_t)i)->depth > maxdepth)
			maxdepth = profile_node(p, (uint32_t)i)->depth;
	/* Parents are created before their children, so one pass in index
	 * order places every node after its parent. */
	x[PROF_ROOT] = MARGIN;
	for (i = 0; i < nn; i++) {
		double cx = x[i];

		for (c = profile_node(p, (uint32_t)i)->child; c != PROF_NONE;
		     c = profile_node(p, c)->sibling) {
			x[c] = cx;
			cx += root->total ? full * (double)profile_node(p, c)->total /
						    (double)root->total
					  : 0;
		}
	}
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
	xml_escaped(out, title, 200);
	fprintf(out, "</text>\n");
	for (i = 0; i < nn; i++) {
		const struct prof_node *n = profile_node(p, (uint32_t)i);
		const char *name = i == PROF_ROOT ? "all"
						  : profile_func_name(p, n->func);
		double w = root->total ? full * (double)n->total /
						 (double)root->total
				       : (i == PROF_ROOT ? full : 0);
		double y = TITLE_SPACE + (double)(maxdepth - n->depth) *
						 FLAME_FRAME_HEIGHT;
		size_t fit = w > 3 * CHAR_WIDTH ? (size_t)((w - 6) / CHAR_WIDTH)
						: 0;
		int r, g, b;

		colour(name, &r, &g, &b);
		fprintf(out, "<g><title>");
		xml_escaped(out, name, SIZE_MAX);
		fprintf(out, " (%llu samples, %.2f%%)</title>",
			(unsigned long long)n->total,
			root->total ? 100.0 * (double)n->total /
					      (double)root->total
				    : 0.0);
		fprintf(out,
			"<rect x=\"%.3f\" y=\"%.1f\" width=\"%.3f\" "
			"height=\"%d\" fill=\"rgb(%d,%d,%d)\" rx=\"2\" "
			"ry=\"2\"/>",
			x[i], y, w, FLAME_FRAME_HEIGHT - 1, r, g, b);
		if (fit >= 3) {
			fprintf(out, "<text x=\"%.3f\" y=\"%.1f\">",
				x[i] + 3, y + FLAME_FRAME_HEIGHT - 4.5);
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
	if (fprintf(out, "</svg>\n") < 0 || ferror(out))
		err = -EIO;
	free(x);
	return err;
}
