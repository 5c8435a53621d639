/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open VFS files: a kind of struct uk_file (lib/ukfd) holding a vnode and
 * a position. read, write, readv, writev, lseek, close, dup and poll then
 * go through lib/ukfd as for any descriptor; pread, pwrite, fstat,
 * ftruncate and getdents64 come here. Regular files and devices are
 * always ready (no poll op), as Linux says of regular files. A vnode
 * lives as long as a name or an open file holds it, so an unlinked file
 * stays readable until its last descriptor is closed.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/string.h>
#include <uk/vfs.h>

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define OFF_MAX ((uint64_t)__LONG_MAX__)

/* linux_dirent64's d_type values. */
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8

struct vfile {
	struct uk_file file; /* first: the table holds &vfile.file */
	struct uk_vnode *vn;
	uint64_t pos; /* bytes, or the next entry's index for a directory */
};

static const struct uk_file_ops vfile_ops;

static struct vfile *vfile_of(struct uk_file *f)
{
	return f->ops == &vfile_ops ? (struct vfile *)f : NULL;
}

struct uk_vnode *uk_vfs_file_vnode(struct uk_file *f)
{
	struct vfile *vf = vfile_of(f);

	return vf ? uk_vnode_get(vf->vn) : NULL;
}

static int is_dir(const struct uk_vnode *vn)
{
	return UK_S_ISDIR(vn->mode);
}

/* Through the vnode's op at off, iovec by iovec, stopping short when the
 * op does (end of file). */
static long io_at(struct uk_vnode *vn, const struct uk_iovec *iov, int iovcnt,
		  uint64_t off, int write)
{
	long total = 0;

	if (is_dir(vn))
		return -EISDIR;
	if (write ? !vn->ops->write : !vn->ops->read)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		long r;

		if (iov[i].len == 0)
			continue;
		r = write ? vn->ops->write(vn, iov[i].base, iov[i].len, off)
			  : vn->ops->read(vn, iov[i].base, iov[i].len, off);
		if (r < 0)
			return total ? total : r;
		total += r;
		off += (uint64_t)r;
		if ((size_t)r < iov[i].len)
			break;
	}
	if (write && total > 0)
		vn->mtime_tsc = vn->ctime_tsc = uk_vfs_now();
	return total;
}

static long vfile_read(struct uk_file *f, const struct uk_iovec *iov,
		       int iovcnt)
{
	struct vfile *vf = (struct vfile *)f;
	long r = io_at(vf->vn, iov, iovcnt, vf->pos, 0);

	if (r > 0)
		vf->pos += (uint64_t)r;
	return r;
}

static long vfile_write(struct uk_file *f, const struct uk_iovec *iov,
			int iovcnt)
{
	struct vfile *vf = (struct vfile *)f;
	long r;

	if (f->flags & UK_O_APPEND)
		vf->pos = vf->vn->size;
	r = io_at(vf->vn, iov, iovcnt, vf->pos, 1);
	if (r > 0)
		vf->pos += (uint64_t)r;
	return r;
}

/* Devices (null, zero...) ignore seeks and stay at 0, as Linux's do; a
 * directory seeks among its entries (SEEK_SET to 0 is rewinddir). */
static long vfile_lseek(struct uk_file *f, long off, int whence)
{
	struct vfile *vf = (struct vfile *)f;
	uint64_t base;

	if (!is_dir(vf->vn) && !UK_S_ISREG(vf->vn->mode))
		return whence >= SEEK_SET && whence <= SEEK_END ? 0 : -EINVAL;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = vf->pos;
		break;
	case SEEK_END:
		if (is_dir(vf->vn))
			return -EINVAL;
		base = vf->vn->size;
		break;
	default:
		return -EINVAL;
	}
	if ((off < 0 && (uint64_t)-off > base) ||
	    (off > 0 && (uint64_t)off > OFF_MAX - base))
		return off < 0 ? -EINVAL : -EOVERFLOW;
	vf->pos = base + (uint64_t)off;
	return (long)vf->pos;
}

