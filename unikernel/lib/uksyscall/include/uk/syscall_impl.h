/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to lib/uksyscall: the handler signature and the handlers. */
#ifndef UK_SYSCALL_IMPL_H
#define UK_SYSCALL_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <uk/syscall_nr.h>

typedef long (*uk_syscall_fn)(long a0, long a1, long a2, long a3, long a4,
			      long a5);

/* Indexed by number; NULL means not implemented (-ENOSYS, counted). */
extern const uk_syscall_fn uk_syscall_table[UK_SYSCALL_MAX];
extern const char *const uk_syscall_names[UK_SYSCALL_MAX];

#define UK_SYSCALL_DECL(name)                                                  \
	long uk_sys_##name(long a0, long a1, long a2, long a3, long a4, long a5)

UK_SYSCALL_DECL(read);
UK_SYSCALL_DECL(write);
UK_SYSCALL_DECL(writev);
UK_SYSCALL_DECL(readv);
UK_SYSCALL_DECL(ioctl);
UK_SYSCALL_DECL(close);
UK_SYSCALL_DECL(lseek);
UK_SYSCALL_DECL(fcntl);
UK_SYSCALL_DECL(dup);
UK_SYSCALL_DECL(dup2);
UK_SYSCALL_DECL(dup3);
/* CONFIG_UKFD_POLL (sys_poll.c) */
UK_SYSCALL_DECL(poll);
UK_SYSCALL_DECL(ppoll);
UK_SYSCALL_DECL(select);
UK_SYSCALL_DECL(pselect6);
/* CONFIG_UKFD_EPOLL (sys_epoll.c) */
UK_SYSCALL_DECL(epoll_create);
UK_SYSCALL_DECL(epoll_create1);
UK_SYSCALL_DECL(epoll_ctl);
UK_SYSCALL_DECL(epoll_wait);
UK_SYSCALL_DECL(epoll_pwait);
/* CONFIG_UKFD_EVENTFD (sys_eventfd.c) */
UK_SYSCALL_DECL(eventfd);
UK_SYSCALL_DECL(eventfd2);
/* CONFIG_LWIP_SOCKETS (lib/lwip/sock_sys.c, sock_opt.c) */
UK_SYSCALL_DECL(socket);
UK_SYSCALL_DECL(bind);
UK_SYSCALL_DECL(listen);
UK_SYSCALL_DECL(accept);
UK_SYSCALL_DECL(accept4);
UK_SYSCALL_DECL(connect);
UK_SYSCALL_DECL(getsockname);
UK_SYSCALL_DECL(getpeername);
UK_SYSCALL_DECL(setsockopt);
UK_SYSCALL_DECL(getsockopt);
UK_SYSCALL_DECL(shutdown);
UK_SYSCALL_DECL(sendto);
UK_SYSCALL_DECL(recvfrom);
UK_SYSCALL_DECL(sendmsg);
UK_SYSCALL_DECL(recvmsg);
/* CONFIG_UKVFS (sys_vfs.c, sys_path.c) */
UK_SYSCALL_DECL(open);
UK_SYSCALL_DECL(openat);
UK_SYSCALL_DECL(creat);
UK_SYSCALL_DECL(pread64);
UK_SYSCALL_DECL(pwrite64);
UK_SYSCALL_DECL(stat);
UK_SYSCALL_DECL(fstat);
UK_SYSCALL_DECL(lstat);
UK_SYSCALL_DECL(newfstatat);
UK_SYSCALL_DECL(statx);
UK_SYSCALL_DECL(access);
UK_SYSCALL_DECL(faccessat);
UK_SYSCALL_DECL(faccessat2);
UK_SYSCALL_DECL(getdents64);
UK_SYSCALL_DECL(mkdir);
UK_SYSCALL_DECL(mkdirat);
UK_SYSCALL_DECL(rmdir);
UK_SYSCALL_DECL(unlink);
UK_SYSCALL_DECL(unlinkat);
UK_SYSCALL_DECL(rename);
UK_SYSCALL_DECL(renameat);
UK_SYSCALL_DECL(renameat2);
UK_SYSCALL_DECL(ftruncate);
UK_SYSCALL_DECL(fsync);
UK_SYSCALL_DECL(fdatasync);
UK_SYSCALL_DECL(truncate);
UK_SYSCALL_DECL(getcwd);
UK_SYSCALL_DECL(chdir);
UK_SYSCALL_DECL(fchdir);
UK_SYSCALL_DECL(flock);
UK_SYSCALL_DECL(readlink);
UK_SYSCALL_DECL(readlinkat);
UK_SYSCALL_DECL(symlink);
UK_SYSCALL_DECL(symlinkat);
UK_SYSCALL_DECL(brk);
UK_SYSCALL_DECL(mmap);
UK_SYSCALL_DECL(munmap);
UK_SYSCALL_DECL(mprotect);
UK_SYSCALL_DECL(madvise);
UK_SYSCALL_DECL(clock_gettime);
UK_SYSCALL_DECL(clock_getres);
UK_SYSCALL_DECL(gettimeofday);
UK_SYSCALL_DECL(nanosleep);
UK_SYSCALL_DECL(clock_nanosleep);
UK_SYSCALL_DECL(sched_yield);
UK_SYSCALL_DECL(exit);
UK_SYSCALL_DECL(exit_group);
UK_SYSCALL_DECL(getpid);
UK_SYSCALL_DECL(gettid);
UK_SYSCALL_DECL(getppid);
UK_SYSCALL_DECL(getpgid);
UK_SYSCALL_DECL(getsid);
UK_SYSCALL_DECL(umask);
UK_SYSCALL_DECL(times);
UK_SYSCALL_DECL(getuid);
UK_SYSCALL_DECL(uname);
UK_SYSCALL_DECL(set_tid_address);
UK_SYSCALL_DECL(arch_prctl);
UK_SYSCALL_DECL(rt_sigprocmask);
UK_SYSCALL_DECL(kill);
UK_SYSCALL_DECL(tkill);
UK_SYSCALL_DECL(tgkill);
UK_SYSCALL_DECL(getrandom);
/* CONFIG_UKSCHED_THREADS (lib/uksched: clone.c or clone_none.c, futex.c) */
UK_SYSCALL_DECL(clone);
UK_SYSCALL_DECL(futex);
/* What programs probe at start-up: limits and usage (sys_limits.c), their
 * task (sys_task.c), the rest of the memory calls (sys_mem.c). */
