/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The name space: vnode references, the root and the working directory,
 * mounts, path walking and the calls that change names (mkdir, unlink,
 * rename) or only read them (stat, access, readlink, getcwd). Type and
 * existence checks are made here, so every file system gets the same
 * errors, in Linux's order where tests can see it.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include <uk/vfs.h>
#include <uk/x86.h>

/* One process: one root and one working directory, set at boot. */
static struct {
	struct uk_vfs_sb *root;
	struct uk_vnode *cwd;
} vfs;

void uk_vnode_init(struct uk_vnode *vn, const struct uk_vnode_ops *ops,
		   struct uk_vfs_sb *sb, unsigned int mode)
{
	memset(vn, 0, sizeof(*vn));
	vn->ops = ops;
	vn->sb = sb;
	vn->refs = 1;
	vn->mode = mode;
	vn->ino = ++sb->next_ino;
	vn->mtime_tsc = vn->ctime_tsc = uk_vfs_now();
}

void uk_vnode_put(struct uk_vnode *vn)
{
	if (--vn->refs == 0 && vn->ops->release)
		vn->ops->release(vn);
}

/* Stamps are TSC values: taking one costs no calibration and no RTC
 * read (the boot tree is built before anything needs the clock); stat
 * converts them (uk_vfs_vnode_stat). */
uint64_t uk_vfs_now(void)
{
	return rdtsc();
}

int uk_vfs_set_root(struct uk_vfs_sb *sb)
{
	if (vfs.root)
		return -EBUSY;
	vfs.root = sb;
	vfs.cwd = uk_vnode_get(sb->root);
	return 0;
}

static int is_dir(const struct uk_vnode *vn)
{
	return UK_S_ISDIR(vn->mode);
}

static int is_mount_root(const struct uk_vnode *vn)
{
	return vn == vn->sb->root;
}

/* Replace *cur (a reference) by next (a reference). */
static void move_to(struct uk_vnode **cur, struct uk_vnode *next)
{
	uk_vnode_put(*cur);
	*cur = next;
}

static struct uk_vnode *cross_mounts(struct uk_vnode *vn)
{
	while (vn->mounted)
		move_to(&vn, uk_vnode_get(vn->mounted));
	return vn;
}

/* "..": from a mount root, the parent of the directory it covers; the
 * root's is itself; a removed directory has none (-ENOENT). */
static int parent_of(struct uk_vnode *vn, struct uk_vnode **out)
{
	while (is_mount_root(vn) && vn->sb->covered)
		vn = vn->sb->covered;
	if (is_mount_root(vn)) {
		*out = uk_vnode_get(vn);
		return 0;
	}
	if (!vn->parent)
		return -ENOENT;
	*out = cross_mounts(uk_vnode_get(vn->parent));
	return 0;
}

/* One component in dir: a reference in *out, or -ENOENT. */
static int step(struct uk_vnode *dir, const char *s, size_t len,
		struct uk_vnode **out)
{
	int r;

	if (len == 1 && s[0] == '.') {
		*out = uk_vnode_get(dir);
		return 0;
	}
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return parent_of(dir, out);
	if (!dir->ops->lookup)
		return -ENOENT;
	r = dir->ops->lookup(dir, s, len, out);
	if (r == 0)
		*out = cross_mounts(*out);
	return r;
}

/* The directory relative paths start from, with a reference. */
static int start_dir(int dirfd, const char *path, struct uk_vnode **out)
{
	struct uk_file *f;
	struct uk_vnode *vn;

	if (!vfs.root)
		return -ENOENT;
	if (path[0] == '/') {
		*out = uk_vnode_get(vfs.root->root);
		return 0;
	}
	if (dirfd == UK_AT_FDCWD) {
		*out = uk_vnode_get(vfs.cwd);
		return 0;
	}
	f = uk_fd_get(dirfd);
	if (!f)
		return -EBADF;
	vn = uk_vfs_file_vnode(f);
	uk_file_put(f);
	if (!vn)
		return -ENOTDIR;
	*out = vn;
	return 0;
}

static size_t path_len(const char *path)
{
	size_t n = 0;

	while (n < UK_PATH_MAX && path[n])
		n++;
	return n;
}

void uk_vfs_walk_done(struct uk_vfs_walk *w)
{
	if (w->dir)
		uk_vnode_put(w->dir);
	if (w->vn)
		uk_vnode_put(w->vn);
	w->dir = w->vn = NULL;
}

/*
 * Walk every component but the last, which is looked up without failing:
 * w->vn is NULL when it does not exist (in an existing directory). There
 * are no symbolic links, so atflags change nothing here.
 */
