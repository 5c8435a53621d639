/* SPDX-License-Identifier: BSD-3-Clause */
#include "strbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

static int grow(struct strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - sb->len - 1)
		return -ENOMEM;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(sb->buf, cap);
	if (!p)
		return -ENOMEM;
	sb->buf = p;
	sb->cap = cap;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	int err = grow(sb, n);

	if (err)
		return err;
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addc(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, err;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	err = grow(sb, (size_t)n);
	if (err)
		return err;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return err;
}

void strbuf_consume(struct strbuf *sb, size_t n)
{
	if (n > sb->len)
		n = sb->len;
	if (!n)
		return;
	memmove(sb->buf, sb->buf + n, sb->len - n);
	sb->len -= n;
	sb->buf[sb->len] = '\0';
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p = sb->buf;

	if (len)
		*len = sb->len;
	if (!p)
		p = calloc(1, 1);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* "1 MiB", "64 KiB" or "1000 bytes", for a limit in a message. */
static void format_limit(size_t n, char *buf, size_t len)
{
	if (n >= (1u << 30) && !(n % (1u << 30)))
		snprintf(buf, len, "%zu GiB", n >> 30);
	else if (n >= (1u << 20) && !(n % (1u << 20)))
		snprintf(buf, len, "%zu MiB", n >> 20);
	else if (n >= (1u << 10) && !(n % (1u << 10)))
		snprintf(buf, len, "%zu KiB", n >> 10);
	else
		snprintf(buf, len, "%zu bytes", n);
}

static int too_big(const char *path, size_t max, char *why, size_t why_len)
{
	char lim[32];

	if (why) {
		format_limit(max, lim, sizeof(lim));
		snprintf(why, why_len, "%s: larger than %s, the limit for "
			 "this input", path, lim);
	}
	return -EFBIG;
}

int strbuf_read_file(struct strbuf *sb, const char *path, size_t max,
		     char *why, size_t why_len)
{
	char buf[65536];
	size_t start = sb->len, got = 0;
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = paths_open_regular(path, &st, why, why_len);
	if (fd < 0)
		return fd;
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return too_big(path, max, why, why_len);
	}
	for (;;) {
		/* One byte past max tells a file that grew over it. */
		size_t want = max - got < sizeof(buf) ? max - got + 1
						      : sizeof(buf);

		n = read(fd, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			if (why)
				snprintf(why, why_len, "%s: %s", path,
					 strerror(-err));
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n > max - got) {
			err = too_big(path, max, why, why_len);
			break;
		}
		got += (size_t)n;
		err = strbuf_add(sb, buf, (size_t)n);
		if (err) {
			if (why)
				snprintf(why, why_len, "%s: out of memory",
					 path);
			break;
		}
	}
	close(fd);
	if (err) {
		sb->len = start;
		if (sb->buf)
			sb->buf[start] = '\0';
	}
	return err;
}

int strbuf_write_file(const char *path, const void *data, size_t len,
		      bool atomic)
{
	char tmp[4096];
	const char *target = path;
	FILE *f;
	int err = 0;

	if (atomic) {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >=
		    sizeof(tmp))
			return -ENAMETOOLONG;
		target = tmp;
	}
	f = fopen(target, "w");
	if (!f)
		return -errno;
	if (len && fwrite(data, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && atomic && rename(tmp, path) < 0)
		err = -errno;
	if (err && atomic)
		unlink(tmp);
	return err;
}

int strbuf_sink(void *sb, const char *buf, size_t n)
{
	return strbuf_add(sb, buf, n);
}

char *str_dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}
