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

/* Append the whole file at path, read to EOF (st_size is not trusted: a
 * pipe, or a file still being written). 0 or -errno. */
int strbuf_read_file(struct strbuf *sb, const char *path);

/*
 * Write len bytes to path (created or truncated). With atomic, through
 * PATH.tmp and a rename, so a reader never sees half a file. 0 or -errno.
 */
int strbuf_write_file(const char *path, const void *data, size_t len,
		      bool atomic);

/* A spawn_sink (host/spawn.h) appending to the struct strbuf at sb. */
int strbuf_sink(void *sb, const char *buf, size_t n);

void strbuf_release(struct strbuf *sb);

#endif
