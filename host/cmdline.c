/* SPDX-License-Identifier: BSD-3-Clause */
#include "cmdline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unitune/abi.h>

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

bool cmdline_is_assignment(const char *w)
{
	if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || *w == '_'))
		return false;
	for (; *w && *w != '='; w++)
		if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') ||
		      (*w >= '0' && *w <= '9') || *w == '_'))
			return false;
	return *w == '=';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The next kernel word of *p, unquoted as the guest does it, into *word
 * (reset first). 1, 0 at the end, -EINVAL for an unterminated quote,
 * -ENOMEM. */
static int next_word(const char **p, struct strbuf *word)
{
	const char *s = *p;
	bool quoted = false;
	int err = 0;

	word->len = 0;
	while (is_space(*s))
		s++;
	if (!*s)
		return 0;
	for (; *s && !err; s++) {
		if (*s == '\\' && s[1])
			err = strbuf_addc(word, *++s);
		else if (*s == '"')
			quoted = !quoted;
		else if (is_space(*s) && !quoted)
			break;
		else
			err = strbuf_addc(word, *s);
	}
	*p = s;
	/* NUL-terminated, and a buffer even for an empty word "". */
	if (!err)
		err = strbuf_addc(word, '\0');
	if (err)
		return err;
	word->len--;
	return quoted ? -EINVAL : 1;
}

/* A word shown in a message: long ones are cut, and say so. */
#define SHOWN_MAX 40

static int check_kernel_words(const char *kernel_opts, char *why,
			      size_t why_len)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = kernel_opts ? kernel_opts : "";
	size_t envc = 0;
	int r;

	while ((r = next_word(&p, &w)) > 0) {
		if (!strcmp(w.buf, "--")) {
			snprintf(why, why_len, "the kernel options must not "
				 "contain a '--' word (it separates them from "
				 "the application's arguments)");
			r = -EINVAL;
			break;
		}
		if (!strncmp(w.buf, "uk.", 3) ||
		    !strncmp(w.buf, "virtio_mmio.device=", 19))
			continue;
		if (!cmdline_is_assignment(w.buf)) {
			snprintf(why, why_len, "kernel option '%.*s%s' is not "
				 "uk.PARAM=VALUE: expected NAME=VALUE (an "
				 "environment variable; NAME: letters, digits "
				 "and _, not starting with a digit); "
				 "application arguments go after '--'",
				 SHOWN_MAX, w.buf,
				 w.len > SHOWN_MAX ? "..." : "");
			r = -EINVAL;
			break;
		}
		if (++envc > UNITUNE_ENVC_MAX) {
			snprintf(why, why_len, "too many environment "
				 "variables: the guest takes at most %d "
				 "(UNITUNE_ENVC_MAX); the first one over is "
				 "'%.*s%s'", UNITUNE_ENVC_MAX, SHOWN_MAX,
				 w.buf, w.len > SHOWN_MAX ? "..." : "");
			r = -E2BIG;
			break;
		}
	}
	if (r == -EINVAL && !*why)
		snprintf(why, why_len, "kernel option '%.*s%s' has an "
			 "unterminated quote", SHOWN_MAX, w.buf ? w.buf : "",
			 w.len > SHOWN_MAX ? "..." : "");
	strbuf_release(&w);
	return r;
}

int cmdline_check(const char *kernel_opts, const char *const *argv,
		  size_t argc, const char *kernel_path, char *why,
		  size_t why_len)
{
	size_t i, longest = 0, total;
	char *line = NULL;
	int err;

	*why = '\0';
	err = check_kernel_words(kernel_opts, why, why_len);
	if (err)
		return err;
	if (argc + 1 > UNITUNE_ARGC_MAX) {
		snprintf(why, why_len, "too many application arguments: %zu; "
			 "the guest takes at most %d (UNITUNE_ARGC_MAX is %d, "
			 "argv[0] included); the first one over is argv[%d] "
			 "'%.*s%s'", argc, UNITUNE_ARGC_MAX - 1,
			 UNITUNE_ARGC_MAX, UNITUNE_ARGC_MAX, SHOWN_MAX,
			 argv[UNITUNE_ARGC_MAX - 1],
			 strlen(argv[UNITUNE_ARGC_MAX - 1]) > SHOWN_MAX ? "..." : "");
		return -E2BIG;
	}
	err = cmdline_build(kernel_opts, argv, argc, &line);
	if (err) {
		snprintf(why, why_len, "cannot build the command line: %s",
			 strerror(-err));
		return err;
	}
	/* What the guest gets: QEMU puts the image path and a space first. */
	total = strlen(kernel_path) + 1 + strlen(line) + 1;
	free(line);
	if (total <= UNITUNE_CMDLINE_MAX)
		return 0;
	for (i = 1; i < argc; i++)
		if (strlen(argv[i]) > strlen(argv[longest]))
			longest = i;
	snprintf(why, why_len, "the guest command line would be %zu bytes, "
		 "above the guest's limit of %d (UNITUNE_CMDLINE_MAX: the "
		 "image path, the kernel options and the quoted arguments "
		 "together)", total, UNITUNE_CMDLINE_MAX);
	if (argc) {
		size_t n = strlen(why);

		snprintf(why + n, why_len - n, "; the longest argument is "
			 "argv[%zu], %zu bytes: '%.*s%s'", longest + 1,
			 strlen(argv[longest]), SHOWN_MAX, argv[longest],
			 strlen(argv[longest]) > SHOWN_MAX ? "..." : "");
	}
	return -E2BIG;
}
