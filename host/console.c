/* SPDX-License-Identifier: BSD-3-Clause */
#include "console.h"

#include <errno.h>
#include <string.h>

#include <unitune/abi.h>

#include "count.h"

static size_t chomp(const char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	return len;
}

bool console_next_line(const char *buf, size_t len, size_t *pos,
		       const char **line, size_t *line_len)
{
	const char *nl;
	size_t start = *pos;

	if (start >= len)
		return false;
	nl = memchr(buf + start, '\n', len - start);
	*line = buf + start;
	*line_len = (nl ? (size_t)(nl - buf) : len) - start;
	*pos = nl ? (size_t)(nl - buf) + 1 : len;
	return true;
}

bool console_find_last(const char *buf, size_t len, const char *marker,
		       const char **rest, size_t *rest_len)
{
	size_t mlen = strlen(marker);
	const char *hit = NULL, *p, *end, *nl;

	if (!mlen || !buf || !len)
		return false;
	p = buf;
	end = buf + len;
	/* memmem is fine here: the console is bounded (runner keeps a tail). */
	while (p < end && (p = memmem(p, (size_t)(end - p), marker, mlen))) {
		hit = p;
		p += mlen;
	}
	if (!hit)
		return false;
	hit += mlen;
	nl = memchr(hit, '\n', (size_t)(end - hit));
	*rest = hit;
	*rest_len = chomp(hit, (size_t)((nl ? nl : end) - hit));
	return true;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* All of s[0..len) decimal digits (no sign, no spaces), no overflow. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	size_t used;

	if (count_scan(s, len, UINT64_MAX, out, &used) || used != len)
		return -EINVAL;
	return 0;
}

/*
 * The key=value fields after prefix on a kernel line: each of the n keys
 * found goes to vals[k] and sets bit k of *seen. Keys come in any order;
 * unknown fields are skipped so the guest can add fields. A key given
 * twice, an empty field, one without '=', a value that is not a decimal
 * count or a trailing space is malformed: -EINVAL.
 */
static int parse_fields(const char *line, size_t len, const char *prefix,
			const char *const *keys, unsigned n, uint64_t *vals,
			unsigned *seen)
{
	unsigned k;
	size_t pos;

	len = chomp(line, len);
	*seen = 0;
	if (!has_prefix(line, len, prefix))
		return -EINVAL;
	pos = strlen(prefix);
	while (pos < len) {
		size_t start = pos, eq, end;
		const char *sp = memchr(line + pos, ' ', len - pos);
		const char *e;

		end = sp ? (size_t)(sp - line) : len;
		e = memchr(line + start, '=', end - start);
		/* Empty fields (double spaces) and fields without '=' are
		 * malformed, not unknown. */
		if (!e || e == line + start)
			return -EINVAL;
		eq = (size_t)(e - line);
		for (k = 0; k < n; k++) {
			if (strlen(keys[k]) == eq - start &&
			    !memcmp(line + start, keys[k], eq - start))
				break;
		}
		if (k < n) {
			if (*seen & (1u << k))
				return -EINVAL;
			if (parse_u64(line + eq + 1, end - eq - 1, &vals[k]))
				return -EINVAL;
			*seen |= 1u << k;
		}
		pos = sp ? end + 1 : end;
		if (sp && pos == len)
			return -EINVAL; /* trailing space */
	}
	return 0;
}

int console_parse_boot(const char *line, size_t len, struct console_boot *out)
{
	static const char *const keys[] = { "cycles", "tsc_first", "tsc_main",
					    "tsc_hz" };
	uint64_t vals[4];
	unsigned seen;

	if (parse_fields(line, len, UNITUNE_MSG_BOOT, keys, 4, vals, &seen))
		return -EINVAL;
	/* tsc_hz is optional: the guest calibrates only when time is used. */
	if ((seen & 0x7) != 0x7)
		return -EINVAL;
	out->cycles = vals[0];
	out->tsc_first = vals[1];
	out->tsc_main = vals[2];
	out->tsc_hz = (seen & 0x8) ? vals[3] : 0;
	return 0;
}

int console_parse_mem(const char *line, size_t len, uint64_t *need)
{
	static const char *const keys[] = { "need" };
	unsigned seen;

	if (parse_fields(line, len, UNITUNE_MSG_MEM, keys, 1, need, &seen) ||
	    !seen)
		return -EINVAL;
	return 0;
}

int console_parse_exit_status(const char *text, size_t len, int *status)
{
	uint64_t v;

	len = chomp(text, len);
	/* "007" is not something the guest prints: reject it as noise. */
	if (len > 1 && text[0] == '0')
		return -EINVAL;
	if (len > 3 || parse_u64(text, len, &v) || v > 255)
		return -EINVAL;
	*status = (int)v;
	return 0;
}

static size_t span(const char *s, size_t len, const char *accept_extra)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' ||
		      (c && strchr(accept_extra, c))))
			break;
	}
	return i;
}

/* A name (span's characters) at *pos, ended by sep: where it starts, its
 * length, and *pos past sep. */
static int name_before(const char *line, size_t len, size_t *pos,
		       const char *accept_extra, char sep, const char **name,
		       size_t *name_len)
{
	size_t n = span(line + *pos, len - *pos, accept_extra);

	if (!n || *pos + n >= len || line[*pos + n] != sep)
		return -EINVAL;
	*name = line + *pos;
	*name_len = n;
	*pos += n + 1;
	return 0;
}

