/* SPDX-License-Identifier: BSD-3-Clause */
/* Boot command line to argv; the host side of the quoting rule is
 * host/cmdline.c. */
#include <uk/boot.h>
#include <uk/errno.h>

extern const struct uk_param _uk_params_start[], _uk_params_end[];

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Cut the next word out of *p in place; returns NULL at the end. */
static char *next_word(char **p, int *err)
{
	char *s = *p, *out, *word;
	int quoted = 0;

	while (is_space(*s))
		s++;
	if (!*s)
		return NULL;
	word = out = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			*out++ = *++s;
		} else if (*s == '"') {
			quoted = !quoted;
		} else if (is_space(*s) && !quoted) {
			s++;
			break;
		} else {
			*out++ = *s;
		}
	}
	if (quoted)
		*err = -EINVAL;
	*out = '\0';
	*p = s;
	return word;
}

static int apply_param(const char *word)
{
	const char *name = word + 3; /* after "uk." */

	for (const struct uk_param *p = _uk_params_start; p < _uk_params_end; p++) {
		size_t n = 0;
		while (p->name[n] && p->name[n] == name[n])
			n++;
		if (!p->name[n] && (name[n] == '=' || !name[n]))
			return p->set(name[n] ? name + n + 1 : "");
	}
	return -ENOENT;
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int is_assignment(const char *w)
{
	if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || *w == '_'))
		return 0;
	for (; *w && *w != '='; w++)
		if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') ||
		      (*w >= '0' && *w <= '9') || *w == '_'))
			return 0;
	return *w == '=';
}

int uk_boot_parse_cmdline(char *cmdline, const char *argv0,
			  struct uk_cmdline *out)
{
	char *p = cmdline, *word;
	int argc = 0, envc = 0, err = 0, app_only = 0;

	out->bad = NULL;
	if (out->argv_max < 2 || out->env_max < 1)
		return -E2BIG;
	out->argv[argc++] = (char *)argv0;
	next_word(&p, &err); /* the loader's image path */
	while ((word = next_word(&p, &err))) {
		if (!app_only && word[0] == '-' && word[1] == '-' && !word[2]) {
			app_only = 1;
			continue;
		}
		if (!app_only && starts_with(word, "uk.")) {
			if (apply_param(word) < 0 && !out->bad)
				out->bad = word;
			continue;
		}
		/* microvm may append device lists meant for Linux. */
		if (!app_only && starts_with(word, "virtio_mmio.device="))
			continue;
		if (!app_only && is_assignment(word)) {
			if (envc >= out->env_max - 1)
				return -E2BIG;
			out->envp[envc++] = word;
			continue;
		}
		if (argc >= out->argv_max - 1)
			return -E2BIG;
		out->argv[argc++] = word;
	}
	out->argv[argc] = NULL;
	out->envp[envc] = NULL;
	return err ? err : argc;
}
