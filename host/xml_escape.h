/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text for XML 1.0 and HTML: character data and attribute values (either
 * quote) alike, whatever the input holds. A commit subject, a benchmark's
 * reason for failing, a guest's output may hold anything, and one stray
 * byte makes an XML file unreadable to a CI system.
 *
 *   < > & " '          as entities
 *   tab, newline, CR    as character references (&#9; &#10; &#13;), so an
 *                       attribute keeps them (a parser folds raw ones to
 *                       spaces)
 *   other C0 controls, DEL, C1 controls, U+FFFE, U+FFFF
 *                       U+FFFD: XML 1.0 forbids or discourages them and
 *                       HTML calls them parse errors
 *   invalid UTF-8       U+FFFD per byte that starts no valid sequence
 *   anything else       as it is
 */
#ifndef UNITUNE_XML_ESCAPE_H
#define UNITUNE_XML_ESCAPE_H

#include <stdio.h>

/* Write s (NULL: nothing) escaped as above; a write error is left in
 * ferror(f) for the caller's fclose check. */
void xml_escape(FILE *f, const char *s);

#endif
