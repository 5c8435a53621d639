/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C allocation functions, routed to the allocator chosen in Kconfig.
 * Defining them here keeps musl's own malloc out of the link: musl calls
 * __libc_malloc and friends internally, so those are defined too.
 *
 * The public names are weak, so an application that defines its own
 * malloc links and wins, as it does against a static libc. Like glibc, it
 * must then define free, calloc and realloc too (and the aligned ones if
 * it uses them): a block from one allocator must not reach the other's
 * free. musl's internal __libc_* calls keep this allocator, and free what
 * they get with it.
 */
#include <stddef.h>
#include <uk/alloc.h>
#include <uk/errno.h>

int *__errno_location(void);

static void *set_enomem(void *p)
{
	if (!p)
		*__errno_location() = ENOMEM;
	return p;
}

__attribute__((weak)) void *malloc(size_t size)
{
	return set_enomem(uk_malloc(uk_alloc_default(), size));
}

__attribute__((weak)) void free(void *ptr)
{
	uk_free(uk_alloc_default(), ptr);
}

__attribute__((weak)) void *calloc(size_t n, size_t size)
{
	return set_enomem(uk_calloc(uk_alloc_default(), n, size));
}

__attribute__((weak)) void *realloc(void *ptr, size_t size)
{
	return set_enomem(uk_realloc(uk_alloc_default(), ptr, size));
}

__attribute__((weak)) void *aligned_alloc(size_t align, size_t size)
{
	if (!align || (align & (align - 1))) {
		*__errno_location() = EINVAL;
		return NULL;
	}
	return set_enomem(uk_memalign(uk_alloc_default(), align, size));
}

__attribute__((weak)) void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

__attribute__((weak)) int posix_memalign(void **out, size_t align, size_t size)
{
	return uk_posix_memalign(uk_alloc_default(), out, align, size);
}

__attribute__((weak)) void *valloc(size_t size)
{
	return aligned_alloc(4096, size);
}

__attribute__((weak)) size_t malloc_usable_size(void *ptr)
{
	return uk_usable_size(uk_alloc_default(), ptr);
}

void *__libc_malloc(size_t size) __attribute__((alias("malloc")));
void __libc_free(void *ptr) __attribute__((alias("free")));
void *__libc_calloc(size_t n, size_t size) __attribute__((alias("calloc")));
void *__libc_realloc(void *ptr, size_t size) __attribute__((alias("realloc")));
