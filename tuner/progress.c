/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Progress bar or plain lines. See progress.h.
 */
#include "progress.h"

#include <stdarg.h>
#include <string.h>

#include "spawn.h"

#define BAR_WIDTH 24
#define REDRAW_NS 100000000LL

void progress_init(struct progress *p, FILE *f, bool tty, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->tty = tty;
	p->total = total;
	p->start_ns = spawn_now_ns();
}

void progress_format_duration(double s, char *buf, size_t len)
{
	unsigned long t = s > 0 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%luh%02lum", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, len, "%lus", t);
}

void progress_draw(struct progress *p, bool force)
{
	int64_t now = spawn_now_ns();
	double elapsed = (double)(now - p->start_ns) / 1e9;
	uint64_t fresh = p->handled - p->replayed;
	char bar[BAR_WIDTH + 1], el[16], eta[24];
	unsigned i, fill = 0;

	if (!p->tty || (!force && now - p->drawn_ns < REDRAW_NS))
		return;
	p->drawn_ns = now;
	if (p->total) {
		fill = (unsigned)(p->handled * BAR_WIDTH /
				  (p->handled > p->total ? p->handled
							 : p->total));
		if (fill > BAR_WIDTH)
			fill = BAR_WIDTH;
	}
	for (i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	progress_format_duration(elapsed, el, sizeof(el));
	if (p->total && fresh && p->total > p->handled)
		progress_format_duration(elapsed / (double)fresh *
					 (double)(p->total - p->handled),
					 eta + 4, sizeof(eta) - 4);
	else
		snprintf(eta + 4, sizeof(eta) - 4, "%s",
			 p->total && p->total <= p->handled ? "0s" : "?");
	memcpy(eta, "ETA ", 4);
	if (p->total)
		fprintf(p->f, "\r[%s] %llu/%llu", bar,
			(unsigned long long)p->handled,
			(unsigned long long)p->total);
	else
		fprintf(p->f, "\r%llu points", (unsigned long long)p->handled);
	fprintf(p->f, "  done %llu  failed %llu  running %llu  %s  %s%s%s"
		"\033[K", (unsigned long long)p->done,
		(unsigned long long)p->failed, (unsigned long long)p->running,
		el, eta, p->best[0] ? "  best " : "", p->best);
	fflush(p->f);
	p->drawn = true;
}

void progress_say(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p->drawn)
		fputs("\r\033[K", p->f);
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
	fputc('\n', p->f);
	p->drawn = false;
	progress_draw(p, true);
}

void progress_end(struct progress *p)
{
	if (p->tty) {
		progress_draw(p, true);
		fputc('\n', p->f);
		p->drawn = false;
		p->tty = false; /* what follows is plain lines */
	}
	fflush(p->f);
}
