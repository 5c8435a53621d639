/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path lookup: absolute and relative paths, ".", "..", repeated and
 * trailing slashes, the *at calls' directory descriptors, name and path
 * length limits, getcwd/chdir/fchdir, and the tree built at boot.
 */
#include "vfstest.h"

UK_TESTCASE(ukvfs, boot_tree_has_dev_etc_and_tmp)
{
	struct tstat st;
	char buf[256];

	UK_EXPECT_EQ(SYS2(stat, "/", &st), 0);
	UK_EXPECT(UK_S_ISDIR(st.mode));
	UK_EXPECT_EQ(SYS2(stat, "/tmp", &st), 0);
	UK_EXPECT_EQ(st.mode & 07777, 01777);
	UK_EXPECT_EQ(SYS2(stat, "/dev/null", &st), 0);
	UK_EXPECT_EQ(st.mode & UK_S_IFMT, UK_S_IFCHR);
	UK_EXPECT_EQ(st.rdev, (1 << 8) | 3);
	UK_ASSERT_TRUE(get("/etc/passwd", buf, sizeof(buf)) > 0);
	UK_EXPECT_EQ(strncmp(buf, "root:x:0:0:", 11), 0);
	UK_ASSERT_TRUE(get("/etc/hosts", buf, sizeof(buf)) > 0);
	UK_EXPECT_EQ(strncmp(buf, "127.0.0.1\tlocalhost\n", 20), 0);
	UK_ASSERT_TRUE(get("/etc/group", buf, sizeof(buf)) > 0);
	UK_EXPECT_EQ(strncmp(buf, "root:x:0:", 9), 0);
}

UK_TESTCASE(ukvfs, dots_and_slashes_resolve_as_on_linux)
{
	struct tstat a, b;

	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/p1", 0755) == 0);
	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/p1/sub", 0755) == 0);
	UK_ASSERT_TRUE(put("/tmp/p1/sub/f", "abc") == 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/sub/f", &a), 0);
	UK_EXPECT_EQ(SYS2(stat, "//tmp///p1/./sub/../sub//f", &b), 0);
	UK_EXPECT_EQ(a.ino, b.ino);
	UK_EXPECT_EQ(a.size, 3);
	/* ".." of the root is the root. */
	UK_EXPECT_EQ(SYS2(stat, "/../../tmp/p1/sub/f", &b), 0);
	UK_EXPECT_EQ(a.ino, b.ino);
	/* A trailing slash: fine on a directory, ENOTDIR on a file. */
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/sub/", &b), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/sub/f/", &b), -ENOTDIR);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/sub/f/x", &b), -ENOTDIR);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/sub/f/..", &b), -ENOTDIR);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/none/f", &b), -ENOENT);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p1/none", &b), -ENOENT);
	UK_EXPECT_EQ(SYS2(stat, "", &b), -ENOENT);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/p1/sub/f"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/p1/sub"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/p1"), 0);
}

UK_TESTCASE(ukvfs, long_names_and_paths_are_enametoolong)
{
	static char path[UK_PATH_MAX + 8];
	struct tstat st;

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[257] = '\0'; /* a 256-byte name */
	UK_EXPECT_EQ(SYS2(stat, path, &st), -ENAMETOOLONG);
	path[256] = '\0'; /* 255 is allowed: it just does not exist */
	UK_EXPECT_EQ(SYS2(stat, path, &st), -ENOENT);
	for (size_t i = 0; i < UK_PATH_MAX; i += 2)
		memcpy(path + i, "/.", 2);
	path[UK_PATH_MAX] = '\0';
	UK_EXPECT_EQ(SYS2(stat, path, &st), -ENAMETOOLONG);
	path[UK_PATH_MAX - 1] = '\0'; /* 4095 bytes and its NUL: the root */
	UK_EXPECT_EQ(SYS2(stat, path, &st), 0);
}

