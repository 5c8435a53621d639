/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep's progress: on a terminal one status line redrawn in place
 * (bar, counts, elapsed time, ETA, best so far); elsewhere (a log, CI)
 * plain lines only, one per event, so nothing is garbled.
 */
#ifndef UNITUNE_PROGRESS_H
#define UNITUNE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *f;
	bool tty;
	uint64_t total;		/* points the sweep will handle; 0: unknown */
	uint64_t handled;	/* points answered, replayed ones included */
	uint64_t replayed;	/* answered from an earlier run's results */
	uint64_t done, failed, running;
	char best[160];		/* "metric=value" of the best so far */
	int64_t start_ns;
	int64_t drawn_ns;	/* last redraw */
	bool drawn;		/* a status line is on screen */
};

void progress_init(struct progress *p, FILE *f, bool tty, uint64_t total);
/* Redraw the status line (a terminal only; at most every 100 ms unless
 * force). */
void progress_draw(struct progress *p, bool force);
/* Print one message line (the status line moves below it). */
void progress_say(struct progress *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Leave the status line in place and end it; later messages are plain
 * lines. */
void progress_end(struct progress *p);

/* "1h02m", "3m05s", "42s" */
void progress_format_duration(double seconds, char *buf, size_t len);

#endif
