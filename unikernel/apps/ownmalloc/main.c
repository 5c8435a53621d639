/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ownmalloc: an application with its own malloc, free, calloc and realloc
 * (a bump allocator over a static arena). It must link, and libc's callers
 * (strdup, getline) must reach it; the exit status is the number of
 * failed checks.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Alignas(16) unsigned char arena[1 << 20];
static size_t used;
/* volatile: GCC assumes malloc and free touch no memory the caller can
 * see, and would read the counters before the calls. */
static volatile unsigned long mallocs, frees;

/* Each block keeps its size just before it, for realloc. */
void *malloc(size_t n)
{
	size_t need = (n + 16 + 15) & ~(size_t)15;
	unsigned char *p;

	if (need < n || need > sizeof(arena) - used)
		return NULL;
	p = arena + used;
	used += need;
	*(size_t *)p = n;
	mallocs++;
	return p + 16;
}

void free(void *p)
{
	frees += p != NULL;
}

void *calloc(size_t m, size_t n)
{
	void *p;

	if (n && m > SIZE_MAX / n)
		return NULL;
	p = malloc(m * n);
	return p ? memset(p, 0, m * n) : NULL;
}

void *realloc(void *old, size_t n)
{
	void *p = malloc(n);
	size_t was;

	if (!p || !old)
		return p;
	was = *(size_t *)((unsigned char *)old - 16);
	memcpy(p, old, was < n ? was : n);
	free(old);
	return p;
}

static int failures;

static void check(const char *name, int ok)
{
	printf("ownmalloc: %s: %s\n", name, ok ? "ok" : "FAIL");
	failures += !ok;
}

static int in_arena(const void *p)
{
	return (const unsigned char *)p >= arena &&
	       (const unsigned char *)p < arena + sizeof(arena);
}

int main(void)
{
	unsigned long before = mallocs;
	char *s = strdup("copied by libc");

	check("strdup_uses_app_malloc", s && in_arena(s) && mallocs == before + 1);
	free(s);
	check("free_is_app_free", frees >= 1);

	FILE *f = fmemopen((char[]){ "one line\n" }, 9, "r");
	char *line = NULL;
	size_t cap = 0;
	check("getline_uses_app_realloc",
	      f && getline(&line, &cap, f) == 9 && in_arena(line));
	free(line);
	if (f)
		fclose(f);
	printf("ownmalloc: %lu mallocs, %lu frees, %zu bytes\n", mallocs, frees,
	       used);
	return failures;
}
