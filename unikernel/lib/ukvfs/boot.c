/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file system tree at boot (a UK_DRIVER_INIT hook: after the
 * allocator and the descriptor table, before the guest tests and main):
 * a ramfs on /, devfs on /dev, and /etc/passwd, /etc/group and
 * /etc/hosts so that getpwnam("root"), getgrgid(0) and
 * getaddrinfo("localhost") answer as on a Linux system. /tmp (1777) and
 * /root exist too. A failure here is a kernel bug: it panics.
 */
#include <uk/boot.h>
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/vfs.h>

#define DEV_ROOT 1
#define DEV_DEVFS 2

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
static const char group[] = "root:x:0:\n"
			    "nogroup:x:65534:\n";
static const char hosts[] = "127.0.0.1\tlocalhost\n"
			    "::1\tlocalhost ip6-localhost ip6-loopback\n";

static int put_file(const char *path, const char *text)
{
	struct uk_vfs_walk w;
	int r = uk_vfs_walk(UK_AT_FDCWD, path, 0, &w);
	size_t len = strlen(text);

	if (r < 0)
		return r;
	r = w.vn ? -EEXIST
		 : w.dir->ops->create(w.dir, w.name, w.len, UK_S_IFREG | 0644,
				      &w.vn);
	if (r == 0 && w.vn->ops->write(w.vn, text, len, 0) != (long)len)
		r = -ENOSPC;
	uk_vfs_walk_done(&w);
	return r;
}

static int build_tree(void)
{
	struct uk_vfs_sb *root, *dev;
	int r = uk_ramfs_new(DEV_ROOT, &root);

	if (r == 0)
		r = uk_vfs_set_root(root);
	if (r == 0)
		r = uk_vfs_mkdir(UK_AT_FDCWD, "/dev", 0755);
	if (r == 0)
		r = uk_devfs_new(DEV_DEVFS, &dev);
	if (r == 0)
		r = uk_vfs_mount("/dev", dev);
	if (r == 0)
		r = uk_vfs_mkdir(UK_AT_FDCWD, "/etc", 0755);
	if (r == 0)
		r = uk_vfs_mkdir(UK_AT_FDCWD, "/tmp", 01777);
	if (r == 0)
		r = uk_vfs_mkdir(UK_AT_FDCWD, "/root", 0700);
	if (r == 0)
		r = put_file("/etc/passwd", passwd);
	if (r == 0)
		r = put_file("/etc/group", group);
	if (r == 0)
		r = put_file("/etc/hosts", hosts);
	return r;
}

static void vfs_boot(void)
{
	int r = build_tree();

	if (r < 0)
		uk_panic("vfs: cannot build the boot file tree (%d)", r);
}
UK_DRIVER_INIT(vfs_boot);
