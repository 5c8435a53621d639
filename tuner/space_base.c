/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A space's base_config: read like any hand-written input (a regular file,
 * capped) and validated line by line with the validator `unitune build
 * --config` uses, so a typo in it stops the sweep before anything is
 * recorded instead of being silently dropped by olddefconfig.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "space_int.h"
#include "why.h"

/* The first bad line is the error (space.h: the loader reports one
 * problem). */
static int check_lines(const struct space *s, const struct kconfig *kc,
		       const struct strbuf *text, struct config_set *into,
		       char *why, size_t why_len)
{
	struct config_set all = { 0 };
	struct strbuf bad = STRBUF_INIT;
	size_t i;
	int r;

	r = config_parse_text_all(text->buf ? text->buf : "", text->len,
				  s->base_config, &all, &bad);
	if (r > 0) {
		/* The first malformed line, without its newline. */
		snprintf(why, why_len, "%.*s", (int)strcspn(bad.buf, "\n"),
			 bad.buf);
		r = -EINVAL;
		goto out;
	}
	for (i = 0; !r && i < all.n; i++)
		if (config_check_assign(kc, &all.v[i], why, why_len))
			r = -EINVAL;
	for (i = 0; !r && into && i < all.n; i++)
		r = config_set_put_copy(into, &all.v[i]);
out:
	config_set_release(&all);
	strbuf_release(&bad);
	return r;
}

int space_read_base(const struct space *s, const struct kconfig *kc,
		    struct config_set *into, struct strbuf *text,
		    char *why, size_t why_len)
{
	return space_read_base_as(s, kc, "base_config", into, text, why,
				  why_len);
}

int space_read_base_as(const struct space *s, const struct kconfig *kc,
		       const char *what, struct config_set *into,
		       struct strbuf *text, char *why, size_t why_len)
{
	struct strbuf body = STRBUF_INIT;
	char read_why[UNITUNE_WHY_MAX];
	int r;

	if (!s->base_config)
		return 0;
	r = strbuf_read_file(&body, s->base_config, STRBUF_TEXT_MAX, read_why,
			     sizeof(read_why));
	if (r == -ENOMEM)
		goto out;
	if (r) {
		snprintf(why, why_len, "%s:%u: %s %s", s->path,
			 s->base_config_line, what, read_why);
		r = -EINVAL;
		goto out;
	}
	r = check_lines(s, kc, &body, into, why, why_len);
	if (!r && text)
		r = strbuf_add(text, body.buf ? body.buf : "", body.len);
out:
	strbuf_release(&body);
	if (r == -ENOMEM)
		snprintf(why, why_len, "%s", strerror(ENOMEM));
	return r;
}
