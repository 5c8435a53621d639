/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small streaming JSON writer, for the --json outputs of the CLI (and
 * the speedscope profile of `unitune report`). The caller says what comes
 * next (begin/end of an object or array, a key, a value) and the writer
 * adds commas, indentation and escapes, so what it prints always parses.
 *
 * Strings are written as valid UTF-8 whatever the input: guest console
 * text is untrusted, so a byte that does not start a valid UTF-8
 * sequence becomes U+FFFD, and control characters are escaped.
 * Non-finite doubles (NaN, infinities) have no JSON form: they become
 * null.
 *
 * Misuse (a value where a key is due, unbalanced ends, nesting deeper
 * than JSON_DEPTH_MAX) and write errors are remembered; json_finish()
 * reports the first.
 *
 * Usage:
 *	struct json w;
 *	json_init(&w, stdout);
 *	json_begin_object(&w);
 *	json_key(&w, "samples");
 *	json_u64(&w, 12);
 *	json_end_object(&w);
 *	if (json_finish(&w)) ... -EINVAL (misuse) or -EIO ...
 */
#ifndef UNITUNE_JSON_H
#define UNITUNE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 32

struct json {
	FILE *out;
	bool compact;		/* no newlines or indentation */
	int depth;
	bool in_object[JSON_DEPTH_MAX];	/* per level: object, else array */
	bool has_items[JSON_DEPTH_MAX];	/* per level: a member was written */
	bool after_key;		/* a key was written, its value is due */
	bool done;		/* the top-level value is complete */
	int err;		/* first error, 0 if none */
};

/* Pretty-printed (two-space indentation); set w->compact afterwards for
 * one line. */
void json_init(struct json *w, FILE *out);

void json_begin_object(struct json *w);
void json_end_object(struct json *w);
void json_begin_array(struct json *w);
void json_end_array(struct json *w);

/* The key of the next member; only inside an object. */
void json_key(struct json *w, const char *key);
void json_key_n(struct json *w, const char *key, size_t len);

void json_string(struct json *w, const char *s);	/* NULL: null */
void json_string_n(struct json *w, const char *s, size_t len);
void json_u64(struct json *w, uint64_t v);
void json_i64(struct json *w, int64_t v);
void json_double(struct json *w, double v);	/* shortest exact form */

/* v as json_double() writes it, into buf (32 bytes are enough); false
 * (buf "") for NaN and infinities. The CSV export shares it. */
bool json_format_double(double v, char *buf, size_t len);
void json_bool(struct json *w, bool v);
void json_null(struct json *w);

/* Length of the valid UTF-8 sequence at s (at most n bytes, n > 0), 0
 * if the bytes there are not one (RFC 3629: no overlongs, no surrogates,
 * at most U+10FFFF). The Prometheus writer checks label values with it. */
size_t json_utf8_len(const unsigned char *s, size_t n);

/* Remember an error met while preparing a value (-ENOMEM, say):
 * json_finish() returns the first error, ours or the caller's. */
void json_fail(struct json *w, int err);

/* End the document (a newline unless compact). 0, -EINVAL (unbalanced,
 * or misused on the way) or -EIO. Flushes out. */
int json_finish(struct json *w);

#endif
