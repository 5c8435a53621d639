/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How the host returns an error message. A function that can fail for a
 * reason its caller must be able to tell the user takes, last,
 *
 *	char *why, size_t why_len
 *
 * and on failure returns a negative errno (or its module's error code)
 * with one line in why: no "error: " prefix, no trailing newline, no
 * program name; the caller adds those when it prints. On success why is
 * left as it was. A caller declares its buffer as char why[UNITUNE_WHY_MAX]
 * (room for a path and the text around it). A handle that keeps its last
 * error for later (the tuner's store) keeps it in a char array of the same
 * size, filled the same way. The one other shape is a list of
 * diagnostics, one line per bad input line (config_parse_text, the space
 * file, kconfig's parser output): those append to a struct strbuf, since
 * every line must reach the user and no fixed buffer can promise that.
 */
#ifndef UNITUNE_WHY_H
#define UNITUNE_WHY_H

#include <limits.h>

#define UNITUNE_WHY_MAX (PATH_MAX + 512)

#endif
