/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multiboot (v1) boot information: the command line and the memory map.
 * QEMU puts this data right after the image, where the heap will go, so
 * everything kept is copied into the kernel's own storage first.
 */
#include <unitune/abi.h>
#include <uk/compiler.h>
#include <uk/errno.h>
#include <uk/plat.h>

#define MB_BOOTLOADER_MAGIC 0x2BADB002
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
#define MB_MMAP_AVAILABLE 1
#define MAX_REGIONS 32

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

struct region {
	uint64_t start, end;
};

static struct region regions[MAX_REGIONS];
static unsigned nregions;
static char cmdline[UNITUNE_CMDLINE_MAX];

extern char _image_start[], _end[];

static void add_region(uint64_t start, uint64_t end)
{
	if (nregions < MAX_REGIONS && end > start)
		regions[nregions++] = (struct region){ start, end };
}

int plat_bootinfo_parse(uint32_t magic, uint64_t info, struct plat_bootinfo *bi)
{
	const struct mb_info *mbi = (const struct mb_info *)info;
	uint64_t image_start = (uint64_t)_image_start;

	if (magic != MB_BOOTLOADER_MAGIC)
		return -EINVAL;

	nregions = 0;
	if (mbi->flags & MB_INFO_MMAP) {
		uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
		while (p + sizeof(struct mb_mmap_entry) <= end) {
			const struct mb_mmap_entry *e = (const void *)p;
			if (e->type == MB_MMAP_AVAILABLE)
				add_region(e->addr, e->addr + e->len);
			p += e->size + sizeof(e->size);
		}
	} else if (mbi->flags & MB_INFO_MEMORY) {
		add_region(0, (uint64_t)mbi->mem_lower * 1024);
		add_region(0x100000, 0x100000 + (uint64_t)mbi->mem_upper * 1024);
	}

	cmdline[0] = '\0';
	if (mbi->flags & MB_INFO_CMDLINE) {
		const char *s = (const char *)(uint64_t)mbi->cmdline;
		size_t i = 0;
		while (s[i] && i < UNITUNE_CMDLINE_MAX - 1) {
			cmdline[i] = s[i];
			i++;
		}
		cmdline[i] = '\0';
	}

	bi->cmdline = cmdline;
	bi->nregions = nregions;
	bi->ram_total = 0;
	bi->heap_start = ALIGN_UP((uint64_t)_end, 4096);
	bi->heap_end = bi->heap_start;
	for (unsigned i = 0; i < nregions; i++) {
		bi->ram_total += regions[i].end - regions[i].start;
		if (regions[i].start <= image_start && image_start < regions[i].end &&
		    regions[i].end > bi->heap_start)
			bi->heap_end = regions[i].end;
	}
	return 0;
}

bool plat_addr_readable(uint64_t addr, size_t len)
{
	/* Page 0 is RAM but left unmapped, so that NULL faults. */
	if (addr + len < addr || addr < 4096)
		return false;
	for (unsigned i = 0; i < nregions; i++)
		if (addr >= regions[i].start && addr + len <= regions[i].end)
			return true;
	/* Before the map is parsed, the image itself is all we know. */
	return addr >= (uint64_t)_image_start && addr + len <= (uint64_t)_end;
}
