/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open files: what a file descriptor points to (Linux's "open file
 * description"). Every kind of file (the console, eventfd, epoll, and
 * later sockets and VFS files) embeds a struct uk_file and fills a
 * struct uk_file_ops; the fd table (uk/fd.h) and the generic calls below
 * are the same for all of them.
 *
 *   struct my_sock { struct uk_file file; ... };
 *   static const struct uk_file_ops sock_ops = { .read = ..., .poll = ... };
 *
 *   uk_file_init(&s->file, &sock_ops, UK_O_RDWR);
 *   int fd = uk_fd_alloc(&s->file, 0, 0);     // the table takes the reference
 *   ...
 *   uk_file_notify(&s->file, UK_EPOLLIN);      // data arrived: wake waiters
 *
 * Rules every kind follows:
 * - I/O ops never block. When they would, they return -EAGAIN; the
 *   generic layer (uk_file_read/write, uk_file_block) waits for readiness
 *   unless the file is O_NONBLOCK, and calls again.
 * - Whenever readiness may have changed (data arrived, space freed, the
 *   peer hung up), the kind calls uk_file_notify with the events that may
 *   now be possible. That one call wakes blocked readers and writers,
 *   poll/select callers and epoll sets (level- and edge-triggered).
 * - uk_file_notify and every other call here are for thread context, not
 *   interrupt handlers: an interrupt handler wakes the waiters with
 *   uk_poll_kick() (uk/poll.h), and the file is notified later, from the
 *   thread that processes what the interrupt announced.
 *
 * Errors are negative errno values, as everywhere in the kernel.
 */
#ifndef UK_FILE_H
#define UK_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status flags kept in struct uk_file (Linux's O_* values). */
#define UK_O_ACCMODE 03
#define UK_O_RDONLY 00
#define UK_O_WRONLY 01
#define UK_O_RDWR 02
#define UK_O_APPEND 02000
#define UK_O_NONBLOCK 04000
#define UK_O_ASYNC 020000
/* A descriptor flag, given to the calls that create descriptors. */
#define UK_O_CLOEXEC 02000000

/*
 * Readiness: Linux's EPOLL* bits. The low 16 are also poll(2)'s POLL*
 * values, so a poll mask serves poll, select and epoll alike. ERR and HUP
 * are reported whether asked for or not.
 */
#define UK_EPOLLIN 0x001u
#define UK_EPOLLPRI 0x002u
#define UK_EPOLLOUT 0x004u
#define UK_EPOLLERR 0x008u
#define UK_EPOLLHUP 0x010u
#define UK_EPOLLNVAL 0x020u
#define UK_EPOLLRDNORM 0x040u
#define UK_EPOLLRDBAND 0x080u
#define UK_EPOLLWRNORM 0x100u
#define UK_EPOLLWRBAND 0x200u
#define UK_EPOLLMSG 0x400u
#define UK_EPOLLRDHUP 0x2000u
#define UK_EPOLLEXCLUSIVE (1u << 28)
#define UK_EPOLLWAKEUP (1u << 29)
#define UK_EPOLLONESHOT (1u << 30)
#define UK_EPOLLET (1u << 31)
#define UK_EPOLL_ALWAYS (UK_EPOLLERR | UK_EPOLLHUP)

/* ioctl requests the generic layer or the kinds answer (Linux's). */
#define UK_FIONREAD 0x541b
#define UK_FIONBIO 0x5421
#define UK_FIONCLEX 0x5450
#define UK_FIOCLEX 0x5451
#define UK_FIOASYNC 0x5452
#define UK_TIOCGWINSZ 0x5413

/* The iovec of readv/writev (struct iovec's layout). */
struct uk_iovec {
	void *base;
	size_t len;
};
/* IOV_MAX: more iovecs in one call are EINVAL. */
#define UK_IOV_MAX 1024

struct uk_file;

struct uk_file_ops {
	/*
	 * Move data between the file and iov (iovcnt >= 1 entries whose
	 * total fits in a long; zero-length entries may occur). Bytes moved,
	 * 0 at end of file, -EAGAIN when nothing can move now, or -errno.
	 * NULL: the file cannot be read (written): -EINVAL.
	 */
	long (*read)(struct uk_file *f, const struct uk_iovec *iov, int iovcnt);
	long (*write)(struct uk_file *f, const struct uk_iovec *iov, int iovcnt);
	/*
	 * The UK_EPOLL* events possible now, without side effects (it is
	 * called again and again while a caller waits). NULL: always
	 * readable and writable, as Linux says of regular files; such a file
	 * cannot be added to an epoll set (EPERM).
	 */
	uint32_t (*poll)(struct uk_file *f);
	/*
	 * ioctl requests the generic layer does not answer itself (it
	 * answers FIONBIO, FIOCLEX and FIONCLEX); FIONREAD is the kind's.
	 * NULL or an unknown request: -ENOTTY.
	 */
	int (*ioctl)(struct uk_file *f, unsigned long req, void *arg);
	/* NULL: -ESPIPE (a pipe, socket or terminal). */
	long (*lseek)(struct uk_file *f, long off, int whence);
	/*
	 * The last reference is gone: free the kind's state (and f when it
	 * was allocated). Every watch has been detached by then. NULL for
	 * files that live for ever (the console).
	 */
	void (*release)(struct uk_file *f);
};

