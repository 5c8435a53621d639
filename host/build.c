/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The steps of building one image, shared by `unitune build` and the
 * tuner. See build.h.
 */
#include "build.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apps.h"
#include "paths.h"
#include "spawn.h"

static int say(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return err;
}

long build_cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

int build_app_config(const char *unikernel, const char *app,
		     struct config_set *merged, struct strbuf *warnings,
		     char *why, size_t why_len)
{
	struct strbuf text = STRBUF_INIT, list = STRBUF_INIT;
	char path[PATH_MAX + 64];
	int r;

	snprintf(path, sizeof(path), "%s/apps/%s/defconfig", unikernel, app);
	r = apps_name_valid(app) ? strbuf_read_file(&text, path,
						     STRBUF_TEXT_MAX, why,
						     why_len)
				 : -ENOENT;
	if (r && r != -ENOENT) {
		strbuf_release(&text);
		return r == -ENOMEM ? r : -EINVAL;
	}
	if (r) {
		snprintf(path, sizeof(path), "%s/apps", unikernel);
		r = apps_list(path, &list);
		if (r > 0)
			say(why, why_len, 0, "unknown app '%s'; available "
			    "apps: %s", app, list.buf);
		else
			say(why, why_len, 0, "unknown app '%s'; no apps "
			    "found in %s", app, path);
		strbuf_release(&list);
		strbuf_release(&text);
		return apps_name_valid(app) ? -ENOENT : -EINVAL;
	}
	snprintf(path, sizeof(path), "apps/%s/defconfig", app);
	r = config_parse_text(text.buf, text.len, path, merged, warnings);
	strbuf_release(&text);
	return r < 0 ? say(why, why_len, r, "out of memory") : 0;
}

/* The last non-empty line of sb, for a message. */
static void last_line(const struct strbuf *sb, char *buf, size_t len)
{
	size_t end = sb->len, start;

	while (end && (sb->buf[end - 1] == '\n' || sb->buf[end - 1] == '\r'))
		end--;
	start = end;
	while (start && sb->buf[start - 1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), sb->buf + start);
}

/*
 * make, its output going to our stderr, or into capture (then only the
 * last line of it is shown, in why, when make fails).
 */
static int make(const char *unikernel, const char *dir, const char *target,
		long jobs, int64_t timeout_ns, struct strbuf *capture,
		char *why, size_t why_len)
{
	char odir[PATH_MAX + 3], j[32], desc[128], tail[256] = "";
	const char *argv[7];
	struct spawn_cfg cfg = { .in = SPAWN_DEVNULL, .out = SPAWN_STDERR,
				 .err = SPAWN_INHERIT };
	struct spawn_wait_cfg wc = { .timeout_ns = timeout_ns };
	const char *what = target ? target : "build";
	struct spawn sp;
	struct spawn_exit ex;
	int err, n = 0;

	if (capture) {
		cfg.out = cfg.err = SPAWN_PIPE;
		wc.on_out = wc.on_err = strbuf_sink;
		wc.ctx = capture;
	}
	snprintf(odir, sizeof(odir), "O=%s", dir);
	argv[n++] = "make";
	argv[n++] = "--no-print-directory";
	argv[n++] = "-C";
	argv[n++] = unikernel;
	argv[n++] = odir;
	if (target) {
		argv[n++] = target;
	} else {
		snprintf(j, sizeof(j), "-j%ld", jobs > 0 ? jobs : 1);
		argv[n++] = j;
	}
	argv[n] = NULL;
	err = spawn_cmd(&sp, argv, &cfg);
	if (err == -ENOENT)
		return say(why, why_len, err, "make is not installed");
	if (err)
		return say(why, why_len, err, "cannot run make: %s",
			   strerror(-err));
	err = spawn_wait(&sp, &wc, &ex);
	if (err)
		return say(why, why_len, err, "waiting for make: %s",
			   strerror(-err));
	if (capture)
		last_line(capture, tail, sizeof(tail));
	if (ex.timed_out)
		return say(why, why_len, -ETIMEDOUT, "%s timed out after "
			   "%.0f s", what, (double)timeout_ns / 1e9);
	if (!WIFEXITED(ex.wstatus) || WEXITSTATUS(ex.wstatus)) {
		spawn_describe(ex.wstatus, desc, sizeof(desc));
		return say(why, why_len, -ECHILD, "%s failed: make %s%s%s",
			   what, desc, tail[0] ? ": " : "", tail);
	}
	return 0;
}

int build_make(const char *unikernel, const char *dir, const char *target,
	       long jobs, int64_t timeout_ns, char *why, size_t why_len)
{
	return make(unikernel, dir, target, jobs, timeout_ns, NULL, why,
		    why_len);
}

int build_dir_check(const char *dir)
{
	return strpbrk(dir, " \t\n") ? -EINVAL : 0;
}

int build_resolve(const char *unikernel, const char *dir,
		  const struct config_set *merged, int64_t timeout_ns,
		  struct config_set *resolved, struct strbuf *text,
		  char *why, size_t why_len)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 16];
	int err;

	if (build_dir_check(dir))
		return say(why, why_len, -EINVAL, "build directory '%s' "
			   "contains whitespace, which make cannot handle",
			   dir);
	snprintf(path, sizeof(path), "%s/.config", dir);
	err = paths_mkdir_p(dir, 0755);
	if (!err)
		err = config_set_write(merged, &sb);
	if (!err)
		err = strbuf_write_file(path, sb.buf, sb.len, false);
	strbuf_release(&sb);
	if (err)
		return say(why, why_len, err, "cannot write %s: %s", path,
			   strerror(-err));
	err = make(unikernel, dir, "olddefconfig", 0, timeout_ns, &sb, why,
		   why_len);
	strbuf_release(&sb);
	if (err)
		return err;
	err = strbuf_read_file(&sb, path, SIZE_MAX, why, why_len);
	if (err) {
		strbuf_release(&sb);
		return err;
	}
	if (config_parse_text(sb.buf ? sb.buf : "", sb.len, path, resolved,
			      NULL) < 0)
		err = say(why, why_len, -ENOMEM, "out of memory");
	if (!err && text)
		err = strbuf_add(text, sb.buf ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	return err;
}

