/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prometheus text format 0.0.4 (see prom.h). Each call builds its text in
 * a scratch buffer and appends it whole, so a refused call leaves the
 * output as it was.
 */
#include "prom.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

static bool name_char(char c, bool first, bool colon)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	if (c == ':')
		return colon;
	return !first && c >= '0' && c <= '9';
}

static bool name_valid(const char *name, bool colon)
{
	const char *c;

	if (!name || !*name)
		return false;
	for (c = name; *c; c++)
		if (!name_char(*c, c == name, colon))
			return false;
	return true;
}

bool prom_metric_name_valid(const char *name)
{
	return name_valid(name, true);
}

bool prom_label_name_valid(const char *name)
{
	return name_valid(name, false) && strncmp(name, "__", 2) != 0;
}

void prom_format_value(double v, char buf[PROM_VALUE_MAX])
{
	if (isnan(v))
		snprintf(buf, PROM_VALUE_MAX, "NaN");
	else if (isinf(v))
		snprintf(buf, PROM_VALUE_MAX, "%cInf", v > 0 ? '+' : '-');
	else
		json_format_double(v, buf, PROM_VALUE_MAX);
}

long prom_utf8_invalid_at(const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t n = strlen(v), i = 0, k;

	while (i < n) {
		k = json_utf8_len(s + i, n - i);
		if (!k)
			return (long)i;
		i += k;
	}
	return -1;
}

int prom_escape_label_value(struct strbuf *out, const char *v, char *why,
			    size_t why_len)
{
	long bad = prom_utf8_invalid_at(v);
	size_t start = out->len;
	const char *c;
	int err = 0;

	if (bad >= 0) {
		snprintf(why, why_len, "not valid UTF-8 (byte 0x%02x at "
			 "offset %ld)", (unsigned char)v[bad], bad);
		return -EINVAL;
	}
	for (c = v; *c && !err; c++) {
		if (*c == '\\' || *c == '"')
			err = strbuf_addf(out, "\\%c", *c);
		else if (*c == '\n')
			err = strbuf_adds(out, "\\n");
		else
			err = strbuf_addc(out, *c);
	}
	if (err && out->buf) {
		out->len = start;
		out->buf[start] = '\0';
	}
	return err;
}

/* HELP text: only \ and newline are escaped. */
static int escape_help(struct strbuf *out, const char *help)
{
	const char *c;
	int err = 0;

	for (c = help; *c && !err; c++) {
		if (*c == '\\')
			err = strbuf_adds(out, "\\\\");
		else if (*c == '\n')
			err = strbuf_adds(out, "\\n");
		else
			err = strbuf_addc(out, *c);
	}
	return err;
}

void prom_init(struct prom *p, struct strbuf *out)
{
	*p = (struct prom){ .out = out, .families = STRBUF_INIT };
}

void prom_release(struct prom *p)
{
	strbuf_release(&p->families);
}

static bool declared(const struct prom *p, const char *name)
{
	size_t n = strlen(name);
	const char *at = p->families.buf;

	while (at && (at = strstr(at, name)) != NULL) {
		if ((at == p->families.buf || at[-1] == '\n') && at[n] == '\n')
			return true;
		at += n;
	}
	return false;
}

static bool type_valid(const char *type, bool *grouped)
{
	static const char *const types[] = { "counter", "gauge", "untyped",
					     "histogram", "summary" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i])) {
			*grouped = i >= 3;
			return true;
		}
	return false;
}

/* Append what scratch holds to the output; -ENOMEM leaves it as it was. */
static int emit(struct prom *p, struct strbuf *scratch, int err)
{
	if (!err)
		err = strbuf_add(p->out, scratch->buf, scratch->len);
	strbuf_release(scratch);
	return err;
}

