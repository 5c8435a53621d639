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
 *
 * mremap shrinks in place, grows in place when the pages after the range
 * are free pages of the same allocation (they are zeroed), and otherwise
 * moves (MREMAP_MAYMOVE): a new mapping, a copy, an munmap of the old
 * range. MREMAP_FIXED is ENOTSUP, as MAP_FIXED is; MREMAP_DONTUNMAP is
 * EINVAL, as on a kernel before 5.7. msync has nothing to write back: it
 * checks its arguments and that the range is mapped (ENOMEM otherwise, as
 * Linux says). Memory is never paged out, so the mlock calls are no-ops.
 * These are in CONFIG_UKSYSCALL_STARTUP.
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
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4
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

/* A mapped range [start, end) inside the allocation [block, block_end). */
struct mapping {
	uintptr_t block, block_end, start, end;
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

/* A zeroed mapping of len (page-aligned) bytes, or NULL; room for its
 * entry was reserved. */
static void *map_new(size_t len)
{
	void *p = uk_memalign(uk_alloc_default(), PAGE_SIZE, len);

	if (!p)
		return NULL;
	memset(p, 0, len);
	maps.v[maps.n++] = (struct mapping){ (uintptr_t)p, (uintptr_t)p + len,
					     (uintptr_t)p, (uintptr_t)p + len };
	return p;
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
	p = map_new((size_t)len);
	return p ? (long)p : -ENOMEM;
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
		maps.v[maps.n++] = (struct mapping){ m->block, m->block_end, hi,
						     m->end };
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

/* Unmap [lo, hi) (page-aligned), freeing each allocation whose last page
 * goes; 0 or -ENOMEM (no room for a split). */
static long unmap_range(uintptr_t lo, uintptr_t hi)
{
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
	return unmap_range(lo, hi);
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

#if CONFIG_UKSYSCALL_STARTUP
/* The entry whose range holds addr, or -1. */
static long find_mapping(uintptr_t addr)
{
	for (size_t i = 0; i < maps.n; i++)
		if (maps.v[i].start <= addr && addr < maps.v[i].end)
			return (long)i;
	return -1;
}

/* Bytes of [lo, hi) that are mapped (entries never overlap). */
static uintptr_t mapped_bytes(uintptr_t lo, uintptr_t hi)
{
	uintptr_t n = 0;

	for (size_t i = 0; i < maps.n; i++) {
		uintptr_t s = maps.v[i].start > lo ? maps.v[i].start : lo;
		uintptr_t e = maps.v[i].end < hi ? maps.v[i].end : hi;

		n += e > s ? e - s : 0;
	}
	return n;
}

/* Grow entry i, which ends at lo + olen, to lo + nlen where its own
 * allocation has those pages free; 0 or -1. */
static int grow_in_place(size_t i, uintptr_t lo, uintptr_t olen,
			 uintptr_t nlen)
{
	struct mapping *m = &maps.v[i];
	uintptr_t end = lo + nlen;

	if (lo + olen != m->end || end < lo || end > m->block_end ||
	    mapped_bytes(m->end, end))
		return -1;
	memset((void *)m->end, 0, end - m->end); /* fresh anonymous pages */
	m->end = end;
	return 0;
}

/* A new mapping with [lo, lo + olen)'s contents, the old range unmapped. */
static long move_mapping(uintptr_t lo, uintptr_t olen, uintptr_t nlen)
{
	void *p;

	/* The new entry and a split of the old one, reserved up front so
	 * that nothing fails after the copy. */
	if (maps_reserve(1 + splits_needed(lo, lo + olen)))
		return -ENOMEM;
	p = map_new(nlen);
	if (!p)
		return -ENOMEM;
	memcpy(p, (void *)lo, olen);
	unmap_range(lo, lo + olen);
	return (long)p;
}

long uk_sys_mremap(long addr, long old_len, long new_len, long flags,
		   long new_addr, long a5)
{
	uintptr_t lo = (uintptr_t)addr, olen, nlen;
	long i;

	(void)new_addr, (void)a5;
	if (flags & ~(long)(MREMAP_MAYMOVE | MREMAP_FIXED))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (lo & (PAGE_SIZE - 1))
		return -EINVAL;
	olen = ALIGN_UP_PAGE((uintptr_t)old_len);
	nlen = ALIGN_UP_PAGE((uintptr_t)new_len);
	if (!nlen) /* zero, or so large that it wraps */
		return -EINVAL;
	i = find_mapping(lo);
	if (i < 0)
		return -EFAULT;
	if (flags & MREMAP_FIXED)
		return -ENOTSUP;
	if (nlen <= olen) {
		if (nlen < olen && unmap_range(lo + nlen, lo + olen))
			return -ENOMEM;
		return (long)lo;
	}
	/* Growing: the whole old range must lie in one mapping, and an
	 * empty one would be a shared mapping's copy (none here). */
	if (!olen)
		return -EINVAL;
	if (olen > maps.v[i].end - lo)
		return -EFAULT;
	if (!grow_in_place((size_t)i, lo, olen, nlen))
		return (long)lo;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	return move_mapping(lo, olen, nlen);
}

long uk_sys_msync(long addr, long len, long flags, long a3, long a4, long a5)
{
	uintptr_t lo = (uintptr_t)addr, n;

	(void)a3, (void)a4, (void)a5;
	if ((lo & (PAGE_SIZE - 1)) ||
	    (flags & ~(long)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	if ((uintptr_t)len > UINTPTR_MAX - PAGE_SIZE)
		return -ENOMEM;
	n = ALIGN_UP_PAGE((uintptr_t)len);
	if (lo + n < lo)
		return -ENOMEM;
	return mapped_bytes(lo, lo + n) == n ? 0 : -ENOMEM;
}

long uk_sys_mlock(long addr, long len, long a2, long a3, long a4, long a5)
{
	(void)addr, (void)len, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

long uk_sys_munlock(long addr, long len, long a2, long a3, long a4, long a5)
{
	return uk_sys_mlock(addr, len, a2, a3, a4, a5);
}

long uk_sys_mlockall(long flags, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!flags || (flags & ~(long)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	return 0;
}

long uk_sys_munlockall(long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}
#endif
