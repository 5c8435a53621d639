/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory syscalls over the allocator. There is one address space and no
 * protection: mmap of anonymous memory is an aligned, zeroed allocation,
 * munmap frees a whole mapping, mprotect succeeds without effect. malloc
 * does not come here at all (lib/uklibc routes it to ukalloc); musl uses
 * these for thread-local storage larger than its built-in area.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>

#define PAGE_SIZE 4096UL
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define ALIGN_UP_PAGE(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

static struct {
	uintptr_t base, cur, end;
} brk_area;

long uk_sys_brk(long addr, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!brk_area.base) {
		size_t len = (size_t)CONFIG_UKSYSCALL_BRK_KB * 1024;
		void *p = len ? uk_memalign(uk_alloc_default(), PAGE_SIZE, len) : NULL;
		if (!p)
			return 0; /* no break at all: callers fall back to mmap */
		brk_area.base = brk_area.cur = (uintptr_t)p;
		brk_area.end = brk_area.base + len;
	}
	/* Linux returns the unchanged break on failure, not an error. */
	if ((uintptr_t)addr >= brk_area.base && (uintptr_t)addr <= brk_area.end) {
		if ((uintptr_t)addr > brk_area.cur)
			memset((void *)brk_area.cur, 0, (uintptr_t)addr - brk_area.cur);
		brk_area.cur = (uintptr_t)addr;
	}
	return (long)brk_area.cur;
}

long uk_sys_mmap(long addr, long len, long prot, long flags, long fd, long off)
{
	void *p;

	(void)addr, (void)prot, (void)off;
	if (len <= 0)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) || fd != -1)
		return -ENODEV; /* no files to map */
	if ((flags & MAP_FIXED) || (flags & MAP_SHARED))
		return -ENOTSUP;
	len = (long)ALIGN_UP_PAGE((uintptr_t)len);
	p = uk_memalign(uk_alloc_default(), PAGE_SIZE, (size_t)len);
	if (!p)
		return -ENOMEM;
	memset(p, 0, (size_t)len);
	return (long)p;
}

long uk_sys_munmap(long addr, long len, long a2, long a3, long a4, long a5)
{
	(void)len, (void)a2, (void)a3, (void)a4, (void)a5;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	/* Only whole mappings are given back; a partial unmap keeps the
	 * memory mapped, which is what it would hold anyway. */
	if ((uintptr_t)addr >= brk_area.base && (uintptr_t)addr < brk_area.end)
		return 0;
	uk_free(uk_alloc_default(), (void *)addr);
	return 0;
}

long uk_sys_mprotect(long addr, long len, long prot, long a3, long a4, long a5)
{
	(void)len, (void)prot, (void)a3, (void)a4, (void)a5;
	return (addr & (PAGE_SIZE - 1)) ? -EINVAL : 0;
}

long uk_sys_madvise(long addr, long len, long advice, long a3, long a4, long a5)
{
	(void)addr, (void)len, (void)advice, (void)a3, (void)a4, (void)a5;
	return 0;
}
