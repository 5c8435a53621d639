/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtual file system: vnodes (files, directories, devices) of
 * mounted file systems, path lookup from the root or the working
 * directory, and open files as a kind of struct uk_file in lib/ukfd's
 * descriptor table (so read, write, close, dup and poll work on them).
 *
 * A file system fills a struct uk_vnode_ops per kind of vnode; the layer
 * above does path walking, mount crossing, type checks and errors, and
 * calls the ops only with a directory and one checked name. ramfs
 * (ramfs.c) is the one directory implementation; devfs (devfs.c) is a
 * ramfs instance whose files are devices with their own ops.
 *
 * Calls taking (dirfd, path) follow the *at(2) calls: dirfd is a
 * descriptor of a directory or UK_AT_FDCWD, an absolute path ignores it.
 * Errors are negative errno values. The syscall ABI (struct layouts,
 * flags of the C library) lives in lib/uksyscall (sys_vfs.c, sys_path.c).
 * Everything runs in thread context and never blocks, so no lock is
 * taken: the scheduler is cooperative and runs one CPU.
 */
#ifndef UK_VFS_H
#define UK_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <uk/file.h>

#define UK_PATH_MAX 4096 /* with its NUL: longer is ENAMETOOLONG */
#define UK_NAME_MAX 255

/* File types and permission bits (Linux's S_IF* and mode bits). */
#define UK_S_IFMT 0170000
#define UK_S_IFDIR 0040000
#define UK_S_IFCHR 0020000
#define UK_S_IFREG 0100000
#define UK_S_IFLNK 0120000
#define UK_S_ISDIR(m) (((m) & UK_S_IFMT) == UK_S_IFDIR)
#define UK_S_ISREG(m) (((m) & UK_S_IFMT) == UK_S_IFREG)

/* Open flags beyond uk/file.h's (Linux's x86_64 values). */
#define UK_O_CREAT 0100
#define UK_O_EXCL 0200
#define UK_O_NOCTTY 0400
#define UK_O_TRUNC 01000
#define UK_O_DSYNC 010000
#define UK_O_LARGEFILE 0100000
#define UK_O_DIRECTORY 0200000
#define UK_O_NOFOLLOW 0400000
#define UK_O_NOATIME 01000000
#define UK_O_SYNC 04010000
#define UK_O_PATH 010000000
#define UK_O_TMPFILE 020000000

#define UK_AT_FDCWD (-100)
#define UK_AT_SYMLINK_NOFOLLOW 0x100
#define UK_AT_REMOVEDIR 0x200
#define UK_AT_EACCESS 0x200
#define UK_AT_NO_AUTOMOUNT 0x800
#define UK_AT_EMPTY_PATH 0x1000

/* access(2) modes. */
#define UK_F_OK 0
#define UK_X_OK 1
#define UK_W_OK 2
#define UK_R_OK 4

struct uk_vnode;

/* One directory entry, as readdir reports it. */
struct uk_dirent {
	uint64_t ino;
	unsigned int mode; /* its type bits (UK_S_IF*) */
	char name[UK_NAME_MAX + 1];
};

/*
 * A kind of vnode. Directory ops get a directory vnode and a name of
 * 1..UK_NAME_MAX bytes that is neither "." nor ".."; the layer has
 * checked types and existence as the comment of each says. NULL: the
 * kind does not do it (-EPERM for directory ops, -EINVAL for I/O).
 */
struct uk_vnode_ops {
	/* The entry name in dir with a reference for the caller, or -ENOENT. */
	int (*lookup)(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode **out);
	/* A new file or directory (mode has the type bits) that does not
	 * exist yet; *out with a reference for the caller. */
	int (*create)(struct uk_vnode *dir, const char *name, size_t len,
		      unsigned int mode, struct uk_vnode **out);
	/* Enter vn (of the same file system) under a name that is free. */
	int (*link)(struct uk_vnode *dir, const char *name, size_t len,
		    struct uk_vnode *vn);
	/* Remove the entry (it exists; an empty directory for rmdir). */
	int (*unlink)(struct uk_vnode *dir, const char *name, size_t len);
	/* The index-th entry ("." and ".." are the layer's): 1, or 0 after
	 * the last. */
	int (*readdir)(struct uk_vnode *dir, uint64_t index,
		       struct uk_dirent *out);
	/* Bytes at off: moved, 0 at end of file, or -errno. */
	long (*read)(struct uk_vnode *vn, void *buf, size_t len, uint64_t off);
	long (*write)(struct uk_vnode *vn, const void *buf, size_t len,
		      uint64_t off);
	int (*truncate)(struct uk_vnode *vn, uint64_t size);
	/* The last reference is gone: free vn and what it holds. */
	void (*release)(struct uk_vnode *vn);
};

/* A mounted file system instance: its device number and inode counter. */
struct uk_vfs_sb {
	uint64_t dev;
	uint64_t next_ino;
	struct uk_vnode *root;
	/* The directory the root is mounted on (NULL for /). */
	struct uk_vnode *covered;
};

