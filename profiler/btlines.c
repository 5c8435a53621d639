/* SPDX-License-Identifier: BSD-3-Clause */
#include "btlines.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unitune/abi.h>

#include "count.h"
#include "symbols.h"
#include "why.h"

#define BT_HEADER UNITUNE_MSG_PREFIX "backtrace:"
#define FRAME_PREFIX "  #"
/* Frame lines are short; a longer held line is passed on as it is. */
#define LINE_MAX_HELD 512

struct btlines {
	FILE *dest;
	char *image;
	struct symbolizer *sym;	/* opened at the first frame line */
	bool sym_failed;
	char line[LINE_MAX_HELD];	/* the current line's first bytes */
	size_t len;
	bool held;	/* the current line is kept back, not yet written */
	bool in_trace;	/* lines since "[uk] backtrace:" were all frames */
};

/* "  #N 0xPC" and then the end or a space: the index and the pc. */
static bool frame_parse(const char *line, uint64_t *idx, uint64_t *pc)
{
	const char *p = line + strlen(FRAME_PREFIX);
	size_t n;

	if (strncmp(line, FRAME_PREFIX, strlen(FRAME_PREFIX)) ||
	    count_scan(p, SIZE_MAX, UINT32_MAX, idx, &n))
		return false;
	p += n;
	if (strncmp(p, " 0x", 3) || count_scan_hex(p + 3, SIZE_MAX, pc, &n))
		return false;
	p += 3 + n;
	return !*p || *p == ' ';
}

/* " at FILE:LINE" for the frame line, or "" when DWARF does not say. */
static void frame_source(struct btlines *b, const char *line, char *out,
			 size_t outlen)
{
	const struct sym_loc *loc;
	const struct sym_frame *f;
	uint64_t idx, pc;

	out[0] = '\0';
	if (!frame_parse(line, &idx, &pc))
		return;
	if (!b->sym && !b->sym_failed) {
		char why[UNITUNE_WHY_MAX];

		/* The image just ran, so it reads; without it, no lines. */
		b->sym_failed = symbolizer_open(&b->sym, b->image, why,
						sizeof(why)) != 0;
	}
	if (!b->sym)
		return;
	/* Frames after the first are return addresses: the call is
	 * before them. */
	loc = symbolizer_lookup(b->sym, idx ? pc - 1 : pc);
	if (!loc)
		return;
	f = &loc->frames[loc->nframes - 1];
	if (f->file && f->line > 0)
		snprintf(out, outlen, " at %s:%d", f->file, f->line);
}

static void write_held(struct btlines *b, bool newline)
{
	char src[LINE_MAX_HELD];

	src[0] = '\0';
	if (newline) {
		b->line[b->len] = '\0';
		frame_source(b, b->line, src, sizeof(src));
	}
	fwrite(b->line, 1, b->len, b->dest);
	fputs(src, b->dest);
	if (newline)
		fputc('\n', b->dest);
	b->held = false;
}

/* Could the line so far still be a frame line? */
static bool may_be_frame(const struct btlines *b)
{
	size_t n = b->len < strlen(FRAME_PREFIX) ? b->len : strlen(FRAME_PREFIX);

	return !memcmp(b->line, FRAME_PREFIX, n);
}

static void end_line(struct btlines *b)
{
	bool frame = b->len >= strlen(FRAME_PREFIX) && may_be_frame(b);

	if (b->held)
		write_held(b, true);
	else
		fputc('\n', b->dest);
	b->in_trace = (b->len >= strlen(BT_HEADER) &&
		       !memcmp(b->line, BT_HEADER, strlen(BT_HEADER))) ||
		      (b->in_trace && frame);
	b->len = 0;
	b->held = b->in_trace;
}

static void add_byte(struct btlines *b, char c)
{
	if (c == '\n') {
		end_line(b);
		return;
	}
	if (!b->held) {
		fputc(c, b->dest);
		/* Kept only to recognise "[uk] backtrace:" at the newline. */
		if (b->len < sizeof(b->line) - 1)
			b->line[b->len++] = c;
		return;
	}
	if (b->len == sizeof(b->line) - 1) {
		write_held(b, false);	/* too long for a frame line */
		fputc(c, b->dest);
		b->in_trace = false;
		return;
	}
	b->line[b->len++] = c;
	if (!may_be_frame(b)) {
		write_held(b, false);
		b->in_trace = false;
	}
}

static ssize_t btlines_write(void *cookie, const char *buf, size_t size)
{
	struct btlines *b = cookie;

	for (size_t i = 0; i < size; i++)
		add_byte(b, buf[i]);
	fflush(b->dest);
	return (ssize_t)size;
}

static int btlines_close(void *cookie)
{
	struct btlines *b = cookie;

	if (b->held)
		write_held(b, false);
	fflush(b->dest);
	symbolizer_close(b->sym);
	free(b->image);
	free(b);
	return 0;
}

FILE *btlines_open(const char *image, FILE *dest)
{
	static const cookie_io_functions_t io = { .write = btlines_write,
						  .close = btlines_close };
	struct btlines *b = calloc(1, sizeof(*b));
	FILE *f = NULL;

	if (b) {
		b->dest = dest;
		b->image = strdup(image);
	}
	if (b && b->image)
		f = fopencookie(b, "w", io);
	if (!f && b) {
		free(b->image);
		free(b);
	}
	return f;
}

int btlines_run(struct runner_opts *o, struct runner_result *r)
{
	FILE *dest = o->echo;
	FILE *echo = dest ? btlines_open(o->image, dest) : NULL;
	int err;

	if (echo)
		o->echo = echo;
	err = runner_run(o, r);
	if (echo) {
		fclose(echo);
		o->echo = dest;
	}
	if (dest)
		fflush(dest);
	return err;
}
