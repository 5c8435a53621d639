/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Growable byte buffer. The contents are always NUL-terminated (when buf is
 * not NULL) so text users can treat it as a C string, but it may also hold
 * binary data: len is authoritative.
 */
#ifndef UNITUNE_STRBUF_H
#define UNITUNE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { 0 }

/* All return 0 or -ENOMEM; on failure the buffer is unchanged. */
int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_addc(struct strbuf *sb, char c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* Drop the first n bytes (n is clamped to len). */
void strbuf_consume(struct strbuf *sb, size_t n);

/* Hand the buffer to the caller (who frees it); sb becomes empty. Never
 * returns NULL: an empty buffer yields a fresh "" or NULL on -ENOMEM. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/*
 * The most a hand-written text input may hold: a space file, a .config
 * (--config, base_config), an app's defconfig, a trace's sidecar. Far
 * above any real one (a whole Linux .config is about 250 KiB); it only
 * stops a wrong path from filling memory.
 */
#define STRBUF_TEXT_MAX ((size_t)1 << 20)

/*
 * Append the whole file at path, which must be a regular file
 * (paths_open_regular: a FIFO, a device, a directory is refused before
 * anything is read) of at most max bytes. The size is checked before
 * reading and again while reading (st_size is not trusted: the file may
 * still be growing). 0 or -errno: -EINVAL not a regular file, -EFBIG more
 * than max bytes, -ENOMEM. On failure sb is unchanged and why (when not
 * NULL) holds "PATH: what is wrong".
 */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t max,
		     char *why, size_t why_len);

/*
 * Write len bytes to path (created or truncated). With atomic, through
 * PATH.tmp and a rename, so a reader never sees half a file. 0 or -errno.
 */
int strbuf_write_file(const char *path, const void *data, size_t len,
		      bool atomic);

/* A spawn_sink (host/spawn.h) appending to the struct strbuf at sb. */
int strbuf_sink(void *sb, const char *buf, size_t n);

void strbuf_release(struct strbuf *sb);

/* A copy of s (NULL stays NULL). *oom is set when the copy failed, so a
 * caller copies several strings and checks once. */
char *str_dup_or_null(const char *s, bool *oom);

#endif
