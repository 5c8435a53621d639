/* SPDX-License-Identifier: BSD-3-Clause */
#include "cmdline.h"

#include <errno.h>
#include <string.h>

bool cmdline_needs_quotes(const char *arg)
{
	/* '\n' too: the guest splits words on it like on space and tab. */
	return !*arg || strpbrk(arg, " \t\n\"\\") != NULL;
}

int cmdline_add_arg(struct strbuf *sb, const char *arg)
{
	size_t mark = sb->len;
	const char *p;
	int err;

	if (!cmdline_needs_quotes(arg))
		return strbuf_adds(sb, arg);
	err = strbuf_addc(sb, '"');
	for (p = arg; !err && *p; p++) {
		if (*p == '"' || *p == '\\')
			err = strbuf_addc(sb, '\\');
		if (!err)
			err = strbuf_addc(sb, *p);
	}
	if (!err)
		err = strbuf_addc(sb, '"');
	if (err) {
		/* Leave no half-quoted argument behind. */
		sb->len = mark;
		if (sb->buf)
			sb->buf[mark] = '\0';
	}
	return err;
}

/* A "--" word in the kernel options would move the split point. */
static bool has_separator_word(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, "--")) != NULL) {
		bool start = p == s || p[-1] == ' ' || p[-1] == '\t';
		bool end = p[2] == '\0' || p[2] == ' ' || p[2] == '\t';

		if (start && end)
			return true;
		p += 2;
	}
	return false;
}

int cmdline_build(const char *kernel_opts, const char *const *argv,
		  size_t argc, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int err = 0;

	*out = NULL;
	if (!kernel_opts)
		kernel_opts = "";
	if (has_separator_word(kernel_opts)) {
		err = -EINVAL;
		goto out;
	}
	err = strbuf_adds(&sb, kernel_opts);
	if (!err)
		err = strbuf_adds(&sb, " --");
	for (i = 0; !err && i < argc; i++) {
		if (!argv[i]) {
			err = -EINVAL;
			goto out;
		}
		err = strbuf_addc(&sb, ' ');
		if (!err)
			err = cmdline_add_arg(&sb, argv[i]);
	}
	if (!err && argc == 0)
		err = strbuf_addc(&sb, ' ');
	if (!err)
		*out = strbuf_detach(&sb, NULL);
	if (!err && !*out)
		err = -ENOMEM;
out:
	strbuf_release(&sb);
	return err;
}
