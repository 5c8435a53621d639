/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file-descriptor table: one per image (there is one process), shared
 * by every kind of file. 0 is the console's empty stdin, 1 and 2 its
 * output (one open file, as a terminal's are); uk_fd_init puts them there
 * at boot. Descriptors follow POSIX: a new one is the lowest free number,
 * at most UK_FD_MAX are open (EMFILE beyond), and each entry holds a
 * reference on its file plus the FD_CLOEXEC flag (kept and reported; there
 * is no exec to act on it).
 */
#ifndef UK_FD_H
#define UK_FD_H

#include <uk/file.h>

#define UK_FD_MAX CONFIG_UKFD_MAX
/* The descriptor flag of F_GETFD/F_SETFD. */
#define UK_FD_CLOEXEC 1
/* fcntl commands (Linux's numbers). */
#define UK_F_DUPFD 0
#define UK_F_GETFD 1
#define UK_F_SETFD 2
#define UK_F_GETFL 3
#define UK_F_SETFL 4
#define UK_F_DUPFD_CLOEXEC 1030

/* The console's descriptors 0, 1, 2 (at boot, before any syscall). */
void uk_fd_init(void);

/*
 * Put f at the lowest free descriptor >= min, with fdflags (UK_FD_CLOEXEC).
 * On success the table owns the caller's reference. The descriptor,
 * -EMFILE when none is free, -EINVAL when min is out of range.
 */
int uk_fd_alloc(struct uk_file *f, int min, unsigned int fdflags);

/* The file open at fd with a reference for the caller (uk_file_put it);
 * NULL when fd is not open. */
struct uk_file *uk_fd_get(int fd);

/* close(2): 0 or -EBADF. The file goes when its last reference does. */
int uk_fd_close(int fd);

/* dup(2) and F_DUPFD[_CLOEXEC]: the lowest free descriptor >= min. */
int uk_fd_dup(int oldfd, int min, unsigned int fdflags);
/*
 * dup2(2) (flags 0, same_ok) and dup3(2) (!same_ok: oldfd == newfd is
 * -EINVAL; flags other than UK_O_CLOEXEC are -EINVAL). A newfd that is
 * open is closed first, silently.
 */
int uk_fd_dup3(int oldfd, int newfd, unsigned int flags, bool same_ok);

/* F_GETFD / F_SETFD. */
int uk_fd_flags(int fd);
int uk_fd_set_flags(int fd, unsigned int fdflags);

/* Descriptors open now (tests, reports). */
unsigned int uk_fd_count(void);

#endif
