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
 * (room for a path and the text around it); a longer message is cut.
 * Every host library follows it (host/README.md, "Error messages").
 *
 * Beside it: a list of diagnostics, one line per bad input line or record
 * (config_parse_text, kconfig's parser output, trace_load's decoder
 * errors), appends to a struct strbuf, since every line must reach the
 * user and no fixed buffer can promise that. The one handle that keeps
 * its last error for a later call, the tuner's store (store_errmsg()),
 * keeps it in a char array of UNITUNE_WHY_MAX, filled the same way.
 */
#ifndef UNITUNE_WHY_H
#define UNITUNE_WHY_H

#include <limits.h>

#define UNITUNE_WHY_MAX (PATH_MAX + 512)

#endif