UK_SYSCALL_DECL(prlimit64);
UK_SYSCALL_DECL(getrlimit);
UK_SYSCALL_DECL(setrlimit);
UK_SYSCALL_DECL(getrusage);
UK_SYSCALL_DECL(sysinfo);
UK_SYSCALL_DECL(sched_getaffinity);
UK_SYSCALL_DECL(sched_setaffinity);
UK_SYSCALL_DECL(getpriority);
UK_SYSCALL_DECL(setpriority);
UK_SYSCALL_DECL(prctl);
UK_SYSCALL_DECL(mremap);
UK_SYSCALL_DECL(msync);
UK_SYSCALL_DECL(mlock);
UK_SYSCALL_DECL(munlock);
UK_SYSCALL_DECL(mlockall);
UK_SYSCALL_DECL(munlockall);

/*
 * The exit report of unimplemented syscalls: "name (count)" for every
 * number counted in counts (indexed by number) and, when other is not 0,
 * "unknown numbers (other)", joined by ", " into lines of at most
 * UK_ENOSYS_LINE_MAX - 1 bytes; emit gets each line (without prefix or
 * newline). Nothing is left out however long the list.
 */
#define UK_ENOSYS_LINE_MAX 160
struct uk_enosys_line {
	char text[UK_ENOSYS_LINE_MAX];
	size_t len;
};
typedef void (*uk_enosys_emit_fn)(const char *line, void *ctx);
void uk_syscall_enosys_lines(const uint32_t counts[UK_SYSCALL_MAX],
			     uint32_t other, uk_enosys_emit_fn emit, void *ctx);

/* Bytes always resident: the image and the main stack (sys_limits.c);
 * getrusage's maxrss adds the allocator's high-water mark. */
uint64_t uk_syscall_resident_base(void);
/* The umask's bits (sys_proc.c), cleared from new files' modes. */
unsigned int uk_umask_get(void);

/* Nanoseconds since boot, from the TSC (sys_time.c). */
uint64_t uk_clock_monotonic_ns(void);
/* CLOCK_REALTIME at an earlier rdtsc() value (CONFIG_UKVFS). */
uint64_t uk_clock_realtime_ns_at(uint64_t tsc);

#endif
