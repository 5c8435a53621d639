/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Directories: mkdir/rmdir and their errors, getdents64 (order, ".",
 * "..", small buffers, rewinding), link counts, rename (over an existing
 * file or empty directory, into itself, across file systems), unlink of
 * directories, and what the mount point /dev refuses.
 */
#include "vfstest.h"

struct dirent_hdr {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

/* The names in a directory, joined by spaces, read with a buffer of bufsz. */
static long list(const char *path, char *out, size_t outsz, size_t bufsz)
{
	static unsigned char buf[1024];
	long fd = SYS2(open, path, O_RDONLY | O_DIRECTORY), n;
	size_t used = 0;

	if (fd < 0)
		return fd;
	out[0] = '\0';
	while ((n = SYS3(getdents64, fd, buf, bufsz)) > 0) {
		for (long at = 0; at < n;) {
			struct dirent_hdr *d = (struct dirent_hdr *)(buf + at);
			size_t len = strlen(d->name);

			if (used + len + 2 <= outsz) {
				memcpy(out + used, d->name, len);
				used += len;
				out[used++] = ' ';
				out[used] = '\0';
			}
			at += d->reclen;
		}
	}
	SYS1(close, fd);
	return n;
}

UK_TESTCASE(ukvfs, mkdir_rmdir_and_their_errors)
{
	struct tstat st;

	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d1", 0755), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d1", 0755), -EEXIST);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d1/", 0755), -EEXIST);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d1/a/", 0755), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d1/x/y", 0755), -ENOENT);
	UK_EXPECT_EQ(SYS2(mkdir, "/", 0755), -EEXIST);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d1", &st), 0);
	UK_EXPECT_EQ(st.nlink, 3); /* its entry, ".", and a's ".." */
	UK_EXPECT_EQ(put("/tmp/d1/a/f", "x"), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d1/a/f/g", 0755), -ENOTDIR);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d1/a"), -ENOTEMPTY);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d1/a/f"), -ENOTDIR);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d1/a"), -EISDIR);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d1/a/."), -EINVAL);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d1/a/.."), -ENOTEMPTY);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d1/none"), -ENOENT);
	UK_EXPECT_EQ(SYS1(rmdir, "/"), -EBUSY);
	UK_EXPECT_EQ(SYS1(rmdir, "/dev"), -EBUSY);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d1/a/f"), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d1/a/f"), -ENOENT);
	UK_EXPECT_EQ(SYS3(unlinkat, AT_FDCWD, "/tmp/d1/a", UK_AT_REMOVEDIR), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d1", &st), 0);
	UK_EXPECT_EQ(st.nlink, 2);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d1/"), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d1", &st), -ENOENT);
}

UK_TESTCASE(ukvfs, getdents64_lists_every_entry_once)
{
	char names[256];
	long fd;

	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/d2", 0755) == 0);
	UK_EXPECT_EQ(list("/tmp/d2", names, sizeof(names), 1024), 0);
	UK_EXPECT_EQ(strcmp(names, ". .. "), 0);
	UK_EXPECT_EQ(put("/tmp/d2/one", "1"), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d2/two", 0755), 0);
	UK_EXPECT_EQ(put("/tmp/d2/three", "3"), 0);
	/* Creation order, whatever the buffer size (32 bytes: one record). */
	UK_EXPECT_EQ(list("/tmp/d2", names, sizeof(names), 1024), 0);
	UK_EXPECT_EQ(strcmp(names, ". .. one two three "), 0);
	UK_EXPECT_EQ(list("/tmp/d2", names, sizeof(names), 32), 0);
	UK_EXPECT_EQ(strcmp(names, ". .. one two three "), 0);
	UK_EXPECT_EQ(list("/tmp/d2", names, sizeof(names), 8), -EINVAL);
	UK_EXPECT_EQ(list("/tmp/d2/one", names, sizeof(names), 1024), -ENOTDIR);
	/* Types, rewinding, and EISDIR on read. */
	{
		static unsigned char buf[256];
		struct dirent_hdr *d = (struct dirent_hdr *)buf;
		char c;

		fd = SYS2(open, "/tmp/d2", O_RDONLY);
		UK_ASSERT_TRUE(fd >= 3);
		UK_EXPECT(SYS3(getdents64, fd, buf, sizeof(buf)) > 0);
		UK_EXPECT_EQ(SYS3(getdents64, fd, buf, sizeof(buf)), 0);
		UK_EXPECT_EQ(SYS3(lseek, fd, 0, SEEK_SET), 0);
		UK_EXPECT_EQ(SYS3(getdents64, fd, buf, 24 * 3 + 8), 24 * 3);
		d = (struct dirent_hdr *)(buf + 48);
		UK_EXPECT_EQ(strcmp(d->name, "one"), 0);
		UK_EXPECT_EQ(d->type, 8); /* DT_REG */
		UK_EXPECT_EQ(d->off, 3);
		UK_EXPECT_EQ(SYS3(getdents64, fd, buf, 24), 24);
		UK_EXPECT_EQ(d = (struct dirent_hdr *)buf, d);
		UK_EXPECT_EQ(d->type, 4); /* DT_DIR: "two" */
		UK_EXPECT_EQ(SYS3(read, fd, &c, 1), -EISDIR);
		UK_EXPECT_EQ(SYS3(write, fd, "x", 1), -EBADF);
		UK_EXPECT_EQ(SYS3(getdents64, 1, buf, sizeof(buf)), -ENOTDIR);
		UK_EXPECT_EQ(SYS3(getdents64, 999, buf, sizeof(buf)), -EBADF);
		UK_EXPECT_EQ(SYS1(close, fd), 0);
	}
	UK_EXPECT_EQ(list("/dev", names, sizeof(names), 1024), 0);
	UK_EXPECT_EQ(strcmp(names, ". .. null zero random urandom console "), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d2/one"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d2/two"), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d2/three"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d2"), 0);
}

