/* SPDX-License-Identifier: BSD-3-Clause */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "count.h"
#include "digest.h"
#include "why.h"

#define NOT_SET " is not set"

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static size_t name_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_name_char(s[i]))
		i++;
	return i;
}

void config_assign_release(struct config_assign *a)
{
	free(a->name);
	free(a->value);
	a->name = a->value = NULL;
}

static int fill(struct config_assign *a, const char *name, size_t nlen,
		const char *value, size_t vlen)
{
	a->name = strndup(name, nlen);
	a->value = strndup(value, vlen);
	if (!a->name || !a->value) {
		config_assign_release(a);
		return -ENOMEM;
	}
	return 1;
}

int config_parse_line(const char *line, size_t len, struct config_assign *a,
		      char *why, size_t why_len)
{
	const size_t plen = strlen(CONFIG_PREFIX);
	size_t n, i;

	a->name = a->value = NULL;
	if (len && line[len - 1] == '\r')
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return 0;
	if (line[0] == '#') {
		/* Only the exact form kconfig writes means "n"; any other
		 * comment is a comment. */
		if (len < 2 + plen || memcmp(line, "# " CONFIG_PREFIX, 2 + plen))
			return 0;
		n = name_len(line + 2 + plen, len - 2 - plen);
		if (!n || len - 2 - plen - n != strlen(NOT_SET) ||
		    memcmp(line + 2 + plen + n, NOT_SET, strlen(NOT_SET)))
			return 0;
		return fill(a, line + 2 + plen, n, "n", 1);
	}
	if (len < plen || memcmp(line, CONFIG_PREFIX, plen)) {
		snprintf(why, why_len, "malformed line '%.*s' (expected "
			 CONFIG_PREFIX "NAME=VALUE or '# " CONFIG_PREFIX
			 "NAME is not set')", (int)(len > 80 ? 80 : len), line);
		return -EINVAL;
	}
	n = name_len(line + plen, len - plen);
	if (!n) {
		snprintf(why, why_len, "missing symbol name after "
			 CONFIG_PREFIX " in '%.*s'",
			 (int)(len > 80 ? 80 : len), line);
		return -EINVAL;
	}
	if (plen + n == len || line[plen + n] != '=') {
		snprintf(why, why_len, "malformed assignment '%.*s' (expected "
			 CONFIG_PREFIX "NAME=VALUE; NAME is letters, digits "
			 "and '_')", (int)(len > 80 ? 80 : len), line);
		return -EINVAL;
	}
	return fill(a, line + plen, n, line + plen + n + 1,
		    len - plen - n - 1);
}

int config_parse_int(const char *s, int64_t *out)
{
	const char *p = s + (*s == '-');

	/* kconfig writes neither "007" nor "-0". */
	if (*p == '0' && (p[1] || p != s))
		return -EINVAL;
	return count_parse_signed(s, out);
}

/* A .config hex value: 0x (or 0X) and at least one hex digit. */
static int parse_hex(const char *s, uint64_t *out)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	return count_parse_hex(s + 2, out);
}

/* A double-quoted string whose inner '"' and '\' are escaped. */
static int check_string(const char *s, char *why, size_t why_len)
{
	size_t len = strlen(s), i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"') {
		snprintf(why, why_len, "a string value must be in double "
			 "quotes, like \"text\"");
		return -EINVAL;
	}
	for (i = 1; i < len - 1; i++) {
		if (s[i] == '\\') {
			if (i + 1 == len - 1) {
				snprintf(why, why_len, "the closing quote is "
					 "escaped by a backslash");
				return -EINVAL;
			}
			i++;
		} else if (s[i] == '"') {
			snprintf(why, why_len, "unescaped '\"' inside the "
				 "string (write \\\")");
			return -EINVAL;
		}
	}
	return 0;
}

