/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs: directories and regular files in heap memory. A directory is a
 * list of entries in creation order (readdir's order); each entry holds a
 * reference on its vnode, and a directory holds one on its parent (for
 * ".."), dropped when it is removed. A file is one buffer that grows by
 * doubling; bytes between the end of file and a later write (a hole), or
 * added by truncate, are zeros in the buffer, not sparse. Writes beyond
 * RAMFS_FILE_MAX are EFBIG; a heap that cannot grow the buffer is ENOSPC.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/vfs.h>

#define RAMFS_FILE_MAX (1ULL << 40)
#define RAMFS_MIN_CAP 64

struct ramfs_ent {
	struct ramfs_ent *next;
	struct uk_vnode *vn;
	size_t len;
	char name[];
};

struct ramfs_node {
	struct uk_vnode vn; /* first */
	/* Directories: entries in order, and how many are directories. */
	struct ramfs_ent *ents;
	unsigned int nsubdirs;
	/* Regular files: the bytes (vn.size of them) in cap bytes. */
	unsigned char *buf;
	size_t cap;
};

static const struct uk_vnode_ops ramfs_dir_ops, ramfs_file_ops;

static struct ramfs_node *node(struct uk_vnode *vn)
{
	return (struct ramfs_node *)vn;
}

static struct uk_alloc *heap(void)
{
	return uk_alloc_default();
}

static struct ramfs_ent **find(struct uk_vnode *dir, const char *name,
			       size_t len)
{
	struct ramfs_ent **e = &node(dir)->ents;

	for (; *e; e = &(*e)->next)
		if ((*e)->len == len && memcmp((*e)->name, name, len) == 0)
			return e;
	return e;
}

static int ramfs_lookup(struct uk_vnode *dir, const char *name, size_t len,
			struct uk_vnode **out)
{
	struct ramfs_ent *e = *find(dir, name, len);

	if (!e)
		return -ENOENT;
	*out = uk_vnode_get(e->vn);
	return 0;
}

static void touch(struct uk_vnode *vn)
{
	vn->mtime_tsc = vn->ctime_tsc = uk_vfs_now();
}

/* A directory's link count: its entry, its ".", each child's "..". */
static void dir_nlink(struct uk_vnode *dir, int linked)
{
	dir->nlink = linked ? 2 + node(dir)->nsubdirs : 0;
}

static int ramfs_link(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode *vn)
{
	struct ramfs_ent *e = uk_malloc(heap(), sizeof(*e) + len + 1);

	if (!e)
		return -ENOSPC;
	e->next = NULL;
	e->vn = uk_vnode_get(vn);
	e->len = len;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	*find(dir, name, len) = e; /* the tail: the name is free */
	if (UK_S_ISDIR(vn->mode)) {
		vn->parent = uk_vnode_get(dir);
		node(dir)->nsubdirs++;
		dir_nlink(dir, 1);
		dir_nlink(vn, 1);
	} else {
		vn->nlink++;
	}
	touch(dir);
	return 0;
}

static int ramfs_unlink(struct uk_vnode *dir, const char *name, size_t len)
{
	struct ramfs_ent **pe = find(dir, name, len), *e = *pe;
	struct uk_vnode *vn;

	if (!e)
		return -ENOENT;
	vn = e->vn;
	*pe = e->next;
	uk_free(heap(), e);
	if (UK_S_ISDIR(vn->mode)) {
		uk_vnode_put(vn->parent);
		vn->parent = NULL;
		node(dir)->nsubdirs--;
		dir_nlink(dir, 1);
		dir_nlink(vn, 0);
	} else {
		vn->nlink--;
	}
	touch(dir);
	vn->ctime_tsc = dir->mtime_tsc;
	uk_vnode_put(vn);
	return 0;
}

static struct uk_vnode *new_node(struct uk_vfs_sb *sb, unsigned int mode)
{
	struct ramfs_node *n = uk_calloc(heap(), 1, sizeof(*n));

	if (!n)
		return NULL;
	uk_vnode_init(&n->vn, UK_S_ISDIR(mode) ? &ramfs_dir_ops : &ramfs_file_ops,
		      sb, mode);
	return &n->vn;
}

static int ramfs_create(struct uk_vnode *dir, const char *name, size_t len,
			unsigned int mode, struct uk_vnode **out)
{
	struct uk_vnode *vn;
	int r;

	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new names */
	vn = new_node(dir->sb, mode);
	if (!vn)
		return -ENOSPC;
	r = ramfs_link(dir, name, len, vn);
	if (r < 0) {
		uk_vnode_put(vn);
		return r;
	}
	*out = vn;
	return 0;
}

static int ramfs_readdir(struct uk_vnode *dir, uint64_t index,
			 struct uk_dirent *out)
{
	struct ramfs_ent *e = node(dir)->ents;

	for (; e && index; index--)
		e = e->next;
	if (!e)
		return 0;
	out->ino = e->vn->ino;
	out->mode = e->vn->mode & UK_S_IFMT;
	memcpy(out->name, e->name, e->len + 1);
	return 1;
}

static long ramfs_read(struct uk_vnode *vn, void *buf, size_t len,
		       uint64_t off)
{
	if (off >= vn->size)
		return 0;
	if (len > vn->size - off)
		len = (size_t)(vn->size - off);
	memcpy(buf, node(vn)->buf + off, len);
	return (long)len;
}

/* Room for size bytes; the bytes past the end of file are not zeroed. */
static int reserve(struct ramfs_node *n, uint64_t size)
{
	size_t cap = n->cap ? n->cap : RAMFS_MIN_CAP;
	unsigned char *b;

	if (size > RAMFS_FILE_MAX)
		return -EFBIG;
	if (size <= n->cap)
		return 0;
	while (cap < size)
		cap *= 2;
	b = uk_realloc(heap(), n->buf, cap);
	if (!b)
		return -ENOSPC;
	n->buf = b;
	n->cap = cap;
	return 0;
}

/* Grow or shrink to size; new bytes (a hole) read as zeros. */
static int ramfs_truncate(struct uk_vnode *vn, uint64_t size)
{
	struct ramfs_node *n = node(vn);
	int r = reserve(n, size);

	if (r < 0)
		return r;
	if (size > vn->size)
		memset(n->buf + vn->size, 0, (size_t)(size - vn->size));
	vn->size = size;
	touch(vn);
	return 0;
}

static long ramfs_write(struct uk_vnode *vn, const void *buf, size_t len,
			uint64_t off)
{
	struct ramfs_node *n = node(vn);
	int r;

	if (off > RAMFS_FILE_MAX || len > RAMFS_FILE_MAX - off)
		return -EFBIG;
	r = reserve(n, off + len);
	if (r < 0)
		return r;
	if (off > vn->size)
		memset(n->buf + vn->size, 0, (size_t)(off - vn->size));
	memcpy(n->buf + off, buf, len);
	if (off + len > vn->size)
		vn->size = off + len;
	return (long)len;
}

static void ramfs_release(struct uk_vnode *vn)
{
	struct ramfs_node *n = node(vn);

	uk_free(heap(), n->buf);
	uk_free(heap(), n);
}

static const struct uk_vnode_ops ramfs_dir_ops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.readdir = ramfs_readdir,
	.release = ramfs_release,
};

static const struct uk_vnode_ops ramfs_file_ops = {
	.read = ramfs_read,
	.write = ramfs_write,
	.truncate = ramfs_truncate,
	.release = ramfs_release,
};

int uk_ramfs_new(uint64_t dev, struct uk_vfs_sb **out)
{
	struct uk_vfs_sb *sb = uk_calloc(heap(), 1, sizeof(*sb));

	if (!sb)
		return -ENOMEM;
	sb->dev = dev;
	sb->root = new_node(sb, UK_S_IFDIR | 0755);
	if (!sb->root) {
		uk_free(heap(), sb);
		return -ENOMEM;
	}
	dir_nlink(sb->root, 1);
	*out = sb;
	return 0;
}