struct uk_vnode {
	const struct uk_vnode_ops *ops;
	struct uk_vfs_sb *sb;
	unsigned int refs;
	unsigned int mode;
	unsigned int nlink;
	uint64_t ino;
	uint64_t size;
	uint64_t rdev;
	uint64_t mtime_tsc, ctime_tsc; /* uk_vfs_now() at the last change */
	/* Directories: the parent (a reference; NULL once removed) and the
	 * root of a file system mounted here. */
	struct uk_vnode *parent;
	struct uk_vnode *mounted;
	void *data; /* the file system's */
};

static inline struct uk_vnode *uk_vnode_get(struct uk_vnode *vn)
{
	vn->refs++;
	return vn;
}
void uk_vnode_put(struct uk_vnode *vn);
/* vn with one reference for the caller, a new inode number of sb. */
void uk_vnode_init(struct uk_vnode *vn, const struct uk_vnode_ops *ops,
		   struct uk_vfs_sb *sb, unsigned int mode);
/* A time stamp: the TSC (no calibration, no RTC read, so the boot tree
 * costs no clock set-up); stat reports it as wall-clock time. */
uint64_t uk_vfs_now(void);

/* What stat reports (the syscall layer lays it out); times are
 * wall-clock ns since the epoch. */
struct uk_vfs_stat {
	uint64_t dev, ino, rdev, size, blocks;
	unsigned int mode, nlink;
	int64_t mtime_ns, ctime_ns;
};

/* ramfs: a new instance with an empty root directory (mode 0755). */
int uk_ramfs_new(uint64_t dev, struct uk_vfs_sb **out);
/* devfs: null, zero, random, urandom, console in a ramfs instance. */
int uk_devfs_new(uint64_t dev, struct uk_vfs_sb **out);

/* The root file system (/, also the first working directory); at boot. */
int uk_vfs_set_root(struct uk_vfs_sb *sb);
/* Mount sb on the directory at path (absolute), which has none yet. */
int uk_vfs_mount(const char *path, struct uk_vfs_sb *sb);

/* Calls of the same names (flags as the *at(2) calls take them). */
int uk_vfs_open(int dirfd, const char *path, int flags, unsigned int mode);
int uk_vfs_stat(int dirfd, const char *path, int atflags,
		struct uk_vfs_stat *st);
int uk_vfs_access(int dirfd, const char *path, int amode, int atflags);
int uk_vfs_mkdir(int dirfd, const char *path, unsigned int mode);
int uk_vfs_unlink(int dirfd, const char *path, int atflags);
int uk_vfs_rename(int olddirfd, const char *oldpath, int newdirfd,
		  const char *newpath);
int uk_vfs_truncate(const char *path, int64_t size);
long uk_vfs_readlink(int dirfd, const char *path, char *buf, size_t len);
/* The link itself: there are none, so EPERM once the name is free. */
int uk_vfs_symlink(int dirfd, const char *path);
int uk_vfs_chdir(const char *path);
int uk_vfs_fchdir(int fd);
/* The working directory's path and its length with the NUL; -ENOENT
 * once it is removed, -ERANGE when size is too small. */
long uk_vfs_getcwd(char *buf, size_t size);

/* On open files (any kind: what is not a VFS file gets the error Linux
 * gives a pipe or socket). */
int uk_vfs_fstat(struct uk_file *f, struct uk_vfs_stat *st);
int uk_vfs_ftruncate(struct uk_file *f, int64_t size);
long uk_vfs_pread(struct uk_file *f, void *buf, size_t len, int64_t off);
long uk_vfs_pwrite(struct uk_file *f, const void *buf, size_t len,
		   int64_t off);
/* getdents64: linux_dirent64 records, bytes filled, 0 at the end. */
long uk_vfs_getdents(struct uk_file *f, void *buf, size_t len);
/* The vnode of a VFS file with a reference, or NULL. */
struct uk_vnode *uk_vfs_file_vnode(struct uk_file *f);

/* The internal walk (vfs.c), shared with file.c. */
struct uk_vfs_walk {
	struct uk_vnode *dir; /* the last component's directory (a ref) */
	struct uk_vnode *vn;  /* what the path names (a ref), or NULL */
	const char *name;     /* the last component in the path */
	size_t len;           /* its length (0 for "/") */
	int slash;            /* the path ends with a slash */
};
int uk_vfs_walk(int dirfd, const char *path, int atflags,
		struct uk_vfs_walk *w);
void uk_vfs_walk_done(struct uk_vfs_walk *w);
/* A new descriptor on vn (a reference the file takes over). */
int uk_vfs_file_open(struct uk_vnode *vn, int flags);
void uk_vfs_vnode_stat(struct uk_vnode *vn, struct uk_vfs_stat *st);

#endif