UK_TESTCASE(ukvfs, rename_replaces_and_refuses_as_on_linux)
{
	char buf[16];
	struct tstat st;

	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/d3", 0755) == 0);
	UK_EXPECT_EQ(put("/tmp/d3/a", "aaa"), 0);
	UK_EXPECT_EQ(put("/tmp/d3/b", "b"), 0);
	/* Over an existing file: b is replaced, a is gone. */
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/a", "/tmp/d3/b"), 0);
	UK_EXPECT_EQ(get("/tmp/d3/b", buf, sizeof(buf)), 3);
	UK_EXPECT_EQ(strcmp(buf, "aaa"), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d3/a", &st), -ENOENT);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/a", "/tmp/d3/c"), -ENOENT);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/b", "/tmp/d3/b"), 0);
	/* Directories: over an empty one, not a non-empty one, not into
	 * itself, not over a file (and a file not over a directory). */
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d3/x", 0755), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d3/y", 0755), 0);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/x", "/tmp/d3/y"), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d3/x", &st), -ENOENT);
	UK_EXPECT_EQ(put("/tmp/d3/y/in", "i"), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d3/z", 0755), 0);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/z", "/tmp/d3/y"), -ENOTEMPTY);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/y", "/tmp/d3/y/sub"), -EINVAL);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/z", "/tmp/d3/b"), -ENOTDIR);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/b", "/tmp/d3/z"), -EISDIR);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/b", "/tmp/d3/q/"), -ENOTDIR);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/b", "/dev/b"), -EXDEV);
	UK_EXPECT_EQ(SYS2(rename, "/dev", "/tmp/d3/dev"), -EBUSY);
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/.", "/tmp/d3/w"), -EBUSY);
	/* A directory moves with its contents, and ".." follows it. */
	UK_EXPECT_EQ(SYS2(rename, "/tmp/d3/y", "/tmp/d3/z/y"), 0);
	UK_EXPECT_EQ(get("/tmp/d3/z/y/in", buf, sizeof(buf)), 1);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d3/z/y/../y/in", &st), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d3/z", &st), 0);
	UK_EXPECT_EQ(st.nlink, 3);
	UK_EXPECT_EQ(SYS4(renameat, AT_FDCWD, "/tmp/d3/b", AT_FDCWD, "/tmp/d3/z/b"),
		     0);
	UK_EXPECT_EQ(SYS5(renameat2, AT_FDCWD, "/tmp/d3/z/b", AT_FDCWD,
			  "/tmp/d3/z/y/in", 1), -EEXIST);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d3/z/b"), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/d3/z/y/in"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d3/z/y"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d3/z"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d3"), 0);
}

UK_TESTCASE(ukvfs, closed_descriptors_are_ebadf)
{
	struct tstat st;
	char buf[8];

	UK_EXPECT_EQ(SYS2(fstat, 999, &st), -EBADF);
	UK_EXPECT_EQ(SYS2(ftruncate, 999, 0), -EBADF);
	UK_EXPECT_EQ(SYS3(getdents64, 999, buf, sizeof(buf)), -EBADF);
	UK_EXPECT_EQ(SYS1(fchdir, 999), -EBADF);
	UK_EXPECT_EQ(SYS1(fchdir, 1), -ENOTDIR);
	UK_EXPECT_EQ(SYS4(openat, 999, "x", O_RDONLY, 0), -EBADF);
	UK_EXPECT_EQ(SYS2(fstat, 1, &st), 0); /* the console: an anonymous file */
	UK_EXPECT_EQ(st.mode, 0600);
}