UK_TESTCASE(ukvfs, at_calls_resolve_from_their_directory)
{
	struct tstat a, b;
	long d, fd;

	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/p2", 0755) == 0);
	d = SYS2(open, "/tmp/p2", O_RDONLY | O_DIRECTORY);
	UK_ASSERT_TRUE(d >= 3);
	fd = SYS4(openat, d, "f", O_RDWR | O_CREAT, 0600);
	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS4(newfstatat, d, "f", &a, 0), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p2/f", &b), 0);
	UK_EXPECT_EQ(a.ino, b.ino);
	UK_EXPECT_EQ(a.mode & 0777, 0600);
	/* AT_EMPTY_PATH is the descriptor itself. */
	UK_EXPECT_EQ(SYS4(newfstatat, fd, "", &b, UK_AT_EMPTY_PATH), 0);
	UK_EXPECT_EQ(a.ino, b.ino);
	UK_EXPECT_EQ(SYS4(newfstatat, fd, "", &b, 0), -ENOENT);
	/* A file descriptor is not a directory; a closed one is EBADF;
	 * an absolute path ignores either. */
	UK_EXPECT_EQ(SYS4(newfstatat, fd, "f", &b, 0), -ENOTDIR);
	UK_EXPECT_EQ(SYS4(newfstatat, 999, "f", &b, 0), -EBADF);
	UK_EXPECT_EQ(SYS4(newfstatat, 999, "/tmp/p2/f", &b, 0), 0);
	UK_EXPECT_EQ(SYS4(newfstatat, d, "f", &b, 0x4000000), -EINVAL);
	UK_EXPECT_EQ(SYS3(unlinkat, d, "f", 0), 0);
	UK_EXPECT_EQ(SYS3(unlinkat, d, "f", 0x1), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS1(close, d), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/p2"), 0);
}

UK_TESTCASE(ukvfs, working_directory_follows_chdir_and_fchdir)
{
	char buf[64];
	struct tstat st;
	long d;

	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/p3", 0755) == 0);
	UK_ASSERT_TRUE(SYS2(mkdir, "/tmp/p3/in", 0755) == 0);
	UK_EXPECT_EQ(SYS2(getcwd, buf, sizeof(buf)), 2);
	UK_EXPECT_EQ(strcmp(buf, "/"), 0);
	UK_EXPECT_EQ(SYS1(chdir, "/tmp/p3/in"), 0);
	UK_EXPECT_EQ(SYS2(getcwd, buf, sizeof(buf)), 11);
	UK_EXPECT_EQ(strcmp(buf, "/tmp/p3/in"), 0);
	UK_EXPECT_EQ(SYS2(getcwd, buf, 5), -ERANGE);
	UK_EXPECT_EQ(SYS2(getcwd, buf, 11), 11); /* exactly: path and NUL */
	UK_EXPECT_EQ(SYS2(getcwd, buf, 10), -ERANGE);
	UK_EXPECT_EQ(SYS2(getcwd, buf, 0), -ERANGE);
	UK_EXPECT_EQ(put("rel", "x"), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/p3/in/rel", &st), 0);
	UK_EXPECT_EQ(SYS2(stat, "../in/./rel", &st), 0);
	UK_EXPECT_EQ(SYS1(unlink, "rel"), 0);
	UK_EXPECT_EQ(SYS1(chdir, ".."), 0);
	UK_EXPECT_EQ(SYS2(getcwd, buf, sizeof(buf)), 8);
	UK_EXPECT_EQ(SYS1(chdir, "none"), -ENOENT);
	UK_EXPECT_EQ(put("file", "x"), 0);
	UK_EXPECT_EQ(SYS1(chdir, "file"), -ENOTDIR);
	/* fchdir, and a removed working directory. */
	d = SYS2(open, "in", O_RDONLY);
	UK_ASSERT_TRUE(d >= 3);
	UK_EXPECT_EQ(SYS1(fchdir, d), 0);
	UK_EXPECT_EQ(SYS1(close, d), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/p3/in"), 0);
	UK_EXPECT_EQ(SYS2(getcwd, buf, sizeof(buf)), -ENOENT);
	UK_EXPECT_EQ(put("new", "x"), -ENOENT);
	UK_EXPECT_EQ(SYS1(chdir, "/dev"), 0);
	UK_EXPECT_EQ(SYS2(getcwd, buf, sizeof(buf)), 5);
	UK_EXPECT_EQ(strcmp(buf, "/dev"), 0);
	UK_EXPECT_EQ(SYS2(stat, "null", &st), 0);
	UK_EXPECT_EQ(SYS2(stat, "../tmp", &st), 0); /* ".." of a mount root */
	UK_EXPECT_EQ(SYS1(chdir, "/"), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/p3/file"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/p3"), 0);
}

UK_TESTCASE(ukvfs, access_readlink_and_symlink)
{
	char buf[16];

	UK_EXPECT_EQ(SYS2(access, "/etc/passwd", UK_R_OK | UK_W_OK), 0);
	UK_EXPECT_EQ(SYS2(access, "/etc/passwd", UK_X_OK), -EACCES);
	UK_EXPECT_EQ(SYS2(access, "/etc", UK_X_OK), 0);
	UK_EXPECT_EQ(SYS2(access, "/etc/none", UK_F_OK), -ENOENT);
	UK_EXPECT_EQ(SYS2(access, "/etc", 8), -EINVAL);
	UK_EXPECT_EQ(SYS4(faccessat, AT_FDCWD, "/etc/hosts", UK_R_OK, 0), 0);
	UK_EXPECT_EQ(SYS3(readlink, "/etc/passwd", buf, sizeof(buf)), -EINVAL);
	UK_EXPECT_EQ(SYS3(readlink, "/etc/none", buf, sizeof(buf)), -ENOENT);
	UK_EXPECT_EQ(SYS2(symlink, "/etc", "/tmp/link"), -EPERM);
	UK_EXPECT_EQ(SYS2(symlink, "/etc", "/etc/passwd"), -EEXIST);
	UK_EXPECT_EQ(SYS2(symlink, "/etc", "/none/link"), -ENOENT);
}