int uk_vfs_walk(int dirfd, const char *path, int atflags,
		struct uk_vfs_walk *w)
{
	size_t plen = path ? path_len(path) : 0;
	struct uk_vnode *cur = NULL, *next;
	const char *p, *s, *e;
	int r;

	(void)atflags;
	memset(w, 0, sizeof(*w));
	if (!path)
		return -EFAULT;
	if (plen == UK_PATH_MAX)
		return -ENAMETOOLONG;
	if (plen == 0)
		return -ENOENT;
	r = start_dir(dirfd, path, &cur);
	if (r < 0)
		return r;
	w->slash = path[plen - 1] == '/';
	for (p = path;;) {
		while (*p == '/')
			p++;
		if (!*p) { /* "/", or only slashes after the start */
			w->dir = cur;
			w->vn = uk_vnode_get(cur);
			return 0;
		}
		for (e = s = p; *e && *e != '/'; e++)
			;
		if ((size_t)(e - s) > UK_NAME_MAX) {
			r = -ENAMETOOLONG;
			goto fail;
		}
		if (!is_dir(cur)) {
			r = -ENOTDIR;
			goto fail;
		}
		for (p = e; *p == '/'; p++)
			;
		if (!*p)
			break;
		r = step(cur, s, (size_t)(e - s), &next);
		if (r < 0)
			goto fail;
		move_to(&cur, next);
	}
	w->dir = cur;
	w->name = s;
	w->len = (size_t)(e - s);
	r = step(cur, w->name, w->len, &w->vn);
	if (r == -ENOENT && cur->nlink != 0)
		r = 0, w->vn = NULL;
	if (r < 0)
		goto fail_walk;
	if (w->vn && w->slash && !is_dir(w->vn)) {
		r = -ENOTDIR;
		goto fail_walk;
	}
	return 0;
fail:
	uk_vnode_put(cur);
	return r;
fail_walk:
	uk_vfs_walk_done(w);
	return r;
}

/* The last component is ".", "..", or the path is "/". */
static int is_dots(const struct uk_vfs_walk *w)
{
	return w->len == 0 || (w->name[0] == '.' &&
			       (w->len == 1 || (w->len == 2 && w->name[1] == '.')));
}

int uk_vfs_mount(const char *path, struct uk_vfs_sb *sb)
{
	struct uk_vfs_walk w;
	int r = uk_vfs_walk(UK_AT_FDCWD, path, 0, &w);

	if (r < 0)
		return r;
	if (!w.vn)
		r = -ENOENT;
	else if (!is_dir(w.vn))
		r = -ENOTDIR;
	else if (w.vn->mounted || is_mount_root(w.vn))
		r = -EBUSY;
	if (r == 0) {
		w.vn->mounted = uk_vnode_get(sb->root);
		sb->covered = uk_vnode_get(w.vn);
	}
	uk_vfs_walk_done(&w);
	return r;
}

void uk_vfs_vnode_stat(struct uk_vnode *vn, struct uk_vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = vn->sb->dev;
	st->ino = vn->ino;
	st->rdev = vn->rdev;
	st->size = vn->size;
	st->blocks = (vn->size + 511) / 512;
	st->mode = vn->mode;
	st->nlink = vn->nlink;
	st->mtime_ns = (int64_t)uk_clock_realtime_ns_at(vn->mtime_tsc);
	st->ctime_ns = (int64_t)uk_clock_realtime_ns_at(vn->ctime_tsc);
}

/* Walk a path that must exist. */
static int walk_existing(int dirfd, const char *path, int atflags,
			 struct uk_vfs_walk *w)
{
	int r = uk_vfs_walk(dirfd, path, atflags, w);

	if (r == 0 && !w->vn) {
		uk_vfs_walk_done(w);
		r = -ENOENT;
	}
	return r;
}

int uk_vfs_stat(int dirfd, const char *path, int atflags,
		struct uk_vfs_stat *st)
{
	struct uk_vfs_walk w;
	int r = walk_existing(dirfd, path, atflags, &w);

	if (r < 0)
		return r;
	uk_vfs_vnode_stat(w.vn, st);
	uk_vfs_walk_done(&w);
	return 0;
}

/* Everything runs as root: only X_OK on a file without any x bit fails. */
int uk_vfs_access(int dirfd, const char *path, int amode, int atflags)
{
	struct uk_vfs_walk w;
	int r;

	if (amode & ~(UK_R_OK | UK_W_OK | UK_X_OK))
		return -EINVAL;
	r = walk_existing(dirfd, path, atflags, &w);
	if (r < 0)
		return r;
	if ((amode & UK_X_OK) && !is_dir(w.vn) && !(w.vn->mode & 0111))
		r = -EACCES;
	uk_vfs_walk_done(&w);
	return r;
}

