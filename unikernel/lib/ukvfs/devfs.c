/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * devfs: character devices in a ramfs instance (mounted on /dev at boot).
 * null reads end of file and swallows writes; zero reads zeros; random
 * and urandom read lib/uksyscall's random source (the one getrandom
 * uses; neither ever blocks); console writes to the platform console and
 * reads end of file, as descriptor 0 does. Device numbers are Linux's.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/random.h>
#include <uk/string.h>
#include <uk/vfs.h>

#define DEV(major, minor) (((uint64_t)(major) << 8) | (minor))

static long eof_read(struct uk_vnode *vn, void *buf, size_t len, uint64_t off)
{
	(void)vn, (void)buf, (void)len, (void)off;
	return 0;
}

static long sink_write(struct uk_vnode *vn, const void *buf, size_t len,
		       uint64_t off)
{
	(void)vn, (void)buf, (void)off;
	return (long)len;
}

static long zero_read(struct uk_vnode *vn, void *buf, size_t len, uint64_t off)
{
	(void)vn, (void)off;
	memset(buf, 0, len);
	return (long)len;
}

static long random_read(struct uk_vnode *vn, void *buf, size_t len,
			uint64_t off)
{
	(void)vn, (void)off;
	uk_random_fill(buf, len);
	return (long)len;
}

static long console_write(struct uk_vnode *vn, const void *buf, size_t len,
			  uint64_t off)
{
	(void)vn, (void)off;
	plat_console_write(buf, len);
	return (long)len;
}

static void dev_release(struct uk_vnode *vn)
{
	uk_free(uk_alloc_default(), vn);
}

static const struct uk_vnode_ops null_ops = { .read = eof_read,
					      .write = sink_write,
					      .release = dev_release };
static const struct uk_vnode_ops zero_ops = { .read = zero_read,
					      .write = sink_write,
					      .release = dev_release };
static const struct uk_vnode_ops random_ops = { .read = random_read,
						.write = sink_write,
						.release = dev_release };
static const struct uk_vnode_ops console_ops = { .read = eof_read,
						 .write = console_write,
						 .release = dev_release };

static const struct {
	const char *name;
	const struct uk_vnode_ops *ops;
	uint64_t rdev;
	unsigned int perm;
} devices[] = {
	{ "null", &null_ops, DEV(1, 3), 0666 },
	{ "zero", &zero_ops, DEV(1, 5), 0666 },
	{ "random", &random_ops, DEV(1, 8), 0666 },
	{ "urandom", &random_ops, DEV(1, 9), 0666 },
	{ "console", &console_ops, DEV(5, 1), 0600 },
};

static int add_device(struct uk_vfs_sb *sb, unsigned int i)
{
	struct uk_vnode *vn = uk_malloc(uk_alloc_default(), sizeof(*vn));
	int r;

	if (!vn)
		return -ENOMEM;
	uk_vnode_init(vn, devices[i].ops, sb, UK_S_IFCHR | devices[i].perm);
	vn->rdev = devices[i].rdev;
	r = sb->root->ops->link(sb->root, devices[i].name,
				strlen(devices[i].name), vn);
	uk_vnode_put(vn);
	return r;
}

int uk_devfs_new(uint64_t dev, struct uk_vfs_sb **out)
{
	int r = uk_ramfs_new(dev, out);

	for (unsigned int i = 0; r == 0 && i < sizeof(devices) / sizeof(devices[0]);
	     i++)
		r = add_device(*out, i);
	return r;
}