int console_parse_test(const char *line, size_t len, struct console_test *out)
{
	size_t pos, n;
	struct console_test t = { 0 };

	len = chomp(line, len);
	if (!has_prefix(line, len, UNITUNE_MSG_TEST))
		return -EINVAL;
	pos = strlen(UNITUNE_MSG_TEST);
	if (name_before(line, len, &pos, "-", '.', &t.suite, &t.suite_len))
		return -EINVAL;
	/* The test name may hold dots, so it ends at the ": " separator. */
	n = span(line + pos, len - pos, "-.");
	if (!n || len - pos - n < 2 || memcmp(line + pos + n, ": ", 2))
		return -EINVAL;
	t.test = line + pos;
	t.test_len = n;
	if (line[pos + n - 1] == '.')
		return -EINVAL;
	pos += n + 2;
	if (len - pos == 2 && !memcmp(line + pos, "ok", 2)) {
		t.ok = true;
	} else if (len - pos == 4 && !memcmp(line + pos, "FAIL", 4)) {
		t.ok = false;
		t.detail = line + len;
	} else if (len - pos > 4 && !memcmp(line + pos, "FAIL ", 5)) {
		t.ok = false;
		t.detail = line + pos + 5;
		t.detail_len = len - pos - 5;
	} else {
		return -EINVAL;
	}
	*out = t;
	return 0;
}

static int parse_count(const char *s, size_t len, size_t *pos, unsigned *out)
{
	size_t n = 0;
	uint64_t v;

	while (*pos + n < len && s[*pos + n] >= '0' && s[*pos + n] <= '9')
		n++;
	if (n > 1 && s[*pos] == '0')
		return -EINVAL;
	if (parse_u64(s + *pos, n, &v) || v > 0xffffffffu)
		return -EINVAL;
	*pos += n;
	*out = (unsigned)v;
	return 0;
}

static int expect(const char *s, size_t len, size_t *pos, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *pos < n || memcmp(s + *pos, lit, n))
		return -EINVAL;
	*pos += n;
	return 0;
}

int console_parse_summary(const char *line, size_t len, unsigned *passed,
			  unsigned *failed)
{
	unsigned p, f;
	size_t pos = 0;

	len = chomp(line, len);
	if (expect(line, len, &pos, UNITUNE_MSG_TEST_SUMMARY) ||
	    parse_count(line, len, &pos, &p) ||
	    expect(line, len, &pos, " passed, ") ||
	    parse_count(line, len, &pos, &f) ||
	    expect(line, len, &pos, " failed") || pos != len)
		return -EINVAL;
	*passed = p;
	*failed = f;
	return 0;
}

int console_parse_result(const char *line, size_t len,
			 struct console_result *out)
{
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	len = chomp(line, len);
	if (expect(line, len, &pos, CONSOLE_RESULT_PREFIX))
		return -EINVAL;
	while (pos < len) {
		struct console_kv kv;

		if (name_before(line, len, &pos, "-.", '=', &kv.key,
				&kv.key_len))
			return -EINVAL;
		kv.val = line + pos;
		while (pos < len && line[pos] != ' ')
			pos++;
		kv.val_len = (size_t)(line + pos - kv.val);
		if (!kv.val_len || (pos < len && ++pos == len))
			return -EINVAL; /* empty value, or a trailing space */
		if (kv.key_len == 5 && !memcmp(kv.key, "bench", 5)) {
			if (out->bench)
				return -EINVAL;
			out->bench = kv.val;
			out->bench_len = kv.val_len;
		} else if (kv.key_len == 7 && !memcmp(kv.key, "pattern", 7)) {
			if (out->pattern)
				return -EINVAL;
			out->pattern = kv.val;
			out->pattern_len = kv.val_len;
		} else if (out->n < CONSOLE_RESULT_FIELDS) {
			out->f[out->n++] = kv;
		}
	}
	if (!out->bench || !out->pattern ||
	    span(out->bench, out->bench_len, "-") != out->bench_len ||
	    span(out->pattern, out->pattern_len, "-") != out->pattern_len)
		return -EINVAL;
	return 0;
}

int console_field_number(const char *val, size_t len, double *out)
{
	return count_parse_real(val, len, out);
}

const char *console_field_unit(const char *key, size_t len)
{
	static const struct { const char *field, *unit; } units[] = {
		{ "cycles", "cycles" },
		{ "cycles_per_op", "cycles/op" },
		{ "peak_heap", "B" },
		{ "bytes", "B" },
		{ "ns", "ns" },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].field) == len &&
		    !memcmp(units[i].field, key, len))
			return units[i].unit;
	return "";
}

/* The last line of console carrying marker, marker included; false if
 * there is none. */
static bool find_last_line(const char *console, size_t len,
			   const char *marker, const char **line, size_t *n)
{
	size_t mlen = strlen(marker);

	if (!console_find_last(console, len, marker, line, n))
		return false;
	*line -= mlen;
	*n += mlen;
	return true;
}

int console_find_boot(const char *console, size_t len,
		      struct console_boot *out)
{
	const char *line;
	size_t n;

	if (!find_last_line(console, len, UNITUNE_MSG_BOOT, &line, &n))
		return -ENOENT;
	return console_parse_boot(line, n, out);
}

int console_find_mem(const char *console, size_t len, uint64_t *need)
{
	const char *line;
	size_t n;

	if (!find_last_line(console, len, UNITUNE_MSG_MEM, &line, &n))
		return -ENOENT;
	return console_parse_mem(line, n, need);
}