int config_check_value(const struct kconfig_sym *sym, const char *value,
		       char *why, size_t why_len)
{
	int64_t i;
	uint64_t u;
	int r;

	switch (sym->type) {
	case KCONFIG_BOOL:
		if (!strcmp(value, "y") || !strcmp(value, "n"))
			return 0;
		snprintf(why, why_len, "'%s' is not a bool value; expected y "
			 "or n", value);
		return -EINVAL;
	case KCONFIG_TRISTATE:
		if (!strcmp(value, "y") || !strcmp(value, "m") ||
		    !strcmp(value, "n"))
			return 0;
		snprintf(why, why_len, "'%s' is not a tristate value; "
			 "expected y, m or n", value);
		return -EINVAL;
	case KCONFIG_INT:
		r = config_parse_int(value, &i);
		if (r == -ERANGE) {
			snprintf(why, why_len, "'%s' does not fit in 64 bits",
				 value);
			return -EINVAL;
		}
		if (r) {
			snprintf(why, why_len, "'%s' is not an int value; "
				 "expected a decimal number like 42 or -1",
				 value);
			return -EINVAL;
		}
		if (sym->has_range && (i < sym->min || i > sym->max)) {
			snprintf(why, why_len, "%s is outside the range "
				 "%" PRId64 "..%" PRId64, value, sym->min,
				 sym->max);
			return -EINVAL;
		}
		return 0;
	case KCONFIG_HEX:
		r = parse_hex(value, &u);
		if (r == -ERANGE) {
			snprintf(why, why_len, "'%s' does not fit in 64 bits",
				 value);
			return -EINVAL;
		}
		if (r) {
			snprintf(why, why_len, "'%s' is not a hex value; "
				 "expected 0x followed by hex digits, like "
				 "0x1000", value);
			return -EINVAL;
		}
		if (sym->has_range && (u < sym->umin || u > sym->umax)) {
			snprintf(why, why_len, "%s is outside the range "
				 "0x%" PRIx64 "..0x%" PRIx64, value, sym->umin,
				 sym->umax);
			return -EINVAL;
		}
		return 0;
	case KCONFIG_STRING:
		return check_string(value, why, why_len);
	}
	snprintf(why, why_len, "unsupported symbol type");
	return -EINVAL;
}

int config_check_assign(const struct kconfig *kc, const struct config_assign *a,
			char *why, size_t why_len)
{
	const struct kconfig_sym *sym = kconfig_find(kc, a->name);
	char where[UNITUNE_WHY_MAX], msg[UNITUNE_WHY_MAX];

	if (a->line)
		snprintf(where, sizeof(where), "%s:%u", a->source, a->line);
	else
		snprintf(where, sizeof(where), "%s",
			 a->source ? a->source : "--set");
	if (!sym) {
		snprintf(why, why_len, "%s: " CONFIG_PREFIX "%s: unknown "
			 "symbol (not in the Kconfig tree)", where, a->name);
		return -EINVAL;
	}
	if (config_check_value(sym, a->value, msg, sizeof(msg))) {
		snprintf(why, why_len, "%s: " CONFIG_PREFIX "%s (%s): %s",
			 where, a->name, kconfig_type_name(sym->type), msg);
		return -EINVAL;
	}
	return 0;
}

bool config_values_equal(enum kconfig_type t, const char *a, const char *b)
{
	int64_t ia, ib;
	uint64_t ua, ub;

	if (t == KCONFIG_BOOL || t == KCONFIG_TRISTATE) {
		if (!a)
			a = "n";
		if (!b)
			b = "n";
	}
	if (!a || !b)
		return a == b;
	if (t == KCONFIG_INT && !config_parse_int(a, &ia) &&
	    !config_parse_int(b, &ib))
		return ia == ib;
	if (t == KCONFIG_HEX) {
		/* kconfig may store hex without the 0x it was given. */
		char ha[40], hb[40];

		snprintf(ha, sizeof(ha), "%s%s", strncmp(a, "0x", 2) &&
			 strncmp(a, "0X", 2) ? "0x" : "", a);
		snprintf(hb, sizeof(hb), "%s%s", strncmp(b, "0x", 2) &&
			 strncmp(b, "0X", 2) ? "0x" : "", b);
		if (!parse_hex(ha, &ua) && !parse_hex(hb, &ub))
			return ua == ub;
	}
	return !strcmp(a, b);
}

