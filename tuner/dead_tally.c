/* SPDX-License-Identifier: BSD-3-Clause */
#include "dead_tally.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int dead_tally_add(struct dead_tally *t, const char *option,
		   const char *reason)
{
	struct dead_tally_line *v;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].option, option) &&
		    !strcmp(t->v[i].reason, reason)) {
			t->v[i].n++;
			return 0;
		}
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	v[t->n] = (struct dead_tally_line){ strdup(option), strdup(reason),
					    1 };
	if (!v[t->n].option || !v[t->n].reason) {
		free(v[t->n].option);
		free(v[t->n].reason);
		return -ENOMEM;
	}
	t->n++;
	return 0;
}

int dead_tally_add_lines(struct dead_tally *t, const char *text)
{
	const char *p, *tab, *nl;
	char *line;
	int r = 0;

	for (p = text; p && *p && !r; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (!tab)
			continue;
		line = strndup(p, (size_t)(nl - p));
		if (!line)
			return -ENOMEM;
		line[tab - p] = '\0';
		r = dead_tally_add(t, line, line + (tab - p) + 1);
		free(line);
	}
	return r;
}

int dead_tally_text(const struct dead_tally_line *l, const char *what,
		    struct strbuf *out)
{
	size_t len = strlen(what);

	/* "variants" -> "variant" for one. */
	if (l->n == 1 && len && what[len - 1] == 's')
		len--;
	return strbuf_addf(out, "CONFIG_%s: not applicable in %zu %.*s "
			   "because %s", l->option, l->n, (int)len, what,
			   l->reason);
}

void dead_tally_release(struct dead_tally *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].option);
		free(t->v[i].reason);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