int prom_family(struct prom *p, const char *name, const char *type,
		const char *help, char *why, size_t why_len)
{
	struct strbuf t = STRBUF_INIT;
	bool grouped = false;
	size_t at = p->families.len;
	int err = 0;

	if (!prom_metric_name_valid(name)) {
		snprintf(why, why_len, "metric name '%s': not a Prometheus "
			 "name ([a-zA-Z_:][a-zA-Z0-9_:]*)", name ? name : "");
		return -EINVAL;
	}
	if (!type_valid(type, &grouped)) {
		snprintf(why, why_len, "metric %s: type '%s' is not counter, "
			 "gauge, histogram, summary or untyped", name, type);
		return -EINVAL;
	}
	if (declared(p, name)) {
		snprintf(why, why_len, "metric %s: declared twice (a family's "
			 "samples must be written together)", name);
		return -EINVAL;
	}
	if (help && *help) {
		err = strbuf_addf(&t, "# HELP %s ", name);
		err = err ? err : escape_help(&t, help);
		err = err ? err : strbuf_addc(&t, '\n');
	}
	err = err ? err : strbuf_addf(&t, "# TYPE %s %s\n", name, type);
	err = err ? err : strbuf_addf(&p->families, "%s\n", name);
	err = emit(p, &t, err);
	if (err) {
		p->families.len = at;
		return err;
	}
	p->last = at;
	p->have_family = true;
	p->grouped = grouped;
	return 0;
}

/* Does sample name belong to the family declared last? */
static bool in_family(const struct prom *p, const char *name)
{
	static const char *const suffixes[] = { "", "_bucket", "_sum",
						"_count" };
	const char *fam;
	size_t n, i;

	if (!p->have_family)
		return false;
	fam = p->families.buf + p->last;
	n = strcspn(fam, "\n");
	if (strncmp(name, fam, n))
		return false;
	for (i = 0; i < (p->grouped ? 4u : 1u); i++)
		if (!strcmp(name + n, suffixes[i]))
			return true;
	return false;
}

static int check_labels(const char *name, const struct prom_label *l,
			size_t n, char *why, size_t why_len)
{
	size_t i, j;
	long bad;

	for (i = 0; i < n; i++) {
		if (!prom_label_name_valid(l[i].name)) {
			snprintf(why, why_len, "metric %s: label name '%s' is "
				 "not a Prometheus label name "
				 "([a-zA-Z_][a-zA-Z0-9_]*, not beginning with "
				 "__)", name, l[i].name ? l[i].name : "");
			return -EINVAL;
		}
		if (!l[i].value) {
			snprintf(why, why_len, "metric %s: label %s has no "
				 "value", name, l[i].name);
			return -EINVAL;
		}
		bad = prom_utf8_invalid_at(l[i].value);
		if (bad >= 0) {
			snprintf(why, why_len, "metric %s: label %s: value not "
				 "valid UTF-8 (byte 0x%02x at offset %ld)",
				 name, l[i].name,
				 (unsigned char)l[i].value[bad], bad);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(l[i].name, l[j].name)) {
				snprintf(why, why_len, "metric %s: label %s "
					 "given twice", name, l[i].name);
				return -EINVAL;
			}
	}
	return 0;
}

int prom_sample(struct prom *p, const char *name,
		const struct prom_label *labels, size_t n, double value,
		char *why, size_t why_len)
{
	struct strbuf t = STRBUF_INIT;
	char num[PROM_VALUE_MAX];
	size_t i;
	int err;

	if (!name || !in_family(p, name)) {
		snprintf(why, why_len, "sample %s: not of the metric declared "
			 "last (declare its family first)", name ? name : "");
		return -EINVAL;
	}
	err = check_labels(name, labels, n, why, why_len);
	if (err)
		return err;
	err = strbuf_adds(&t, name);
	for (i = 0; i < n && !err; i++) {
		err = strbuf_addf(&t, "%c%s=\"", i ? ',' : '{', labels[i].name);
		err = err ? err : prom_escape_label_value(&t, labels[i].value,
							  why, why_len);
		err = err ? err : strbuf_addc(&t, '"');
	}
	if (!err && n)
		err = strbuf_addc(&t, '}');
	prom_format_value(value, num);
	err = err ? err : strbuf_addf(&t, " %s\n", num);
	return emit(p, &t, err);
}