int uk_vfs_mkdir(int dirfd, const char *path, unsigned int mode)
{
	struct uk_vfs_walk w;
	struct uk_vnode *vn;
	int r = uk_vfs_walk(dirfd, path, 0, &w);

	if (r < 0)
		return r;
	if (w.vn)
		r = -EEXIST;
	else if (!w.dir->ops->create)
		r = -EPERM;
	else
		r = w.dir->ops->create(w.dir, w.name, w.len,
				       UK_S_IFDIR | (mode & 07777), &vn);
	if (r == 0)
		uk_vnode_put(vn);
	uk_vfs_walk_done(&w);
	return r;
}

static int dir_empty(struct uk_vnode *dir)
{
	struct uk_dirent d;

	return !dir->ops->readdir || dir->ops->readdir(dir, 0, &d) == 0;
}

/* Why an rmdir (rmdir) or unlink (!rmdir) of what w names must fail. */
static int unlink_check(const struct uk_vfs_walk *w, int rmdir)
{
	if (!w->vn)
		return -ENOENT;
	if (!rmdir)
		return is_dir(w->vn) ? -EISDIR : 0;
	if (w->len == 0)
		return -EBUSY;
	if (is_dots(w))
		return w->len == 1 ? -EINVAL : -ENOTEMPTY;
	if (!is_dir(w->vn))
		return -ENOTDIR;
	if (is_mount_root(w->vn))
		return -EBUSY;
	return dir_empty(w->vn) ? 0 : -ENOTEMPTY;
}

int uk_vfs_unlink(int dirfd, const char *path, int atflags)
{
	struct uk_vfs_walk w;
	int r;

	if (atflags & ~UK_AT_REMOVEDIR)
		return -EINVAL;
	r = uk_vfs_walk(dirfd, path, 0, &w);
	if (r < 0)
		return r;
	r = unlink_check(&w, atflags & UK_AT_REMOVEDIR);
	if (r == 0)
		r = w.dir->ops->unlink ? w.dir->ops->unlink(w.dir, w.name, w.len)
				       : -EPERM;
	uk_vfs_walk_done(&w);
	return r;
}

/* dir is vn or below it (a directory cannot move into itself). */
static int is_below(struct uk_vnode *dir, struct uk_vnode *vn)
{
	for (struct uk_vnode *d = dir; d; d = d->parent)
		if (d == vn)
			return 1;
	return 0;
}

static int rename_check(const struct uk_vfs_walk *o, const struct uk_vfs_walk *n)
{
	if (!o->vn)
		return -ENOENT;
	if (is_dots(o) || is_dots(n) || is_mount_root(o->vn) ||
	    (n->vn && is_mount_root(n->vn)))
		return -EBUSY;
	if (o->dir->sb != n->dir->sb)
		return -EXDEV;
	if (o->vn == n->vn)
		return 1; /* the same file: nothing to do */
	if (is_dir(o->vn)) {
		if (n->vn && !is_dir(n->vn))
			return -ENOTDIR;
		if (n->vn && !dir_empty(n->vn))
			return -ENOTEMPTY;
		if (is_below(n->dir, o->vn))
			return -EINVAL;
		return 0;
	}
	if (n->vn && is_dir(n->vn))
		return -EISDIR;
	if (!n->vn && n->slash)
		return -ENOTDIR;
	return 0;
}

/* Move o's entry to n's name, replacing what is there. */
static int rename_move(struct uk_vfs_walk *o, struct uk_vfs_walk *n)
{
	int r;

	if (!n->dir->ops->link || !o->dir->ops->unlink)
		return -EPERM;
	if (n->vn) {
		r = n->dir->ops->unlink(n->dir, n->name, n->len);
		if (r < 0)
			return r;
	}
	r = o->dir->ops->unlink(o->dir, o->name, o->len);
	if (r < 0)
		return r;
	r = n->dir->ops->link(n->dir, n->name, n->len, o->vn);
	if (r < 0) /* out of memory: put it back where it was */
		o->dir->ops->link(o->dir, o->name, o->len, o->vn);
	return r;
}

int uk_vfs_rename(int olddirfd, const char *oldpath, int newdirfd,
		  const char *newpath)
{
	struct uk_vfs_walk o, n;
	int r = uk_vfs_walk(olddirfd, oldpath, 0, &o);

	if (r < 0)
		return r;
	r = uk_vfs_walk(newdirfd, newpath, 0, &n);
	if (r < 0)
		goto out_o;
	r = rename_check(&o, &n);
	if (r == 0)
		r = rename_move(&o, &n);
	if (r > 0)
		r = 0;
	uk_vfs_walk_done(&n);
out_o:
	uk_vfs_walk_done(&o);
	return r;
}

