/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory syscalls over the allocator. There is one address space and no
 * protection: mmap of anonymous memory is an aligned, zeroed allocation,
 * mprotect succeeds without effect. malloc does not come here at all
 * (lib/uklibc routes it to ukalloc); musl uses these for thread stacks and
 * thread-local storage larger than its built-in area.
 *
 * munmap follows Linux: any page-aligned range may be unmapped, whether it
 * covers whole mappings, part of one (which shrinks or splits it) or
 * nothing at all. The mapped ranges are kept in a table; a mapping's
 * memory goes back to the allocator when its last page is unmapped (an
 * unmapped page inside a live mapping stays readable, as nothing protects
 * it).
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

/* A mapped range [start, end) inside the allocation at block. */
struct mapping {
	uintptr_t block, start, end;
};

/* Enough for a typical program; more entries come from the allocator. */
#define MAPS_INITIAL 32
static struct mapping maps_initial[MAPS_INITIAL];
static struct {
	struct mapping *v;
	size_t n, cap;
} maps = { maps_initial, 0, MAPS_INITIAL };

/* Room for `more` entries; 0 or -ENOMEM (as Linux says when a split would
 * exceed its map count). */
static int maps_reserve(size_t more)
{
	size_t cap = maps.cap;
	struct mapping *v;

	if (maps.n + more <= maps.cap)
		return 0;
	while (cap < maps.n + more)
		cap *= 2;
	v = uk_malloc(uk_alloc_default(), cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, maps.v, maps.n * sizeof(*v));
	if (maps.v != maps_initial)
		uk_free(uk_alloc_default(), maps.v);
	maps.v = v;
	maps.cap = cap;
	return 0;
}

static int block_is_mapped(uintptr_t block)
{
	for (size_t i = 0; i < maps.n; i++)
		if (maps.v[i].block == block)
			return 1;
	return 0;
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
	if ((uintptr_t)len > UINTPTR_MAX - PAGE_SIZE)
		return -ENOMEM;
	len = (long)ALIGN_UP_PAGE((uintptr_t)len);
	if (maps_reserve(1))
		return -ENOMEM;
	p = uk_memalign(uk_alloc_default(), PAGE_SIZE, (size_t)len);
	if (!p)
		return -ENOMEM;
	memset(p, 0, (size_t)len);
	maps.v[maps.n++] = (struct mapping){ (uintptr_t)p, (uintptr_t)p,
					     (uintptr_t)p + (size_t)len };
	return (long)p;
}

/* Entries that [lo, hi) cuts in two: each needs one more entry. */
static size_t splits_needed(uintptr_t lo, uintptr_t hi)
{
	size_t n = 0;

	for (size_t i = 0; i < maps.n; i++)
		n += maps.v[i].start < lo && maps.v[i].end > hi;
	return n;
}

/* Take [lo, hi) out of entry i; returns how many entries remain at i
 * (0 when it went entirely). Room for a split was reserved. */
static int cut_mapping(size_t i, uintptr_t lo, uintptr_t hi)
{
	struct mapping *m = &maps.v[i];

	if (m->end <= lo || m->start >= hi)
		return 1;
	if (m->start < lo && m->end > hi) {
		maps.v[maps.n++] = (struct mapping){ m->block, hi, m->end };
		m->end = lo;
		return 1;
	}
	if (m->start < lo) {
		m->end = lo;
		return 1;
	}
	if (m->end > hi) {
		m->start = hi;
		return 1;
	}
	*m = maps.v[--maps.n];
	return 0;
}

long uk_sys_munmap(long addr, long len, long a2, long a3, long a4, long a5)
{
	uintptr_t lo = (uintptr_t)addr, hi;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if ((lo & (PAGE_SIZE - 1)) || len <= 0 ||
	    (uintptr_t)len > UINTPTR_MAX - PAGE_SIZE)
		return -EINVAL;
	hi = lo + ALIGN_UP_PAGE((uintptr_t)len);
	if (hi < lo)
		return -EINVAL;
	if (maps_reserve(splits_needed(lo, hi)))
		return -ENOMEM;
	for (size_t i = 0; i < maps.n;) {
		uintptr_t block = maps.v[i].block;

		if (cut_mapping(i, lo, hi)) {
			i++;
			continue;
		}
		/* Entry i is now another one (the last moved here). */
		if (!block_is_mapped(block))
			uk_free(uk_alloc_default(), (void *)block);
	}
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
