/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A reader of Prometheus' text format (host/prom_scrape.h). A sample line is
 *   name[{label="value",...}] value [timestamp]
 * with label values escaped by \\, \" and \n.
 */
#include "prom_scrape.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "count.h"
#include "strbuf.h"

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == ':';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* A name at *p (advanced past it), strdup'ed; NULL with *err set. */
static char *read_name(const char **p, const char *end, bool metric, int *err)
{
	const char *s = *p;
	char *name;

	if (s >= end || !name_start(*s) || (!metric && *s == ':')) {
		*err = -EINVAL;
		return NULL;
	}
	while (s < end && name_char(*s))
		s++;
	name = strndup(*p, (size_t)(s - *p));
	if (!name)
		*err = -ENOMEM;
	*p = s;
	return name;
}

/* A quoted label value at *p, unescaped. */
static char *read_quoted(const char **p, const char *end, int *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = *p;
	char c;

	if (s >= end || *s != '"') {
		*err = -EINVAL;
		return NULL;
	}
	for (s++; s < end && *s != '"'; s++) {
		c = *s;
		if (c == '\\') {
			if (++s >= end) {
				*err = -EINVAL;
				break;
			}
			c = *s == 'n' ? '\n' : *s;
			if (*s != 'n' && *s != '\\' && *s != '"') {
				*err = -EINVAL;
				break;
			}
		}
		if (strbuf_addc(&sb, c)) {
			*err = -ENOMEM;
			break;
		}
	}
	if (!*err && s >= end)
		*err = -EINVAL;
	if (*err || strbuf_addc(&sb, '\0')) {
		*err = *err ? *err : -ENOMEM;
		strbuf_release(&sb);
		return NULL;
	}
	*p = s + 1;
	return strbuf_detach(&sb, NULL);
}

static void free_sample(struct prom_scrape_sample *s)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++) {
		free(s->labels[i].name);
		free(s->labels[i].value);
	}
	free(s->labels);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

static int add_label(struct prom_scrape_sample *s, char *name, char *value)
{
	struct prom_scrape_label *l = realloc(s->labels,
				       (s->nlabels + 1) * sizeof(*l));

	if (!l) {
		free(name);
		free(value);
		return -ENOMEM;
	}
	s->labels = l;
	l[s->nlabels].name = name;
	l[s->nlabels++].value = value;
	return 0;
}

static int read_labels(const char **p, const char *end, struct prom_scrape_sample *s)
{
	char *name, *value;
	int err = 0;

	(*p)++; /* '{' */
	while (*p < end && **p != '}') {
		name = read_name(p, end, false, &err);
		if (!name)
			return err;
		if (*p >= end || **p != '=') {
			free(name);
			return -EINVAL;
		}
		(*p)++;
		value = read_quoted(p, end, &err);
		if (!value) {
			free(name);
			return err;
		}
		err = add_label(s, name, value);
		if (err)
			return err;
		if (*p < end && **p == ',')
			(*p)++;
		else if (*p < end && **p != '}')
			return -EINVAL;
	}
	if (*p >= end)
		return -EINVAL;
	(*p)++; /* '}' */
	return 0;
}

/* The value field: a number in strtod's syntax, NaN, +Inf or -Inf. */
static int read_value(const char **p, const char *end, double *v)
{
	const char *s = *p;
	size_t n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (n = 0; s + n < end && s[n] != ' ' && s[n] != '\t'; n++)
		;
	*p = s + n;
	if (n == 3 && !strncmp(s, "NaN", 3))
		*v = NAN;
	else if (n == 4 && !strncmp(s, "+Inf", 4))
		*v = INFINITY;
	else if (n == 4 && !strncmp(s, "-Inf", 4))
		*v = -INFINITY;
	else if (!n || count_parse_real(s, n, v))
		return -EINVAL;
	return 0;
}

static int parse_line(const char *line, const char *end, struct prom_scrape_sample *s)
{
	const char *p = line;
	int err = 0;

	s->name = read_name(&p, end, true, &err);
	if (!s->name)
		return err;
	if (p < end && *p == '{') {
		err = read_labels(&p, end, s);
		if (err)
			return err;
	}
	if (p >= end || (*p != ' ' && *p != '\t'))
		return -EINVAL;
	return read_value(&p, end, &s->value);
	/* A timestamp may follow: not needed. */
}

static int push(struct prom_scrape *t, struct prom_scrape_sample *s)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct prom_scrape_sample *v = realloc(t->s, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->s = v;
		t->cap = cap;
	}
	t->s[t->n++] = *s;
	return 0;
}

int prom_scrape_parse(const char *text, size_t len, struct prom_scrape *t,
		      char *why, size_t why_len)
{
	const char *line = text, *end = text + len, *nl, *eol;
	unsigned lineno = 0;
	int err = 0;

	memset(t, 0, sizeof(*t));
	for (; !err && line < end; line = nl + 1) {
		struct prom_scrape_sample s = { 0 };

		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		lineno++;
		eol = nl;
		while (eol > line && (eol[-1] == ' ' || eol[-1] == '\r'))
			eol--;
		while (line < eol && *line == ' ')
			line++;
		if (line == eol || *line == '#')
			continue;
		err = parse_line(line, eol, &s);
		if (!err)
			err = push(t, &s);
		if (err) {
			free_sample(&s);
			if (err == -EINVAL)
				snprintf(why, why_len, "line %u is not a "
					 "Prometheus sample: %.*s", lineno,
					 (int)(eol - line > 80 ? 80 : eol - line),
					 line);
			else
				snprintf(why, why_len, "out of memory");
		}
	}
	if (err)
		prom_scrape_free(t);
	return err;
}

void prom_scrape_free(struct prom_scrape *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free_sample(&t->s[i]);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

static const char *label_value(const struct prom_scrape_sample *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++)
		if (!strcmp(s->labels[i].name, name))
			return s->labels[i].value;
	return "";
}

size_t prom_scrape_sum(const struct prom_scrape *t, const char *name,
		       const struct prom_match *match, double *sum)
{
	size_t i, n = 0;

	*sum = 0;
	for (i = 0; i < t->n; i++) {
		const struct prom_scrape_sample *s = &t->s[i];

		if (strcmp(s->name, name))
			continue;
		if (match && (strcmp(label_value(s, match->name),
				     match->value) == 0) != match->equal)
			continue;
		*sum += s->value;
		n++;
	}
	return n;
}
