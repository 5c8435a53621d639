/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Regular files and devices: open flags, read/write/seek, pread/pwrite,
 * holes and truncate, O_APPEND, a file unlinked while open, dup and poll
 * on VFS descriptors, fcntl locks, flock, fsync, and /dev's files.
 */
#include "vfstest.h"

#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_UNLCK 2
#define F_WRLCK 1

struct tflock {
	int16_t type, whence;
	int64_t start, len;
	int32_t pid;
};

UK_TESTCASE(ukvfs, open_flags_create_exclude_and_truncate)
{
	char buf[16];
	long fd;

	UK_EXPECT_EQ(SYS2(open, "/tmp/f1", O_RDONLY), -ENOENT);
	fd = SYS3(open, "/tmp/f1", O_RDWR | O_CREAT | O_EXCL, 0640);
	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(write, fd, "hello", 5), 5);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS3(open, "/tmp/f1", O_RDWR | O_CREAT | O_EXCL, 0640),
		     -EEXIST);
	UK_EXPECT_EQ(SYS3(open, "/tmp/f1/", O_RDONLY, 0), -ENOTDIR);
	UK_EXPECT_EQ(SYS3(open, "/tmp/f1", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	UK_EXPECT_EQ(SYS3(open, "/tmp/new/", O_RDWR | O_CREAT, 0644), -EISDIR);
	UK_EXPECT_EQ(SYS3(open, "/tmp", O_RDWR, 0), -EISDIR);
	UK_EXPECT_EQ(SYS3(open, "/tmp", O_RDONLY | O_CREAT, 0644), -EISDIR);
	UK_EXPECT_EQ(SYS3(open, "/none/f", O_RDWR | O_CREAT, 0644), -ENOENT);
	UK_EXPECT_EQ(size_of("/tmp/f1"), 5);
	/* O_TRUNC on a read-only open changes nothing. */
	fd = SYS2(open, "/tmp/f1", O_RDONLY | O_TRUNC);
	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(write, fd, "x", 1), -EBADF);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(size_of("/tmp/f1"), 5);
	fd = SYS2(creat, "/tmp/f1", 0644);
	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(read, fd, buf, 1), -EBADF);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(size_of("/tmp/f1"), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f1"), 0);
}

UK_TESTCASE(ukvfs, the_umask_clears_mode_bits)
{
	struct tstat st;
	long old = SYS1(umask, 027), fd;

	fd = SYS3(open, "/tmp/f2", O_WRONLY | O_CREAT, 0666);
	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS2(fstat, fd, &st), 0);
	UK_EXPECT_EQ(st.mode, UK_S_IFREG | 0640);
	UK_EXPECT_EQ(st.nlink, 1);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS2(mkdir, "/tmp/d2", 0777), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/d2", &st), 0);
	UK_EXPECT_EQ(st.mode, UK_S_IFDIR | 0750);
	UK_EXPECT_EQ(SYS1(umask, old), 027);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f2"), 0);
	UK_EXPECT_EQ(SYS1(rmdir, "/tmp/d2"), 0);
}

UK_TESTCASE(ukvfs, read_write_seek_and_positional_io)
{
	char buf[32] = { 0 };
	long fd = SYS3(open, "/tmp/f3", O_RDWR | O_CREAT, 0644);

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(write, fd, "0123456789", 10), 10);
	UK_EXPECT_EQ(SYS3(lseek, fd, 0, SEEK_CUR), 10);
	UK_EXPECT_EQ(SYS3(read, fd, buf, 4), 0); /* at the end */
	UK_EXPECT_EQ(SYS3(lseek, fd, 2, SEEK_SET), 2);
	UK_EXPECT_EQ(SYS3(read, fd, buf, 4), 4);
	UK_EXPECT_EQ(memcmp(buf, "2345", 4), 0);
	UK_EXPECT_EQ(SYS3(lseek, fd, -3, SEEK_END), 7);
	UK_EXPECT_EQ(SYS3(read, fd, buf, 32), 3);
	UK_EXPECT_EQ(memcmp(buf, "789", 3), 0);
	UK_EXPECT_EQ(SYS3(lseek, fd, -11, SEEK_END), -EINVAL);
	UK_EXPECT_EQ(SYS3(lseek, fd, 0, 9), -EINVAL);
	/* pread/pwrite leave the position alone. */
	UK_EXPECT_EQ(SYS4(pwrite64, fd, "AB", 2, 4), 2);
	UK_EXPECT_EQ(SYS4(pread64, fd, buf, 6, 2), 6);
	UK_EXPECT_EQ(memcmp(buf, "23AB67", 6), 0);
	UK_EXPECT_EQ(SYS3(lseek, fd, 0, SEEK_CUR), 10);
	UK_EXPECT_EQ(SYS4(pread64, fd, buf, 6, -1), -EINVAL);
	UK_EXPECT_EQ(SYS4(pread64, fd, buf, 6, 100), 0);
	UK_EXPECT_EQ(SYS4(pread64, 1, buf, 6, 0), -ESPIPE);
	UK_EXPECT_EQ(SYS4(pread64, 999, buf, 6, 0), -EBADF);
	/* readv/writev go through the same file. */
	{
		struct uk_iovec iov[2] = { { "xy", 2 }, { "z", 1 } };
		struct uk_iovec rio[2] = { { buf, 1 }, { buf + 1, 10 } };

		UK_EXPECT_EQ(SYS3(writev, fd, iov, 2), 3);
		UK_EXPECT_EQ(SYS3(lseek, fd, 9, SEEK_SET), 9);
		UK_EXPECT_EQ(SYS3(readv, fd, rio, 2), 4);
		UK_EXPECT_EQ(memcmp(buf, "9xyz", 4), 0);
	}
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f3"), 0);
}