int config_set_push(struct config_set *s, struct config_assign *a)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct config_assign *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *a;
	memset(a, 0, sizeof(*a));
	return 0;
}

int config_set_put(struct config_set *s, struct config_assign *a)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].name, a->name)) {
			config_assign_release(&s->v[i]);
			s->v[i] = *a;
			memset(a, 0, sizeof(*a));
			return 0;
		}
	}
	return config_set_push(s, a);
}

int config_set_put_copy(struct config_set *s, const struct config_assign *a)
{
	struct config_assign c = { .name = strdup(a->name),
				   .value = strdup(a->value),
				   .source = a->source,
				   .line = a->line };
	int err = -ENOMEM;

	if (c.name && c.value)
		err = config_set_put(s, &c);
	config_assign_release(&c);
	return err;
}

const struct config_assign *config_set_get(const struct config_set *s,
					   const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

void config_set_release(struct config_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		config_assign_release(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int parse_text(const char *text, size_t len, const char *source,
		      struct config_set *s, struct strbuf *errs,
		      bool keep_all)
{
	size_t pos = 0;
	unsigned lineno = 0;
	int bad = 0, r;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct config_assign a;
		char why[UNITUNE_WHY_MAX];

		pos += n + (nl != NULL);
		lineno++;
		r = config_parse_line(line, n, &a, why, sizeof(why));
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			bad++;
			if (errs && strbuf_addf(errs, "%s:%u: %s\n", source,
						lineno, why))
				return -ENOMEM;
			continue;
		}
		if (r == 0)
			continue;
		a.source = source;
		a.line = lineno;
		r = keep_all ? config_set_push(s, &a) : config_set_put(s, &a);
		if (r) {
			config_assign_release(&a);
			return r;
		}
	}
	return bad;
}

int config_parse_text(const char *text, size_t len, const char *source,
		      struct config_set *s, struct strbuf *errs)
{
	return parse_text(text, len, source, s, errs, false);
}

int config_parse_text_all(const char *text, size_t len, const char *source,
			  struct config_set *s, struct strbuf *errs)
{
	return parse_text(text, len, source, s, errs, true);
}

int config_set_write(const struct config_set *s, struct strbuf *out)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < s->n; i++) {
		if (!strcmp(s->v[i].value, "n"))
			err = strbuf_addf(out, "# " CONFIG_PREFIX "%s" NOT_SET
					  "\n", s->v[i].name);
		else
			err = strbuf_addf(out, CONFIG_PREFIX "%s=%s\n",
					  s->v[i].name, s->v[i].value);
	}
	return err;
}

int config_set_hash(const struct config_set *s, char out[65])
{
	struct strbuf text = STRBUF_INIT;
	int err = config_set_write(s, &text);

	if (!err)
		digest_sha256_hex(text.buf ? text.buf : "", text.len, out);
	strbuf_release(&text);
	return err;
}

int config_file_hash(const char *path, char out[65], char *why,
		     size_t why_len)
{
	struct strbuf text = STRBUF_INIT, errs = STRBUF_INIT;
	struct config_set set = { 0 };
	int err = strbuf_read_file(&text, path, STRBUF_TEXT_MAX, why, why_len);

	if (err)
		return err;
	err = config_parse_text(text.buf ? text.buf : "", text.len, path, &set,
				&errs);
	if (err > 0) {
		snprintf(why, why_len, "%.*s", (int)strcspn(errs.buf, "\n"),
			 errs.buf);
		err = -EINVAL;
	} else if (!err) {
		err = config_set_hash(&set, out);
	}
	if (err == -ENOMEM)
		snprintf(why, why_len, "out of memory");
	config_set_release(&set);
	strbuf_release(&text);
	strbuf_release(&errs);
	return err;
}
