/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Requested values kconfig dropped because a dependency was off in that
 * configuration ("dead by dependency", build_dead_reason()): expected in
 * any grid that varies an option and what it depends on, so the sweep's
 * console, `unitune show` and the report count them per option and
 * reason and print one line each, keeping individual notes for the
 * surprising changes (a range clamp, a select, a choice that picked
 * another member).
 */
#ifndef UNITUNE_DEAD_TALLY_H
#define UNITUNE_DEAD_TALLY_H

#include <stddef.h>

#include "strbuf.h"

struct dead_tally_line {
	char *option; /* without CONFIG_ */
	char *reason; /* "CONFIG_Y=n", or several joined by ", " */
	size_t n;
};

/* Lines in the order first seen. Zero-initialise. */
struct dead_tally {
	struct dead_tally_line *v;
	size_t n;
};

/* Count one more for (option, reason). 0 or -ENOMEM. */
int dead_tally_add(struct dead_tally *t, const char *option,
		   const char *reason);

/* Count each "OPTION\tREASON\n" line of text (build_changes()' dead
 * output); other lines are ignored. 0 or -ENOMEM. */
int dead_tally_add_lines(struct dead_tally *t, const char *text);

/* "CONFIG_X: not applicable in N <what> because CONFIG_Y=n" (what is
 * "variants" or "points"; singular for 1), no newline. */
int dead_tally_text(const struct dead_tally_line *l, const char *what,
		    struct strbuf *out);

void dead_tally_release(struct dead_tally *t);

#endif