UK_TESTCASE(ukvfs, holes_and_truncate_read_as_zeros)
{
	static char buf[5000];
	long fd = SYS3(open, "/tmp/f4", O_RDWR | O_CREAT, 0644);
	int zeros = 1;

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(write, fd, "a", 1), 1);
	UK_EXPECT_EQ(SYS3(lseek, fd, 4096, SEEK_SET), 4096);
	UK_EXPECT_EQ(SYS3(write, fd, "b", 1), 1);
	UK_EXPECT_EQ(size_of("/tmp/f4"), 4097);
	UK_EXPECT_EQ(SYS4(pread64, fd, buf, sizeof(buf), 0), 4097);
	for (int i = 1; i < 4096; i++)
		zeros &= buf[i] == 0;
	UK_EXPECT(zeros && buf[0] == 'a' && buf[4096] == 'b');
	/* Shrink, then grow: the cut bytes come back as zeros. */
	UK_EXPECT_EQ(SYS2(ftruncate, fd, 1), 0);
	UK_EXPECT_EQ(SYS2(truncate, "/tmp/f4", 3000), 0);
	UK_EXPECT_EQ(SYS4(pread64, fd, buf, sizeof(buf), 4096), 0);
	UK_EXPECT_EQ(SYS4(pread64, fd, buf, sizeof(buf), 0), 3000);
	zeros = 1;
	for (int i = 1; i < 3000; i++)
		zeros &= buf[i] == 0;
	UK_EXPECT(zeros && buf[0] == 'a');
	UK_EXPECT_EQ(SYS2(ftruncate, fd, -1), -EINVAL);
	UK_EXPECT_EQ(SYS2(truncate, "/tmp", 0), -EISDIR);
	UK_EXPECT_EQ(SYS2(truncate, "/tmp/none", 0), -ENOENT);
	UK_EXPECT_EQ(SYS2(ftruncate, 1, 0), -EINVAL);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	fd = SYS2(open, "/tmp/f4", O_RDONLY);
	UK_EXPECT_EQ(SYS2(ftruncate, fd, 0), -EINVAL); /* not open for writing */
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f4"), 0);
}

