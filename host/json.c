/* SPDX-License-Identifier: BSD-3-Clause */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void json_init(struct json *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

void json_fail(struct json *w, int err)
{
	if (!w->err)
		w->err = err;
}

static void newline(struct json *w, int depth)
{
	int i;

	if (w->compact)
		return;
	fputc('\n', w->out);
	for (i = 0; i < depth; i++)
		fputs("  ", w->out);
}

/* Commas and indentation before a value; false on misuse (nothing is
 * written then, so the output stays parseable up to the error). */
static bool before_value(struct json *w)
{
	int top = w->depth - 1;

	if (w->err)
		return false;
	if (w->depth == 0) {
		if (w->done) {
			json_fail(w, -EINVAL);
			return false;
		}
		return true;
	}
	if (w->in_object[top]) {
		if (!w->after_key) {
			json_fail(w, -EINVAL);
			return false;
		}
		w->after_key = false;
		return true;
	}
	if (w->has_items[top])
		fputc(',', w->out);
	newline(w, w->depth);
	w->has_items[top] = true;
	return true;
}

static void after_scalar(struct json *w)
{
	if (w->depth == 0)
		w->done = true;
}

size_t json_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void quoted(struct json *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	fputc('"', w->out);
	while (i < n) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', w->out);
			fputc(c, w->out);
			i++;
		} else if (c == '\n') {
			fputs("\\n", w->out);
			i++;
		} else if (c == '\t') {
			fputs("\\t", w->out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(w->out, "\\u%04x", c);
			i++;
		} else if ((k = json_utf8_len(s + i, n - i)) != 0) {
			fwrite(s + i, 1, k, w->out);
			i += k;
		} else {
			fputs("\\ufffd", w->out);
			i++;
		}
	}
	fputc('"', w->out);
}

static void begin(struct json *w, bool object)
{
	if (!before_value(w))
		return;
	if (w->depth == JSON_DEPTH_MAX) {
		json_fail(w, -EINVAL);
		return;
	}
	fputc(object ? '{' : '[', w->out);
	w->in_object[w->depth] = object;
	w->has_items[w->depth] = false;
	w->depth++;
}

static void end(struct json *w, bool object)
{
	if (w->err)
		return;
	if (!w->depth || w->in_object[w->depth - 1] != object ||
	    w->after_key) {
		json_fail(w, -EINVAL);
		return;
	}
	w->depth--;
	if (w->has_items[w->depth])
		newline(w, w->depth);
	fputc(object ? '}' : ']', w->out);
	after_scalar(w);
}

void json_begin_object(struct json *w)
{
	begin(w, true);
}

void json_end_object(struct json *w)
{
	end(w, true);
}

void json_begin_array(struct json *w)
{
	begin(w, false);
}

void json_end_array(struct json *w)
{
	end(w, false);
}

void json_key(struct json *w, const char *key)
{
	if (!key)
		json_fail(w, -EINVAL);
	else
		json_key_n(w, key, strlen(key));
}

void json_key_n(struct json *w, const char *key, size_t len)
{
	int top = w->depth - 1;

	if (w->err)
		return;
	if (!w->depth || !w->in_object[top] || w->after_key) {
		json_fail(w, -EINVAL);
		return;
	}
	if (w->has_items[top])
		fputc(',', w->out);
	newline(w, w->depth);
	quoted(w, key, len);
	fputs(w->compact ? ":" : ": ", w->out);
	w->has_items[top] = true;
	w->after_key = true;
}

void json_string_n(struct json *w, const char *s, size_t len)
{
	if (!before_value(w))
		return;
	quoted(w, s, len);
	after_scalar(w);
}

void json_string(struct json *w, const char *s)
{
	if (!s)
		json_null(w);
	else
		json_string_n(w, s, strlen(s));
}

void json_u64(struct json *w, uint64_t v)
{
	if (!before_value(w))
		return;
	fprintf(w->out, "%" PRIu64, v);
	after_scalar(w);
}

void json_i64(struct json *w, int64_t v)
{
	if (!before_value(w))
		return;
	fprintf(w->out, "%" PRId64, v);
	after_scalar(w);
}

bool json_format_double(double v, char *buf, size_t len)
{
	int prec;

	if (!isfinite(v)) {
		if (len)
			*buf = '\0';
		return false;
	}
	/* The fewest digits that read back as the same double: 0.1 stays
	 * "0.1", not "0.10000000000000001". */
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, len, "%.17g", v);
	/* %g turns 10 into "1e+01": an exponent on a number >= 1 means
	 * trailing zeros were dropped, so the integer reads better. */
	if (strchr(buf, 'e') && fabs(v) >= 1 && fabs(v) < 1e17)
		snprintf(buf, len, "%.0f", v);
	return true;
}

void json_double(struct json *w, double v)
{
	char buf[32];

	if (!json_format_double(v, buf, sizeof(buf))) {
		json_null(w);
		return;
	}
	if (!before_value(w))
		return;
	fputs(buf, w->out);
	after_scalar(w);
}

void json_bool(struct json *w, bool v)
{
	if (!before_value(w))
		return;
	fputs(v ? "true" : "false", w->out);
	after_scalar(w);
}

void json_null(struct json *w)
{
	if (!before_value(w))
		return;
	fputs("null", w->out);
	after_scalar(w);
}

int json_finish(struct json *w)
{
	if (!w->err && (w->depth || !w->done))
		json_fail(w, -EINVAL);
	if (!w->compact)
		fputc('\n', w->out);
	if ((fflush(w->out) || ferror(w->out)) && !w->err)
		w->err = -EIO;
	return w->err;
}
