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
#include "space.h"

/* "SPACE:LINE: base_config " prefix plus msg, as the one error line. */
static int say(struct strbuf *err, const struct space *s, const char *msg)
{
	err->len = 0;
	if (err->buf)
		err->buf[0] = '\0';
	return strbuf_addf(err, "%s:%u: base_config %s", s->path,
			   s->base_config_line, msg) ? -ENOMEM : -EINVAL;
}

static int check_lines(const struct space *s, const struct kconfig *kc,
		       const struct strbuf *text, struct config_set *into,
		       struct strbuf *err)
{
	struct config_set all = { 0 };
	struct strbuf bad = STRBUF_INIT;
	char msg[PATH_MAX + 512];
	size_t i;
	int r;

	r = config_parse_text_all(text->buf ? text->buf : "", text->len,
				  s->base_config, &all, &bad);
	if (r > 0) {
		/* The first malformed line, without its newline. */
		bad.buf[strcspn(bad.buf, "\n")] = '\0';
		err->len = 0;
		r = strbuf_adds(err, bad.buf) ? -ENOMEM : -EINVAL;
		goto out;
	}
	for (i = 0; !r && i < all.n; i++) {
		if (config_check_assign(kc, &all.v[i], msg, sizeof(msg))) {
			err->len = 0;
			r = strbuf_adds(err, msg) ? -ENOMEM : -EINVAL;
		}
	}
	for (i = 0; !r && into && i < all.n; i++)
		r = config_set_put_copy(into, &all.v[i]);
out:
	config_set_release(&all);
	strbuf_release(&bad);
	return r;
}

int space_read_base(const struct space *s, const struct kconfig *kc,
		    struct config_set *into, struct strbuf *text,
		    struct strbuf *err)
{
	struct strbuf body = STRBUF_INIT;
	char why[PATH_MAX + 128];
	int r;

	if (!s->base_config)
		return 0;
	r = strbuf_read_file(&body, s->base_config, STRBUF_TEXT_MAX, why,
			     sizeof(why));
	if (r == -ENOMEM)
		goto out;
	if (r) {
		r = say(err, s, why);
		goto out;
	}
	r = check_lines(s, kc, &body, into, err);
	if (!r && text)
		r = strbuf_add(text, body.buf ? body.buf : "", body.len);
out:
	strbuf_release(&body);
	return r;
}