int uk_vfs_truncate(const char *path, int64_t size)
{
	struct uk_vfs_walk w;
	int r;

	if (size < 0)
		return -EINVAL;
	r = walk_existing(UK_AT_FDCWD, path, 0, &w);
	if (r < 0)
		return r;
	if (is_dir(w.vn))
		r = -EISDIR;
	else if (!UK_S_ISREG(w.vn->mode) || !w.vn->ops->truncate)
		r = -EINVAL;
	else
		r = w.vn->ops->truncate(w.vn, (uint64_t)size);
	uk_vfs_walk_done(&w);
	return r;
}

/* No file system here makes symbolic links: every existing path is
 * something else (EINVAL, as Linux says of a regular file). */
long uk_vfs_readlink(int dirfd, const char *path, char *buf, size_t len)
{
	struct uk_vfs_walk w;
	int r = walk_existing(dirfd, path, 0, &w);

	(void)buf, (void)len;
	if (r < 0)
		return r;
	uk_vfs_walk_done(&w);
	return -EINVAL;
}

/* No symbolic links: a free name in an existing directory is EPERM. */
int uk_vfs_symlink(int dirfd, const char *path)
{
	struct uk_vfs_walk w;
	int r = uk_vfs_walk(dirfd, path, 0, &w);

	if (r < 0)
		return r;
	r = w.vn ? -EEXIST : -EPERM;
	uk_vfs_walk_done(&w);
	return r;
}

static int set_cwd(struct uk_vnode *vn)
{
	if (!is_dir(vn))
		return -ENOTDIR;
	move_to(&vfs.cwd, uk_vnode_get(vn));
	return 0;
}

int uk_vfs_chdir(const char *path)
{
	struct uk_vfs_walk w;
	int r = walk_existing(UK_AT_FDCWD, path, 0, &w);

	if (r < 0)
		return r;
	r = set_cwd(w.vn);
	uk_vfs_walk_done(&w);
	return r;
}

int uk_vfs_fchdir(int fd)
{
	struct uk_file *f = uk_fd_get(fd);
	struct uk_vnode *vn;
	int r;

	if (!f)
		return -EBADF;
	vn = uk_vfs_file_vnode(f);
	uk_file_put(f);
	if (!vn)
		return -ENOTDIR;
	r = set_cwd(vn);
	uk_vnode_put(vn);
	return r;
}

/* The name of child (a directory) in its parent, found by inode. */
static int name_in(struct uk_vnode *parent, struct uk_vnode *child,
		   struct uk_dirent *d)
{
	for (uint64_t i = 0; parent->ops->readdir(parent, i, d) == 1; i++)
		if (d->ino == child->ino && parent->sb == child->sb)
			return 0;
	return -ENOENT;
}

/* Prepend "/name" to the path built from the end of buf. */
static int prepend(char *buf, size_t *at, const char *name, size_t len)
{
	if (*at < len + 1)
		return -ERANGE;
	*at -= len;
	memcpy(buf + *at, name, len);
	buf[--*at] = '/';
	return 0;
}

/* The path of vn, built backwards into tmp[0..UK_PATH_MAX): where it
 * starts in tmp, or -ENOENT when vn was removed. */
static long path_of(struct uk_vnode *vn, char *tmp)
{
	struct uk_dirent d;
	size_t at = UK_PATH_MAX;
	int r;

	tmp[--at] = '\0';
	for (;;) {
		while (is_mount_root(vn) && vn->sb->covered)
			vn = vn->sb->covered;
		if (vn == vfs.root->root)
			break;
		if (!vn->parent)
			return -ENOENT;
		r = name_in(vn->parent, vn, &d);
		if (r == 0)
			r = prepend(tmp, &at, d.name, strlen(d.name));
		if (r < 0)
			return r == -ERANGE ? -ENAMETOOLONG : r;
		vn = vn->parent;
	}
	if (at == UK_PATH_MAX - 1 && (r = prepend(tmp, &at, "", 0)) < 0)
		return r;
	return (long)at;
}

/* Built in a buffer of the kernel's, as Linux does: only the bytes of the
 * answer are written to buf, whatever size says. */
long uk_vfs_getcwd(char *buf, size_t size)
{
	char *tmp;
	long at, len;

	if (!vfs.root)
		return -ENOENT;
	tmp = uk_malloc(uk_alloc_default(), UK_PATH_MAX);
	if (!tmp)
		return -ENOMEM;
	at = path_of(vfs.cwd, tmp);
	len = UK_PATH_MAX - at;
	if (at >= 0 && (size_t)len > size)
		at = -ERANGE;
	if (at >= 0)
		memcpy(buf, tmp + at, (size_t)len);
	uk_free(uk_alloc_default(), tmp);
	return at < 0 ? at : len;
}