static void vfile_release(struct uk_file *f)
{
	struct vfile *vf = (struct vfile *)f;

	uk_vnode_put(vf->vn);
	uk_free(uk_alloc_default(), vf);
}

static const struct uk_file_ops vfile_ops = {
	.read = vfile_read,
	.write = vfile_write,
	.lseek = vfile_lseek,
	.release = vfile_release,
};

int uk_vfs_file_open(struct uk_vnode *vn, int flags)
{
	struct vfile *vf = uk_calloc(uk_alloc_default(), 1, sizeof(*vf));
	unsigned int fl = (unsigned int)flags &
			  (UK_O_ACCMODE | UK_O_APPEND | UK_O_NONBLOCK);
	int fd;

	if (!vf) {
		uk_vnode_put(vn);
		return -ENOMEM;
	}
	if (flags & UK_O_PATH)
		fl = UK_O_RDONLY;
	uk_file_init(&vf->file, &vfile_ops, fl);
	vf->vn = vn;
	fd = uk_fd_alloc(&vf->file, 0, flags & UK_O_CLOEXEC ? UK_FD_CLOEXEC : 0);
	if (fd < 0)
		uk_file_put(&vf->file);
	return fd;
}

/* Create the regular file w names (it does not exist). */
static int create_file(struct uk_vfs_walk *w, unsigned int mode)
{
	if (w->slash)
		return -EISDIR;
	if (w->dir->nlink == 0)
		return -ENOENT;
	if (!w->dir->ops->create)
		return -EPERM;
	return w->dir->ops->create(w->dir, w->name, w->len,
				   UK_S_IFREG | (mode & 07777), &w->vn);
}

/* What opening the existing w->vn with flags must check and do. */
static int open_existing(struct uk_vnode *vn, int flags)
{
	int acc = flags & UK_O_ACCMODE;

	if ((flags & UK_O_CREAT) && (flags & UK_O_EXCL))
		return -EEXIST;
	if (is_dir(vn) && (acc != UK_O_RDONLY || (flags & UK_O_CREAT)))
		return -EISDIR;
	if ((flags & UK_O_DIRECTORY) && !is_dir(vn))
		return -ENOTDIR;
	if ((flags & UK_O_TRUNC) && acc != UK_O_RDONLY && UK_S_ISREG(vn->mode) &&
	    vn->ops->truncate)
		return vn->ops->truncate(vn, 0);
	return 0;
}

int uk_vfs_open(int dirfd, const char *path, int flags, unsigned int mode)
{
	struct uk_vfs_walk w;
	struct uk_vnode *vn;
	int r;

	if (flags & UK_O_TMPFILE) /* anonymous files: not done */
		return -EOPNOTSUPP;
	if ((flags & UK_O_ACCMODE) == UK_O_ACCMODE)
		return -EINVAL;
	r = uk_vfs_walk(dirfd, path, 0, &w);
	if (r < 0)
		return r;
	if (!w.vn)
		r = flags & UK_O_CREAT ? create_file(&w, mode) : -ENOENT;
	else
		r = open_existing(w.vn, flags);
	if (r < 0) {
		uk_vfs_walk_done(&w);
		return r;
	}
	vn = w.vn;
	w.vn = NULL;
	uk_vfs_walk_done(&w);
	return uk_vfs_file_open(vn, flags);
}

int uk_vfs_fstat(struct uk_file *f, struct uk_vfs_stat *st)
{
	struct vfile *vf = vfile_of(f);

	if (vf) {
		uk_vfs_vnode_stat(vf->vn, st);
		return 0;
	}
	/* Another kind (console, socket, eventfd...): an anonymous file
	 * with no type bits, as Linux reports an eventfd. */
	memset(st, 0, sizeof(*st));
	st->mode = 0600;
	st->nlink = 1;
	return 0;
}