/*
 * Is dependency name off in resolved? Set to n, or left out (a choice's
 * own name is never written, so its absence says nothing).
 */
static bool dep_off(const struct kconfig *kc, const struct config_set *resolved,
		    const char *name)
{
	const struct config_assign *a = config_set_get(resolved, name);

	if (a)
		return !strcmp(a->value, "n");
	return kconfig_find(kc, name) && !kconfig_is_choice_name(kc, name);
}

int build_dead_reason(const struct kconfig *kc, const char *name,
		      const struct config_set *resolved, struct strbuf *off)
{
	const struct kconfig_sym *sym = kconfig_find(kc, name);
	struct strbuf found = STRBUF_INIT;
	const char *p, *q;
	char word[128];
	bool negated, compared;
	size_t n;
	int r = 0;

	/* A negated group turns "off" into "on": too subtle to name. */
	if (!sym || config_set_get(resolved, name) ||
	    strstr(sym->depends, "!("))
		return 0;
	/* "A [=y] && !B [=n] && C = 5": plain words only; "[=v]" is the
	 * value when the table was loaded, not in resolved. */
	for (p = sym->depends; *p && !r;) {
		negated = p > sym->depends && p[-1] == '!';
		if (*p == '[') {
			p += strcspn(p, "]");
			p += !!*p;
			continue;
		}
		n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			      "0123456789_");
		if (!n) {
			p++;
			continue;
		}
		if (n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			/* Followed by "=" or "!=" (not " [="): a comparison. */
			q = p + n + strspn(p + n, " ");
			compared = *q == '=' || (*q == '!' && q[1] == '=');

			if (!negated && !compared && dep_off(kc, resolved, word))
				r = strbuf_addf(&found, "%s" CONFIG_PREFIX "%s=n",
						found.len ? ", " : "", word);
		}
		p += n;
	}
	if (!r && found.len)
		r = strbuf_add(off, found.buf, found.len);
	if (!r && found.len)
		r = 1;
	strbuf_release(&found);
	return r;
}

int build_changes(const struct kconfig *kc, const struct config_set *req,
		  const struct config_set *resolved, struct strbuf *out,
		  struct strbuf *dead)
{
	struct strbuf why = STRBUF_INIT;
	int n = 0, r = 0;
	size_t i;

	for (i = 0; i < req->n && !r; i++) {
		const struct config_assign *want = &req->v[i];
		const struct config_assign *got;
		const struct kconfig_sym *sym = kconfig_find(kc, want->name);

		if (!sym)
			continue;
		got = config_set_get(resolved, want->name);
		if (config_values_equal(sym->type, want->value,
					got ? got->value : NULL))
			continue;
		if (dead) {
			why.len = 0;
			r = build_dead_reason(kc, want->name, resolved, &why);
			if (r == 1) {
				r = strbuf_addf(dead, "%s\t%s\n", want->name,
						why.buf);
				continue;
			}
			if (r)
				break;
		}
		n++;
		r = strbuf_addf(out, CONFIG_PREFIX "%s: asked for %s, resolved "
				"to %s", want->name, want->value,
				got ? got->value : "nothing (not set: its "
				"dependencies are unmet)");
		if (!r && !sym->has_prompt)
			r = strbuf_adds(out, "; it has no prompt, so kconfig "
					"computes its value");
		if (!r && sym->depends[0])
			r = strbuf_addf(out, "; depends on: %s", sym->depends);
		if (!r && sym->selected_by[0])
			r = strbuf_addf(out, "; selected by: %s",
					sym->selected_by);
		if (!r && sym->choice_value)
			r = strbuf_adds(out, "; it is a choice member (another "
					"member may have been chosen)");
		if (!r)
			r = strbuf_addc(out, '\n');
	}
	strbuf_release(&why);
	return r ? r : n;
}

/* "\"hello\"" -> "hello"; NULL if not a well-formed string value. */
static char *unquote(const char *v)
{
	size_t len = strlen(v), i, o = 0;
	char *s;

	if (len < 2 || v[0] != '"' || v[len - 1] != '"')
		return NULL;
	s = malloc(len);
	if (!s)
		return NULL;
	for (i = 1; i < len - 1; i++) {
		if (v[i] == '\\' && i + 1 < len - 1)
			i++;
		s[o++] = v[i];
	}
	s[o] = '\0';
	return s;
}

int build_image_path(const char *dir, const struct config_set *resolved,
		     char *buf, size_t len, char *why, size_t why_len)
{
	const struct config_assign *a = config_set_get(resolved, "UK_APPNAME");
	char *name = a ? unquote(a->value) : NULL;
	int err = 0;

	if (!name || !apps_name_valid(name)) {
		free(name);
		return say(why, why_len, -EINVAL, "%s/.config has no valid "
			   CONFIG_PREFIX "UK_APPNAME, so the image name is "
			   "unknown", dir);
	}
	if ((size_t)snprintf(buf, len, "%s/%s.elf", dir, name) >= len)
		err = say(why, why_len, -ENAMETOOLONG, "image path too long");
	else if (access(buf, R_OK) < 0)
		err = say(why, why_len, -errno, "the build succeeded but %s "
			  "is missing: %s", buf, strerror(errno));
	free(name);
	return err;
}