struct uk_file_watch;

struct uk_file {
	const struct uk_file_ops *ops;
	unsigned int refs;
	/* UK_O_ACCMODE bits and status flags (UK_O_NONBLOCK, UK_O_APPEND). */
	unsigned int flags;
	/* Who wants to hear of readiness changes (uk_file_notify). */
	struct uk_file_watch *watches;
};

/* f with one reference, held by the caller. */
void uk_file_init(struct uk_file *f, const struct uk_file_ops *ops,
		  unsigned int flags);

static inline struct uk_file *uk_file_get(struct uk_file *f)
{
	f->refs++;
	return f;
}

/* Drop a reference; the last one detaches every watch (an epoll set
 * forgets the file) and calls ops->release. */
void uk_file_put(struct uk_file *f);

/*
 * A party interested in f's readiness. fn runs from uk_file_notify when
 * the notified events meet events (or the notifier did not say which:
 * events 0); it must not add or remove watches of f. detach runs when f
 * is released while the watch is still on it: only holders that keep no
 * reference (epoll sets) may let that happen; NULL means "never happens"
 * and a release finding such a watch is a kernel bug (panic).
 */
struct uk_file_watch {
	struct uk_file_watch *next, *prev;
	struct uk_file *file;
	uint32_t events;
	void (*fn)(struct uk_file_watch *w, uint32_t events);
	void (*detach)(struct uk_file_watch *w);
};

void uk_file_watch_add(struct uk_file *f, struct uk_file_watch *w);
void uk_file_watch_remove(struct uk_file_watch *w);

/*
 * Readiness of f may have changed: events are those that may now be
 * possible (UK_EPOLLIN after data arrived, UK_EPOLLOUT after space was
 * freed, UK_EPOLLHUP...), 0 when unknown. Wakes every watch they concern.
 * An edge-triggered epoll entry reports once per notification.
 */
void uk_file_notify(struct uk_file *f, uint32_t events);

/* The events possible now (ops->poll, or IN|OUT when there is none). */
uint32_t uk_file_poll(struct uk_file *f);

/*
 * read/readv and write/writev on an open file: access mode (EBADF), iovec
 * checks (EINVAL for more than UK_IOV_MAX entries or a total beyond a
 * long), then the kind's op; on -EAGAIN, unless the file is O_NONBLOCK,
 * waits for UK_EPOLLIN (UK_EPOLLOUT) with the one waiting primitive
 * (uk/poll.h) and tries again. iovcnt 0 returns 0.
 */
long uk_file_read(struct uk_file *f, const struct uk_iovec *iov, int iovcnt);
long uk_file_write(struct uk_file *f, const struct uk_iovec *iov, int iovcnt);

/*
 * For a kind's own blocking calls (accept, connect, recvmsg...): call
 * attempt(f, arg) until it returns anything but -EAGAIN, waiting between
 * tries for one of events on f (ERR and HUP always end a wait). An
 * O_NONBLOCK file returns attempt's first answer; reaching deadline (a
 * TSC value, UK_POLL_FOREVER for none: uk/poll.h) returns -EAGAIN, as a
 * receive timeout does on Linux.
 */
typedef long (*uk_file_attempt_fn)(struct uk_file *f, void *arg);
long uk_file_block(struct uk_file *f, uint32_t events,
		   uk_file_attempt_fn attempt, void *arg, uint64_t deadline);

/* ioctl: FIONBIO, FIOCLEX/FIONCLEX need the descriptor (uk/fd.h); this
 * answers FIONBIO and passes the rest to the kind. */
int uk_file_ioctl(struct uk_file *f, unsigned long req, void *arg);

/* F_SETFL: only UK_O_NONBLOCK and UK_O_APPEND change (access mode and
 * creation flags are ignored, as on Linux); UK_O_ASYNC is -EINVAL (no
 * SIGIO: signals are not delivered). */
int uk_file_setfl(struct uk_file *f, unsigned int flags);

long uk_file_lseek(struct uk_file *f, long off, int whence);

/* iovec helpers for the kinds: the total length, and copies that stop at
 * whichever of iov or len ends first (the bytes copied). */
size_t uk_iov_total(const struct uk_iovec *iov, int iovcnt);
size_t uk_iov_copy_out(const struct uk_iovec *iov, int iovcnt,
		       const void *src, size_t len);
size_t uk_iov_copy_in(void *dst, size_t len, const struct uk_iovec *iov,
		      int iovcnt);

#endif