int uk_vfs_ftruncate(struct uk_file *f, int64_t size)
{
	struct vfile *vf = vfile_of(f);

	if (size < 0 || !vf || !UK_S_ISREG(vf->vn->mode) ||
	    (f->flags & UK_O_ACCMODE) == UK_O_RDONLY || !vf->vn->ops->truncate)
		return -EINVAL;
	return vf->vn->ops->truncate(vf->vn, (uint64_t)size);
}

static long pio(struct uk_file *f, void *buf, size_t len, int64_t off,
		int write)
{
	struct vfile *vf = vfile_of(f);
	struct uk_iovec iov = { buf, len };
	unsigned int acc = f->flags & UK_O_ACCMODE;

	if (!vf)
		return -ESPIPE;
	if (off < 0 || len > OFF_MAX)
		return -EINVAL;
	if (write ? acc == UK_O_RDONLY : acc == UK_O_WRONLY)
		return -EBADF;
	return io_at(vf->vn, &iov, 1, (uint64_t)off, write);
}

long uk_vfs_pread(struct uk_file *f, void *buf, size_t len, int64_t off)
{
	return pio(f, buf, len, off, 0);
}

long uk_vfs_pwrite(struct uk_file *f, const void *buf, size_t len, int64_t off)
{
	return pio(f, (void *)buf, len, off, 1);
}

static unsigned char dtype(unsigned int mode)
{
	if (UK_S_ISDIR(mode))
		return DT_DIR;
	if (UK_S_ISREG(mode))
		return DT_REG;
	return (mode & UK_S_IFMT) == UK_S_IFCHR ? DT_CHR : 0;
}

/* The entry at index: 0 is ".", 1 "..", then the file system's. */
static int entry_at(struct uk_vnode *dir, uint64_t index, struct uk_dirent *d)
{
	if (index < 2) {
		struct uk_vnode *p = dir;

		while (index == 1 && p == p->sb->root && p->sb->covered)
			p = p->sb->covered;
		if (index == 1 && p->parent)
			p = p->parent;
		d->ino = index == 0 ? dir->ino : p->ino;
		d->mode = UK_S_IFDIR;
		memcpy(d->name, "..", index + 1);
		d->name[index + 1] = '\0';
		return 1;
	}
	return dir->ops->readdir ? dir->ops->readdir(dir, index - 2, d) : 0;
}

/* linux_dirent64: ino, off, reclen, type, name, padded to 8 bytes. */
static size_t put_dirent(unsigned char *p, size_t room, const struct uk_dirent *d,
			 uint64_t next)
{
	size_t nlen = strlen(d->name);
	size_t reclen = (19 + nlen + 1 + 7) & ~(size_t)7;
	uint16_t rl = (uint16_t)reclen;
	int64_t off = (int64_t)next;

	if (reclen > room)
		return 0;
	memcpy(p, &d->ino, 8);
	memcpy(p + 8, &off, 8);
	memcpy(p + 16, &rl, 2);
	p[18] = dtype(d->mode);
	memcpy(p + 19, d->name, nlen);
	memset(p + 19 + nlen, 0, reclen - 19 - nlen);
	return reclen;
}

long uk_vfs_getdents(struct uk_file *f, void *buf, size_t len)
{
	struct vfile *vf = vfile_of(f);
	struct uk_dirent d;
	size_t used = 0;

	if (!vf || !is_dir(vf->vn))
		return -ENOTDIR;
	if (vf->vn->nlink == 0) /* removed: no entries, not even "." */
		return 0;
	while (entry_at(vf->vn, vf->pos, &d) == 1) {
		size_t n = put_dirent((unsigned char *)buf + used, len - used,
				      &d, vf->pos + 1);

		if (n == 0)
			return used ? (long)used : -EINVAL;
		used += n;
		vf->pos++;
	}
	return (long)used;
}