UK_TESTCASE(ukvfs, append_writes_at_the_end)
{
	char buf[16];
	long a = SYS3(open, "/tmp/f5", O_WRONLY | O_CREAT | O_APPEND, 0644);
	long b = SYS3(open, "/tmp/f5", O_WRONLY, 0);

	UK_ASSERT_TRUE(a >= 3 && b >= 3);
	UK_EXPECT_EQ(SYS3(write, b, "1234", 4), 4);
	UK_EXPECT_EQ(SYS3(write, a, "ab", 2), 2);
	UK_EXPECT_EQ(SYS3(lseek, a, 0, SEEK_SET), 0);
	UK_EXPECT_EQ(SYS3(write, a, "c", 1), 1);
	UK_EXPECT_EQ(get("/tmp/f5", buf, sizeof(buf)), 7);
	UK_EXPECT_EQ(strcmp(buf, "1234abc"), 0);
	UK_EXPECT_EQ(SYS3(fcntl, a, UK_F_GETFL, 0), O_WRONLY | O_APPEND);
	UK_EXPECT_EQ(SYS1(close, a), 0);
	UK_EXPECT_EQ(SYS1(close, b), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f5"), 0);
}

UK_TESTCASE(ukvfs, an_unlinked_file_lives_until_closed)
{
	char buf[16] = { 0 };
	struct tstat st;
	long fd, dup;

	UK_ASSERT_TRUE(put("/tmp/f6", "still here") == 0);
	fd = SYS2(open, "/tmp/f6", O_RDWR);
	UK_ASSERT_TRUE(fd >= 3);
	dup = SYS1(dup, fd);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f6"), 0);
	UK_EXPECT_EQ(SYS2(stat, "/tmp/f6", &st), -ENOENT);
	UK_EXPECT_EQ(SYS2(fstat, fd, &st), 0);
	UK_EXPECT_EQ(st.nlink, 0);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS3(read, dup, buf, sizeof(buf) - 1), 10);
	UK_EXPECT_EQ(strcmp(buf, "still here"), 0);
	UK_EXPECT_EQ(SYS3(write, dup, "!", 1), 1);
	/* A new file of the same name is another file. */
	UK_EXPECT_EQ(put("/tmp/f6", "new"), 0);
	UK_EXPECT_EQ(SYS4(pread64, dup, buf, sizeof(buf) - 1, 0), 11);
	UK_EXPECT_EQ(SYS1(close, dup), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f6"), 0);
}

UK_TESTCASE(ukvfs, locks_flock_fsync_and_poll_succeed)
{
	struct tflock l = { F_WRLCK, SEEK_SET, 0, 0, 0 };
	long fd = SYS3(open, "/tmp/f7", O_RDWR | O_CREAT, 0644);
	long ro = SYS2(open, "/tmp/f7", O_RDONLY);

	UK_ASSERT_TRUE(fd >= 3 && ro >= 3);
	UK_EXPECT_EQ(SYS3(fcntl, fd, F_SETLK, &l), 0);
	UK_EXPECT_EQ(SYS3(fcntl, fd, F_SETLKW, &l), 0);
	UK_EXPECT_EQ(SYS3(fcntl, fd, F_GETLK, &l), 0);
	UK_EXPECT_EQ(l.type, F_UNLCK);
	l.type = F_WRLCK;
	UK_EXPECT_EQ(SYS3(fcntl, ro, F_SETLK, &l), -EBADF);
	l.type = 7;
	UK_EXPECT_EQ(SYS3(fcntl, fd, F_SETLK, &l), -EINVAL);
	UK_EXPECT_EQ(SYS2(flock, fd, 2 | 4), 0);
	UK_EXPECT_EQ(SYS2(flock, fd, 8), 0);
	UK_EXPECT_EQ(SYS2(flock, fd, 3), -EINVAL);
	UK_EXPECT_EQ(SYS2(flock, 999, 2), -EBADF);
	UK_EXPECT_EQ(SYS1(fsync, fd), 0);
	UK_EXPECT_EQ(SYS1(fdatasync, fd), 0);
	UK_EXPECT_EQ(SYS1(fsync, 999), -EBADF);
	/* A regular file is always ready. */
	{
		struct uk_file *f = uk_fd_get((int)fd);

		UK_EXPECT_EQ(uk_file_poll(f) & (UK_EPOLLIN | UK_EPOLLOUT),
			     UK_EPOLLIN | UK_EPOLLOUT);
		uk_file_put(f);
	}
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS1(close, ro), 0);
	UK_EXPECT_EQ(SYS1(unlink, "/tmp/f7"), 0);
}

UK_TESTCASE(ukvfs, dev_files_behave_as_on_linux)
{
	unsigned char buf[64];
	int nonzero = 0;
	long fd = SYS2(open, "/dev/null", O_RDWR);

	UK_ASSERT_TRUE(fd >= 3);
	UK_EXPECT_EQ(SYS3(write, fd, "gone", 4), 4);
	UK_EXPECT_EQ(SYS3(read, fd, buf, sizeof(buf)), 0);
	UK_EXPECT_EQ(SYS3(lseek, fd, 100, SEEK_SET), 0);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	fd = SYS2(open, "/dev/zero", O_RDONLY);
	memset(buf, 0xff, sizeof(buf));
	UK_EXPECT_EQ(SYS3(read, fd, buf, sizeof(buf)), sizeof(buf));
	UK_EXPECT(buf[0] == 0 && buf[63] == 0);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	for (int i = 0; i < 2; i++) {
		fd = SYS2(open, i ? "/dev/random" : "/dev/urandom", O_RDONLY);
		memset(buf, 0, sizeof(buf));
		UK_EXPECT_EQ(SYS3(read, fd, buf, sizeof(buf)), sizeof(buf));
		for (unsigned j = 0; j < sizeof(buf); j++)
			nonzero += buf[j] != 0;
		UK_EXPECT(nonzero > 8); /* 64 random bytes are not all zero */
		UK_EXPECT_EQ(SYS1(close, fd), 0);
		nonzero = 0;
	}
	fd = SYS2(open, "/dev/console", O_WRONLY);
	UK_EXPECT_EQ(SYS3(write, fd, "", 0), 0);
	UK_EXPECT_EQ(SYS1(close, fd), 0);
	UK_EXPECT_EQ(SYS2(open, "/dev/none", O_RDONLY), -ENOENT);
}
