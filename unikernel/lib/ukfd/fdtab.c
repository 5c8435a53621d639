/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The descriptor table: a file pointer per descriptor, plus two bitmaps,
 * which descriptors are open (so the lowest free one is found a word at a
 * time) and which carry FD_CLOEXEC.
 */
#include <uk/errno.h>
#include <uk/fd.h>

#define WORD_BITS 64
#define WORDS ((UK_FD_MAX + WORD_BITS - 1) / WORD_BITS)

static struct uk_file *files[UK_FD_MAX];
static uint64_t open_map[WORDS];
static uint64_t cloexec_map[WORDS];
static unsigned int open_count;

static bool valid(int fd)
{
	return fd >= 0 && fd < UK_FD_MAX && files[fd];
}

static void set_bit(uint64_t *map, int fd, bool on)
{
	uint64_t bit = 1ULL << (fd % WORD_BITS);

	if (on)
		map[fd / WORD_BITS] |= bit;
	else
		map[fd / WORD_BITS] &= ~bit;
}

/* The lowest descriptor >= min not open, or -EMFILE. */
static int lowest_free(int min)
{
	for (int i = min / WORD_BITS; i < WORDS; i++) {
		uint64_t used = open_map[i];
		int fd;

		if (i == min / WORD_BITS)
			used |= (1ULL << (min % WORD_BITS)) - 1;
		if (used == UINT64_MAX)
			continue;
		fd = i * WORD_BITS + __builtin_ctzll(~used);
		return fd < UK_FD_MAX ? fd : -EMFILE;
	}
	return -EMFILE;
}

/* Put f (whose reference the table takes) at a free fd. */
static void install(int fd, struct uk_file *f, unsigned int fdflags)
{
	files[fd] = f;
	set_bit(open_map, fd, true);
	set_bit(cloexec_map, fd, fdflags & UK_FD_CLOEXEC);
	open_count++;
}

/* Take fd out of the table; its reference goes to the caller. */
static struct uk_file *uninstall(int fd)
{
	struct uk_file *f = files[fd];

	files[fd] = NULL;
	set_bit(open_map, fd, false);
	set_bit(cloexec_map, fd, false);
	open_count--;
	return f;
}

int uk_fd_alloc(struct uk_file *f, int min, unsigned int fdflags)
{
	int fd;

	if (min < 0 || min >= UK_FD_MAX)
		return -EINVAL;
	fd = lowest_free(min);
	if (fd >= 0)
		install(fd, f, fdflags);
	return fd;
}

struct uk_file *uk_fd_get(int fd)
{
	return valid(fd) ? uk_file_get(files[fd]) : NULL;
}

int uk_fd_close(int fd)
{
	if (!valid(fd))
		return -EBADF;
	uk_file_put(uninstall(fd));
	return 0;
}

int uk_fd_dup(int oldfd, int min, unsigned int fdflags)
{
	int fd;

	if (!valid(oldfd))
		return -EBADF;
	fd = uk_fd_alloc(files[oldfd], min, fdflags);
	if (fd >= 0)
		uk_file_get(files[fd]);
	return fd;
}

int uk_fd_dup3(int oldfd, int newfd, unsigned int flags, bool same_ok)
{
	struct uk_file *old = NULL;

	if (flags & ~UK_O_CLOEXEC)
		return -EINVAL;
	if (!same_ok && oldfd == newfd)
		return -EINVAL;
	if (!valid(oldfd) || newfd < 0 || newfd >= UK_FD_MAX)
		return -EBADF;
	if (oldfd == newfd)
		return newfd;
	/* The file at newfd goes only after the new one is in place, as
	 * Linux does it: newfd is never seen free in between. */
	if (files[newfd])
		old = uninstall(newfd);
	install(newfd, uk_file_get(files[oldfd]),
		flags & UK_O_CLOEXEC ? UK_FD_CLOEXEC : 0);
	if (old)
		uk_file_put(old);
	return newfd;
}

int uk_fd_flags(int fd)
{
	if (!valid(fd))
		return -EBADF;
	return cloexec_map[fd / WORD_BITS] >> (fd % WORD_BITS) & 1
		       ? UK_FD_CLOEXEC
		       : 0;
}

int uk_fd_set_flags(int fd, unsigned int fdflags)
{
	if (!valid(fd))
		return -EBADF;
	set_bit(cloexec_map, fd, fdflags & UK_FD_CLOEXEC);
	return 0;
}

unsigned int uk_fd_count(void)
{
	return open_count;
}
